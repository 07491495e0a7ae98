import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type supertest from 'supertest';
import { Authenticator } from '../src/auth/authenticator.js';
import { CLOCK, type Clock } from '../src/common/clock.js';
import { RETRY_AFTER_SECONDS } from '../src/common/problem-details.js';
import { DEADLINE_MESSAGE } from '../src/common/request-deadline.js';
import { PrismaService } from '../src/database/prisma.service.js';
import { APP_METRICS, type AppMetrics } from '../src/observability/metrics.js';
import { PlansRepository } from '../src/plans/plans.repository.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, startTestApp, uniqueName, useTestApp, type TestApp } from './support/app.js';
import { useTempDir } from './support/embedded-database.js';
import { parseRawAnswer, rawExchange } from './support/raw-http.js';
import {
  PROBLEM_JSON,
  UNAVAILABLE,
  createWhileTheDatabaseGoes,
  expectServedOrUnavailable,
  plansWithoutTheirRevision,
  untilReady,
} from './support/outage.js';
import { generateTopology } from './support/generate-topology.js';
import {
  connectOutcome,
  killIfRunning,
  logLines,
  startService,
  type ServiceProcess,
} from './support/service-process.js';
import { at } from '../src/common/at.js';

/**
 * Stops the app's clock (CLOCK) for the current test, which moves it itself: when Retry-After has
 * passed is then decided by the test, not by how fast the machine answers.
 */
