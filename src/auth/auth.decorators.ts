import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import type { PlanAccess } from '../plans/plan-access.js';
import type { CredentialStrategyName } from './credentials.js';
import { accessOf, type Principal, type Scope } from './principal.js';
import { getPrincipal } from './request-principal.js';

export const IS_PUBLIC = 'auth:public';
export const CREDENTIALS = 'auth:credentials';
export const REQUIRED_SCOPES = 'auth:required-scopes';
export const RELAXED_SCOPES = 'auth:relaxed-scopes';

/**
 * No credentials and no rate limit: the health probes (orchestrators probe without credentials,
 * and a 429 on readiness would take a healthy pod out of service). The answers reveal nothing.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Nest's own type for a route's handler and its controller class. */
type RouteTarget = ReturnType<ExecutionContext['getHandler']>;

/**
 * Whether a route is @Public, on its handler or its controller: the guard's test, and the boot
 * log's (PublicRoutes), so the log lists what the guard lets through.
 */
export function isPublicRoute(reflector: Reflector, handler: RouteTarget, controller: RouteTarget): boolean {
  return reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [handler, controller]) === true;
}

export type CredentialsPolicy = {
  strategies: readonly CredentialStrategyName[];
  /** Added to a 401's message: what else the route takes. */
  hint?: string;
};

/**
 * The credential strategies a route accepts, asked in this order (src/auth/strategies). Without
 * this decorator: an API key, or protected mode's loopback. The chat webhooks take their
 * platform's signature only; /metrics takes METRICS_TOKEN as well as a key.
 */
export const Credentials = (
  strategies: [CredentialStrategyName, ...CredentialStrategyName[]],
  hint?: string,
): MethodDecorator & ClassDecorator =>
  SetMetadata(CREDENTIALS, { strategies, ...(hint === undefined ? {} : { hint }) } satisfies CredentialsPolicy);

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
    throw DomainError.unauthenticated('The request was not authenticated.');
  }
  return principal;
}

/** The caller's Principal, as the auth guard established it. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => principalOf(context));

/** The caller's PlanAccess, to pass to PlansService: whose plans it sees and owns. */
export const CallerAccess = createParamDecorator((_data: unknown, context: ExecutionContext): PlanAccess =>
  accessOf(principalOf(context)),
);
