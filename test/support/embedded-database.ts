import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFromTemplate } from '../../src/database/pglite-template.js';

/**
 * Embedded databases for tests, made cheap.
 *
 * A PGlite in memory (`memory://`) runs PostgreSQL's initdb in WebAssembly every time it opens:
 * on this 2-core machine that was most of an e2e file's boot (a test app: 35-50 s under load, 10 s
 * from a copied directory), paid by each of the ~40 apps the suite starts, and by each service
 * process a test spawns on a new DATA_DIR. The service avoids it with its prebuilt data directory
 * (src/database/pglite-template.ts: a new DATA_DIR starts as a copy of dist/pglite-template), which
 * the build makes; vitest's globalSetup (global-setup.ts) makes it too, with the same CLI, when it
 * is missing or stale. Test apps then get a new, empty DATA_DIR each and the service seeds it as in
 * production: nothing is faked, and the app opens a migrated PostgreSQL data directory.
 */

/** A temporary directory of this test's own (`prefix` names it), and how to remove it. */
export type TempDir = { path: string; remove: () => void };

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `exposure-planner-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A temporary directory for the enclosing describe block (or file), removed after its tests. */
export function useTempDir(prefix: string): TempDir {
  const dir = tempDir(prefix);
  afterAll(dir.remove);
  return dir;
}

/**
 * A new PGlite data directory, copied from the prebuilt template (what a first start of the service
 * gets): migrated, and opened without initdb. For tests that open PGlite themselves (in process or
 * on its thread) rather than through an app. Throws when there is no template matching the code,
 * rather than letting PGlite run initdb unseen: vitest's globalSetup makes it.
 */
export async function templateCopy(prefix: string): Promise<TempDir> {
  const dir = tempDir(prefix);
  const data = join(dir.path, 'pglite');
  if (!(await seedFromTemplate(data))) {
    dir.remove();
    throw new Error('No PGlite template matching the code: test/support/global-setup.ts makes it (npx vitest run).');
  }
  return { path: data, remove: dir.remove };
}

/**
 * Empties the `public` schema: on a database copied from the template, what a database fresh from
 * initdb has (nothing in it, no migration applied), in ~0.1 s rather than initdb's 4-10 s. For a
 * test of migrating from nothing that shares one database with the other tests of its file.
 */
export const EMPTY_PUBLIC_SCHEMA = 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;';
