import type { Problem } from '../planner/types.js';

/**
 * The errors the application layer raises, as codes. Each transport maps a code to its own
 * vocabulary (an HTTP status and problem+json for REST, `extensions.code` for GraphQL, a friendly
 * reply for chat) through an exhaustive Record, so adding a code fails to compile until every
 * transport knows it.
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED' // the input's shape or meaning is wrong: `problems` lists every one
  | 'NOT_FOUND' // no such plan (or not one the caller may see)
  | 'INVALID_ID' // the id is not a UUID
  | 'CONFLICT' // a concurrent change won, or an Idempotency-Key was used for another request
  | 'UNAVAILABLE' // the database does not answer
  | 'RATE_LIMITED'; // the caller sent more requests than its rate limit allows; retry later

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly problems: Problem[] = [],
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
}
