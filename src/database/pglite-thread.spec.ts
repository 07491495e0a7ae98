import { PGlite } from '@electric-sql/pglite';
import { isDriverAdapterError, type SqlQuery } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { classifyDatabaseError } from '../common/database-failure.js';
import { EMPTY_PUBLIC_SCHEMA, templateCopy, type TempDir } from '../../test/support/embedded-database.js';
import { startPgliteThread, type PgliteThread } from './pglite-thread.js';

const sql = (text: string, ...args: SqlQuery['args']): SqlQuery => ({
  sql: text,
  args,
  argTypes: args.map(() => ({ scalarType: 'string', arity: 'scalar' })),
});

/**
 * Real PGlite on a real worker thread, driven through the adapter Prisma gets. One thread for the
 * file, on a copy of the prebuilt template (a fresh PGlite per test ran initdb each time: most of
 * this file's minute and a half); each test starts on an empty public schema, as on a new database.
 */
describe('PGlite on its own thread', () => {
  let dataDir: TempDir;
  let thread: PgliteThread;

  beforeAll(async () => {
    dataDir = await templateCopy('pglite-thread');
    thread = startPgliteThread(dataDir.path);
  });

  beforeEach(async () => {
    await thread.adapter.executeScript(EMPTY_PUBLIC_SCHEMA);
  });

  afterAll(async () => {
    await thread?.stop();
    dataDir?.remove();
  });

  it('keeps the main thread free while a query runs', async () => {
    const order: string[] = [];
    const query = thread.adapter.queryRaw(sql('SELECT 1 AS slept FROM pg_sleep(0.2)')).then(() => order.push('query'));
    // In process, the sleep would hold this thread: the timer could only run after the query.
    await new Promise((resolve) => setTimeout(resolve, 10)).then(() => order.push('timer'));
    await query;
    expect(order).toEqual(['timer', 'query']);
  });

  it('answers as the in-process adapter does: column names, types and rows, in and out of transactions', async () => {
    const inProcessDir = await templateCopy('pglite-in-process');
    const inProcessDb = new PGlite(inProcessDir.path);
    onTestFinished(async () => {
      await inProcessDb.close();
      inProcessDir.remove();
    });
    const inProcess = await new PrismaPGlite(inProcessDb).connect();
    // Values the Prisma adapter's own parsers rewrite (timestamps, numerics, bigints, json, bytes).
    const query = sql(
      `SELECT $1::text AS name, 42::int AS answer, '{"a":1}'::json AS doc,
              '2026-01-02 03:04:05.678+00'::timestamptz AS at, 12.50::numeric AS price,
              9007199254740993::int8 AS big, '\\x0102'::bytea AS raw, ARRAY['2026-01-02 03:04:05+00'::timestamptz] AS ats`,
      'shop',
    );
    const expected = await inProcess.queryRaw(query);
    expect(expected.rows[0]?.[0]).toBe('shop');

    expect(await thread.adapter.queryRaw(query)).toEqual(expected);
    const transaction = await thread.adapter.startTransaction();
    expect(await transaction.queryRaw(query)).toEqual(expected);
    await transaction.commit();
  });

  it('stores json given as text exactly, whatever its characters', async () => {
    const text = JSON.stringify({ name: 'caf\u00e9', note: 'r\u00e9sum\u00e9 \u{1f680}', big: 'x'.repeat(50_000) });
    const result = await thread.adapter.queryRaw(
      sql("SELECT $1::json::text AS stored, $1::json ->> 'name' AS name", text),
    );
    expect(result.rows).toEqual([[text, 'caf\u00e9']]);
  });

  it('starts PGlite with its own settings, and new WAL files not zero-filled', async () => {
    const setting = async (name: string) =>
      (await thread.adapter.queryRaw(sql(`SELECT current_setting('${name}')`))).rows[0]?.[0];
    expect(await setting('wal_init_zero')).toBe('off');
    // From PGlite.defaultStartParams, kept: replacing them would have lost these.
    expect(await setting('search_path')).toBe('public');
    expect(await setting('fsync')).toBe('off');
  });

  it('hands a failed query back as a DriverAdapterError with its SQLSTATE', async () => {
    const error: unknown = await thread.adapter.queryRaw(sql('SELECT * FROM no_such_table')).catch((e: unknown) => e);
    expect(isDriverAdapterError(error)).toBe(true);
    expect(error).toMatchObject({ cause: { originalCode: '42P01' } });
  });

  it('commits and rolls back transactions opened through the adapter', async () => {
    await thread.adapter.executeRaw(sql('CREATE TABLE t (v text)'));
    const kept = await thread.adapter.startTransaction();
    await kept.executeRaw(sql('INSERT INTO t VALUES ($1)', 'kept'));
    await kept.commit();
    const dropped = await thread.adapter.startTransaction();
    await dropped.executeRaw(sql('INSERT INTO t VALUES ($1)', 'dropped'));
    await dropped.rollback();
    expect((await thread.adapter.queryRaw(sql('SELECT v FROM t'))).rows).toEqual([['kept']]);
  });

  it('applies the migrations on the thread, once', async () => {
    const applied = await thread.migrate();
    expect(applied.length).toBeGreaterThan(0);
    expect(await thread.migrate()).toEqual([]);
    const tables = await thread.adapter.queryRaw(sql(`SELECT to_regclass('"Plan"')::text`));
    expect(tables.rows).toEqual([['"Plan"']]);
  });
});

describe('PGlite on its own thread, closed', () => {
  it('fails every call as a closed, unreachable database once PGlite is closed or its thread ended', async () => {
    // A thread of its own: this test ends it.
    const dataDir = await templateCopy('pglite-thread-closed');
    const thread = startPgliteThread(dataDir.path);
    onTestFinished(async () => {
      await thread.stop();
      dataDir.remove();
    });
    await thread.adapter.queryRaw(sql('SELECT 1'));

    await thread.closeDatabase();
    expect(thread.closed).toBe(true);
    const closed: unknown = await thread.adapter.queryRaw(sql('SELECT 1')).catch((e: unknown) => e);
    expect(classifyDatabaseError(closed)).toBe('unreachable');

    await thread.stop();
    const ended: unknown = await thread.adapter.queryRaw(sql('SELECT 1')).catch((e: unknown) => e);
    expect(ended).toBeInstanceOf(Error);
    expect(classifyDatabaseError(ended)).toBe('unreachable');
  });
});
