import type { Problem } from '../planner/types.js';

/**
 * The errors the application layer raises, as codes. Each transport maps a code to its own
 * vocabulary (an HTTP status and problem+json for REST, `extensions.code` for GraphQL, a friendly
 * reply for chat) through an exhaustive Record, so adding a code fails to compile until every
 * transport knows it. Nothing else decides a status: see docs/architecture.md, "Errors".
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED' // the input's shape or meaning is wrong: `problems` lists every one
  | 'UNAUTHENTICATED' // no credentials, or credentials no strategy of the route accepts
  | 'FORBIDDEN' // the caller is known but lacks the scope the route needs
  | 'NOT_FOUND' // no such plan (or not one the caller may see)
  | 'INVALID_ID' // the id is not a UUID
  | 'CONFLICT' // a concurrent change won, or an Idempotency-Key was used for another request
  | 'UNAVAILABLE' // the database does not answer (or a chat system is switched off, or the deadline passed)
  | 'RATE_LIMITED'; // the caller sent more requests than its rate limit allows; retry later

/**
 * HTTP response headers that belong to the error itself, whatever transport answers it: the
 * WWW-Authenticate challenge of a refusal (RFC 6750), Retry-After and RateLimit-* of a 429. Every
 * transport that speaks HTTP sends them with the error; chat and per-field GraphQL errors ignore them.
 */
export type ErrorHeaders = Readonly<Record<string, string>>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly problems: Problem[] = [],
    readonly headers: ErrorHeaders = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(problems: Problem[], message = 'The request has problems; each is listed.'): DomainError {
    return new DomainError('VALIDATION_FAILED', message, problems);
  }

  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} was not found.`);
  }

  /** `challenge`: the WWW-Authenticate value, for the credentials that are sent in Authorization. */
  static unauthenticated(message: string, challenge?: string): DomainError {
    return new DomainError('UNAUTHENTICATED', message, [], challenge ? { 'www-authenticate': challenge } : {});
  }

  static forbidden(message: string, challenge?: string): DomainError {
    return new DomainError('FORBIDDEN', message, [], challenge ? { 'www-authenticate': challenge } : {});
  }
}
