import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import supertest from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { IN_MEMORY, type Config } from '../../src/config/config.js';
import { migrateServer } from '../../src/database/migrations.js';

export type TestApp = {
  app: NestFastifyApplication;
  /** supertest on the running app: `api().get('/v1/plans').expect(200)`. */
  api: () => supertest.Agent;
  /** Which database the app runs on, for messages. */
  database: 'postgres' | 'pglite';
  close: () => Promise<void>;
};

/** The server the suite runs on, when one is given (`DATABASE_URL=… npx vitest run test`). */
export const SERVER_DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;

/**
 * The app as main.ts builds it (createApp), listening on an ephemeral port: on a fresh in-memory
 * PGlite, or, when DATABASE_URL is set, on that server after applying its pending migrations.
 * A server database is shared with other test files, so tests name their plans with uniqueName()
 * and filter by those names.
 */
export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  if (SERVER_DATABASE_URL && !('databaseUrl' in overrides)) {
    await migrateServer(SERVER_DATABASE_URL);
  }
  const databaseUrl = 'databaseUrl' in overrides ? overrides.databaseUrl : SERVER_DATABASE_URL;
  const app = await createApp({ dataDir: IN_MEMORY, logLevel: 'error', ...overrides, databaseUrl });
  // Listening (rather than letting supertest listen per request) lets many requests run at once.
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    api: () => supertest(app.getHttpServer()),
    database: databaseUrl ? 'postgres' : 'pglite',
    close: () => app.close(),
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
