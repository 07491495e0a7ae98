import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaService } from '../src/database/prisma.service.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, startTestApp, uniqueName, type TestApp } from './support/app.js';

const ROOT = join(import.meta.dirname, '..');
const MIGRATIONS = join(ROOT, 'prisma', 'migrations');

/** Embedded PGlite on disk (the zero-setup default), whatever DATABASE_URL says: this is about PGlite. */
describe('storage on a PGlite directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'exposure-planner-'));
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the directory, migrates it, and keeps plans across a restart', async () => {
    t = await startTestApp({ databaseUrl: undefined, dataDir: join(dataDir, 'nested') });
    const name = uniqueName('persist');
    const created = (await t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name)).expect(201))
      .body as StoredPlan;
    await t.api().put(`/v1/plans/${created.id}`).send(fixtureTopology('demo-minikube', name)).expect(200);
    await t.close();
    t = undefined;

    t = await startTestApp({ databaseUrl: undefined, dataDir: join(dataDir, 'nested') });

    const revisions = (await t.api().get(`/v1/plans/${created.id}/revisions`).expect(200)).body.items as StoredPlan[];
    expect(revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect(revisions[1]).toEqual(created);
    await t.close();
    t = undefined;
  });

  it("records migrations in _prisma_migrations with Prisma's checksums, once", async () => {
    const db = new PGlite(join(dataDir, 'nested', 'pglite'));
    try {
      const { rows } = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      const onDisk = readdirSync(MIGRATIONS, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
      expect(rows.map((r) => r.migration_name)).toEqual(onDisk);
      for (const row of rows) {
        const sql = readFileSync(join(MIGRATIONS, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).not.toBeNull();
      }
    } finally {
      await db.close();
    }
  });

  it('leaves nothing for `npm run db:migrate` to apply', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'db:migrate'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: join(dataDir, 'nested') },
      timeout: 60_000,
    });
    expect(stdout).toContain('(none pending)');
  });

  it('answers 503 problems with Retry-After when the database is gone, and /health stays 200', async () => {
    t = await startTestApp({ databaseUrl: undefined, dataDir: join(dataDir, 'nested') });
    await t.api().get('/health/ready').expect(200);

    // Closing the database for good (as shutdown does) under the running app: not ready, and 503s.
    await t.app.get(PrismaService).onApplicationShutdown();

    const ready = await t.api().get('/health/ready').expect(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.headers['retry-after']).toMatch(/^\d+$/);
    expect(ready.body).toMatchObject({ status: 503, type: 'https://exposure-planner.dev/problems/unavailable' });
    const list = await t.api().get('/v1/plans').expect(503);
    expect(list.body.detail).not.toMatch(/PGlite|prisma/i);
    await t.api().get('/health').expect(200);
  });
});
