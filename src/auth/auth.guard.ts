import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IS_PUBLIC, RELAXED_SCOPES, REQUIRED_SCOPES, requestOf, type ScopeRelaxation } from './auth.decorators.js';
import { AUTH_REALM, AuthenticationError, Authenticator } from './authenticator.js';
import { hasScope, type Principal, type Scope } from './principal.js';
import { getPrincipal, setPrincipal } from './request-principal.js';

const ADMIN_ONLY: Scope[] = ['admin'];

/**
 * The global guard (APP_GUARD) in front of every controller and every GraphQL query and mutation:
 * establishes the Principal (unless @Public), then checks the handler's @RequireScopes. REST
 * failures are 401/403 problems with a WWW-Authenticate challenge; on GraphQL they become
 * UNAUTHENTICATED/FORBIDDEN errors (graphql-errors.ts).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) {
      return true;
    }
    const request = requestOf(context);
    const reply = this.replyOf(context);
    // GraphQL authenticates once per HTTP request, in its context; REST here.
    const principal = getPrincipal(request) ?? (await this.authenticate(request, reply));
    const accepted = this.acceptedScopes(context, request);
    if (!accepted.some((scope) => hasScope(principal, scope))) {
      void reply?.header(
        'www-authenticate',
        `Bearer realm="${AUTH_REALM}", error="insufficient_scope", scope="${accepted.join(' ')}"`,
      );
      throw new ForbiddenException(
        `${describe(principal)} lacks the scope this needs: ${accepted.join(' or ')}${accepted.includes('admin') ? '' : ' (or admin)'}.`,
      );
    }
    return true;
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply | undefined): Promise<Principal> {
    try {
      const principal = await this.authenticator.authenticate(request);
      setPrincipal(request, principal);
      return principal;
    } catch (error) {
      if (error instanceof AuthenticationError) {
        void reply?.header('www-authenticate', error.challenge);
        throw new UnauthorizedException(error.message);
      }
      throw error;
    }
  }

  private acceptedScopes(context: ExecutionContext, request: FastifyRequest): Scope[] {
    const relaxed = this.reflector.get<ScopeRelaxation | undefined>(RELAXED_SCOPES, context.getHandler());
    const required =
      this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [
        context.getHandler(),
        context.getClass(),
      ]) ?? ADMIN_ONLY;
    return relaxed && relaxed.when(request) ? [...new Set([...required, ...relaxed.scopes])] : required;
  }

  private replyOf(context: ExecutionContext): FastifyReply | undefined {
    return context.getType<GqlContextType>() === 'http'
      ? context.switchToHttp().getResponse<FastifyReply>()
      : undefined;
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
  }
}
