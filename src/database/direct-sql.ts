import { ColumnTypeEnum, type ArgType, type SqlQuery, type SqlQueryable } from '@prisma/driver-adapter-utils';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Runs one `Prisma.sql` statement on the driver adapter the Prisma client holds (@prisma/adapter-pg
 * or PGlite's): what `$queryRaw` ends up calling too, without the client's detour on the way. That
 * detour JSON-encodes every parameter (a plan's JSON text is escaped quote by quote), hands the
 * request to the client engine, which parses it back, and decodes the rows the same way.
 *
 * Used only for the two statements that carry a whole plan (plans.repository.ts says why, with the
 * figure). Same adapter, pool and error observer as the client; the same errors
 * (DriverAdapterError, which classifyDatabaseError knows); one statement per call, in autocommit:
 * never inside a `$transaction`, whose connection this does not see.
 *
 * Rows come back as objects keyed by column name. What the adapters give as text is decoded the way
 * `$queryRaw` decodes it: json → parsed value, timestamptz → Date. Everything else stays as the
 * driver gives it (int4 and float8 as numbers; cast int8 and numeric in the SQL).
 */
export async function runSql<T>(queryable: SqlQueryable, query: Prisma.Sql): Promise<T[]> {
  const args = query.values.map(toArg);
  const result = await forgettingArguments({ sql: query.text, args, argTypes: args.map(argTypeOf) }, (sql) =>
    queryable.queryRaw(sql),
  );
  const columns = result.columnNames.map((name, i) => ({ name, type: result.columnTypes[i] }));
  return result.rows.map((values) => {
    const row: Record<string, unknown> = {};
    columns.forEach(({ name, type }, i) => {
      row[name] = decode(values[i], type);
    });
    return row as T;
  });
}

/**
 * Runs `query`, then empties its list of arguments. The Prisma adapters pass every query object to
 * @prisma/debug, which keeps the arguments of its last 100 calls, logging on or off, for its crash
 * reports (`argsHistory` in @prisma/debug's dist/index.js). A plan's insert carries ~80 KB of JSON
 * text: a heap snapshot under load found 38 of them (~3 MB) held there, each copied by the
 * young-generation collections until it was promoted, then left for a full collection to find
 * (docs/performance.md, "What a POST holds while it waits"). Emptied, the history keeps the SQL.
 * The adapter is done with the object once its promise settles.
 */
export async function forgettingArguments<R>(query: SqlQuery, run: (query: SqlQuery) => Promise<R>): Promise<R> {
  try {
    return await run(query);
  } finally {
    query.args.length = 0;
  }
}

function decode(value: unknown, type: number | undefined): unknown {
  if (value === null || typeof value !== 'string') {
    return value;
  }
  if (type === ColumnTypeEnum.Json) {
    return JSON.parse(value);
  }
  if (type === ColumnTypeEnum.DateTime) {
    // ISO 8601 labelled +00:00 by the adapters, right only in a UTC session (database.ts pins one).
    return new Date(value);
  }
  return value;
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
