import { ColumnTypeEnum, type ArgType, type SqlQueryable } from '@prisma/driver-adapter-utils';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Runs a `Prisma.sql` statement on the driver adapter itself (@prisma/adapter-pg or PGlite's),
 * which is what Prisma's `$queryRaw` ends up calling too. Skipped: Prisma 7's client engine, which
 * JSON-encodes every parameter, hands the request to its WebAssembly query compiler and decodes the
 * plan it gets back. For a plan write that carries ~45 KB of JSON text that detour cost about 1 ms
 * of CPU per statement, more than the statement itself (docs/performance.md).
 *
 * Same connection pool (or PGlite instance), same error observer, same errors
 * (DriverAdapterError, which classifyDatabaseError knows), one statement per call (autocommit):
 * nothing about transactions or failures changes, only the work around the statement.
 *
 * Rows come back as objects keyed by column name. What the adapters give as text is decoded here
 * the way `$queryRaw` decodes it: json → parsed value, timestamptz → Date. Everything else stays as
 * the driver gives it (int4 and float8 as numbers; cast int8 and numeric in the SQL, as `$queryRaw`
 * would have returned BigInt and Decimal for them). Select a json column `::text` to get its text.
 */
export async function runSql<T>(queryable: SqlQueryable, query: Prisma.Sql): Promise<T[]> {
  const args = query.values.map(toArg);
  const result = await queryable.queryRaw({ sql: query.text, args, argTypes: args.map(argTypeOf) });
  const { columnNames, columnTypes } = result;
  return result.rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) {
      row[columnNames[i]] = decode(values[i], columnTypes[i]);
    }
    return row as T;
  });
}

function decode(value: unknown, type: number): unknown {
  if (value === null || typeof value !== 'string') {
    return value;
  }
  switch (type) {
    case ColumnTypeEnum.Json:
      return JSON.parse(value);
    case ColumnTypeEnum.DateTime:
      // ISO 8601 labelled +00:00 by the adapters, right only in a UTC session (database.ts pins one).
      return new Date(value);
    default:
      return value;
  }
}

/**
 * Dates go as ISO 8601 with their zone: the adapters would format a Date without one, leaving its
 * meaning to the session's TimeZone.
 */
function toArg(value: unknown): unknown {
  if (value instanceof Date) {
    return value.toISOString();
  }
  return Array.isArray(value) ? value.map(toArg) : value;
}

// The adapters read an argument's type only to convert dates, bytes and lists, and the values
// reaching them are already plain: strings, numbers, booleans, null, or lists of those.
function argTypeOf(value: unknown): ArgType {
  return { scalarType: 'unknown', arity: Array.isArray(value) ? 'list' : 'scalar' };
}
