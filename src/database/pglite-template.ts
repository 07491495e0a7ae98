import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findMigrationsDir, readMigrations, type Migration } from './migrations.js';

/**
 * A prebuilt PGlite data directory: initdb run and every migration applied, made once by the build
 * (`npm run build`, and the build `npm start` runs when the sources changed) and copied into each
 * new data directory.
 *
 * Without it the first start on a new DATA_DIR ran PostgreSQL's initdb in WebAssembly: a second
 * PGlite instance and the initdb program beside the real one, ~10 s and ~800 MB of memory on a
 * 2-core machine, then the migrations. Copying 40 MB of files takes a fraction of a second, and the
 * instance then opens an existing database as on every later start (docs/performance.md).
 *
 * A template is only used when it was made by the same PGlite version with the same migrations
 * (its key, below); otherwise, or when there is none, PGlite runs initdb as before.
 */

/** Bumped when what a template holds changes in a way the key does not see. */
const TEMPLATE_FORMAT = 1;

const KEY_FILE = 'key';
const DATA = 'pgdata';

/** Where the template lives: dist/pglite-template at the project root (beside prisma/). */
export function templateDirectory(migrationsDir = findMigrationsDir()): string {
  return path.join(path.dirname(path.dirname(migrationsDir)), 'dist', 'pglite-template');
}

/** Names what a template must have been made from to be used: the PGlite version and the migrations. */
export function templateKey(migrations: Migration[]): string {
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/index.cjs; its package.json is one level above dist/.
  const packageJson = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const hash = createHash('sha256').update(`format ${TEMPLATE_FORMAT}\npglite ${version}\n`);
  for (const migration of migrations) {
    hash.update(`${migration.name} ${migration.checksum}\n`);
  }
  return hash.digest('hex');
}

/** Whether `dir` holds a template made for `key`. */
function holdsTemplate(dir: string, key: string): boolean {
  const keyFile = path.join(dir, KEY_FILE);
  return existsSync(keyFile) && readFileSync(keyFile, 'utf8').trim() === key;
}

/** Whether `dir` is a PostgreSQL data directory already (initdb ran there). */
function isDataDirectory(dir: string): boolean {
  return existsSync(path.join(dir, 'PG_VERSION'));
}

/**
 * Fills `dir` (a PGlite data directory that does not exist yet or is empty) from the template, when
 * one matching the code is there. Returns whether it did. Copied beside `dir` and renamed into
 * place, so a process killed during the copy leaves no half-made database behind, only a leftover
 * the next start removes.
 */
export async function seedFromTemplate(dir: string, templateDir = templateDirectory()): Promise<boolean> {
  if (isDataDirectory(dir) || (existsSync(dir) && readdirSync(dir).length > 0)) {
    return false;
  }
  if (!holdsTemplate(templateDir, templateKey(await readMigrations()))) {
    return false;
  }
  const staging = `${dir}.seeding`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(path.join(templateDir, DATA), staging, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return true;
}

/**
 * Makes the template unless one matching the code is there: `create(dir)` must leave a closed
 * PGlite database, migrated, in `dir`. Built beside the old one and swapped in whole. Returns
 * whether it made one.
 */
export async function ensureTemplate(
  create: (dataDir: string) => Promise<void>,
  templateDir = templateDirectory(),
): Promise<boolean> {
  const key = templateKey(await readMigrations());
  if (holdsTemplate(templateDir, key)) {
    return false;
  }
  const building = `${templateDir}.building`;
  rmSync(building, { recursive: true, force: true });
  await create(path.join(building, DATA));
  writeFileSync(path.join(building, KEY_FILE), `${key}\n`);
  rmSync(templateDir, { recursive: true, force: true });
  renameSync(building, templateDir);
  return true;
}
