import { join } from 'node:path';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyRequest } from 'fastify';
import { accessOf } from '../auth/principal.js';
import { deadlineOf } from '../common/request-deadline.js';
import type { PlanAccess } from '../plans/plan-access.js';
import type { StoredPlan } from '../plans/plans.types.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { AnswerBudget, executionGuardsPlugin } from './execution-guards.js';
import { admittedPrincipal } from './graphql-admission.js';
import { formatGraphqlError } from './graphql-errors.js';
import { localLandingPagePlugin } from './landing-page.js';
import { createPlanLoader, type GraphqlContext } from './plan.loader.js';
import {
  complexityLimitPlugin,
  MAX_QUERY_COMPLEXITY,
  MAX_QUERY_TOKENS,
  mutationCount,
  operationShapeRule,
  subscriptionRefusalPlugin,
} from './query-limits.js';

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

/** What the GraphQL context needs of PlansService: the batched lookup behind `PlanEdge.node`. */
export type ScopedPlanSource = { findByIds(ids: string[], access: PlanAccess): Promise<StoredPlan[]> };

/**
 * Every mutation counts against the caller's rate limit, as a REST request would: a request with
 * N mutations takes N - 1 more requests (the front door took one already) once it has been parsed,
 * validated and costed, before any of them runs. Short of that, none runs: HTTP 429, RATE_LIMITED.
 */
export function mutationRateLimitPlugin(): ApolloServerPlugin<GraphqlContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        // Apollo's hook for answering instead of executing; it runs once every didResolveOperation
        // check (shape, cost) has passed, so a refused request takes nothing more.
        responseForOperation({ operation, document, contextValue, response }) {
          const mutations = operation ? mutationCount(operation, document) : 0;
          if (mutations <= 1 || contextValue.takeRequests === undefined) {
            return Promise.resolve(null);
          }
          const outcome = contextValue.takeRequests(mutations - 1);
          Object.entries(outcome.headers).forEach(([name, value]) => response.http.headers.set(name, value));
          if (!outcome.error) {
            return Promise.resolve(null);
          }
          const message = `${outcome.error.message} This request has ${mutations} mutations, and each counts as a request.`;
          return Promise.resolve({
            http: { status: 429, headers: new HeaderMap(Object.entries(outcome.headers)) },
            body: { kind: 'single', singleResult: { errors: [{ message, extensions: { code: 'RATE_LIMITED' } }] } },
          });
        },
      });
    },
  };
}

export function graphqlOptions(
  plans: ScopedPlanSource,
  nodeEnv: string | undefined,
  limiter?: Pick<RateLimiter, 'take'>,
): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: autoSchemaFileTarget(nodeEnv),
    sortSchema: true,
    // Nest checks a schema it builds by running the whole introspection query over it: 50-110 ms of
    // the main thread at every boot (docs/performance.md, "Starting"). Apollo asserts the schema
    // valid when it starts anyway, and schema-file.spec.ts builds the same schema with the check on.
    buildSchemaOptions: { skipCheck: true },
    // Dashboards and codegen need the schema; it holds nothing secret.
    introspection: true,
    // Nest's GraphiQL and Apollo's landing page load their code from a CDN; ours is self-contained.
    graphiql: false,
    plugins: [
      localLandingPagePlugin(GRAPHQL_PATH),
      subscriptionRefusalPlugin(),
      complexityLimitPlugin(MAX_QUERY_COMPLEXITY),
      mutationRateLimitPlugin(),
      executionGuardsPlugin(),
    ],
    // Parsing stops past the token limit; the shape rule bounds what the parsed document unfolds to.
    parseOptions: { maxTokens: MAX_QUERY_TOKENS },
    validationRules: [operationShapeRule()],
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphqlError,
    // The Fastify integration passes the request first. Who is calling was settled by the front
    // door (graphql-admission.ts): the context only reads it. The loader is per request and bound
    // to the caller's access, so a page's nodes come from the plans the caller may see, in one query.
    context: (request: FastifyRequest): Promise<Omit<GraphqlContext, 'req'>> => {
      const principal = admittedPrincipal(request);
      const access = accessOf(principal);
      return Promise.resolve({
        planLoader: createPlanLoader({ findByIds: (ids) => plans.findByIds(ids, access) }),
        deadline: deadlineOf(request),
        answer: new AnswerBudget(),
        ...(limiter && { takeRequests: (count: number) => limiter.take(principal, request.ip, count) }),
      });
    },
  };
}
