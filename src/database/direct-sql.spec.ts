import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { classifyDatabaseError } from '../common/database-failure.js';
import { Prisma } from '../generated/prisma/client.js';
import { forgettingArguments, runSql } from './direct-sql.js';

// The same driver adapter the app hands Prisma, on a real (embedded) PostgreSQL.
describe(runSql.name, () => {
  let db: PGlite;
  let adapter: SqlDriverAdapter;

  beforeAll(async () => {
    db = new PGlite();
    adapter = await new PrismaPGlite(db).connect();
  });

  afterAll(async () => {
    await db.close();
  });

  it('answers rows as objects keyed by column, with json parsed and its ::text kept as text', async () => {
    const stored = '{"b":1,"a":[true,null,"x"]}';
    const rows = await runSql<{ value: unknown; text: string; n: number; f: number; s: string }>(
      adapter,
      Prisma.sql`SELECT ${stored}::json AS value, ${stored}::json::text AS text, 7::int AS n, 1.5::float8 AS f, 'é' AS s`,
    );
    expect(rows).toEqual([{ value: { b: 1, a: [true, null, 'x'] }, text: stored, n: 7, f: 1.5, s: 'é' }]);
  });

  it('reads timestamptz as a Date of that instant', async () => {
    // In a UTC session, as the app's are (database.ts pins TimeZone: the adapters mislabel other zones).
    const [row] = await runSql<{ at: Date }>(
      adapter,
      Prisma.sql`SELECT '2026-11-21T09:45:32.123+02:00'::timestamptz AS at`,
    );
    expect(row?.at).toEqual(new Date('2026-11-21T07:45:32.123Z'));
  });

  it('sends a Date argument as that instant, not as wall-clock time in the session zone', async () => {
    await db.exec(`SET TimeZone = 'Asia/Kolkata'`);
    try {
      const at = new Date('2026-01-02T03:04:05.678Z');
      const [row] = await runSql<{ iso: string }>(
        adapter,
        Prisma.sql`SELECT to_char(${at}::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS iso`,
      );
      expect(row?.iso).toBe('2026-01-02T03:04:05.678');
    } finally {
      await db.exec(`SET TimeZone = 'UTC'`);
    }
  });

  it('sends lists, nulls and nested fragments as Prisma.sql composes them', async () => {
    const ids = ['9b2d2a4e-59b5-4b0e-8d1b-6a0d3c1e2f00', '0c7e1b7a-8f3a-4a55-9f1e-2b6c1e9d7a11'];
    const condition = Prisma.sql`x = ANY(${ids}::uuid[])`;
    const rows = await runSql<{ x: string; missing: null }>(
      adapter,
      Prisma.sql`SELECT x::text AS x, ${null}::text AS missing FROM unnest(${ids}::uuid[]) AS x WHERE ${condition} ORDER BY x`,
    );
    expect(rows).toEqual([...ids].sort().map((x) => ({ x, missing: null })));
  });

  it('fails with the driver error the app already classifies, not a generic one', async () => {
    const failure = runSql(adapter, Prisma.sql`SELECT * FROM "NoSuchTable"`);
    await expect(failure).rejects.toThrow();
    const error = await failure.catch((e: unknown) => e);
    expect(classifyDatabaseError(error)).toBe('query');
  });

  it('leaves the adapter no argument of its statement once it has answered, nor once it has failed', async () => {
    const handed: SqlQuery[] = [];
    // The app's adapter, with what it is handed recorded.
    const watched = Object.assign(Object.create(adapter) as SqlDriverAdapter, {
      queryRaw: (query: SqlQuery) => {
        handed.push(query);
        return adapter.queryRaw(query);
      },
    });
    const text = JSON.stringify({ plan: 'x'.repeat(10_000) });

    const [row] = await runSql<{ n: number }>(watched, Prisma.sql`SELECT length(${text}::json::text)::int AS n`);
    await expect(runSql(watched, Prisma.sql`SELECT ${text}::int`)).rejects.toThrow();

    expect(row?.n).toBe(text.length);
    expect(handed.map((query) => query.args)).toEqual([[], []]);
  });
});

describe(forgettingArguments.name, () => {
  const query = (): SqlQuery => ({
    sql: 'SELECT $1',
    args: ['a plan'],
    argTypes: [{ scalarType: 'unknown', arity: 'scalar' }],
  });

  it('runs the statement with its arguments, then empties them', async () => {
    const sent = query();
    const seen = await forgettingArguments(sent, (q) => Promise.resolve([...q.args]));

    expect(seen).toEqual(['a plan']);
    expect(sent.args).toEqual([]);
  });

  it('empties them when the statement fails too, and passes the failure on', async () => {
    const sent = query();

    await expect(forgettingArguments(sent, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(sent.args).toEqual([]);
  });
});
