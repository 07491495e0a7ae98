import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { hashApiKey } from '../src/auth/api-key.js';
import { runApiKeyCommand } from '../src/cli/apikey-command.js';
import { startTestApp, type TestApp } from './support/app.js';
import { useTempDir } from './support/embedded-database.js';
import { APIKEY_CLI, SERVICE_MAIN } from './support/service-bundle.js';
import { at } from '../src/common/at.js';

// `npm run apikey` end to end, as an operator runs it: a separate process on the service's data
// directory (embedded PGlite, whatever DATABASE_URL says: the point is the directory and its lock).

const ROOT = join(import.meta.dirname, '..');

// Each process opens the embedded database (`npm run apikey` also compiles TypeScript with tsx):
// a few seconds alone, but a minute or more on 2 cores while other test files run (the whole
// suite does). These bounds only stop a process that hangs; no assertion depends on how long
// anything takes.
const PROCESS_LIMIT_MS = 180_000;
vi.setConfig({ testTimeout: 4 * PROCESS_LIMIT_MS, hookTimeout: PROCESS_LIMIT_MS });
const KEY_LINE = /^ep_[A-Za-z0-9_-]{43}$/;

type Run = { code: number; stdout: string; stderr: string };

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: PROCESS_LIMIT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * The command's own function (src/cli/apikey.ts runs it, and exits with its code), in this process:
 * what `npm run apikey` does, without the seconds (more under load) of a process loading the CLI
 * and PGlite for each run. The process itself, its exit codes and the lock between two
 * processes are proved by the runs that spawn it (`npm run apikey`, the "in use" refusal).
 */
async function runInProcess(args: string[], env: Record<string, string>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runApiKeyCommand(
    args,
    { out: (line) => (stdout += `${line}\n`), err: (line) => (stderr += `${line}\n`) },
    { ...process.env, ...env },
  );
  return { code, stdout, stderr };
}

const lines = (text: string) => text.trimEnd().split('\n');

describe('npm run apikey (e2e)', () => {
  const dataDir = useTempDir('keys').path;
  const env = { DATABASE_URL: '', DATA_DIR: dataDir };
  const apikey = (...args: string[]) => runInProcess(args, env);
  const apikeyProcess = (...args: string[]) => run(process.execPath, [APIKEY_CLI, ...args], env);
  let portalKey: string;
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
  });

  it('create prints the key once, alone on its last line, and stores only its hash', async () => {
    const created = await run(
      'npm',
      [
        'run',
        '-s',
        'apikey',
        '--',
        'create',
        '--name',
        'portal',
        '--scopes',
        'plans:read,plans:write',
        '--team',
        'payments',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const out = lines(created.stdout);
    portalKey = out.at(-1) ?? '';
    expect(portalKey).toMatch(KEY_LINE);
    expect(out.length).toBeGreaterThan(1);
    expect(out.slice(0, -1).join('\n')).not.toContain(portalKey);
    expect(created.stdout).toMatch(/scopes plans:read, plans:write; team payments/);

    const listed = await apikey('list', '--json');
    expect(listed.code).toBe(0);
    const [record] = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(record).toMatchObject({ name: 'portal', scopes: ['plans:read', 'plans:write'], team: 'payments' });
    expect(record).not.toHaveProperty('hash');
    expect(listed.stdout).not.toContain(portalKey);
    expect(listed.stdout).not.toContain(hashApiKey(portalKey));

    const table = await apikey('list');
    expect(table.stdout).toMatch(/^NAME\s+SCOPES\s+TEAM\s+CREATED\s+LAST USED\s+STATUS$/m);
    expect(table.stdout).toMatch(/^portal\s+plans:read,plans:write\s+payments\s+\S+ \S+\s+never\s+active$/m);
  });

  it("prints the usage and exits 0 for a subcommand's --help or -h", async () => {
    for (const args of [
      ['create', '--help'],
      ['list', '-h'],
      ['revoke', '--help'],
    ]) {
      const help = await apikey(...args);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toMatch(/^Usage:\n {2}npm run apikey -- create/);
      expect(help.stderr).toBe('');
    }
  });

  it('refuses bad input with every problem and exit code 2, and a name twice', async () => {
    const bad = await apikey('create', '--name', 'ok', '--scopes', 'plans:read,root', '--team', 'Not A Team');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--scopes: each must be one of plans:read, plans:write, admin/);
    expect(bad.stderr).toMatch(/--team: lower-case/);
    expect(bad.stdout).toBe('');
    expect((await apikey('create', '--scopes', 'admin')).stderr).toMatch(/--name is required/);
    expect((await apikey('frobnicate')).code).toBe(2);
    const twice = await apikey('create', '--name', 'portal', '--scopes', 'admin');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/A key named "portal" already exists/);
  });

  it('says clearly that the database is in use while the service holds it, and never opens it', async () => {
    t = await startTestApp({ databaseUrl: undefined, dataDir }, { withAdminKey: false });
    // The service sees the key the CLI made.
    await t.apiAs(portalKey).get('/v1/plans').expect(200);
    await t.apiAs(null).get('/v1/plans').expect(401);

    // Another process, as an operator's would be: the lock is between processes.
    const busy = await apikeyProcess('create', '--name', 'late', '--scopes', 'admin');
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(
      `The database under ${join(dataDir, 'pglite')} is in use by the running service (pid ${process.pid}`,
    );
    expect(busy.stderr).toContain('stop it, or run against DATABASE_URL');
    expect(busy.stdout).not.toMatch(/ep_/);
    // The service is unharmed.
    await t.apiAs(portalKey).get('/v1/plans').expect(200);
    await t.close();
    t = undefined;

    // Stopped: the command works again, and the refused key was never made.
    const listed = JSON.parse((await apikey('list', '--json')).stdout) as { name: string; lastUsedAt: string | null }[];
    expect(listed.map((k) => k.name)).toEqual(['portal']);
    expect(at(listed, 0).lastUsedAt).not.toBeNull();
  });

  it('revoke stops a key; revoking an unknown name fails', async () => {
    const revoked = await apikey('revoke', 'portal');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked "portal"/);
    expect((await apikey('revoke', 'portal')).stdout).toMatch(/already revoked/);
    expect((await apikey('list')).stdout).toMatch(/^portal\s.*revoked \S+ \S+$/m);
    const unknown = await apikey('revoke', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No key is named "nobody"/);

    t = await startTestApp({ databaseUrl: undefined, dataDir }, { withAdminKey: false });
    const refused = await t.apiAs(portalKey).get('/v1/plans').expect(401);
    expect(refused.body.detail).toMatch(/revoked/);
    await t.close();
    t = undefined;
  });
});