function stopAppClock(t: TestApp): { advance: (ms: number) => void } {
  let now = Date.now();
  const clock = vi.spyOn(t.app.get<symbol, Clock>(CLOCK), 'now').mockImplementation(() => now);
  onTestFinished(() => clock.mockRestore());
  return {
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('the embedded database goes away (PGlite on disk)', () => {
  const dataDir = useTempDir('failures').path;
  let t: TestApp;
  let prisma: PrismaService;

  beforeAll(async () => {
    t = await startTestApp({ databaseUrl: undefined, dataDir, logLevel: 'silent' });
    prisma = t.app.get(PrismaService);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 problems with Retry-After on every transport, and the readiness probe brings it back', async () => {
    const name = uniqueName('before');
    const before = (await t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name)).expect(201))
      .body as StoredPlan;

    // However long these requests take on a loaded machine, Retry-After does not pass during them.
    stopAppClock(t);
    await prisma.interrupt();

    // Still down on the next requests: nothing reopens it behind the caller's back this soon.
    for (const path of ['/v1/plans', `/v1/plans/${before.id}`]) {
      const res = await t.api().get(path);
      expectServedOrUnavailable([{ status: res.status, headers: res.headers, body: res.body }]);
      expect(res.status).toBe(503);
      expect(res.body.detail).not.toMatch(/PGlite|prisma|closed/i);
    }
    const write = await t
      .api()
      .post('/v1/plans')
      .send(fixtureTopology('shop-aws', uniqueName('down')));
    expect(write.status).toBe(503);
    const graphql = await t.api().post('/graphql').send({ query: '{ plans(first: 1) { totalCount } }' });
    expect(graphql.status).toBe(503);
    expect(graphql.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(graphql.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const chat = await t.api().post('/v1/chat/command').send({ text: 'list' });
    expect(chat.status === 200 || chat.status === 503, `chat answered ${chat.status}`).toBe(true);
    await t.api().get('/health').expect(200);

    await untilReady(t);

    const after = await t.api().get(`/v1/plans/${before.id}`).expect(200);
    expect(after.body).toEqual(before);
    await t
      .api()
      .post('/v1/plans')
      .send(fixtureTopology('shop-aws', uniqueName('after')))
      .expect(201);
  });

  it('reopens by itself on a request once Retry-After has passed, without the probe', async () => {
    const clock = stopAppClock(t);
    await prisma.interrupt();
    await t.api().get('/v1/plans').expect(503);

    clock.advance(RETRY_AFTER_SECONDS * 1000 - 1);
    await t.api().get('/v1/plans').expect(503);

    clock.advance(1);
    await t.api().get('/v1/plans').expect(200);
  });

  it('never leaves a partial plan when it goes in the middle of concurrent writes', async () => {
    const answers = await createWhileTheDatabaseGoes(t, () => prisma.interrupt());

    expectServedOrUnavailable(answers);
    await untilReady(t);
    expect(await plansWithoutTheirRevision(t)).toBe(0);
    for (const answer of answers.filter((a) => a.status === 201)) {
      const plan = answer.body as StoredPlan;
      await t.api().get(`/v1/plans/${plan.id}`).expect(200);
    }
  });
});

/** The planner's counters: "invalid" counts inputs validation refused, "planned" the plans computed. */
async function plannerCounters(t: TestApp): Promise<{ planned: number; invalid: number; created: number }> {
  const { body } = await t.app.get<symbol, AppMetrics>(APP_METRICS).render();
  const count = (pattern: RegExp) => Number(pattern.exec(body)?.[1] ?? 0);
  return {
    planned: count(/^planner_duration_seconds_count\{outcome="planned"\} (\d+)/m),
    invalid: count(/^planner_duration_seconds_count\{outcome="invalid"\} (\d+)/m),
    created: count(/^plans_created_total (\d+)/m),
  };
}

describe('limits enforced before any work', () => {
  const t = useTestApp({ logLevel: 'silent' });

  const plannerRuns = () => plannerCounters(t);

  it('refuses 2,001 components in validation, with one problem, before any planning or storing', async () => {
    const before = await plannerRuns();
    const name = uniqueName('huge');

    const res = await t
      .api()
      .post('/v1/plans')
      .send({ ...generateTopology(2_001), name })
      .expect(400);

    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.errors).toEqual([
      { path: 'components', message: expect.stringMatching(/at most 2,000 components/) },
    ]);
    expect(await plannerRuns()).toEqual({ ...before, invalid: before.invalid + 1 });
    expect((await t.api().get('/v1/plans').query({ name }).expect(200)).body.totalCount).toBe(0);
  });

  it('refuses 101 ports on a component the same way', async () => {
    const before = await plannerRuns();
    const topology = fixtureTopology('shop-aws', uniqueName('ports')) as { components: Record<string, unknown>[] };
    at(topology.components, 0).ports = Array.from({ length: 101 }, (_, i) => ({ name: `p${i}`, port: 1000 + i }));

    const res = await t.api().post('/v1/plans').send(topology).expect(400);

    expect(res.body.errors).toEqual([
      { path: 'components[0].ports', message: expect.stringMatching(/at most 100 ports/) },
    ]);
    expect(await plannerRuns()).toEqual({ ...before, invalid: before.invalid + 1 });
  });

  it('refuses a body over 1 MiB with a 413 before parsing it, so before validating or planning', async () => {
    const before = await plannerRuns();

    const res = await t
      .api()
      .post('/v1/plans')
      .set('content-type', 'application/json')
      .send(`{"name":"${'x'.repeat(1024 * 1024)}"}`)
      .expect(413);

    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(await plannerRuns()).toEqual(before);
  });
});

describe('REQUEST_TIMEOUT_MS', () => {
  const t = useTestApp({ logLevel: 'silent', requestTimeoutMs: 300 });

  it('answers a request still unanswered when the time is up with a 503 problem and Retry-After', async () => {
    const { address, port } = t.app.getHttpServer().address() as AddressInfo;
    const body = Buffer.from(JSON.stringify(fixtureTopology('shop-aws', uniqueName('slow'))));

    // The body never finishes arriving: the request is still in the server's hands when the time is up.
    // The client keeps its side open, so only the server can end the connection.
    const answer = await new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: address,
            port,
            method: 'POST',
            path: '/v1/plans',
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              authorization: `Bearer ${t.adminKey ?? ''}`,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            // Answered, and then the server closed the connection (until then this waits).
            res.on('end', () =>
              req.socket?.once('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text })),
            );
          },
        );
        req.on('error', reject);
        req.write(body.subarray(0, 10));
      },
    );

    expect(answer.status).toBe(503);
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(answer.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(JSON.parse(answer.text)).toMatchObject({
      status: 503,
      type: UNAVAILABLE,
      detail: expect.stringMatching(/too long/),
    });
    await t.api().get('/health').expect(200);
  });

  it('answers headers that never finish arriving with a 408 problem, and closes the connection', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    // Node's own timeout (requestTimeout): the request is never routed, so no deadline of ours runs.
    const answer = parseRawAnswer(await rawExchange(port, 'POST /v1/plans HTTP/1.1\r\nHost: planner\r\n'));

    expect(answer.status).toBe(408);
    expect(answer.headers.get('connection')).toBe('close');
    expect(answer.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({
      status: 408,
      detail: 'The request was not received in time.',
    });
  });

  // Each transport's way to plan and store a topology, with its body complete: Fastify's own
  // handler timeout stopped counting once a body was read, so these ran unbounded.
  const writes: [string, (name: string) => supertest.Test][] = [
    ['REST POST /v1/plans', (name) => t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name))],
    [
      'GraphQL createPlan',
      (name) =>
        t
          .api()
          .post('/graphql')
          .send({
            query: 'mutation($t: TopologyInput!) { createPlan(topology: $t) { id } }',
            variables: { t: fixtureTopology('shop-aws', name) },
          }),
    ],
    [
      'chat /v1/chat/command',
      (name) =>
        t
          .api()
          .post('/v1/chat/command')
          .send({ text: `plan ${JSON.stringify(fixtureTopology('shop-aws', name))}` }),
    ],
  ];

  it.each(writes)(
    '%s: answers 503 at the deadline, and the work left plans and stores nothing',
    async (_transport, send) => {
      const name = uniqueName('late');
      const before = await plannerCounters(t);
      const inserts = [
        vi.spyOn(t.app.get(PlansRepository), 'insert'),
        vi.spyOn(t.app.get(PlansRepository), 'insertClaimed'),
      ];
      // Where the work stops: a deadline check throwing the deadline's error.
      const checks = vi.spyOn(AbortSignal.prototype, 'throwIfAborted');
      const stoppedAtTheDeadline = () =>
        checks.mock.results.some((r) => r.type === 'throw' && (r.value as Error).message === DEADLINE_MESSAGE);
      // The request is held (authenticating: a slow key lookup) until its client has had the 503.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const authenticator = t.app.get(Authenticator);
      const authenticate = authenticator.authenticate.bind(authenticator);
      vi.spyOn(authenticator, 'authenticate').mockImplementationOnce((request) =>
        held.then(() => authenticate(request)),
      );
      try {
        const answer = await send(name);
        expect(answer.status).toBe(503);
        expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(answer.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
        expect(answer.body).toMatchObject({ status: 503, type: UNAVAILABLE, detail: DEADLINE_MESSAGE });
        expect(stoppedAtTheDeadline()).toBe(false);

        release();
        await vi.waitFor(() => expect(stoppedAtTheDeadline()).toBe(true), { timeout: 30_000, interval: 20 });
        inserts.forEach((insert) => expect(insert).not.toHaveBeenCalled());
        expect(await plannerCounters(t)).toEqual(before);
        expect((await t.api().get('/v1/plans').query({ name }).expect(200)).body.totalCount).toBe(0);
      } finally {
        release();
        vi.restoreAllMocks();
      }
    },
  );
});

