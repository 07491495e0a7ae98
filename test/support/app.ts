import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import supertest from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { ApiKeyStore } from '../../src/auth/api-key.store.js';
import type { Scope } from '../../src/auth/principal.js';
import { KeyPresence } from '../../src/auth/protected-mode.js';
import { IN_MEMORY, type Config } from '../../src/config/config.js';
import { migrateServer } from '../../src/database/migrations.js';
import type { StoredPlan } from '../../src/plans/plans.types.js';
import { tempDir } from './embedded-database.js';

/** An API key made for a test, and the name to revoke it by. */
export type TestKey = { key: string; name: string };

export type TestApp = {
  app: NestFastifyApplication;
  /**
   * supertest on the running app, sending the test app's admin key: `api().get('/v1/plans').expect(200)`.
   * Without `withAdminKey` (protected mode), it sends no key.
   */
  api: () => supertest.Agent;
  /** supertest sending `key` as `Authorization: Bearer <key>`, or no Authorization at all for null. */
  apiAs: (key: string | null) => supertest.Agent;
  /** The admin key `api()` sends (undefined without `withAdminKey`). */
  adminKey: string | undefined;
  /** Creates a key through the app's own store (as the CLI does), under a unique name. */
  createKey: (scopes: Scope[], team?: string | null) => Promise<TestKey>;
  revokeKey: (name: string) => Promise<void>;
  /** POST /v1/plans of `fixture` (test/fixtures/topologies) named uniqueName(`prefix`), as admin: the 201's plan. */
  createPlan: (prefix: string, fixture?: string) => Promise<StoredPlan>;
  /** Which database the app runs on, for messages. */
  database: 'postgres' | 'pglite';
  close: () => Promise<void>;
};

/** The rate limit of test apps unless a test sets its own: far beyond what any test file sends. */
export const TEST_RATE_LIMIT_PER_MINUTE = 1_000_000;

/** The server the suite runs on, when one is given (`DATABASE_URL=… npx vitest run test`). */
export const SERVER_DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;

/**
 * The app as main.ts builds it (createApp), listening on an ephemeral port: on a fresh embedded
 * PGlite in a new directory of its own, removed on close (seeded from the prebuilt template as a
 * first start of the service is: embedded-database.ts says why not in memory), or, when DATABASE_URL is set, on that server after
 * applying its pending migrations. A test that gives its own `dataDir` keeps it as it is.
 * A server database is shared with other test files, so tests name their plans with uniqueName()
 * and filter by those names.
 */
export type TestAppOptions = {
  /** Without it, protected mode: no key exists and `api()` sends none. */
  withAdminKey?: boolean;
  /**
   * Environment variables set only while the app boots (modules read them then, as the chat
   * secrets); undefined unsets one. The environment is as it was once the app is up.
   */
  env?: Record<string, string | undefined>;
};

export async function startTestApp(
  overrides: Partial<Config> = {},
  { withAdminKey = true, env = {} }: TestAppOptions = {},
): Promise<TestApp> {
  if (SERVER_DATABASE_URL && !('databaseUrl' in overrides)) {
    await migrateServer(SERVER_DATABASE_URL);
  }
  const databaseUrl = 'databaseUrl' in overrides ? overrides.databaseUrl : SERVER_DATABASE_URL;
  const ownDataDir = databaseUrl || 'dataDir' in overrides ? undefined : tempDir('app');
  const app = await withEnvironment(env, () =>
    createApp({
      // On a server, unused.
      dataDir: ownDataDir?.path ?? IN_MEMORY,
      logLevel: 'error',
      // Limiting stays on (its headers are on every answer) but never trips: test files send hundreds
      // of requests with one key. test/rate-limit.e2e-spec.ts sets small limits of its own.
      rateLimitPerMinute: TEST_RATE_LIMIT_PER_MINUTE,
      ...overrides,
      databaseUrl,
    }),
  );
  // Listening (rather than letting supertest listen per request) lets many requests run at once.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const keys = app.get(ApiKeyStore);
  const createKey = async (scopes: Scope[], team: string | null = null): Promise<TestKey> => {
    const name = uniqueName('test-key');
    const { key } = await keys.create({ name, scopes, team });
    // The CLI is another process, and the app notices its keys within seconds; this one is here.
    app.get(KeyPresence).invalidate();
    return { key, name };
  };
  const apiAs = (key: string | null): supertest.Agent => {
    const agent = supertest.agent(app.getHttpServer());
    return key === null ? agent : agent.set('authorization', `Bearer ${key}`);
  };
  const adminKey = withAdminKey ? (await createKey(['admin'])).key : undefined;
  return {
    app,
    api: () => apiAs(adminKey ?? null),
    apiAs,
    adminKey,
    createKey,
    createPlan: async (prefix, fixture = 'shop-aws') =>
      (
        await apiAs(adminKey ?? null)
          .post('/v1/plans')
          .send(fixtureTopology(fixture, uniqueName(prefix)))
          .expect(201)
      ).body as StoredPlan,
    revokeKey: async (name) => {
      await keys.revoke(name);
      app.get(KeyPresence).invalidate();
    },
    database: databaseUrl ? 'postgres' : 'pglite',
    close: async () => {
      await app.close();
      ownDataDir?.remove();
    },
  };
}

/** Runs `boot` with `env` set in process.env (undefined: unset), then puts back what was there. */
async function withEnvironment<T>(env: Record<string, string | undefined>, boot: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  };
  assign(env);
  try {
    return await boot();
  } finally {
    assign(saved);
  }
}

/**
 * startTestApp for the enclosing describe block (or the file, at top level): started before its
 * tests, closed after them. The handle it returns stands for that app from then on.
 */
export function useTestApp(overrides: Partial<Config> = {}, options: TestAppOptions = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(overrides, options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): TestApp => {
    if (!started) {
      throw new Error('useTestApp: the app starts in beforeAll; use it inside tests and hooks');
    }
    return started;
  };
  return {
    get app() {
      return current().app;
    },
    api: () => current().api(),
    apiAs: (key) => current().apiAs(key),
    get adminKey() {
      return current().adminKey;
    },
    createKey: (scopes, team) => current().createKey(scopes, team),
    revokeKey: (name) => current().revokeKey(name),
    createPlan: (prefix, fixture) => current().createPlan(prefix, fixture),
    get database() {
      return current().database;
    },
    close: () => current().close(),
  };
}

const RUN_ID = randomBytes(4).toString('hex');
let counter = 0;

/** A DNS label no other test (file, run) uses: `${prefix}-${run}-${n}`. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${RUN_ID}-${counter}`;
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'topologies');

/** A topology fixture from test/fixtures/topologies, renamed so it is this test's own. */
export function fixtureTopology(fixture: string, name: string): Record<string, unknown> {
  const topology = JSON.parse(readFileSync(join(FIXTURES, `${fixture}.json`), 'utf8')) as Record<string, unknown>;
  return { ...topology, name };
}
