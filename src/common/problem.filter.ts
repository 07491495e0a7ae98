import {
  Catch,
  HttpException,
  Logger,
  NotFoundException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { at } from './at.js';
import { BODY_LIMIT_BYTES } from './body-limit.js';
import { DomainError } from './domain-error.js';
import {
  DOMAIN_ERROR_HTTP,
  PROBLEM_CONTENT_TYPE,
  problemTypeOf,
  RETRY_AFTER_SECONDS,
  statusProblem,
  type ProblemDetails,
} from './problem-details.js';
import type { RouteTable } from './route-table.js';
import { acceptedBodyTypes, type ExtraBodyTypes } from './body-types.js';

/** A problem document with the request's id, the X-Request-Id the response carries: quote it to an operator. */
type ProblemWithRequestId = ProblemDetails & { requestId?: string };

/**
 * The one place HTTP errors are written: every failure, from a DomainError to a malformed JSON body
 * rejected by Fastify before any controller runs, becomes an RFC 9457 problem. A DomainError's
 * status comes from DOMAIN_ERROR_HTTP and nowhere else (a refused credential is UNAUTHENTICATED, a
 * database that does not answer UNAVAILABLE: whoever ran the query translated its driver error with
 * databaseFailureAsDomainError); its own headers (WWW-Authenticate, Retry-After) go out with it, and
 * every 503 says when to retry. Bad input is never a 500; anything else unexpected is a 500 that
 * says nothing about internals and is logged in full.
 *
 * Registered globally, it also sees errors of GraphQL resolvers: those are handed back untouched
 * for the GraphQL layer to format.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(
    private readonly routes?: RouteTable,
    private readonly extraBodyTypes: ExtraBodyTypes = new Map(),
  ) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') {
      return exception;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem: ProblemWithRequestId = { ...this.toProblem(exception, request), requestId: String(request.id) };
    if (reply.sent || reply.raw.headersSent) {
      return undefined;
    }
    if (exception instanceof DomainError) {
      void reply.headers(exception.headers);
    }
    if (problem.status === 503) {
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    }
    if (problem.status === 405 && this.routes) {
      void reply.header('allow', this.routes.allowedMethods(request.url).join(', '));
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
    return undefined;
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDetails {
    const instance = at(request.url.split('?'), 0);
    if (exception instanceof DomainError) {
      const { status, title } = DOMAIN_ERROR_HTTP[exception.code];
      if (status >= 500) {
        this.logger.warn(`${request.method} ${instance}: ${exception.message}`);
      }
      return {
        type: problemTypeOf(exception.code),
        title,
        status,
        detail: exception.message,
        instance,
        ...(exception.code === 'VALIDATION_FAILED' ? { errors: exception.problems } : {}),
      };
    }
    if (exception instanceof NotFoundException && this.isRoutingMiss(exception, request)) {
      const allowed = this.routes?.allowedMethods(request.url) ?? [];
      return allowed.length > 0 && !allowed.includes(request.method)
        ? statusProblem(405, `${request.method} is not allowed on ${instance}; use ${allowed.join(', ')}.`, instance)
        : statusProblem(404, `No route ${request.method} ${instance}.`, instance);
    }
    const status = clientErrorStatus(exception);
    if (status !== undefined) {
      const accepted = acceptedBodyTypes(this.extraBodyTypes, request.routeOptions.url);
      return statusProblem(
        status,
        clientErrorDetail(exception, status, request.headers['content-type'], accepted),
        instance,
      );
    }
    const deliberate = deliberateServerError(exception);
    if (deliberate !== undefined) {
      this.logger.warn(`${request.method} ${instance}: ${deliberate.detail}`);
      return { ...deliberate, instance };
    }
    this.logger.error(
      `${request.method} ${instance} failed unexpectedly`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    return statusProblem(500, 'An unexpected error occurred; it has been logged.', instance);
  }

  // Nest's not-found handler throws NotFoundException("Cannot GET /x"); controllers here never
  // throw Nest exceptions (they throw DomainErrors), so this is a path no route serves.
  private isRoutingMiss(exception: NotFoundException, request: FastifyRequest): boolean {
    return exception.message.startsWith(`Cannot ${request.method} `);
  }
}

/**
 * A 5xx the app chose on purpose, as its problem: any HttpException with a 5xx status other than
 * 500 (e.g. ServiceUnavailableException). Its status stands; a plain 500 never says more than
 * "unexpected". (The request deadline's 503 is a DomainError: src/common/request-deadline.ts.)
 */
function deliberateServerError(exception: unknown): ProblemDetails | undefined {
  if (exception instanceof HttpException && exception.getStatus() > 500 && exception.getStatus() < 600) {
    return statusProblem(exception.getStatus(), messageOf(exception));
  }
  return undefined;
}

/** The 4xx status of an error raised by Nest or Fastify for a bad request (body, type, size), if it is one. */
function clientErrorStatus(exception: unknown): number | undefined {
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : typeof exception === 'object' && exception !== null && 'statusCode' in exception
        ? Number(exception.statusCode)
        : undefined;
  return status !== undefined && Number.isInteger(status) && status >= 400 && status < 500 ? status : undefined;
}

function clientErrorDetail(
  exception: unknown,
  status: number,
  contentType: string | undefined,
  accepted: readonly string[],
): string {
  if (status === 413) {
    return `The request body is larger than ${BODY_LIMIT_BYTES} bytes (1 MiB).`;
  }
  if (status === 415) {
    const sent = contentType ? `Content-Type ${contentType} is` : 'A body without a Content-Type is';
    return `${sent} not accepted here: send ${accepted.join(' or ')}.`;
  }
  if (
    exception instanceof SyntaxError ||
    (exception instanceof HttpException && exception.cause instanceof SyntaxError)
  ) {
    return `The body is not valid JSON: ${exception instanceof Error ? exception.message : ''}`.trim();
  }
  const message = exception instanceof HttpException ? messageOf(exception) : (exception as Error).message;
  return typeof message === 'string' && message.length > 0 ? message : 'The request was rejected.';
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return response;
  }
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
}
