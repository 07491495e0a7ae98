import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PRINCIPAL_KEY, type Principal } from '../auth/principal.js';
import { APP_CONFIG, type Config } from '../config/config.js';

/**
 * Marks a route that authenticates its own way (here: /metrics, an admin key OR METRICS_TOKEN).
 * The app-wide API-key guard should, on such a route, set the principal when the request carries
 * a valid API key, and otherwise let the request through to the route's own guard instead of
 * answering 401: a Prometheus server sends METRICS_TOKEN, which is no API key.
 */
export const OWN_AUTHENTICATION = 'ownAuthentication';
export const OwnAuthentication = (): MethodDecorator & ClassDecorator => SetMetadata(OWN_AUTHENTICATION, true);

type RequestWithPrincipal = FastifyRequest & { [PRINCIPAL_KEY]?: Principal };

/**
 * Who may read /metrics: a caller the auth guard identified with the `admin` scope (or a loopback
 * client while no key exists: protected mode trusts this machine), or a scraper presenting
 * `Authorization: Bearer <METRICS_TOKEN>`. Nobody else: 401 without credentials, 403 with
 * credentials that are not enough. Metrics are not secret the way plans are, but they show traffic
 * per route and team activity, and they are not for the internet.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly tokenDigest: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) config: Config) {
    this.tokenDigest = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const principal = request[PRINCIPAL_KEY];
    if (principal !== undefined && isAdmin(principal)) {
      return true;
    }
    const presented = bearerToken(request.headers.authorization);
    if (
      presented !== undefined &&
      this.tokenDigest !== undefined &&
      timingSafeEqual(digest(presented), this.tokenDigest)
    ) {
      return true;
    }
    if (presented === undefined && principal === undefined) {
      throw new UnauthorizedException(
        'Metrics need an API key with the admin scope, or Authorization: Bearer <METRICS_TOKEN>.',
      );
    }
    throw new ForbiddenException('These credentials may not read metrics: use an admin key or METRICS_TOKEN.');
  }
}

function isAdmin(principal: Principal): boolean {
  return principal.kind === 'loopback' || (principal.kind === 'api-key' && principal.scopes.includes('admin'));
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

// Comparing fixed-length digests in constant time: neither the token's content nor its length leaks through timing.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
