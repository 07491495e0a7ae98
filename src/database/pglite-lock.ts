import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * PGlite is PostgreSQL compiled to WebAssembly, running inside the process that opened it: two
 * processes opening the same directory would each believe they own the files, and corrupt them.
 * Every process that opens a PGlite directory (the service, `npm run apikey`) first creates
 * `<dir>.lock` exclusively (O_EXCL), holding who it is; the second one is refused with a message
 * that names the holder. The lock goes when the database is closed, or the process exits.
 */

/** Who holds a lock, as written in the lock file. */
export type LockOwner = { pid: number; host: string; holder: string; since: string };

export type PgliteLock = { path: string; release(): void };

export class DatabaseInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly lockPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(inUseMessage(dir, lockPath, owner));
    this.name = 'DatabaseInUseError';
  }
}

// A lock file this young without readable content is being written right now, not abandoned.
const UNREADABLE_GRACE_MS = 10_000;

/** The lock paths this process holds, so a second open in the same process is refused too. */
const held = new Map<string, string>();
let exitHookInstalled = false;

export function lockFileOf(dir: string): string {
  return `${dir.replace(/[/\\]+$/, '')}.lock`;
}

/**
 * Takes the lock of the PGlite directory `dir` for `holder` (how the message names this process:
 * "the running service", "the apikey command"), or throws DatabaseInUseError. A lock left by a
 * process that no longer runs on this machine is taken over.
 */
export function lockPgliteDirectory(dir: string, holder: string): PgliteLock {
  const lockPath = lockFileOf(dir);
  if (held.has(lockPath)) {
    throw new DatabaseInUseError(dir, lockPath, readOwner(lockPath));
  }
  const content = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    holder,
    since: new Date().toISOString(),
  } satisfies LockOwner);
  // Two attempts: the second after removing a stale lock.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, content);
      } finally {
        closeSync(fd);
      }
      held.set(lockPath, content);
      installExitHook();
      return { path: lockPath, release: () => release(lockPath) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const found = readLockFile(lockPath);
      if (found === undefined || !isStale(found, lockPath)) {
        throw new DatabaseInUseError(dir, lockPath, found === undefined ? undefined : parseOwner(found));
      }
      removeIfUnchanged(lockPath, found);
    }
  }
  throw new DatabaseInUseError(dir, lockPath, readOwner(lockPath));
}

function release(lockPath: string): void {
  const content = held.get(lockPath);
  if (content === undefined) {
    return;
  }
  held.delete(lockPath);
  removeIfUnchanged(lockPath, content);
}

// Synchronous, so it also runs on process.exit(): a crashed boot does not leave the directory locked.
function installExitHook(): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => [...held.keys()].forEach(release));
  }
}

function isStale(content: string, lockPath: string): boolean {
  const owner = parseOwner(content);
  if (owner === undefined) {
    return ageMs(lockPath) > UNREADABLE_GRACE_MS;
  }
  if (owner.host !== hostname()) {
    // Another machine or container sharing the volume: its pids mean nothing here.
    return false;
  }
  // Our own pid, yet not held by us: a previous run of a container's pid 1 (or a reused pid).
  return owner.pid === process.pid || !isAlive(owner.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Removes the file only if it still says what we read, so a lock someone just took is not removed.
function removeIfUnchanged(lockPath: string, expected: string): void {
  if (readLockFile(lockPath) === expected) {
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  }
}

function readLockFile(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  const content = readLockFile(lockPath);
  return content === undefined ? undefined : parseOwner(content);
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? {
          pid: value.pid,
          host: value.host,
          holder: typeof value.holder === 'string' ? value.holder : 'another process',
          since: typeof value.since === 'string' ? value.since : '?',
        }
      : undefined;
  } catch {
    return undefined;
  }
}

function ageMs(lockPath: string): number {
  try {
    return Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    return 0;
  }
}

function inUseMessage(dir: string, lockPath: string, owner: LockOwner | undefined): string {
  if (owner === undefined) {
    return `The database under ${dir} is in use by another process (${lockPath} exists): stop it, or run against DATABASE_URL.`;
  }
  const where = owner.host === hostname() ? '' : ` on host ${owner.host}`;
  const advice =
    owner.host === hostname()
      ? ''
      : ` If that process is gone (a stopped container), delete ${lockPath} and try again.`;
  return (
    `The database under ${dir} is in use by ${owner.holder} (pid ${owner.pid}${where}, since ${owner.since}): ` +
    `stop it, or run against DATABASE_URL.${advice}`
  );
}
