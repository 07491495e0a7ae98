import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseInUseError, lockFileOf, lockPgliteDirectory } from './pglite-lock.js';

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe(lockPgliteDirectory.name, () => {
  let root: string;
  let dir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pglite-lock-'));
    dir = join(root, 'pglite');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeLock = (owner: Record<string, unknown>) => writeFileSync(lockFileOf(dir), JSON.stringify(owner));

  it('creates <dir>.lock naming this process, and removes it on release', () => {
    const lock = lockPgliteDirectory(dir, 'the running service');
    expect(lock.path).toBe(join(root, 'pglite.lock'));
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      holder: 'the running service',
    });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    // Free again.
    lockPgliteDirectory(dir, 'again').release();
  });

  it('refuses a second holder in the same process, saying who holds it', () => {
    const lock = lockPgliteDirectory(dir, 'the running service');
    try {
      expect(() => lockPgliteDirectory(dir, 'the apikey command')).toThrow(DatabaseInUseError);
      expect(() => lockPgliteDirectory(dir, 'the apikey command')).toThrow(
        `The database under ${dir} is in use by the running service (pid ${process.pid}`,
      );
    } finally {
      lock.release();
    }
  });

  it('refuses while another live process on this machine holds it, and says to stop it or use DATABASE_URL', () => {
    writeLock({ pid: process.ppid, host: hostname(), holder: 'the running service', since: '2026-01-01T00:00:00Z' });
    expect(() => lockPgliteDirectory(dir, 'the apikey command')).toThrow(
      new RegExp(`in use by the running service \\(pid ${process.ppid}, .*\\): stop it, or run against DATABASE_URL`),
    );
    // Untouched: the holder keeps its lock.
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8')).pid).toBe(process.ppid);
  });

  it('takes over a lock left by a process that no longer runs', () => {
    writeLock({ pid: deadPid(), host: hostname(), holder: 'the running service', since: '2026-01-01T00:00:00Z' });
    const lock = lockPgliteDirectory(dir, 'the apikey command');
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('never takes over a lock from another host (a container sharing the volume): it cannot tell', () => {
    writeLock({ pid: deadPid(), host: 'another-container', holder: 'the running service', since: 'x' });
    expect(() => lockPgliteDirectory(dir, 'the apikey command')).toThrow(
      /on host another-container.*delete .*pglite\.lock/,
    );
  });

  it('waits out a lock file being written (unreadable and fresh), and takes over an old unreadable one', () => {
    writeFileSync(lockFileOf(dir), '');
    expect(() => lockPgliteDirectory(dir, 'x')).toThrow(DatabaseInUseError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFileOf(dir), old, old);
    lockPgliteDirectory(dir, 'x').release();
  });
});
