import { STATUS_CODES } from 'node:http';
import type { DomainErrorCode } from './domain-error.js';
import type { Problem } from '../planner/types.js';

/** An RFC 9457 problem document, the body of every error response (`application/problem+json`). */
export type ProblemDetails = {
  /** A URI naming the kind of problem; `about:blank` when the status says it all. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The request path the problem occurred on. */
  instance?: string;
  /** VALIDATION_FAILED: every problem with the input. */
  errors?: Problem[];
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_TYPE_BASE = 'https://exposure-planner.dev/problems/';

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** `slug` null: the status says it all (`type: about:blank`), as for 401 and 403. */
type DomainErrorHttp = { status: number; slug: string | null; title: string };

/**
 * How each DomainError code answers over HTTP. A Record, so a new code does not compile until it
 * has a status here (and in the GraphQL and chat mappings).
 */
export const DOMAIN_ERROR_HTTP: Record<DomainErrorCode, DomainErrorHttp> = {
  VALIDATION_FAILED: { status: 400, slug: 'validation-failed', title: 'The request is not valid' },
  INVALID_ID: { status: 400, slug: 'invalid-id', title: 'The id is not valid' },
  UNAUTHENTICATED: { status: 401, slug: null, title: 'Unauthorized' },
  FORBIDDEN: { status: 403, slug: null, title: 'Forbidden' },
  NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  CONFLICT: { status: 409, slug: 'conflict', title: 'Conflicting change' },
  UNAVAILABLE: { status: 503, slug: 'unavailable', title: 'Service unavailable' },
  RATE_LIMITED: { status: 429, slug: 'rate-limited', title: 'Too many requests' },
};

/** The problem `type` of a DomainError code. */
export function problemTypeOf(code: DomainErrorCode): string {
  const { slug } = DOMAIN_ERROR_HTTP[code];
  return slug === null ? 'about:blank' : `${PROBLEM_TYPE_BASE}${slug}`;
}

/** A problem whose status is its whole meaning (a framework error: 404 route, 413, 415…). */
export function statusProblem(status: number, detail?: string, instance?: string): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(instance === undefined ? {} : { instance }),
  };
}
