import { join } from 'node:path';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { formatGraphqlError } from './graphql-errors.js';
import { localLandingPagePlugin } from './landing-page.js';
import { createPlanLoader, type GraphqlContext, type PlanBatchSource } from './plan.loader.js';
import { complexityLimitPlugin, depthLimitRule, MAX_QUERY_COMPLEXITY, MAX_QUERY_DEPTH } from './query-limits.js';

export const GRAPHQL_PATH = '/graphql';

/** The committed schema, at the repository root: `npm run schema:gql` rewrites it. */
export const SCHEMA_FILE = 'schema.gql';

/**
 * Where the running app writes the schema. In development (NODE_ENV=development) it refreshes the
 * committed file at boot, so a schema change shows in `git diff`; everywhere else the schema stays
 * in memory (a production image may be read-only, and tests must not write files).
 */
export function autoSchemaFileTarget(nodeEnv: string | undefined): string | true {
  return nodeEnv === 'development' ? join(process.cwd(), SCHEMA_FILE) : true;
}

export function graphqlOptions(
  plans: PlanBatchSource,
  nodeEnv: string | undefined,
): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: autoSchemaFileTarget(nodeEnv),
    sortSchema: true,
    // Dashboards and codegen need the schema; it holds nothing secret.
    introspection: true,
    // Nest's GraphiQL and Apollo's landing page load their code from a CDN; ours is self-contained.
    graphiql: false,
    plugins: [localLandingPagePlugin(GRAPHQL_PATH), complexityLimitPlugin(MAX_QUERY_COMPLEXITY)],
    validationRules: [depthLimitRule(MAX_QUERY_DEPTH)],
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphqlError,
    context: (): Omit<GraphqlContext, 'req'> => ({ planLoader: createPlanLoader(plans) }),
  };
}