describe('keys never reach the logs (e2e, the real service)', () => {
  const dataDir = useTempDir('logs').path;
  const env = { DATABASE_URL: '', DATA_DIR: dataDir };

  async function freePort(): Promise<number> {
    return new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
  }

  it('logs nothing of a valid, revoked, unknown or malformed key at the most verbose level', async () => {
    const make = async (name: string, scopes: string) => {
      const created = await runInProcess(['create', '--name', name, '--scopes', scopes], env);
      expect(created.code, created.stderr).toBe(0);
      return lines(created.stdout).at(-1) ?? '';
    };
    const valid = await make('dashboards', 'plans:read');
    const revoked = await make('old-bot', 'admin');
    expect((await runInProcess(['revoke', 'old-bot'], env)).code).toBe(0);
    const unknown = `ep_${'A'.repeat(43)}`;

    const port = await freePort();
    const service = spawn(process.execPath, [SERVICE_MAIN], {
      cwd: ROOT,
      env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'verbose' },
    });
    let output = '';
    service.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => service.on('exit', () => resolve()));
    try {
      await waitFor(
        () => /Listening on/.test(output),
        PROCESS_LIMIT_MS,
        () => output,
      );
      const base = `http://127.0.0.1:${port}`;
      const call = (path: string, authorization: string, init: RequestInit = {}) =>
        fetch(`${base}${path}`, { ...init, headers: { ...init.headers, authorization } });
      expect((await call('/v1/plans', `Bearer ${valid}`)).status).toBe(200);
      expect((await call('/v1/plans', `Bearer ${revoked}`)).status).toBe(401);
      expect((await call('/v1/plans', `Bearer ${unknown}`)).status).toBe(401);
      expect((await call('/v1/plans', `Token ${valid}`)).status).toBe(401);
      const graphql = await call('/graphql', `Bearer ${valid}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ planStats { totalPlans } }' }),
      });
      expect(graphql.status).toBe(200);
      expect((await call('/v1/plans', `Bearer ${valid}`, { method: 'POST' })).status).toBe(403);
    } finally {
      service.kill('SIGTERM');
      const killer = setTimeout(() => service.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }

    expect(output).toMatch(/Listening on/);
    for (const key of [valid, revoked, unknown]) {
      expect(output).not.toContain(key);
      // Nor the random part alone, nor what is stored.
      expect(output).not.toContain(key.slice(3));
      expect(output).not.toContain(hashApiKey(key));
    }
  });
});

async function waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out; output so far:\n${describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
