import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { getPrincipal } from '../auth/request-principal.js';
import { RateLimiter } from './rate-limiter.js';

/** Probes must never be refused: a 429 on readiness would take a healthy pod out of service. */
export const RATE_LIMIT_EXEMPT_ROUTES: ReadonlySet<string> = new Set(['/health', '/health/ready']);

/**
 * The rate limit of every REST and chat route (APP_INTERCEPTOR). An interceptor rather than a
 * guard because interceptors run after every guard, the route's own included: the chat webhooks'
 * guards are what establish their (team) Principal, so only here is every caller known. Requests
 * refused by authentication (401) never get this far and are not counted.
 *
 * GraphQL resolvers pass here too and are skipped: GraphQL is limited once per HTTP request in its
 * context (graphql.options.ts), not once per field.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(@Inject(RateLimiter) private readonly limiter: RateLimiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.limiter.enabled) {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (RATE_LIMIT_EXEMPT_ROUTES.has(request.routeOptions.url ?? '')) {
      return next.handle();
    }
    const outcome = this.limiter.take(getPrincipal(request), request.ip);
    // On every answer, the refusal included (the problem filter keeps headers already set).
    void context.switchToHttp().getResponse<FastifyReply>().headers(outcome.headers);
    if (outcome.error) {
      throw outcome.error;
    }
    return next.handle();
  }
}
