import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { migrateServer } from '../src/database/migrations.js';
import { SERVER_DATABASE_URL, startTestApp, type TestApp } from './support/app.js';
import { createWhileTheDatabaseGoes, expectServedOrUnavailable, plansWithoutTheirRevision } from './support/outage.js';

/*
 * The PostgreSQL server going away. Collected only when DATABASE_URL names a server (vitest.config.ts):
 * the embedded run has no server to lose, and the same behaviour on PGlite is in failures.e2e-spec.ts.
 */

/** A TCP proxy in front of the PostgreSQL server: stopping it is the server going away, for this app only. */
class StoppableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.upstreamPort, this.upstreamHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and cuts the open ones, as a server that stopped or crashed does. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe('the PostgreSQL server goes away (DATABASE_URL)', () => {
  let t: TestApp;
  let proxy: StoppableProxy;

  beforeAll(async () => {
    const url = new URL(SERVER_DATABASE_URL ?? '');
    await migrateServer(url.toString());
    proxy = new StoppableProxy(url.hostname, Number(url.port || 5432));
    await proxy.start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    t = await startTestApp({ databaseUrl: url.toString(), logLevel: 'silent' });
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
  });

  it('answers 503 problems with Retry-After and readiness 503 while it is away, and recovers without a restart', async () => {
    const before = await t.createPlan('pg-before');

    await proxy.stop();

    const down = await Promise.all(
      ['/v1/plans', `/v1/plans/${before.id}`, '/health/ready'].map(async (path) => {
        const res = await t.api().get(path);
        return { status: res.status, headers: res.headers, body: res.body };
      }),
    );
    expect(down.map((a) => a.status)).toEqual([503, 503, 503]);
    expectServedOrUnavailable(down);
    await t.api().get('/health').expect(200);

    await proxy.start();

    // The pool opens new connections by itself: no restart, no reconnect call.
    await t.api().get('/health/ready').expect(200);
    await t.api().get(`/v1/plans/${before.id}`).expect(200);
  });

  it('never leaves a partial plan when the connection drops in the middle of concurrent writes', async () => {
    const answers = await createWhileTheDatabaseGoes(t, () => proxy.stop());
    await proxy.start();

    expectServedOrUnavailable(answers);
    await t.api().get('/health/ready').expect(200);
    expect(await plansWithoutTheirRevision(t)).toBe(0);
  });
});
