import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** What the runner needs from a database connection; PGlite and node-postgres both fit. */
export type MigrationSession = {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction on this session. */
  transaction(fn: (tx: Pick<MigrationSession, 'query' | 'exec'>) => Promise<void>): Promise<void>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
};

export type Migration = { name: string; sql: string; checksum: string };

// The table and columns Prisma's schema engine uses, so `npm run db:migrate` (the wasm engine)
// and this runner see the same history.
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// The advisory lock key Prisma's schema engine takes while migrating PostgreSQL: two runners (two
// test files, or this runner and `npm run db:migrate`) wait for each other instead of racing.
const PRISMA_ADVISORY_LOCK = 72_707_369;

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

/** prisma/migrations, found from this file whether it runs from src/ (tsx, vitest) or dist/src/. */
export function findMigrationsDir(start = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`prisma/migrations was not found above ${start}`);
    }
  }
}

/** The migrations on disk, in the order Prisma applies them (by directory name). */
export async function readMigrations(dir = findMigrationsDir()): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** The migrations on disk that the database has not applied yet. */
export async function pendingMigrations(session: MigrationSession, migrations: Migration[]): Promise<Migration[]> {
  const [{ present }] = await session.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!present) {
    return migrations;
  }
  const rows = await session.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and was not rolled back; fix the database first.`,
    );
  }
  const applied = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) {
      throw new Error(
        `Migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead.`,
      );
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

/**
 * Applies the pending migrations, each with its `_prisma_migrations` row in one transaction, so a
 * failed migration leaves nothing half-done. Returns the names applied.
 */
export async function applyMigrations(session: MigrationSession, migrations?: Migration[]): Promise<string[]> {
  await session.exec(MIGRATIONS_TABLE);
  const pending = await pendingMigrations(session, migrations ?? (await readMigrations()));
  for (const m of pending) {
    await session.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), m.checksum, m.name],
      );
    });
  }
  return pending.map((m) => m.name);
}

/** A node-postgres client as a MigrationSession. */
export function pgSession(client: pg.ClientBase): MigrationSession {
  const session: MigrationSession = {
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    exec: async (sql: string) => {
      await client.query(sql);
    },
    transaction: async (fn) => {
      await client.query('BEGIN');
      try {
        await fn(session);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  return session;
}

/**
 * Applies pending migrations to a PostgreSQL server, under Prisma's advisory lock. Used by the e2e
 * tests on a server; `npm run db:migrate` does the same through Prisma's own engine.
 */
export async function migrateServer(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    return await applyMigrations(pgSession(client));
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** The migrations a server still lacks; the app refuses to start on a server that is behind. */
export async function serverPendingMigrations(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await pendingMigrations(pgSession(client), await readMigrations())).map((m) => m.name);
  } finally {
    await client.end();
  }
}

/** A server the service must not run on yet: its schema is older than the code. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(`The database lacks migrations ${pending.join(', ')}: run "npm run db:migrate" first.`);
    this.name = 'PendingMigrationsError';
  }
}
