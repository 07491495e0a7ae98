import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteDirectory } from '../../src/database/pglite-start.js';
import { ensureTemplate, seedFromTemplate } from '../../src/database/pglite-template.js';
import { startPgliteThread } from '../../src/database/pglite-thread.js';

/**
 * Embedded databases for tests, made cheap.
 *
 * A PGlite in memory (`memory://`) runs PostgreSQL's initdb in WebAssembly every time it opens:
 * on this 2-core machine that was most of an e2e file's boot (a test app: 35-50 s under load, 10 s
 * from a copied directory), paid by each of the ~40 apps the suite starts. The service itself
 * avoids it with a prebuilt data directory (src/database/pglite-template.ts) that the build makes;
 * tests make the same template once per code version (vitest's globalSetup, global-setup.ts) and
 * give each app a copy of it in a directory of its own. That is the path a first start of the
 * built service takes, so nothing is faked: the app opens a migrated PostgreSQL data directory.
 */

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Where the tests' template lives: kept between runs (it is remade only when PGlite or the
 * migrations change), away from dist/ so that tests neither need a build nor disturb one.
 */
export const TEST_TEMPLATE_DIR = join(ROOT, 'node_modules', '.cache', 'exposure-planner-tests', 'pglite-template');

/** Makes the tests' template unless one for this code is there; whether it made one. */
export function ensureTestTemplate(): Promise<boolean> {
  return ensureTemplate(async (dataDir) => {
    mkdirSync(dataDir, { recursive: true });
    // The thread the service opens PGlite with, as src/database/pglite-template.cli.ts does.
    const thread = startPgliteThread(dataDir);
    try {
      await thread.migrate();
    } finally {
      // Closed cleanly: PostgreSQL checkpoints, so a copy opens without recovery.
      await thread.stop();
    }
  }, TEST_TEMPLATE_DIR);
}

/** A temporary directory of this test's own (`prefix` names it), and how to remove it. */
export type TempDir = { path: string; remove: () => void };

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `exposure-planner-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A new DATA_DIR whose PGlite database is a copy of the tests' template: migrated, ready to open
 * without initdb. Without a template (a run that skipped the global setup), it is an empty
 * directory and PGlite runs initdb there: slower, never wrong.
 */
export async function seededDataDir(prefix = 'data'): Promise<TempDir> {
  const dir = tempDir(prefix);
  await seedFromTemplate(pgliteDirectory(dir.path), TEST_TEMPLATE_DIR);
  return dir;
}

/**
 * A DATA_DIR for the enclosing describe block (or file), seeded as seededDataDir before its tests
 * (a service process or CLI run on it then opens a migrated database instead of running initdb),
 * removed after them.
 */
export function useSeededDataDir(prefix: string): TempDir {
  const dir = useTempDir(prefix);
  beforeAll(() => seedFromTemplate(pgliteDirectory(dir.path), TEST_TEMPLATE_DIR));
  return dir;
}

/** A temporary directory for the enclosing describe block (or file), removed after its tests. */
export function useTempDir(prefix: string): TempDir {
  const dir = tempDir(prefix);
  afterAll(dir.remove);
  return dir;
}
