import { connect } from 'node:net';
import { migrateServer } from '../src/database/migrations.js';
import { SERVER_DATABASE_URL, uniqueName } from './support/app.js';
import { useTempDir } from './support/embedded-database.js';
import { generateTopology } from './support/generate-topology.js';
import { parseRawAnswer, type RawAnswer } from './support/raw-http.js';
import {
  connectOutcome,
  createKeyWithCli,
  killIfRunning,
  logLines,
  startService,
  type ServiceProcess,
} from './support/service-process.js';

/**
 * A POST on a raw socket whose reader stops at the first bytes of the answer, so that the rest of
 * it stays in the server's hands (the kernel's buffers hold far less than a large answer) until
 * `resume` is called. The first bytes prove the server has ended the response: Fastify writes a
 * JSON answer in one `end()`.
 */
function postAndHold(port: number, path: string, payload: unknown, authorization: string) {
  const body = Buffer.from(JSON.stringify(payload));
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let error: string | undefined;
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  const firstBytes = new Promise<void>((resolve) =>
    socket.once('data', (chunk: Buffer) => {
      chunks.push(chunk);
      socket.pause();
      socket.on('data', (more: Buffer) => chunks.push(more));
      resolve();
    }),
  );
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n` +
      (authorization ? `Authorization: ${authorization}\r\n` : '') +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  socket.write(body);
  return {
    firstBytes,
    /** Reads again: every byte until the server closes the connection, and the socket's error if any. */
    resume: async (): Promise<RawAnswer & { error?: string | undefined }> => {
      socket.resume();
      await closed;
      return { ...parseRawAnswer(Buffer.concat(chunks)), error };
    },
  };
}

describe('SIGTERM while large answers are being written', () => {
  const dataDir = useTempDir('shutdown').path;
  // The embedded database in its own directory, or the server when DATABASE_URL is set (CI's second pass).
  // A generous request timeout: planning 2,000 components on a loaded machine must not turn into a 503.
  const env = {
    DATABASE_URL: SERVER_DATABASE_URL ?? '',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // Two 2,000-component plans take seconds alone, but past a minute on 2 cores while the rest of
    // the suite runs: a deadline that only a hung request reaches, so the answers are never 503.
    REQUEST_TIMEOUT_MS: '240000',
  };
  let service: ServiceProcess | undefined;

  afterAll(() => killIfRunning(service));

  it('writes both answers to their last byte, then closes their connections and exits 0', async () => {
    // A fresh embedded database is in protected mode (loopback callers need no key); the shared
    // server has keys of other tests, so a key of this test's own.
    let authorization = '';
    if (SERVER_DATABASE_URL) {
      await migrateServer(SERVER_DATABASE_URL);
      authorization = `Bearer ${await createKeyWithCli(env, uniqueName('shutdown'), 'plans:read,plans:write')}`;
    }
    service = await startService(env);
    const { port } = service;
    const names = [uniqueName('large-a'), uniqueName('large-b')];
    const held = names.map((name) =>
      postAndHold(port, '/v1/plans', { ...generateTopology(2_000), name }, authorization),
    );
    await Promise.all(held.map(({ firstBytes }) => firstBytes));

    service.child.kill('SIGTERM');
    // Refused connections mean the server has been closed, and with it every connection Node deemed idle.
    await vi.waitFor(async () => expect(await connectOutcome(port)).toBe('ECONNREFUSED'), {
      timeout: 30_000,
      interval: 50,
    });

    const answers = await Promise.all(held.map(({ resume }) => resume()));
    answers.forEach((answer, i) => {
      expect(answer.error).toBeUndefined();
      expect(answer.status).toBe(201);
      // Large answers, as in the report that found the loss (6.8 MB each).
      const contentLength = Number(answer.headers.get('content-length'));
      expect(contentLength).toBeGreaterThan(5_000_000);
      expect(answer.body.length).toBe(contentLength);
      expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ name: names[i], revision: 1 });
    });
    expect(await service.exited).toEqual({ code: 0, signal: null });
    const lines = logLines(service.output());
    // The access line is written once the answer is with the kernel: after the signal, so the
    // answers were still being written when it came (the kernel's buffers did not swallow them).
    const signalled = lines.findIndex((line) => line.msg?.startsWith('SIGTERM'));
    const answered = lines.flatMap((line, at) => (line.msg === 'request completed' ? [at] : []));
    expect(answered).toHaveLength(2);
    expect(answered.every((at) => at > signalled)).toBe(true);
    expect(lines.filter((line) => line.context === 'Shutdown').at(-1)?.msg).toBe('Stopped');
  }, 600_000);
});
