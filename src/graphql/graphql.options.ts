import { join } from 'node:path';
import { HeaderMap } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationError, type Authenticator } from '../auth/authenticator.js';
import { accessOf, type Principal } from '../auth/principal.js';
import { setPrincipal } from '../auth/request-principal.js';
import { classifyDatabaseError, isUnavailable } from '../common/database-failure.js';
import { RETRY_AFTER_SECONDS } from '../common/problem-details.js';
import type { PlanAccess } from '../plans/plan-access.js';
import type { StoredPlan } from '../plans/plans.types.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { GraphQLError } from './graphql-js.js';
import { formatGraphqlError } from './graphql-errors.js';
import { localLandingPagePlugin } from './landing-page.js';
import { createPlanLoader, type GraphqlContext } from './plan.loader.js';
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

/** What the GraphQL context needs of PlansService: the batched lookup behind `PlanEdge.node`. */
export type ScopedPlanSource = { findByIds(ids: string[], access: PlanAccess): Promise<StoredPlan[]> };

/**
 * Authenticates a GraphQL HTTP request once, before any operation runs: a request without a valid
 * key (or, in protected mode, from elsewhere than loopback) is refused as a whole with HTTP 401 and
 * an UNAUTHENTICATED error, as Apollo recommends for authentication. Scopes are checked per
 * query/mutation by the auth guard: FORBIDDEN errors in a 200 answer, next to the fields allowed.
 */
export async function authenticateGraphqlRequest(
  authenticator: Pick<Authenticator, 'authenticate'>,
  request: FastifyRequest,
): Promise<Principal> {
  try {
    const principal = await authenticator.authenticate(request);
    setPrincipal(request, principal);
    return principal;
  } catch (error) {
    if (error instanceof AuthenticationError) {
      throw new GraphQLError(error.message, {
        extensions: {
          code: 'UNAUTHENTICATED',
          http: { status: 401, headers: new HeaderMap([['www-authenticate', error.challenge]]) },
        },
      });
    }
    // The key lookup needs the database: when it does not answer, the whole request is a 503 with
    // Retry-After, as on REST (Apollo would make any other context failure a 500).
    if (isUnavailable(classifyDatabaseError(error))) {
      throw new GraphQLError('The database does not answer; retry shortly.', {
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
        },
      });
    }
    throw error;
  }
}

/**
 * Takes one request from the caller's rate limit, once per HTTP request (not per field), and puts
 * the RateLimit headers on the answer. Over the limit, the whole request is refused like on REST:
 * HTTP 429 with Retry-After, one error with extensions.code RATE_LIMITED, no data.
 */
export function limitGraphqlRequest(
  limiter: Pick<RateLimiter, 'take'>,
  principal: Principal,
  request: FastifyRequest,
  reply: FastifyReply | undefined,
): void {
  const outcome = limiter.take(principal, request.ip);
  if (outcome.error) {
    throw new GraphQLError(outcome.error.message, {
      extensions: {
        code: 'RATE_LIMITED',
        http: { status: 429, headers: new HeaderMap(Object.entries(outcome.headers)) },
      },
    });
  }
  void reply?.headers(outcome.headers);
}

export function graphqlOptions(
  plans: ScopedPlanSource,
  authenticator: Pick<Authenticator, 'authenticate'>,
  nodeEnv: string | undefined,
  limiter?: Pick<RateLimiter, 'take'>,
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
    // The Fastify integration passes the request first. The loader is per request and bound to the
    // caller's access, so a page's nodes come from the plans the caller may see, in one query.
    context: async (request: FastifyRequest, reply?: FastifyReply): Promise<Omit<GraphqlContext, 'req'>> => {
      const principal = await authenticateGraphqlRequest(authenticator, request);
      if (limiter) {
        limitGraphqlRequest(limiter, principal, request, reply);
      }
      const access = accessOf(principal);
      return { planLoader: createPlanLoader({ findByIds: (ids) => plans.findByIds(ids, access) }) };
    },
  };
}
