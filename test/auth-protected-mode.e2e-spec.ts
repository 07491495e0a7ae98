import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApp } from '../src/app.factory.js';
import { UnsafeListenError } from '../src/auth/protected-mode.js';
import { startTestApp, useTestApp, type TestApp } from './support/app.js';
import { useTempDir } from './support/embedded-database.js';
import { SERVICE_MAIN } from './support/service-bundle.js';

// Protected mode: while no API key exists, only this machine is served, and the service refuses
// to listen anywhere else. Always on embedded PGlite, whatever DATABASE_URL says: a shared server
// has other files' keys in it.

const ROOT = join(import.meta.dirname, '..');

type Injected = { statusCode: number; headers: Record<string, unknown>; json(): Record<string, unknown> };

/** A request as if from `remoteAddress`, through Fastify's inject (supertest always comes from 127.0.0.1). */
function from(t: TestApp, remoteAddress: string, url: string, init: { method?: string; body?: unknown } = {}) {
  return t.app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: (init.method ?? 'GET') as 'GET',
      url,
      remoteAddress,
      ...(init.body === undefined
        ? {}
        : { payload: init.body as object, headers: { 'content-type': 'application/json' } }),
    }) as Promise<Injected>;
}

describe('protected mode (no API key yet)', () => {
  const t = useTestApp({ databaseUrl: undefined }, { withAdminKey: false });

  it.each(['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1'])(
    'serves a loopback client (%s) without a key',
    async (address) => {
      expect((await from(t, address, '/v1/plans')).statusCode).toBe(200);
    },
  );

  it('serves this machine over a real socket too, on every transport', async () => {
    await t.apiAs(null).get('/v1/plans').expect(200);
    await t.apiAs(null).post('/graphql').send({ query: '{ planStats { totalPlans } }' }).expect(200);
    await t.apiAs(null).post('/v1/chat/command').send({ text: 'help' }).expect(200);
  });

  it.each(['10.1.2.3', '192.168.0.7', '::ffff:10.0.0.9', '2001:db8::5'])(
    'refuses %s with a 401 problem saying how to create a key',
    async (address) => {
      const response = await from(t, address, '/v1/plans');
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.json().detail).toMatch(/protected mode.*npm run apikey -- create/);
    },
  );

  it('refuses a remote GraphQL or chat-command caller alike, and leaves the probes and the docs open', async () => {
    const graphql = await from(t, '10.1.2.3', '/graphql', {
      method: 'POST',
      body: { query: '{ planStats { totalPlans } }' },
    });
    expect(graphql.statusCode).toBe(401);
    expect(JSON.stringify(graphql.json())).toContain('UNAUTHENTICATED');
    const chat = await from(t, '10.1.2.3', '/v1/chat/command', { method: 'POST', body: { text: 'help' } });
    expect(chat.statusCode).toBe(401);
    for (const url of ['/health', '/health/ready', '/docs/openapi.json']) {
      expect((await from(t, '10.1.2.3', url)).statusCode, url).toBe(200);
    }
    // The GraphQL landing page is static HTML; the operations it sends need a key like any other.
    const landing = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: '/graphql', remoteAddress: '10.1.2.3', headers: { accept: 'text/html' } });
    expect(landing.statusCode).toBe(200);
  });

  it('ends when the first key exists: then every request needs one, from anywhere; and resumes when all are revoked', async () => {
    const key = await t.createKey(['plans:read']);
    await t.apiAs(null).get('/v1/plans').expect(401);
    expect((await from(t, '::1', '/v1/plans')).statusCode).toBe(401);
    await t.apiAs(key.key).get('/v1/plans').expect(200);

    await t.revokeKey(key.name);
    await t.apiAs(null).get('/v1/plans').expect(200);
    expect((await from(t, '10.1.2.3', '/v1/plans')).statusCode).toBe(401);
  });
});

describe('listening beyond this machine', () => {
  const dataDir = useTempDir('bind').path;

  it('is refused at boot while no key exists', async () => {
    // A new data directory (seeded from the prebuilt template), not memory://, which runs initdb.
    const boot = createApp({
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: join(dataDir, 'refused'),
      logLevel: 'silent',
    });
    await expect(boot).rejects.toBeInstanceOf(UnsafeListenError);
    await expect(boot).rejects.toThrow(/Refusing to listen on HOST=0\.0\.0\.0.*npm run apikey -- create/);
  });

  it('is allowed once a key exists', async () => {
    const first = await startTestApp({ databaseUrl: undefined, dataDir }, { withAdminKey: false });
    await first.createKey(['plans:read']);
    await first.close();
    const app = await createApp({ host: '0.0.0.0', databaseUrl: undefined, dataDir, logLevel: 'silent' });
    await app.close();
  });

  it('makes the real service exit non-zero with the reason, and leave its data directory unlocked', async () => {
    const fresh = join(dataDir, 'fresh');
    const run = promisify(execFile)(process.execPath, [SERVICE_MAIN], {
      cwd: ROOT,
      env: { ...process.env, HOST: '0.0.0.0', PORT: '39117', DATABASE_URL: '', DATA_DIR: fresh, LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    const failure = (await run.then(
      () => undefined,
      (error: unknown) => error,
    )) as { code?: number; stderr?: string; stdout?: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(`${failure?.stdout}${failure?.stderr}`).toMatch(
      /Refusing to listen on HOST=0\.0\.0\.0: no API key exists yet/,
    );
    expect(existsSync(join(fresh, 'pglite.lock'))).toBe(false);
  });
});
