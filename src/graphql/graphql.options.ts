import { join } from 'node:path';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationError, type Authenticator } from '../auth/authenticator.js';
import { accessOf, type Principal } from '../auth/principal.js';
import { setPrincipal } from '../auth/request-principal.js';
import { classifyDatabaseError, isUnavailable } from '../common/database-failure.js';
import { RETRY_AFTER_SECONDS } from '../common/problem-details.js';
import { deadlineOf } from '../common/request-deadline.js';
import type { PlanAccess } from '../plans/plan-access.js';
import type { StoredPlan } from '../plans/plans.types.js';
import type { RateLimiter, RateLimitOutcome } from '../rate-limit/rate-limiter.js';
import { AnswerBudget, executionGuardsPlugin } from './execution-guards.js';
import { GraphQLError } from './graphql-js.js';
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

/** A rate limit refusal as GraphQL says it: HTTP 429 with Retry-After, extensions.code RATE_LIMITED. */
function rateLimited(message: string, outcome: RateLimitOutcome): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'RATE_LIMITED',
      http: { status: 429, headers: new HeaderMap(Object.entries(outcome.headers)) },
    },
  });
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
    throw rateLimited(outcome.error.message, outcome);
  }
  void reply?.headers(outcome.headers);
}

/**
 * Every mutation counts against the caller's rate limit, as a REST request would: a request with
 * N mutations takes N - 1 more requests (the context took one already) once it has been parsed,
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
    // The Fastify integration passes the request first. The loader is per request and bound to the
    // caller's access, so a page's nodes come from the plans the caller may see, in one query.
    context: async (request: FastifyRequest, reply?: FastifyReply): Promise<Omit<GraphqlContext, 'req'>> => {
      const principal = await authenticateGraphqlRequest(authenticator, request);
      if (limiter) {
        limitGraphqlRequest(limiter, principal, request, reply);
      }
      const access = accessOf(principal);
      return {
        planLoader: createPlanLoader({ findByIds: (ids) => plans.findByIds(ids, access) }),
        deadline: deadlineOf(request),
        answer: new AnswerBudget(),
        takeRequests: limiter && ((count) => limiter.take(principal, request.ip, count)),
      };
    },
  };
}
