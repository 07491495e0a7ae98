import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

const WHY: Record<number, string> = {
  400: 'The input has problems (validation-failed lists every one) or the id is not a UUID (invalid-id).',
  404: 'No such plan.',
  409: 'A concurrent change won; retry.',
  413: 'The body is larger than 1 MiB.',
  415: 'The body is not application/json; the detail names the type sent and the types accepted.',
  429: 'Too many requests from this caller (its API key, chat team or address): retry after the Retry-After seconds. Every limited answer carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset.',
  503: "The database does not answer, or the work ran past its time limit (a diagram's layout: diagram.mmd draws any size); retry after the Retry-After seconds.",
};

const INTEGER = { schema: { type: 'integer' } } as const;

/** The headers an answer documents besides its body: a 429 says when to retry and what the budget is. */
const HEADERS: Record<number, Record<string, { description: string; schema: { type: 'integer' } }>> = {
  429: {
    'Retry-After': { description: 'Seconds until the next request is allowed.', ...INTEGER },
    'RateLimit-Limit': { description: 'Requests allowed at once (the bucket).', ...INTEGER },
    'RateLimit-Remaining': { description: 'Requests left now: 0.', ...INTEGER },
    'RateLimit-Reset': { description: 'Seconds until the whole budget is back.', ...INTEGER },
  },
};

/** Documents error responses as RFC 9457 problems (the Problem schema, application/problem+json). */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHY[status] ?? STATUS_CODES[status] ?? 'Error',
        ...(HEADERS[status] && { headers: HEADERS[status] }),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );
}
