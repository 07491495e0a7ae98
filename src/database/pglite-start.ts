import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { IN_MEMORY } from '../config/config.js';
import { lockPgliteDirectory, type PgliteLock } from './pglite-lock.js';
import { startPgliteThread, type PgliteThread } from './pglite-thread.js';

/**
 * Opening embedded PGlite: its directory locked, its thread started, its migrations applied.
 *
 * PGlite takes seconds to open (its WebAssembly compiled, PostgreSQL started), and so does loading
 * the app's modules (Nest, Fastify, Apollo, Prisma: ~1,000 files). They used to run one after the
 * other, since the database was opened by the Prisma service, after every module was loaded. main.ts
 * now opens it first (`openPgliteEarly`), and its thread works while the main thread loads the app;
 * the Prisma service then takes the instance already under way (`takePglite`).
 */
export type OpenPglite = {
  dir: string;
  lock: PgliteLock | undefined;
  thread: PgliteThread;
  /** The migrations applied on the thread, started as soon as it was. */
  migrated: Promise<string[]>;
};

/** Where PGlite keeps its files for DATA_DIR `dataDir`. */
export function pgliteDirectory(dataDir: string): string {
  return dataDir === IN_MEMORY ? IN_MEMORY : path.resolve(dataDir, 'pglite');
}

let early: OpenPglite | undefined;

/**
 * Starts opening the PGlite of `dataDir` now, for `takePglite` to take later in this process.
 * Throws DatabaseInUseError as `takePglite` would, before anything else is loaded.
 */
export function openPgliteEarly(dataDir: string, holder: string): void {
  early ??= openPglite(dataDir, holder);
}

/** The PGlite of `dataDir` that `openPgliteEarly` started, or a new one. */
export function takePglite(dataDir: string, holder: string): OpenPglite {
  const started = early;
  if (started && started.dir === pgliteDirectory(dataDir)) {
    early = undefined;
    return started;
  }
  return openPglite(dataDir, holder);
}

function openPglite(dataDir: string, holder: string): OpenPglite {
  const dir = pgliteDirectory(dataDir);
  if (dir !== IN_MEMORY) {
    // PGlite does not create missing parent directories.
    mkdirSync(dir, { recursive: true });
  }
  // One process per directory: a second PGlite on the same files would corrupt them.
  const lock = dir === IN_MEMORY ? undefined : lockPgliteDirectory(dir, holder);
  let thread: PgliteThread;
  try {
    thread = startPgliteThread(dir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const migrated = thread.migrate();
  // Awaited by the Prisma service's prepare(); until then a failure must not count as unhandled.
  migrated.catch(() => undefined);
  return { dir, lock, thread, migrated };
}
