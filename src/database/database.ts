import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction as AdapterTransaction,
} from '@prisma/driver-adapter-utils';
import { systemClock, type Clock } from '../common/clock.js';
import { RETRY_AFTER_SECONDS } from '../common/problem-details.js';
import { IN_MEMORY, type Config } from '../config/config.js';
import { migrateServer, PendingMigrationsError, serverPendingMigrations } from './migrations.js';
import { takePglite } from './pglite-start.js';
import { PGLITE_ADAPTER_INFO, startPgliteThread } from './pglite-thread.js';

/** The database the app talks to, chosen from the Config: a PostgreSQL server, or embedded PGlite. */
export type Database = {
  kind: 'postgres' | 'pglite';
  /** Where, for logs (no password). */
  description: string;
  adapter: SqlDriverAdapterFactory;
  /**
   * Makes the schema current before the first query: PGlite applies its pending migrations itself
   * (zero setup); a server must be migrated with `npm run db:migrate`, and a server that is behind
   * stops the boot with that advice rather than failing on every request.
   */
  prepare(): Promise<string[]>;
  /**
   * Applies the pending migrations (migrations.ts, the one runner) and returns their names: what
   * `npm run db:migrate` does, on a server under Prisma's advisory lock.
   */
  migrate(): Promise<string[]>;
  /**
   * Brings a database that went away back, without a restart: a closed (crashed) PGlite instance is
   * opened again on the same directory. A server needs nothing: the pg pool opens new connections
   * by itself once the server answers again.
   */
  recover(): Promise<void>;
  /** Closes the embedded instance the way a crash would, keeping its directory (tests of recovery). */
  interrupt(): Promise<void>;
  close(): Promise<void>;
};

/** Told of every error the driver raises (database_errors_total); must not throw. */
export type DatabaseErrorObserver = (error: unknown) => void;

const ignoreErrors: DatabaseErrorObserver = () => undefined;

/**
 * `holder` names this process in the "in use" message another process gets (embedded PGlite only);
 * `clock` tells when Retry-After has passed for a closed PGlite (the app's CLOCK, which a test sets).
 */
export function openDatabase(
  config: Config,
  holder = 'the running service',
  observe: DatabaseErrorObserver = ignoreErrors,
  clock: Clock = systemClock,
): Database {
  return config.databaseUrl
    ? openServer(config.databaseUrl, config.requestTimeoutMs, observe)
    : openPglite(config.dataDir, holder, observe, clock);
}

/** How long a new connection to the server may take before the request gets its 503. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** What the server's adapter says it is (@prisma/adapter-pg's own name), before it is loaded. */
export const PG_ADAPTER_INFO = { provider: 'postgres', adapterName: '@prisma/adapter-pg' } as const;

function openServer(databaseUrl: string, requestTimeoutMs: number, observe: DatabaseErrorObserver): Database {
  // Imported here rather than with this module: on embedded PGlite neither the adapter nor pg is
  // loaded (~60 ms of the start on a 2-core machine; migrations.ts says where it goes).
  const pool = import('@prisma/adapter-pg').then(
    ({ PrismaPg }) =>
      new PrismaPg(
        {
          // The adapter reads a timestamptz by relabelling the session's offset as +00:00 without
          // converting it (prisma/orm#26786): on a server whose time zone is not UTC every createdAt
          // would be off by hours. UTC sessions make its reading right.
          connectionString: withUtcSessions(databaseUrl),
          // pg waits forever for a connection by default: a server that drops packets would hold every
          // request until its own timeout. Fail fast instead, and let the caller retry.
          connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
          // No statement outlives the request that ran it (its answer would go nowhere).
          statement_timeout: requestTimeoutMs,
          // Half-open connections (a server restarted behind a NAT) are noticed, not reused forever.
          keepAlive: true,
        },
        // An idle connection the server closed is dropped by the pool (and counted), never a crash.
        { onPoolError: observe, onConnectionError: observe },
      ),
  );
  return {
    kind: 'postgres',
    description: `PostgreSQL at ${redact(databaseUrl)}`,
    adapter: observedAdapter(pool, observe),
    prepare: async () => {
      const pending = await serverPendingMigrations(databaseUrl);
      if (pending.length > 0) {
        throw new PendingMigrationsError(pending);
      }
      return [];
    },
    migrate: () => migrateServer(databaseUrl),
    recover: async () => {},
    interrupt: async () => {},
    close: async () => {},
  };
}

