import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { EMPTY_PUBLIC_SCHEMA, templateCopy, type TempDir } from '../../test/support/embedded-database.js';
import {
  applyMigrations,
  checksumMatches,
  findMigrationsDir,
  pendingMigrations,
  readMigrations,
  type MigrationSession,
} from './migrations.js';
import { NO_FILTERS, openSchemaEngine, readMigrationsList } from './schema-engine.js';
import { at } from '../common/at.js';

const MIGRATIONS_DIR = findMigrationsDir();
const SCHEMA_PATH = path.join(path.dirname(MIGRATIONS_DIR), 'schema.prisma');

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** A PGlite instance as the runner's session (the service's own is in its thread, pglite-host.ts). */
function sessionOf(db: PGlite): MigrationSession {
  const on = (q: Pick<PGlite, 'query' | 'exec'>) => ({
    query: async <T>(sql: string, params: unknown[] = []) => (await q.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  });
  return { ...on(db), transaction: (fn) => db.transaction((tx) => fn(on(tx))).then(() => undefined) };
}

/**
 * Prisma's schema engine (what `npm run db:migrate` ran until the runners became one) on `db`. Its
 * shadow database (where `diff` applies the migrations) is `db` too, emptied as each test's is:
 * the adapter's own would be a new in-memory PGlite, initdb and all.
 */
const prismaEngineOn = (db: PGlite) => {
  const adapterFactory = new PrismaPGlite(db);
  adapterFactory.connectToShadowDb = () => adapterFactory.connect();
  return openSchemaEngine({ schemaPath: SCHEMA_PATH, adapterFactory });
};

describe(checksumMatches.name, () => {
  const script = 'CREATE TABLE "A" (id int);\nCREATE INDEX "A_id" ON "A"(id);\n';

  it("matches the SHA-256 of the script, in hex, as Prisma's engine records it", () => {
    expect(checksumMatches(script, sha256(script).toString('hex'))).toBe(true);
    expect(checksumMatches(`${script}-- edited\n`, sha256(script).toString('hex'))).toBe(false);
  });

  it('matches whichever line endings the script was checked out with when it was applied', () => {
    const crlf = script.replaceAll('\n', '\r\n');
    expect(checksumMatches(script, sha256(crlf).toString('hex'))).toBe(true);
    expect(checksumMatches(crlf, sha256(script).toString('hex'))).toBe(true);
  });

  it('matches the unpadded hex an early schema engine wrote (prisma/prisma-engines#1887)', () => {
    // A digest with bytes below 0x10, so the old rendering is shorter than 64 characters.
    const withSmallBytes = Array.from({ length: 200 }, (_, i) => `${script}-- ${i}\n`).find((s) =>
      [...sha256(s)].some((byte) => byte < 0x10),
    ) as string;
    const unpadded = [...sha256(withSmallBytes)].map((byte) => byte.toString(16)).join('');
    expect(unpadded.length).toBeLessThan(64);
    expect(checksumMatches(withSmallBytes, unpadded)).toBe(true);
    expect(checksumMatches(script, unpadded)).toBe(false);
  });
});

// Prisma's engine is WebAssembly, compiled once per process: seconds, more on a busy machine.
// One PGlite for the file, copied from the prebuilt template; each test starts on an empty public
// schema, what a new database has (a new in-memory PGlite per test ran initdb each time).
describe('the migration runner and databases migrated before it', { timeout: 180_000 }, () => {
  let dataDir: TempDir;
  let db: PGlite;

  beforeAll(async () => {
    dataDir = await templateCopy('migrations');
    db = new PGlite(dataDir.path);
  });

  beforeEach(async () => {
    await db.exec(EMPTY_PUBLIC_SCHEMA);
  });

  afterAll(async () => {
    await db?.close();
    dataDir?.remove();
  });

  it("accepts a database Prisma's own engine migrated, and finds nothing to apply", async () => {
    const engine = await prismaEngineOn(db);
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrationsList(MIGRATIONS_DIR),
      filters: NO_FILTERS,
    });
    const onDisk = (await readMigrations()).map((m) => m.name);
    expect(appliedMigrationNames).toEqual(onDisk);

    expect(await applyMigrations(sessionOf(db))).toEqual([]);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(at(rows, 0).n).toBe(onDisk.length);
  });

  it("leaves nothing for Prisma's engine to apply after it migrated a database", async () => {
    const applied = await applyMigrations(sessionOf(db));
    expect(applied).toEqual((await readMigrations()).map((m) => m.name));

    const engine = await prismaEngineOn(db);
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrationsList(MIGRATIONS_DIR),
      filters: NO_FILTERS,
    });
    expect(appliedMigrationNames).toEqual([]);
  });

  it('accepts checksums recorded from CRLF checkouts, and refuses a migration edited after it was applied', async () => {
    await applyMigrations(sessionOf(db));
    const migrations = await readMigrations();
    const first = at(migrations, 0);
    const second = at(migrations, 1);
    const crlf = sha256(first.sql.replaceAll('\n', '\r\n')).toString('hex');
    await db.query('UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2', [crlf, first.name]);
    expect(await pendingMigrations(sessionOf(db), await readMigrations())).toEqual([]);

    const edited = sha256(`${second.sql}\n-- edited`).toString('hex');
    await db.query('UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2', [edited, second.name]);
    await expect(pendingMigrations(sessionOf(db), await readMigrations())).rejects.toThrow(
      `Migration ${second.name} was edited after it was applied`,
    );
  });

  it('keeps prisma/migrations in step with schema.prisma (a change to the schema needs its migration)', async () => {
    const engine = await prismaEngineOn(db);
    const { stdout } = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationsList(MIGRATIONS_DIR)) },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, 'utf8') }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    expect((stdout ?? '').trim()).toMatch(/^-- This is an empty migration\.?$|^$/);
  });
});
