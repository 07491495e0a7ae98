import { Logger } from '@nestjs/common';
import { GraphQLError } from './graphql-js.js';
import { DomainError, type DomainErrorCode } from '../common/domain-error.js';
import {
  formatGraphqlError,
  GRAPHQL_ERROR_CODES,
  INTERNAL_ERROR_MESSAGE,
  toGraphQLError,
  toGraphQLRefusal,
} from './graphql-errors.js';

// The unexpected errors below are logged on purpose; keep the test output quiet.
beforeAll(() => Logger.overrideLogger(false));

describe(toGraphQLError.name, () => {
  it.each(Object.entries(GRAPHQL_ERROR_CODES) as [DomainErrorCode, string][])(
    'maps the domain code %s to extensions.code %s and keeps the message',
    (domainCode, graphqlCode) => {
      const error = toGraphQLError(new DomainError(domainCode, `it went ${domainCode}`));
      expect(error.message).toBe(`it went ${domainCode}`);
      expect(error.extensions.code).toBe(graphqlCode);
      // Only bad input carries a problem list.
      expect('problems' in error.extensions).toBe(graphqlCode === 'BAD_USER_INPUT');
    },
  );

  it('carries every validation problem, as REST does', () => {
    const problems = [
      { path: 'components[0].ports[0].nodePort', message: 'must be between 30000 and 32767' },
      { path: 'environment.platform', message: 'must be one of aws, gcp, …' },
    ];
    const error = toGraphQLError(DomainError.validation(problems));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', problems });
  });

  it('gives a malformed id a problem at `id`, so every BAD_USER_INPUT has a list', () => {
    const error = toGraphQLError(new DomainError('INVALID_ID', '"x" is not a plan id'));
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'id', message: '"x" is not a plan id' }],
    });
  });

  it("says UNAUTHENTICATED and FORBIDDEN in Apollo's words, with no special case for the guard", () => {
    expect(toGraphQLError(DomainError.forbidden('lacks plans:write', 'Bearer x')).extensions).toEqual({
      code: 'FORBIDDEN',
    });
    expect(toGraphQLError(DomainError.unauthenticated('no key')).extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('masks an unexpected error: no internal message, no stack', () => {
    const error = toGraphQLError(new TypeError('Cannot read properties of undefined (reading "rows") at pg…'));
    expect(error.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('passes a GraphQLError through untouched', () => {
    const original = new GraphQLError('nope', { extensions: { code: 'FORBIDDEN' } });
    expect(toGraphQLError(original)).toBe(original);
  });
});

describe(toGraphQLRefusal.name, () => {
  const http = (error: GraphQLError) => error.extensions.http as { status: number; headers: Map<string, string> };

  it("refuses a whole request with the HTTP status REST would use, and the error's own headers", () => {
    const refused = toGraphQLRefusal(DomainError.unauthenticated('An API key is required.', 'Bearer realm="x"'));
    expect(refused.message).toBe('An API key is required.');
    expect(refused.extensions.code).toBe('UNAUTHENTICATED');
    expect(http(refused).status).toBe(401);
    expect([...http(refused).headers]).toEqual([['www-authenticate', 'Bearer realm="x"']]);

    const limited = toGraphQLRefusal(new DomainError('RATE_LIMITED', 'Too many', [], { 'retry-after': '3' }));
    expect(http(limited).status).toBe(429);
    expect(http(limited).headers.get('retry-after')).toBe('3');
  });

  it('tells a client of an unavailable service when to retry, as REST does', () => {
    const refused = toGraphQLRefusal(new DomainError('UNAVAILABLE', 'The database does not answer.'));
    expect(refused.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(http(refused).status).toBe(503);
    expect(http(refused).headers.get('retry-after')).toBe('5');
  });
});

describe(formatGraphqlError.name, () => {
  it('removes the stack trace from any error', () => {
    const formatted = formatGraphqlError(
      { message: 'Variable "$id" got invalid value', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at x'] } },
      new GraphQLError('Variable "$id" got invalid value'),
    );
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('masks an internal error that escaped the resolver filter', () => {
    const formatted = formatGraphqlError(
      { message: 'connect ECONNREFUSED 10.0.0.5:5432', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: [] } },
      new Error('connect ECONNREFUSED 10.0.0.5:5432'),
    );
    expect(formatted).toEqual({ message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('maps a DomainError that escaped the filter (thrown outside a resolver)', () => {
    const formatted = formatGraphqlError(
      { message: 'Plan x was not found.', path: ['plan'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      DomainError.notFound('Plan x'),
    );
    expect(formatted).toMatchObject({ path: ['plan'], extensions: { code: 'NOT_FOUND' } });
  });
});
