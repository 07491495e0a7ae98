/**
 * The PGlite thread's own side (pglite-thread.ts starts it and explains why it exists): opens
 * embedded PGlite on the directory it is given and answers the main thread's requests through the
 * Prisma adapter for PGlite, as that adapter would answer in process. Runs only in that thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type QueryOptions, type Transaction } from '@electric-sql/pglite';
import type { Transaction as AdapterTransaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { forgettingArguments } from './direct-sql.js';
import { applyMigrations, type MigrationSession } from './migrations.js';
import { toWire, type HostCall, type HostOptions, type HostReply, type HostRequest } from './pglite-protocol.js';
import { seedFromTemplate } from './pglite-template.js';

if (!parentPort) {
  throw new Error('pglite-host runs in the thread pglite-thread.ts starts, not on its own');
}
const port = parentPort;
const { dir } = workerData as HostOptions;

const db: Promise<PGlite> = seedNewDirectory().then(
  () =>
    new PGlite(dir, {
      startParams: [
        ...PGlite.defaultStartParams,
        // PGlite runs with fsync off (its -F), so the zero-filling of every new 16 MB WAL file
        // secures nothing; it only stopped all queries for ~45 ms every ~1,500 plans
        // (docs/performance.md).
        '-c',
        'wal_init_zero=off',
        // PostgreSQL's default 128 MB buffer pool lives in PGlite's WebAssembly memory, grows it
        // past its initial 128 MB, and is filled as pages are read: ~140 MB more resident memory
        // for pages the operating system caches anyway (PGlite reads its files through Node's fs).
        // 16 MB holds the hot pages of the plans table.
        '-c',
        'shared_buffers=16MB',
      ],
    }),
);
const adapter = db.then((database) => new PrismaPGlite(withParsersInstalled(database)).connect());
const transactions = new Map<number, AdapterTransaction>();
let lastTransaction = 0;

async function perform(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    // This thread's adapter keeps a history of its queries too (direct-sql.ts, forgettingArguments).
    case 'queryRaw': {
      const on = await queryable(request.transaction);
      return forgettingArguments(request.query, (query) => on.queryRaw(query));
    }
    case 'executeRaw': {
      const on = await queryable(request.transaction);
      return forgettingArguments(request.query, (query) => on.executeRaw(query));
    }
    case 'executeScript':
      return (await adapter).executeScript(request.script);
    case 'startTransaction': {
      const transaction = await (await adapter).startTransaction(request.isolationLevel);
      transactions.set(++lastTransaction, transaction);
      return { id: lastTransaction, options: transaction.options };
    }
    case 'commit':
    case 'rollback': {
      const transaction = openTransaction(request.transaction);
      transactions.delete(request.transaction);
      return request.op === 'commit' ? transaction.commit() : transaction.rollback();
    }
    case 'migrate':
      return applyMigrations(migrationSession(await db));
    case 'close': {
      const database = await db;
      if (!database.closed) {
        await database.close();
      }
      return undefined;
    }
  }
}

/**
 * The Prisma adapter passes its own result parsers with every query, and PGlite merges them into a
 * fresh copy of its whole parser table (318 types) each time: ~0.06-0.1 ms a query, a tenth of a
 * plan's insert. Merged into the instance's own table instead, they are the same parsers (so the
 * same results) without the copy.
 */
function withParsersInstalled(database: PGlite): PGlite {
  const installing =
    (queryable: PGlite | Transaction): Transaction['query'] =>
    (sql, params, options?: QueryOptions) => {
      if (!options?.parsers) {
        return queryable.query(sql, params, options);
      }
      const { parsers, ...rest } = options;
      Object.assign(database.parsers, parsers);
      return queryable.query(sql, params, rest);
    };
  const client: Pick<PGlite, 'query' | 'exec' | 'transaction'> = {
    query: installing(database),
    exec: (sql, options) => database.exec(sql, options),
    transaction: (fn) =>
      database.transaction((tx) => fn(Object.create(tx, { query: { value: installing(tx) } }) as Transaction)),
  };
  return client as PGlite;
}

async function queryable(transaction: number | undefined) {
  return transaction === undefined ? adapter : openTransaction(transaction);
}

function openTransaction(id: number): AdapterTransaction {
  const transaction = transactions.get(id);
  if (!transaction) {
    throw new Error(`transaction ${id} is not open on the PGlite thread`);
  }
  return transaction;
}

function migrationSession(database: PGlite): MigrationSession {
  const wrap = (q: PGlite | Transaction): Pick<MigrationSession, 'query' | 'exec'> => ({
    query: async <T>(sql: string, params: unknown[] = []) => (await q.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  });
  return {
    ...wrap(database),
    transaction: async (fn) => {
      await database.transaction((tx) => fn(wrap(tx)));
    },
  };
}

/**
 * A new data directory starts as a copy of the prebuilt one (pglite-template.ts) rather than with
 * PostgreSQL's initdb. A copy that fails (disk full, no template for this code) leaves the
 * directory as it was, and PGlite runs initdb as it always did: slower, never wrong.
 */
async function seedNewDirectory(): Promise<void> {
  // PGlite's own scheme for a database in memory (config.ts IN_MEMORY): nothing on disk to seed.
  if (dir.startsWith('memory://')) {
    return;
  }
  await seedFromTemplate(dir).catch(() => false);
}

function reply(message: HostReply): void {
  try {
    port.postMessage(message);
  } catch (error) {
    // A value structured clone cannot carry: the caller gets an error rather than no answer.
    port.postMessage({ id: message.id, ok: false, error: toWire(error) } satisfies HostReply);
  }
}

port.on('message', (call: HostCall) => {
  perform(call).then(
    (value) => reply({ id: call.id, ok: true, value }),
    (error: unknown) => reply({ id: call.id, ok: false, error: toWire(error) }),
  );
});
