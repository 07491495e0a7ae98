import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
