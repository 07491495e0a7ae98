import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../common/module-worker.js';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlQuery,
  SqlResultSet,
  Transaction as AdapterTransaction,
  TransactionOptions,
} from '@prisma/driver-adapter-utils';
import { fromWire, type HostOptions, type HostReply, type HostRequest } from './pglite-protocol.js';

/**
 * Embedded PGlite on a thread of its own.
 *
 * PGlite is PostgreSQL compiled to WebAssembly: a query runs synchronously, start to end, in the
 * thread that holds the instance. In the main thread every insert (~1 ms for a plan) stopped the
 * HTTP server too: with ten clients a POST waited behind ten inserts and ten plannings, one after
 * the other. On its own thread PGlite works while the main thread plans and answers, and a slow
 * query no longer holds up /health or a dry run (docs/performance.md has the figures).
 *
 * The main thread gets a Prisma driver adapter whose calls are carried to the thread, where the
 * Prisma adapter for PGlite (pglite-prisma-adapter) runs them as it would in process.
 */
export type PgliteThread = {
  /** PGlite was closed (`closeDatabase`, `stop`) or its thread is gone: queries fail until a new one. */
  readonly closed: boolean;
  readonly adapter: SqlDriverAdapter;
  /** Applies the pending migrations (migrations.ts) on the thread; the names applied. */
  migrate(): Promise<string[]>;
  /** Closes PGlite, files flushed, and keeps the thread: later queries fail as on a closed instance. */
  closeDatabase(): Promise<void>;
  /** Closes PGlite and ends the thread. */
  stop(): Promise<void>;
};

/** What the adapter says it is: the in-process adapter's own name, as Prisma knew it before. */
export const PGLITE_ADAPTER_INFO = { provider: 'postgres', adapterName: 'pglite-prisma-adapter' } as const;

export function startPgliteThread(dir: string): PgliteThread {
  const worker = spawnHost({ dir });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let lastCall = 0;
  let ended: Error | undefined;
  let databaseClosed = false;

  const end = (reason: Error): void => {
    ended ??= reason;
    for (const { reject } of waiting.values()) {
      reject(ended);
    }
    waiting.clear();
  };
  worker.on('message', (reply: HostReply) => {
    const caller = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) {
      caller?.resolve(reply.value);
    } else {
      caller?.reject(fromWire(reply.error));
    }
  });
  // "PGlite is closed" is what a closed instance says in process too: the error classifier answers
  // it with a 503, and the next request after Retry-After starts a new thread (database.ts).
  worker.on('error', (error) =>
    end(new Error(`PGlite is closed: its thread failed: ${error.message}`, { cause: error })),
  );
  worker.on('exit', (code) => end(new Error(`PGlite is closed: its thread exited with code ${code}`)));

  const call = <T>(request: HostRequest): Promise<T> => {
    if (ended) {
      return Promise.reject(ended);
    }
    return new Promise<T>((resolve, reject) => {
      const id = ++lastCall;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  // Statements on the instance itself, or inside the transaction `startTransaction` opened.
  const queriesOn = (transaction?: number) => ({
    ...PGLITE_ADAPTER_INFO,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: 'queryRaw', query, transaction }),
    executeRaw: (query: SqlQuery) => call<number>({ op: 'executeRaw', query, transaction }),
  });

  const transactionOn = (id: number, options: TransactionOptions): AdapterTransaction => ({
    ...queriesOn(id),
    options,
    commit: () => call<void>({ op: 'commit', transaction: id }),
    rollback: () => call<void>({ op: 'rollback', transaction: id }),
  });

  const adapter: SqlDriverAdapter = {
    ...queriesOn(),
    executeScript: (script: string) => call<void>({ op: 'executeScript', script }),
    startTransaction: async (isolationLevel?: IsolationLevel) => {
      const { id, options } = await call<{ id: number; options: TransactionOptions }>({
        op: 'startTransaction',
        isolationLevel,
      });
      return transactionOn(id, options);
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };

  return {
    get closed() {
      return databaseClosed || ended !== undefined;
    },
    adapter,
    migrate: () => call<string[]>({ op: 'migrate' }),
    closeDatabase: async () => {
      databaseClosed = true;
      await call({ op: 'close' });
    },
    stop: async () => {
      databaseClosed = true;
      try {
        if (!ended) {
          await call({ op: 'close' });
        }
      } finally {
        await worker.terminate();
      }
    },
  };
}

/**
 * The thread's JavaScript heap: V8 lets a young generation grow to 16 MB semi-spaces (48 MB, all of
 * it resident once used) for a thread whose own objects are a query's parameters and rows; PGlite's
 * memory is WebAssembly memory, outside that heap. 8 MB of young generation keep ~20 MB less resident.
 */
const HOST_LIMITS = { maxYoungGenerationSizeMb: 8 };

function spawnHost(options: HostOptions): Worker {
  return spawnModuleWorker(import.meta.url, 'pglite-host', { workerData: options, resourceLimits: HOST_LIMITS });
}
