import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { APIKEY_CLI, SERVICE_MAIN } from './service-bundle.js';

/**
 * The service, and the API key CLI, as processes of their own: from the bundle vitest's globalSetup
 * makes of the sources each run (service-bundle.ts says why not tsx).
 */

const ROOT = join(import.meta.dirname, '..', '..');

/** A free TCP port on loopback (listen on 0, note it, let it go). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** `npm run apikey -- create`: the key it prints, alone on its last line. */
export async function createKeyWithCli(env: Record<string, string>, name: string, scopes: string): Promise<string> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [APIKEY_CLI, 'create', '--name', name, '--scopes', scopes],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, out, err) => (error ? reject(new Error(`apikey create failed: ${err}`)) : resolve(out)),
    );
  });
  return stdout.trimEnd().split('\n').at(-1) ?? '';
}

export type ServiceProcess = {
  child: ChildProcess;
  port: number;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Starts the service (src/main.ts, bundled) on a free loopback port with `env` over this process's; resolves once it listens. */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVICE_MAIN], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = exitOf(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await vi.waitFor(() => expect(output).toContain('Listening on'), { timeout: 120_000, interval: 100 });
  return { child, port, output: () => output, exited };
}

/** The JSON log lines of a service's output. */
export function logLines(output: string): { msg?: string; context?: string }[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; context?: string });
}

/** Whether a new TCP connection to the port is accepted or refused (ECONNREFUSED once the service stopped listening). */
export function connectOutcome(port: number): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** After a test that started `service`: a SIGKILL if it is still running (a failed test leaves no process behind). */
export function killIfRunning(service: ServiceProcess | undefined): void {
  if (service && service.child.exitCode === null) {
    service.child.kill('SIGKILL');
  }
}
