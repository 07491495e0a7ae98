import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

const WHY: Record<number, string> = {
  400: 'The input has problems (validation-failed lists every one) or the id is not a UUID (invalid-id).',
  404: 'No such plan.',
  409: 'A concurrent change won; retry.',
  413: 'The body is larger than 1 MiB.',
  415: 'The body is not application/json.',
  503: 'The database does not answer; retry after the Retry-After seconds.',
};

/** Documents error responses as RFC 9457 problems (the Problem schema, application/problem+json). */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHY[status] ?? STATUS_CODES[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );
}
