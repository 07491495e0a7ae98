import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import {
  CREDENTIALS,
  isPublicRoute,
  RELAXED_SCOPES,
  REQUIRED_SCOPES,
  requestOf,
  type CredentialsPolicy,
  type ScopeRelaxation,
} from './auth.decorators.js';
import { Authenticator, DEFAULT_CREDENTIALS } from './authenticator.js';
import { insufficientScopeChallenge } from './credentials.js';
import { mayCall, type Principal, type Scope } from './principal.js';
import { getPrincipal, setPrincipal } from './request-principal.js';

const ADMIN_ONLY: Scope[] = ['admin'];
const DEFAULT_POLICY: CredentialsPolicy = { strategies: DEFAULT_CREDENTIALS };

/** What one HTTP request must pass: the credentials its route accepts, and the scopes (if checked here). */
export type Admission = {
  credentials: CredentialsPolicy;
  /** Any one will do. Absent: checked later, per operation (GraphQL's queries and mutations). */
  scopes?: readonly Scope[];
};

/**
 * The front door (APP_GUARD), in front of every controller and every GraphQL query and mutation,
 * and asked by the GraphQL route before Apollo runs (graphql-admission.ts). Per HTTP request, once:
 *   1. who is calling: the route's credential strategies (@Credentials; an API key or loopback by
 *      default; none for @Public), through the Authenticator; the Principal is set on the request;
 *   2. may they: the route's @RequireScopes (admin when it says nothing: a forgotten decorator
 *      fails closed); GraphQL checks them per query and mutation, with the Principal already set;
 *   3. how often: the caller's rate limit, after authentication, so a 401 is never counted.
 * Refusals are DomainErrors (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, UNAVAILABLE) carrying their
 * WWW-Authenticate or Retry-After headers; each transport's error map answers them.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context);
    if (context.getType<GqlContextType>() === 'graphql') {
      // The HTTP request was admitted before any operation ran: only this operation's scopes are left.
      const principal = getPrincipal(request);
      if (principal === undefined) {
        throw DomainError.unauthenticated('The request was not authenticated.');
      }
      this.authorize(principal, this.scopesOf(context, request));
      return true;
    }
    const targets = [context.getHandler(), context.getClass()];
    if (isPublicRoute(this.reflector, context.getHandler(), context.getClass())) {
      return true;
    }
    const credentials = this.reflector.getAllAndOverride<CredentialsPolicy | undefined>(CREDENTIALS, targets);
    await this.admit(request, context.switchToHttp().getResponse<FastifyReply>(), {
      credentials: credentials ?? DEFAULT_POLICY,
      scopes: this.scopesOf(context, request),
    });
    return true;
  }

  /** Steps 1 to 3 for one HTTP request; the Principal, or the refusal thrown. */
  async admit(request: FastifyRequest, reply: FastifyReply, admission: Admission): Promise<Principal> {
    const { strategies, hint } = admission.credentials;
    const principal = await this.authenticator.authenticate(request, strategies, hint);
    setPrincipal(request, principal);
    if (admission.scopes !== undefined) {
      this.authorize(principal, admission.scopes);
    }
    const outcome = this.limiter.take(principal, request.ip);
    if (outcome.error) {
      throw outcome.error;
    }
    void reply.headers(outcome.headers);
    return principal;
  }

  private authorize(principal: Principal, accepted: readonly Scope[]): void {
    if (!mayCall(principal, accepted)) {
      throw DomainError.forbidden(
        `${describe(principal)} lacks the scope this needs: ${accepted.join(' or ')}${accepted.includes('admin') ? '' : ' (or admin)'}.`,
        insufficientScopeChallenge(accepted),
      );
    }
  }

  private scopesOf(context: ExecutionContext, request: FastifyRequest): Scope[] {
    const relaxed = this.reflector.get<ScopeRelaxation | undefined>(RELAXED_SCOPES, context.getHandler());
    const required =
      this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [
        context.getHandler(),
        context.getClass(),
      ]) ?? ADMIN_ONLY;
    return relaxed && relaxed.when(request) ? [...new Set([...required, ...relaxed.scopes])] : required;
  }
}

function describe(principal: Principal): string {
  switch (principal.kind) {
    case 'api-key':
      return `The API key "${principal.name}"`;
    case 'chat':
      return `A ${principal.platform} request`;
    case 'loopback':
      return 'A loopback request';
    case 'metrics-token':
      return 'METRICS_TOKEN';
    case 'share-link':
      return 'A share link';
  }
}
