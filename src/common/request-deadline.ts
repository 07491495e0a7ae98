import {
  createParamDecorator,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { Observable } from 'rxjs';
import { requestOf } from '../auth/auth.decorators.js';
import { DomainError } from './domain-error.js';

export const DEADLINE_MESSAGE =
  'The request took too long and was abandoned; retry shortly. A write may have completed: check before repeating it.';

/**
 * When a request's time is up (REQUEST_TIMEOUT_MS after it was routed). Work calls `check()`
 * between its steps (before planning, before storing, before each GraphQL field) so that nothing is
 * planned, stored or resolved once the client has, or is about to get, its 503.
 */
export class RequestDeadline {
  private readonly controller = new AbortController();

  constructor(private readonly expiresAt: number) {}

  /** Aborted when the time is up, with the deadline's DomainError (UNAVAILABLE) as its reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  expire(): void {
    if (!this.controller.signal.aborted) {
      this.controller.abort(new DomainError('UNAVAILABLE', DEADLINE_MESSAGE));
    }
  }

  /**
   * Throws the deadline's error once the time is up. It reads the clock too: the deadline's timer
   * cannot fire while synchronous work (the planner) runs, and the step after it must not start.
   */
  check(): void {
    if (Date.now() >= this.expiresAt) {
      this.expire();
    }
    this.controller.signal.throwIfAborted();
  }
}

/** For a request no deadline was attached to (a unit test calling a handler directly). */
export const NO_DEADLINE = new RequestDeadline(Number.POSITIVE_INFINITY);

const DEADLINE = Symbol('requestDeadline');

export function deadlineOf(request: object): RequestDeadline {
  return (request as { [DEADLINE]?: RequestDeadline })[DEADLINE] ?? NO_DEADLINE;
}

/**
 * Gives every request, whatever its transport (REST, GraphQL, chat), the same deadline: once
 * `timeoutMs` have passed since routing, it expires and, if nothing has been answered yet, the
 * answer is a 503 problem with Retry-After (through the problem filter, like any error), and the
 * connection is closed if the request's body had not all arrived.
 *
 * Fastify's own `handlerTimeout` does this too, but stops counting as soon as a request body has
 * been read (Node emits `close` on the request then, and Fastify takes it for a disconnect:
 * https://github.com/fastify/fastify/pull/6725), so every POST ran unbounded.
 * Must be attached before the routes are registered (before app.init()).
 */
export function attachRequestDeadlines(instance: FastifyInstance, timeoutMs: number): void {
  instance.addHook('onRequest', (request, reply, done) => {
    const deadline = new RequestDeadline(Date.now() + timeoutMs);
    (request as unknown as { [DEADLINE]: RequestDeadline })[DEADLINE] = deadline;
    const timer = setTimeout(() => {
      deadline.expire();
      if (!reply.sent && !reply.raw.headersSent) {
        // The abandoned work may still come back with an answer (GraphQL, chat): the client has
        // had its 503, so that one is dropped, rather than logged as "Reply was already sent".
        const send = reply.send.bind(reply);
        reply.send = (payload) => (reply.sent ? reply : send(payload));
        if (!request.raw.complete) {
          // The body is still arriving (a slow or stalled client): after the answer Node would keep
          // the connection open to read the rest, for as long as the client cares to trickle it.
          void reply.header('connection', 'close');
        }
        reply.send(deadline.signal.reason);
      }
    }, timeoutMs);
    // The server's sockets keep the process alive, not a request's timer.
    timer.unref();
    // Answered, or the connection is gone: either way the deadline no longer matters.
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}

/** The request's deadline, in a REST or chat handler or a GraphQL resolver. */
export const Deadline = createParamDecorator((_data: unknown, context: ExecutionContext): RequestDeadline =>
  deadlineOf(requestOf(context)),
);

/**
 * Before every REST and chat handler and every GraphQL query or mutation: a request past its
 * deadline starts no more work.
 */
@Injectable()
export class DeadlineInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    deadlineOf(requestOf(context)).check();
    return next.handle();
  }
}