describe('SIGTERM', () => {
  const dataDir = useTempDir('sigterm').path;
  let service: ServiceProcess | undefined;

  afterAll(() => killIfRunning(service));

  it('finishes the requests in flight (REST and GraphQL), refuses new connections, closes the database and exits 0', async () => {
    // The server, bundled from its sources, as its own process, on its own PGlite directory.
    service = await startService({ DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const { child, port } = service;

    // Requests whose bodies are still arriving when the signal comes: in flight for as long as we like.
    const inFlight = (path: string, payload: unknown) => {
      const body = Buffer.from(JSON.stringify(payload));
      return {
        started: httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        }),
        body,
      };
    };
    const requests = [
      inFlight('/v1/plans', fixtureTopology('shop-aws', uniqueName('drain'))),
      inFlight('/graphql', { query: '{ planStats { totalPlans } }' }),
    ];
    const answers = requests.map(
      ({ started, body }) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          started.on('response', (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          });
          started.on('error', reject);
          started.write(body.subarray(0, 5));
        }),
    );
    setTimeout(() => {
      child.kill('SIGTERM');
      // Well after the signal: by now the server has stopped listening, and still owes us answers.
      setTimeout(() => requests.forEach(({ started, body }) => started.end(body.subarray(5))), 700);
    }, 300);

    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await connectOutcome(port)).toBe('ECONNREFUSED');

    const settled = await Promise.all(answers);
    const rest = at(settled, 0);
    const graphql = at(settled, 1);
    expect(rest.status, rest.text).toBe(201);
    expect(JSON.parse(rest.text)).toMatchObject({ revision: 1 });
    expect(graphql.status, graphql.text).toBe(200);
    expect(JSON.parse(graphql.text)).toMatchObject({ data: { planStats: { totalPlans: expect.any(Number) } } });

    expect(await service.exited).toEqual({ code: 0, signal: null });
    const shutdown = logLines(service.output())
      .filter((line) => line.context === 'Shutdown')
      .map((line) => line.msg);
    expect(shutdown[0]).toMatch(/^SIGTERM: not accepting new connections/);
    expect(shutdown.at(-1)).toBe('Stopped');
  });
});
