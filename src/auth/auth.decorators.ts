import { createParamDecorator, SetMetadata, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { PlanAccess } from '../plans/plan-access.js';
import { accessOf, type Principal, type Scope } from './principal.js';
import { getPrincipal } from './request-principal.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_SCOPES = 'auth:required-scopes';
export const RELAXED_SCOPES = 'auth:relaxed-scopes';

/**
 * No API key needed: the health probes, and the chat webhooks (they prove who they are with their
 * platform's signature, and their guard sets a `chat` Principal).
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The scopes a handler accepts: any one of them will do, and `admin` always does. A handler that
 * is neither @Public nor decorated with this needs `admin`, so a forgotten decorator fails closed.
 */
export const RequireScopes = (...scopes: [Scope, ...Scope[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPES, scopes);

export type ScopeRelaxation = { when: (request: FastifyRequest) => boolean; scopes: Scope[] };

/**
 * Other scopes a request may use instead when `when` holds: `POST /v1/plans?dryRun=true` stores
 * nothing, so it takes plans:read as well as plans:write.
 */
export const RelaxScopesWhen = (when: ScopeRelaxation['when'], ...scopes: [Scope, ...Scope[]]): MethodDecorator =>
  SetMetadata(RELAXED_SCOPES, { when, scopes } satisfies ScopeRelaxation);

/** The request under a REST, chat or GraphQL execution context. */
export function requestOf(context: ExecutionContext): FastifyRequest {
  if (context.getType<GqlContextType>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: FastifyRequest }>().req;
  }
  return context.switchToHttp().getRequest<FastifyRequest>();
}

function principalOf(context: ExecutionContext): Principal {
  const principal = getPrincipal(requestOf(context));
  if (principal === undefined) {
    // Only reachable if a route is served without the auth guard: fail closed.
    throw new UnauthorizedException('The request was not authenticated.');
  }
  return principal;
}

/** The caller's Principal, as the auth guard established it. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => principalOf(context));

/** The caller's PlanAccess, to pass to PlansService: whose plans it sees and owns. */
export const CallerAccess = createParamDecorator((_data: unknown, context: ExecutionContext): PlanAccess =>
  accessOf(principalOf(context)),
);
