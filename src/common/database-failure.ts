import { DomainError } from './domain-error.js';

/**
 * What went wrong with the database, as far as the caller can act on it:
 *   - `unreachable`: no connection (refused, reset, closed, server shutting down, PGlite closed):
 *     answer 503 and retry later; the pool or the embedded instance recovers by itself.
 *   - `timeout`: the database did not answer in time (connect, pool wait, statement): also 503.
 *   - `conflict`: a serialization failure or deadlock: the request may simply be retried (409).
 *   - `query`: the database answered with an error about the query itself (a bug or a constraint).
 * The label set of `database_errors_total{kind}` too, so it stays four values whatever the driver.
 */
export type DatabaseFailure = 'unreachable' | 'timeout' | 'conflict' | 'query';

export const DATABASE_FAILURES: readonly DatabaseFailure[] = ['unreachable', 'timeout', 'conflict', 'query'];

/** The failures a client should retry after a pause: the service is fine, its database is not. */
export function isUnavailable(failure: DatabaseFailure | undefined): failure is 'unreachable' | 'timeout' {
  return failure === 'unreachable' || failure === 'timeout';
}

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database does not answer; retry shortly.';
export const DATABASE_CONFLICT_MESSAGE = 'A concurrent change won; retry the request.';

/**
 * The one decision "what does this database failure mean to the client": unreachable or too slow
 * is UNAVAILABLE (503, retry later), a serialization failure or deadlock is CONFLICT (409, retry
 * now); any other error (a failed query is a bug or a constraint, not the client's to act on) is
 * undefined, and stays what it was. Called where SQL is run (the repositories, the key lookup of
 * authentication), so the transports only ever see DomainErrors and map their codes. The messages
 * never quote the driver: its text can hold the connection string.
 */
export function databaseFailureAsDomainError(
  error: unknown,
  conflictMessage = DATABASE_CONFLICT_MESSAGE,
): DomainError | undefined {
  if (error instanceof DomainError) {
    return error;
  }
  const failure = classifyDatabaseError(error);
  if (isUnavailable(failure)) {
    return new DomainError('UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
  }
  if (failure === 'conflict') {
    return new DomainError('CONFLICT', conflictMessage);
  }
  return undefined;
}

// Prisma's own codes (https://www.prisma.io/docs/orm/reference/error-reference).
const PRISMA_CODES: Record<string, DatabaseFailure> = {
  P1000: 'unreachable', // authentication failed
  P1001: 'unreachable', // can't reach the database server
  P1002: 'timeout', // reached the server, but it timed out
  P1003: 'unreachable', // the database does not exist
  P1008: 'timeout', // operations timed out
  P1010: 'unreachable', // access denied
  P1011: 'unreachable', // TLS connection error
  P1017: 'unreachable', // the server closed the connection
  P2024: 'timeout', // timed out fetching a connection from the pool
  P2028: 'timeout', // transaction API error (mostly: the transaction timed out or was closed)
  P2034: 'conflict', // write conflict or deadlock
};

// The `kind` of a driver adapter error (@prisma/driver-adapter-utils), which Prisma 7 puts in
// `meta.driverAdapterError.cause` when the adapter (pg, PGlite) failed: raw queries report P2010
// with this, not P1001, so the code alone misses an unreachable server.
const ADAPTER_KINDS: Record<string, DatabaseFailure> = {
  DatabaseNotReachable: 'unreachable',
  DatabaseDoesNotExist: 'unreachable',
  DatabaseAccessDenied: 'unreachable',
  AuthenticationFailed: 'unreachable',
  ConnectionClosed: 'unreachable',
  TlsConnectionError: 'unreachable',
  TooManyConnections: 'unreachable',
  SocketTimeout: 'timeout',
  TransactionAlreadyClosed: 'timeout',
  TransactionWriteConflict: 'conflict',
};

// SQLSTATE classes and codes (PostgreSQL appendix A) that say "not now" rather than "not this query".
function sqlStateFailure(code: string): DatabaseFailure | undefined {
  if (code.startsWith('08') || code === '53300' || /^57P0[1-4]$/.test(code)) {
    return 'unreachable'; // connection exception, too many connections, admin/crash shutdown, cannot connect now
  }
  if (code === '57014') {
    return 'timeout'; // query_canceled: statement_timeout
  }
  if (code === '40001' || code === '40P01') {
    return 'conflict'; // serialization failure, deadlock
  }
  return undefined;
}

// Node socket errors, pg's own messages, and PGlite's after close(), wherever they are nested.
const NODE_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
const UNREACHABLE_MESSAGE =
  /Connection terminated|connection is closed|Client has encountered a connection error|PGlite is closed|Can't reach database server|server closed the connection/i;
const TIMEOUT_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated due to connection timeout|timed out/i;

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  kind?: unknown;
  cause?: unknown;
  meta?: unknown;
  originalCode?: unknown;
};

