import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthGuard } from '../auth/auth.guard.js';
import { DEFAULT_CREDENTIALS } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { getPrincipal } from '../auth/request-principal.js';
import { DomainError } from '../common/domain-error.js';
import { deadlineOf } from '../common/request-deadline.js';
import { toGraphQLRefusal } from './graphql-errors.js';

const REFUSAL = Symbol('graphqlRefusal');

type AdmittedRequest = FastifyRequest & { [REFUSAL]?: DomainError };

/**
 * The GraphQL route's front door: Apollo's route is not a Nest controller, so the auth guard does
 * not run for its HTTP request. This preHandler asks the same guard to admit it (an API key or
 * loopback, then the rate limit) once, before Apollo runs; the scopes are the guard's too, checked
 * per query and mutation. A refusal is kept for the context to throw rather than answered here:
 * Apollo then answers it in its own format and order (its landing page, which needs no key, and
 * its CSRF check come first).
 */
export function graphqlAdmission(
  guard: Pick<AuthGuard, 'admit'>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await guard.admit(request, reply, { credentials: { strategies: DEFAULT_CREDENTIALS } });
    } catch (error) {
      if (!(error instanceof DomainError)) {
        throw error;
      }
      (request as AdmittedRequest)[REFUSAL] = error;
    }
    // A slow key lookup may have taken the request past its deadline: then nothing more runs.
    deadlineOf(request).check();
  };
}

/**
 * Adds the front door to the GraphQL route when Apollo's driver registers it. Called while the
 * GraphQL module is built, before the route exists (Fastify applies route hooks at registration).
 */
export function attachGraphqlAdmission(fastify: FastifyInstance, path: string, guard: Pick<AuthGuard, 'admit'>): void {
  const admission = graphqlAdmission(guard);
  fastify.addHook('onRoute', (route) => {
    if (route.url !== path) {
      return;
    }
    const existing = route.preHandler === undefined ? [] : [route.preHandler].flat();
    route.preHandler = [...existing, admission];
  });
}

/**
 * The Principal the front door admitted, as the GraphQL context reads it; throws the refusal as
 * the whole request's answer (HTTP 401, 429 or 503, one error, no data). A request that never went
 * through the front door is refused: fail closed.
 */
export function admittedPrincipal(request: FastifyRequest): Principal {
  const refusal = (request as AdmittedRequest)[REFUSAL];
  if (refusal !== undefined) {
    throw toGraphQLRefusal(refusal);
  }
  const principal = getPrincipal(request);
  if (principal === undefined) {
    throw toGraphQLRefusal(DomainError.unauthenticated('The request was not authenticated.'));
  }
  return principal;
}
