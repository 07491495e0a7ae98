import type { FastifyInstance } from 'fastify';
import type { AppMetrics } from './metrics.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * Fastify hooks every request passes, whatever answers it (a controller, GraphQL, the problem
 * filter, a 404, a 413 from the body parser, a 503 from the request deadline):
 *   - the response carries X-Request-Id (set first thing, so error responses have it too);
 *   - the route pattern is noted on the raw request for the access log;
 *   - the request is counted and timed once it is answered, by route pattern and status.
 * Must be attached before the routes are registered (before app.init()).
 */
export function attachHttpObservability(instance: FastifyInstance, metrics: AppMetrics): void {
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    (request.raw as { routePattern?: string | undefined }).routePattern = request.routeOptions.url;
    done();
  });
  instance.addHook('onResponse', (request, reply, done) => {
    metrics.recordHttpRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
