import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { Catch, Logger } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError, type GraphQLFormattedError } from './graphql-js.js';
import { DomainError, type DomainErrorCode } from '../common/domain-error.js';
import { DOMAIN_ERROR_HTTP, RETRY_AFTER_SECONDS } from '../common/problem-details.js';
import { GRAPHQL_JS_INTROSPECTION_DEPTH_MESSAGE, MAX_INTROSPECTION_LIST_DEPTH } from './query-limits.js';

/**
 * The one place where application errors become GraphQL errors. The Record is exhaustive: a new
 * DomainErrorCode fails to compile until GraphQL knows what to call it. Codes follow Apollo's
 * conventions (BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, INTERNAL_SERVER_ERROR) and extend them
 * where Apollo has none.
 */
export const GRAPHQL_ERROR_CODES: Record<DomainErrorCode, string> = {
  VALIDATION_FAILED: 'BAD_USER_INPUT',
  INVALID_ID: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
};

export const INTERNAL_ERROR_MESSAGE = 'Internal server error.';

const logger = new Logger('GraphQL');

/**
 * Any error a resolver raises, as the GraphQL error the client sees. Bad input always carries
 * `extensions.problems`, the same `{ path, message }` list REST puts in its problem's `errors`.
 * Anything but a DomainError (or a GraphQLError of graphql-js or a plugin) is a bug: masked, logged.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) {
    return error;
  }
  if (error instanceof DomainError) {
    const code = GRAPHQL_ERROR_CODES[error.code];
    if (code !== 'BAD_USER_INPUT') {
      return new GraphQLError(error.message, { extensions: { code } });
    }
    // INVALID_ID comes without problems; a list at `id` keeps "every BAD_USER_INPUT has problems" true.
    const problems = error.problems.length > 0 ? error.problems : [{ path: 'id', message: error.message }];
    return new GraphQLError(error.message, { extensions: { code, problems } });
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return new GraphQLError(INTERNAL_ERROR_MESSAGE, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * A DomainError that refuses a GraphQL HTTP request as a whole, before any operation runs (the
 * front door's 401, 429 or 503): one error, no data, and the HTTP status and headers REST would
 * answer it with (WWW-Authenticate, RateLimit-*, Retry-After), as Apollo recommends for
 * authentication. Apollo reads `extensions.http` and leaves it out of the body.
 */
export function toGraphQLRefusal(error: DomainError): GraphQLError {
  const { status } = DOMAIN_ERROR_HTTP[error.code];
  const headers = new HeaderMap(Object.entries(error.headers));
  if (status === 503 && !headers.has('retry-after')) {
    headers.set('retry-after', String(RETRY_AFTER_SECONDS));
  }
  const mapped = toGraphQLError(error);
  return new GraphQLError(mapped.message, { extensions: { ...mapped.extensions, http: { status, headers } } });
}

/** Bound to every resolver of this module, so a global REST filter never handles a GraphQL error. */
@Catch()
export class GraphqlExceptionFilter implements GqlExceptionFilter {
  catch(exception: unknown): GraphQLError {
    return toGraphQLError(exception);
  }
}

/**
 * Apollo's last word on every error, resolver or not: no stack traces ever leave the server, and an
 * error that escaped the filter (thrown by a scalar or a plugin) is mapped or masked all the same.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const extensions = { ...formatted.extensions };
  delete extensions.stacktrace;
  if (original instanceof DomainError) {
    const mapped = toGraphQLError(original);
    return { ...formatted, message: mapped.message, extensions: { ...mapped.extensions } };
  }
  if (extensions.code === 'INTERNAL_SERVER_ERROR' && !(original instanceof GraphQLError)) {
    logger.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
    return { ...formatted, message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  if (extensions.code === 'GRAPHQL_VALIDATION_FAILED' && formatted.message === GRAPHQL_JS_INTROSPECTION_DEPTH_MESSAGE) {
    // graphql-js's own limit (query-limits.ts), said like the others: which limit, and its maximum.
    return {
      ...formatted,
      message: `Introspection lists (fields, inputFields, interfaces, possibleTypes) are nested more than ${MAX_INTROSPECTION_LIST_DEPTH} deep; the maximum is ${MAX_INTROSPECTION_LIST_DEPTH}.`,
      extensions: { ...extensions, maxIntrospectionDepth: MAX_INTROSPECTION_LIST_DEPTH },
    };
  }
  return { ...formatted, extensions };
}
