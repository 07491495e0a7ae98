import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrateServer, readMigrations } from '../src/database/migrations.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { SERVER_DATABASE_URL, startTestApp, useTestApp, type TestApp } from './support/app.js';
import { createScratchDatabase, queryOnce as query, type ScratchDatabase } from './support/scratch-database.js';

/*
 * Storage facts of a PostgreSQL server. Collected only when DATABASE_URL names a server
 * (vitest.config.ts); the embedded side is in storage.e2e-spec.ts.
 */

const ROOT = join(import.meta.dirname, '..');

/** A database of its own on the suite's server, dropped by `drop()`. */
function scratchDatabase(prefix: string, setup?: string): Promise<ScratchDatabase> {
  return createScratchDatabase(SERVER_DATABASE_URL ?? '', prefix, setup);
}

describe('storage on a PostgreSQL server', () => {
  it('`npm run db:migrate` applies every migration to a new database, DO blocks included', async () => {
    const scratch = await scratchDatabase('ep_migrate');
    try {
      const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'db:migrate'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: scratch.url },
        timeout: 120_000,
      });
      const onDisk = (await readMigrations()).map((m) => m.name);
      expect(stdout).toContain(`Applied: ${onDisk.join(', ')}`);
      const applied = await query<{ migration_name: string }>(
        scratch.url,
        'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(applied.map((row) => row.migration_name)).toEqual(onDisk);
    } finally {
      await scratch.drop();
    }
  });

  describe('on the suite database', () => {
    const t = useTestApp();

    it('compresses stored plans with lz4, which this server has', async () => {
      const columns = await query<{ attname: string; attcompression: string }>(
        SERVER_DATABASE_URL ?? '',
        `SELECT attname, attcompression FROM pg_attribute
         WHERE attrelid = '"PlanRevision"'::regclass AND attname IN ('topology', 'result') ORDER BY attname`,
      );
      expect(columns).toEqual([
        { attname: 'result', attcompression: 'l' },
        { attname: 'topology', attcompression: 'l' },
      ]);
      const created = await t.createPlan('lz4');
      const [stored] = await query<{ compression: string | null }>(
        SERVER_DATABASE_URL ?? '',
        `SELECT pg_column_compression(result) AS compression FROM "PlanRevision" WHERE "planId" = $1::uuid`,
        [created.id],
      );
      expect(stored?.compression).toBe('lz4');
    });
  });

  it('keeps instants right on a server whose time zone is not UTC', async () => {
    // A server set up in New York: sessions there default to UTC-5 (or -4 in summer).
    const scratch = await scratchDatabase('ep_timezone', `ALTER DATABASE $DB SET timezone TO 'America/New_York'`);
    let app: TestApp | undefined;
    try {
      await migrateServer(scratch.url);
      app = await startTestApp({ databaseUrl: scratch.url });
      const before = Date.now();
      const created = await app.createPlan('tz');
      const after = Date.now();

      const createdAt = Date.parse(created.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before - 1_000);
      expect(createdAt).toBeLessThanOrEqual(after + 1_000);
      const read = (await app.api().get(`/v1/plans/${created.id}`).expect(200)).body as StoredPlan;
      expect(read.createdAt).toBe(created.createdAt);
      const listed = (await app.api().get('/v1/plans').expect(200)).body as { items: { createdAt: string }[] };
      expect(listed.items.map((item) => item.createdAt)).toEqual([created.createdAt]);
      // What another client of the database sees: the same instant.
      const [row] = await query<{ at: Date }>(scratch.url, `SELECT "createdAt" AS at FROM "Plan" WHERE id = $1::uuid`, [
        created.id,
      ]);
      expect(row?.at.toISOString()).toBe(created.createdAt);
    } finally {
      await app?.close();
      await scratch.drop();
    }
  });
});