function openPglite(dataDir: string, holder: string, observe: DatabaseErrorObserver, clock: Clock): Database {
  // Started by main.ts before the app's modules were loaded, when it runs (pglite-start.ts).
  const opened = takePglite(dataDir, holder);
  const { dir, lock } = opened;
  let thread = opened.thread;
  let migrated: Promise<string[]> | undefined = opened.migrated;
  let closed: Promise<void> | undefined;
  let reopening: Promise<void> | undefined;
  // When queries first failed on a closed instance: requests reopen it once RETRY_AFTER_SECONDS
  // have passed (a readiness probe does at once). Reopening costs a second or more, so an instance
  // that keeps dying is not reopened on every request.
  let downSince: number | undefined;

  const recover = async (): Promise<void> => {
    if (!thread.closed || closed !== undefined) {
      return;
    }
    reopening ??= (async () => {
      // Same directory, same lock (this process still holds it), a new thread. In memory, this is
      // a new, empty database: memory:// is for tests and throwaway runs.
      await thread.stop();
      const next = startPgliteThread(dir);
      try {
        await next.migrate();
      } catch (error) {
        await next.stop();
        throw error;
      }
      thread = next;
      migrated = undefined;
      downSince = undefined;
    })().finally(() => {
      reopening = undefined;
    });
    await reopening;
  };

  // The adapter Prisma holds follows `thread` across a reopen.
  const current = async (): Promise<SqlDriverAdapter> => {
    if (thread.closed && closed === undefined) {
      downSince ??= clock.now();
      if (clock.now() - downSince >= RETRY_AFTER_SECONDS * 1000) {
        await recover();
      }
    }
    return thread.adapter;
  };

  return {
    kind: 'pglite',
    description: dir === IN_MEMORY ? 'PGlite in memory' : `PGlite at ${dir}`,
    adapter: switchingAdapter(current, observe, PGLITE_ADAPTER_INFO),
    // The first instance's migrations are under way since it started; a reopened one's are done.
    prepare: () => {
      const applied = migrated ?? thread.migrate();
      migrated = undefined;
      return applied;
    },
    migrate: () => thread.migrate(),
    recover,
    interrupt: async () => {
      if (!thread.closed) {
        downSince = clock.now();
        await thread.closeDatabase();
      }
    },
    // Closing flushes and releases the directory, so the next boot on it starts clean.
    close: () => (closed ??= thread.stop().finally(() => lock?.release())),
  };
}

/**
 * DATABASE_URL with `-c TimeZone=UTC` added to its `options` (after any the URL carries, such as
 * `-c search_path=…`). In the URL, not as a separate pg option: pg lets the URL's win over it.
 */
export function withUtcSessions(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // Not a URL pg can read either: it says so itself when it connects.
    return databaseUrl;
  }
  const own = url.searchParams.get('options');
  url.searchParams.set('options', own ? `${own} -c TimeZone=UTC` : '-c TimeZone=UTC');
  return url.toString();
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * A server's adapter, with every driver error reported to `observe` on its way to Prisma. The
 * factory arrives once its module has loaded; Prisma learns what it is from PG_ADAPTER_INFO before.
 */
function observedAdapter(
  factory: Promise<SqlDriverAdapterFactory>,
  observe: DatabaseErrorObserver,
): SqlDriverAdapterFactory {
  let adapter: Promise<SqlDriverAdapter> | undefined;
  return switchingAdapter(() => (adapter ??= factory.then((loaded) => loaded.connect())), observe, PG_ADAPTER_INFO);
}

/**
 * A driver adapter factory whose adapter delegates each call to `current()` (PGlite: the instance
 * open now), reporting every error to `observe` before Prisma sees it: the one place all database
 * errors pass, whichever repository, guard or probe ran the query.
 */
function switchingAdapter(
  current: () => Promise<SqlDriverAdapter>,
  observe: DatabaseErrorObserver,
  info: { provider: SqlDriverAdapter['provider']; adapterName: string } = { provider: 'postgres', adapterName: '' },
): SqlDriverAdapterFactory {
  const watched = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      observe(error);
      throw error;
    }
  };
  const watchedTransaction = (tx: AdapterTransaction): AdapterTransaction => ({
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query: SqlQuery) => watched(() => tx.queryRaw(query)),
    executeRaw: (query: SqlQuery) => watched(() => tx.executeRaw(query)),
    commit: () => watched(() => tx.commit()),
    rollback: () => watched(() => tx.rollback()),
    ...(tx.createSavepoint && { createSavepoint: (name: string) => watched(() => tx.createSavepoint!(name)) }),
    ...(tx.rollbackToSavepoint && {
      rollbackToSavepoint: (name: string) => watched(() => tx.rollbackToSavepoint!(name)),
    }),
    ...(tx.releaseSavepoint && { releaseSavepoint: (name: string) => watched(() => tx.releaseSavepoint!(name)) }),
  });
  return {
    provider: info.provider,
    adapterName: info.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => {
      const first = await watched(current);
      return {
        provider: first.provider,
        adapterName: first.adapterName,
        queryRaw: (query: SqlQuery): Promise<SqlResultSet> => watched(async () => (await current()).queryRaw(query)),
        executeRaw: (query: SqlQuery): Promise<number> => watched(async () => (await current()).executeRaw(query)),
        executeScript: (script: string): Promise<void> => watched(async () => (await current()).executeScript(script)),
        startTransaction: (isolationLevel?: IsolationLevel): Promise<AdapterTransaction> =>
          watched(async () => watchedTransaction(await (await current()).startTransaction(isolationLevel))),
        getConnectionInfo: () => first.getConnectionInfo?.() ?? { supportsRelationJoins: true },
        dispose: async () => (await current()).dispose(),
      };
    },
  };
}
