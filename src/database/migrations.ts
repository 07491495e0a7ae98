import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** What the runner needs from a database connection; PGlite and node-postgres both fit. */
export type MigrationSession = {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction on this session. */
  transaction(fn: (tx: Pick<MigrationSession, 'query' | 'exec'>) => Promise<void>): Promise<void>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
};

export type Migration = { name: string; sql: string; checksum: string };

/*
 * The one migration runner: `npm run db:migrate` (src/cli/migrate.ts), the `apikey` command and the
 * service at boot all apply prisma/migrations through it, on PGlite (in its thread, pglite-host.ts)
 * and on a server alike. It keeps the history where and as Prisma keeps it (`_prisma_migrations`,
 * SHA-256 checksums, Prisma's advisory lock), so a database migrated by Prisma's own engine, or by
 * this project's earlier `scripts/migrate.mjs`, which drove that engine, is accepted as it is, and
 * `prisma migrate` could take over from it. New migrations are still written by Prisma's schema
 * engine (schema-engine.ts), from schema.prisma.
 */

// The table and columns Prisma's schema engine creates, so both see the same history.
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
// replicas starting, two test files, or this runner and `prisma migrate`) wait for each other.
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
  const [row] = await session.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (row === undefined) {
    throw new Error('asking whether the migrations table exists returned no row');
  }
  if (!row.present) {
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
    if (checksum !== undefined && !checksumMatches(m.sql, checksum)) {
      throw new Error(
        `Migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead.`,
      );
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

/**
 * Whether a migration's SQL is the one recorded with `checksum`, by the rule of Prisma's schema
 * engine (schema-engine/connectors/schema-connector/src/checksum.rs in prisma/prisma-engines), so a
 * database migrated by Prisma itself is accepted as it would accept it: the SHA-256 of the script
 * as it is, or with its line endings turned to LF or to CRLF (git may check a migration out either
 * way); and, for a recorded checksum that is not 64 characters long, the same digest written the
 * way an early schema engine wrote it, each byte in hex without its leading zero.
 */
export function checksumMatches(sql: string, checksum: string): boolean {
  const variants = [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')];
  return variants.some((script) => {
    const digest = createHash('sha256').update(script).digest();
    const rendered =
      checksum.length === 64 ? digest.toString('hex') : [...digest].map((byte) => byte.toString(16)).join('');
    return rendered === checksum;
  });
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
 * A connected node-postgres client. pg is imported here, when a server is migrated or checked, not
 * with this module: embedded PGlite's thread runs the migrations too, and loading pg there cost
 * ~60 ms of every embedded start (its stream module builds a `Response` to detect Cloudflare, which
 * loads Node's fetch implementation).
 */
async function connectedClient(databaseUrl: string): Promise<pg.Client> {
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

/** Applies pending migrations to a PostgreSQL server, under Prisma's advisory lock (`npm run db:migrate`). */
export async function migrateServer(databaseUrl: string): Promise<string[]> {
  const client = await connectedClient(databaseUrl);
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
  const client = await connectedClient(databaseUrl);
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
