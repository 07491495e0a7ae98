import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { IN_MEMORY, type Config } from '../config/config.js';
import { applyMigrations, serverPendingMigrations, type MigrationSession } from './migrations.js';
import { lockPgliteDirectory } from './pglite-lock.js';

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
  close(): Promise<void>;
};

/** `holder` names this process in the "in use" message another process gets (embedded PGlite only). */
export function openDatabase(config: Config, holder = 'the running service'): Database {
  return config.databaseUrl ? openServer(config.databaseUrl) : openPglite(config.dataDir, holder);
}

function openServer(databaseUrl: string): Database {
  return {
    kind: 'postgres',
    description: `PostgreSQL at ${redact(databaseUrl)}`,
    adapter: new PrismaPg({ connectionString: databaseUrl }),
    prepare: async () => {
      const pending = await serverPendingMigrations(databaseUrl);
      if (pending.length > 0) {
        throw new Error(`The database lacks migrations ${pending.join(', ')}: run "npm run db:migrate" first.`);
      }
      return [];
    },
    close: async () => {},
  };
}

function openPglite(dataDir: string, holder: string): Database {
  const dir = dataDir === IN_MEMORY ? IN_MEMORY : path.resolve(dataDir, 'pglite');
  if (dir !== IN_MEMORY) {
    // PGlite does not create missing parent directories.
    mkdirSync(dir, { recursive: true });
  }
  // One process per directory: a second PGlite on the same files would corrupt them.
  const lock = dir === IN_MEMORY ? undefined : lockPgliteDirectory(dir, holder);
  let db: PGlite;
  try {
    db = new PGlite(dir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    description: dir === IN_MEMORY ? 'PGlite in memory' : `PGlite at ${dir}`,
    adapter: new PrismaPGlite(db),
    prepare: () => applyMigrations(pgliteSession(db)),
    // Closing flushes and releases the directory, so the next boot on it starts clean.
    close: () => (closed ??= db.close().finally(() => lock?.release())),
  };
}

function pgliteSession(db: PGlite): MigrationSession {
  const wrap = (q: PGlite | Transaction): Pick<MigrationSession, 'query' | 'exec'> => ({
    query: async <T>(sql: string, params: unknown[] = []) => (await q.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  });
  return {
    ...wrap(db),
    transaction: async (fn) => {
      await db.transaction((tx) => fn(wrap(tx)));
    },
  };
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