/**
 * Classifies any error thrown by Prisma, the pg driver or PGlite; undefined when it is not a
 * database error at all (a bug of ours, a DomainError). The one classifier of the app: the problem
 * filter (503 for REST and chat), the repository's translation, the readiness probe and the
 * database error counter all ask it, so "the database is down" means the same thing everywhere.
 */
export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  let verdict: DatabaseFailure | undefined;
  let sawDatabaseError = false;
  // Walks the error, its `cause` chain and Prisma's `meta.driverAdapterError` (bounded: causes can cycle).
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 10; seen += 1) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    const e = current as ErrorLike;
    const found = classifyOne(e);
    if (found === 'database') {
      sawDatabaseError = true;
    } else if (found !== undefined) {
      // The most actionable verdict wins: unreachable/timeout over conflict over query.
      verdict = mostActionable(verdict, found);
      sawDatabaseError = true;
    }
    queue.push(e.cause);
    if (typeof e.meta === 'object' && e.meta !== null) {
      queue.push((e.meta as { driverAdapterError?: unknown }).driverAdapterError);
    }
  }
  return verdict ?? (sawDatabaseError ? 'query' : undefined);
}

function classifyOne(e: ErrorLike): DatabaseFailure | 'database' | undefined {
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  if (name === 'PrismaClientInitializationError' || name === 'PrismaClientRustPanicError') {
    return 'unreachable';
  }
  if (code !== undefined && /^P\d{4}$/.test(code)) {
    return PRISMA_CODES[code] ?? 'database';
  }
  if (typeof e.kind === 'string') {
    if (e.kind in ADAPTER_KINDS) {
      return ADAPTER_KINDS[e.kind];
    }
    const sqlState = typeof e.originalCode === 'string' ? e.originalCode : code;
    if (e.kind === 'postgres' && sqlState !== undefined) {
      return sqlStateFailure(sqlState) ?? 'database';
    }
  }
  if (code !== undefined && NODE_UNREACHABLE.has(code)) {
    return 'unreachable';
  }
  if (code === 'ETIMEDOUT') {
    return 'timeout';
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code) && (name === 'error' || name === 'DatabaseError')) {
    return sqlStateFailure(code) ?? 'database'; // pg's and PGlite's DatabaseError carry the SQLSTATE
  }
  if (TIMEOUT_MESSAGE.test(message) && /connect|pool|database|statement/i.test(message)) {
    return 'timeout';
  }
  if (UNREACHABLE_MESSAGE.test(message)) {
    return 'unreachable';
  }
  if (name === 'DriverAdapterError' || name.startsWith('PrismaClient')) {
    return 'database';
  }
  return undefined;
}

const RANK: Record<DatabaseFailure, number> = { unreachable: 3, timeout: 3, conflict: 2, query: 1 };

function mostActionable(a: DatabaseFailure | undefined, b: DatabaseFailure): DatabaseFailure {
  return a !== undefined && RANK[a] >= RANK[b] ? a : b;
}
