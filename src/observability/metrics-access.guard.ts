import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_REALM, AuthenticationError, Authenticator } from '../auth/authenticator.js';
import { hasScope } from '../auth/principal.js';
import { setPrincipal } from '../auth/request-principal.js';
import { APP_CONFIG, type Config } from '../config/config.js';

/**
 * Who may read /metrics: a scraper presenting `Authorization: Bearer <METRICS_TOKEN>`, or a caller
 * the app's own Authenticator accepts with the `admin` scope (an admin API key; in protected mode,
 * while no key exists, a client on this machine). Nobody else: 401 for no or unknown credentials,
 * 403 for a key without `admin`. Metrics hold no plan, but they show traffic per route and are
 * not for the internet.
 *
 * The route is @Public to the app-wide auth guard, which would refuse METRICS_TOKEN as an unknown
 * API key; this guard does both checks itself, the key check through the same Authenticator.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly tokenDigest: Buffer | undefined;

  constructor(
    @Inject(APP_CONFIG) config: Config,
    @Inject(Authenticator) private readonly authenticator: Pick<Authenticator, 'authenticate'>,
  ) {
    this.tokenDigest = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const presented = bearerToken(request.headers.authorization);
    if (
      presented !== undefined &&
      this.tokenDigest !== undefined &&
      timingSafeEqual(digest(presented), this.tokenDigest)
    ) {
      return true;
    }
    let principal;
    try {
      principal = await this.authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        void reply.header('www-authenticate', error.challenge);
        throw new UnauthorizedException(
          `${error.message} Metrics need an API key with the admin scope, or Authorization: Bearer <METRICS_TOKEN>.`,
        );
      }
      throw error;
    }
    setPrincipal(request, principal);
    if (hasScope(principal, 'admin')) {
      return true;
    }
    void reply.header('www-authenticate', `Bearer realm="${AUTH_REALM}", error="insufficient_scope", scope="admin"`);
    throw new ForbiddenException('Metrics need the admin scope, or METRICS_TOKEN.');
  }
}

function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
}

// Comparing fixed-length digests in constant time: neither the token's content nor its length leaks through timing.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
