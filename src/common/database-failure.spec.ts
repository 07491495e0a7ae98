import {
  classifyDatabaseError,
  databaseFailureAsDomainError,
  DATABASE_UNAVAILABLE_MESSAGE,
  isUnavailable,
  type DatabaseFailure,
} from './database-failure.js';
import { DomainError } from './domain-error.js';

/** An Error with the extra fields drivers and Prisma put on theirs. */
function failure(name: string, message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, fields);
}

/** What Prisma throws for a known request error: its code (P1001, P2024, …) says what went wrong. */
function prismaError(code: string, message: string, fields: Record<string, unknown> = {}): Error {
  return failure('PrismaClientKnownRequestError', message, { code, ...fields });
}

describe(classifyDatabaseError.name, () => {
  it.each<[string, unknown, DatabaseFailure | undefined]>([
    ['Prisma P1001 (server unreachable)', prismaError('P1001', "Can't reach"), 'unreachable'],
    ['Prisma P1017 (server closed the connection)', prismaError('P1017', 'closed'), 'unreachable'],
    ['Prisma P2024 (pool timeout)', prismaError('P2024', 'pool'), 'timeout'],
    ['Prisma P2034 (write conflict)', prismaError('P2034', 'conflict'), 'conflict'],
    ['Prisma P2002 (unique constraint)', prismaError('P2002', 'unique'), 'query'],
    ['Prisma initialization', failure('PrismaClientInitializationError', 'no database'), 'unreachable'],
    [
      'a raw query on an unreachable server (P2010 + DatabaseNotReachable)',
      prismaError('P2010', 'Raw query failed', {
        meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable', port: 1 } } },
      }),
      'unreachable',
    ],
    [
      'a raw query whose connection dropped (ConnectionClosed)',
      prismaError('P2010', 'Raw query failed', {
        meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'ConnectionClosed' } } },
      }),
      'unreachable',
    ],
    [
      'the server shutting down (SQLSTATE 57P01)',
      failure('DriverAdapterError', 'x', { cause: { kind: 'postgres', code: '57P01', originalCode: '57P01' } }),
      'unreachable',
    ],
    [
      'statement_timeout (SQLSTATE 57014)',
      failure('DriverAdapterError', 'x', { cause: { kind: 'postgres', code: '57014', originalCode: '57014' } }),
      'timeout',
    ],
    [
      'a syntax error (SQLSTATE 42601)',
      failure('DriverAdapterError', 'x', { cause: { kind: 'postgres', code: '42601', originalCode: '42601' } }),
      'query',
    ],
    ['pg: ECONNREFUSED', failure('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }), 'unreachable'],
    ['pg: Connection terminated unexpectedly', failure('Error', 'Connection terminated unexpectedly'), 'unreachable'],
    ['pg: connect timeout', failure('Error', 'timeout exceeded when trying to connect'), 'timeout'],
    ['PGlite after close()', failure('Error', 'PGlite is closed'), 'unreachable'],
    [
      'nested as a cause',
      new Error('wrapped', { cause: failure('Error', 'x', { code: 'ECONNRESET' }) }),
      'unreachable',
    ],
    ['a bug of ours', new TypeError("Cannot read properties of undefined (reading 'id')"), undefined],
    ['not an error at all', 'boom', undefined],
    ['null', null, undefined],
  ])('%s → %s', (_label, error, expected) => {
    expect(classifyDatabaseError(error)).toBe(expected);
  });

  it('stops on a cause that points back at itself', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;
    expect(classifyDatabaseError(error)).toBeUndefined();
  });

  it.each<[DatabaseFailure | undefined, boolean]>([
    ['unreachable', true],
    ['timeout', true],
    ['conflict', false],
    ['query', false],
    [undefined, false],
  ])('%s is unavailable: %s', (failureKind, expected) => {
    expect(isUnavailable(failureKind)).toBe(expected);
  });
});

describe(databaseFailureAsDomainError.name, () => {
  it('makes an unreachable or slow database UNAVAILABLE, without quoting the driver', () => {
    for (const error of [
      prismaError('P1001', "Can't reach postgres://u:secret@db:5432"),
      prismaError('P2024', 'pool'),
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
    ]) {
      const translated = databaseFailureAsDomainError(error);
      expect(translated).toBeInstanceOf(DomainError);
      expect(translated).toMatchObject({ code: 'UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE });
    }
  });

  it('makes a write conflict CONFLICT, with the message the caller chose', () => {
    const conflict = prismaError('P2034', 'conflict');
    expect(databaseFailureAsDomainError(conflict)?.code).toBe('CONFLICT');
    expect(databaseFailureAsDomainError(conflict, 'That plan changed meanwhile.')?.message).toBe(
      'That plan changed meanwhile.',
    );
  });

  it('leaves a failed query and a non-database error alone, and a DomainError as it is', () => {
    expect(databaseFailureAsDomainError(prismaError('P2002', 'unique'))).toBe(undefined);
    expect(databaseFailureAsDomainError(new TypeError('a bug'))).toBe(undefined);
    const domain = DomainError.notFound('Plan x');
    expect(databaseFailureAsDomainError(domain)).toBe(domain);
  });
});
