import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app.factory.js';
import { IN_MEMORY, loadConfig } from '../src/config/config.js';
import { RATE_LIMIT_CLOCK } from '../src/rate-limit/rate-limiter.js';
import type { Clock } from '../src/common/clock.js';
import { fixtureTopology, uniqueName, useTestApp, type TestKey } from './support/app.js';
import { slackHeaders } from './support/chat.js';

// Rate limits per caller, over REST, GraphQL and chat. The app's limiter reads the time from its
// RATE_LIMIT_CLOCK, which these tests hold still and move by hand: no sleeping, no flakiness.

const PROBLEM = /^application\/problem\+json/;
const SLACK_SECRET = 'rate-limit-e2e-slack-secret-42';

/** Holds the app's limiter clock at a time the test moves. */
function freezeClock(app: NestFastifyApplication): { advance: (ms: number) => void } {
  let now = Date.now();
  vi.spyOn(app.get<Clock>(RATE_LIMIT_CLOCK), 'now').mockImplementation(() => now);
  return {
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('rate limits per caller (e2e)', () => {
  // 60 a minute is one token a second; 3 at once.
  const BURST = 3;
  const teamA = uniqueName('team-a');
  const t = useTestApp(
    {
      rateLimitPerMinute: 60,
      rateLimitBurst: BURST,
      chatTeams: { 'slack:T-RL1': teamA, 'slack:T-RL2': uniqueName('team-b') },
    },
    { env: { SLACK_SIGNING_SECRET: SLACK_SECRET } },
  );
  let clock: { advance: (ms: number) => void };

  beforeAll(() => {
    clock = freezeClock(t.app);
  });

  afterAll(() => {
    vi.restoreAllMocks();
  });

  const reader = () => t.createKey(['plans:read', 'plans:write'], teamA);
  const list = (key: TestKey) => t.apiAs(key.key).get('/v1/plans');
  const graphql = (key: TestKey) =>
    t.apiAs(key.key).post('/graphql').send({ query: '{ plans(first: 1) { totalCount } }' });

  it('allows the burst, then answers 429 problem+json with Retry-After and the RateLimit headers', async () => {
    const key = await reader();
    for (let remaining = BURST - 1; remaining >= 0; remaining--) {
      const ok = await list(key).expect(200);
      expect(ok.headers['ratelimit-limit']).toBe(String(BURST));
      expect(ok.headers['ratelimit-remaining']).toBe(String(remaining));
      expect(Number(ok.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(ok.headers['ratelimit-policy']).toBe(`${BURST};w=${BURST}`);
    }
    const refused = await list(key).expect(429);
    expect(refused.headers['content-type']).toMatch(PROBLEM);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['ratelimit-limit']).toBe(String(BURST));
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['ratelimit-reset']).toBe(String(BURST));
    expect(refused.headers['x-request-id']).toBeTruthy();
    expect(refused.body).toMatchObject({
      type: 'https://exposure-planner.dev/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      instance: '/v1/plans',
    });
    expect(refused.body.detail).toMatch(/Retry in 1 s/);
    // Nothing was done for a refused request: a write is refused the same way, and stores nothing.
    await t.apiAs(key.key).post('/v1/plans').send({ name: 'never-stored' }).expect(429);
  });

  it('counts each key on its own: another key of the same team is unaffected', async () => {
    const noisy = await reader();
    const quiet = await reader();
    for (let i = 0; i < BURST; i++) {
      await list(noisy).expect(200);
    }
    await list(noisy).expect(429);
    const answer = await list(quiet).expect(200);
    expect(answer.headers['ratelimit-remaining']).toBe(String(BURST - 1));
  });

  it('recovers as tokens come back: one a second at 60 a minute', async () => {
    const key = await reader();
    for (let i = 0; i < BURST; i++) {
      await list(key).expect(200);
    }
    await list(key).expect(429);
    clock.advance(999);
    await list(key).expect(429);
    clock.advance(1);
    await list(key).expect(200);
    await list(key).expect(429);
    // Idle for a full refill: the whole burst again.
    clock.advance(BURST * 1000);
    for (let i = 0; i < BURST; i++) {
      await list(key).expect(200);
    }
    await list(key).expect(429);
  });

  it('never limits the health probes', async () => {
    const key = await reader();
    for (let i = 0; i < BURST; i++) {
      await list(key).expect(200);
    }
    for (let i = 0; i < BURST * 3; i++) {
      const live = await t.apiAs(key.key).get('/health').expect(200);
      expect(live.headers['ratelimit-limit']).toBeUndefined();
      await t.apiAs(null).get('/health/ready').expect(200);
    }
    await list(key).expect(429);
  });

  it('limits GraphQL once per HTTP request, with HTTP 429 and RATE_LIMITED, from the same budget as REST', async () => {
    const key = await reader();
    // Two fields in one request: one token.
    const two = await t
      .apiAs(key.key)
      .post('/graphql')
      .send({ query: '{ a: plans(first: 1) { totalCount } b: plans(first: 2) { totalCount } }' })
      .expect(200);
    expect(two.headers['ratelimit-remaining']).toBe(String(BURST - 1));
    await list(key).expect(200);
    await graphql(key).expect(200);
    const refused = await graphql(key).expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED' });
    expect(refused.body.errors[0].message).toMatch(/Too many requests/);
    await list(key).expect(429);
    clock.advance(1000);
    await graphql(key).expect(200);
  });

  it('counts every GraphQL mutation as a request, and refuses one with more mutations than are left before any runs', async () => {
    const key = await reader();
    const name = uniqueName('rl-mutations');
    const creates = (count: number) =>
      `mutation($t: TopologyInput!) { ${Array.from({ length: count }, (_, i) => `c${i}: createPlan(topology: $t) { id }`).join(' ')} }`;
    const send = (count: number, suffix: string) =>
      t
        .apiAs(key.key)
        .post('/graphql')
        .send({ query: creates(count), variables: { t: fixtureTopology('demo-minikube', `${name}-${suffix}`) } });
    const stored = async () =>
      (await t.apiAs(key.key).get('/v1/plans').query({ name })).body.totalCount as number | undefined;

    const two = await send(2, 'a').expect(200);
    expect(two.body.data).toEqual({ c0: { id: expect.any(String) }, c1: { id: expect.any(String) } });
    // Two plans stored, two requests counted.
    expect(two.headers['ratelimit-remaining']).toBe(String(BURST - 2));

    // One request left, and this one has two mutations: refused whole, nothing stored.
    const refused = await send(2, 'b').expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(
          /^Too many requests .* This request has 2 mutations, and each counts as a request\.$/,
        ),
        extensions: { code: 'RATE_LIMITED' },
      },
    ]);
    clock.advance(BURST * 1000);
    expect(await stored()).toBe(2);
  });

  it('limits /v1/chat/command by its key, and the signed Slack webhook by its team', async () => {
    const bot = await reader();
    for (let i = 0; i < BURST; i++) {
      await t.apiAs(bot.key).post('/v1/chat/command').send({ text: 'help' }).expect(200);
    }
    await t.apiAs(bot.key).post('/v1/chat/command').send({ text: 'help' }).expect(429);

    const slack = (teamId: string, userId: string) => {
      const body = new URLSearchParams({ command: '/plan', text: 'help', team_id: teamId, user_id: userId }).toString();
      return t.apiAs(null).post('/v1/chat/slack').set(slackHeaders(body, SLACK_SECRET)).send(body);
    };
    // Users of one workspace share its team's budget.
    for (let i = 0; i < BURST; i++) {
      await slack('T-RL1', `U${i}`).expect(200);
    }
    const refused = await slack('T-RL1', 'U-another').expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    // Another workspace, another team: its own budget.
    await slack('T-RL2', 'U0').expect(200);
  });

  it('does not count requests refused by authentication: they stay 401s, never 429s', async () => {
    for (let i = 0; i < BURST * 2; i++) {
      await t.apiAs(null).get('/v1/plans').expect(401);
    }
  });

  it('counts refusals in /metrics by caller kind', async () => {
    const metrics = await t.api().get('/metrics').expect(200);
    const count = (caller: string) =>
      Number(new RegExp(`^rate_limited_total\\{caller="${caller}"\\} (\\d+)$`, 'm').exec(metrics.text)?.[1]);
    // The tests above: at least one 429 for keys and one for chat, none for addresses.
    expect(count('api-key')).toBeGreaterThanOrEqual(5);
    expect(count('chat')).toBe(1);
    expect(count('address')).toBe(0);
    expect(metrics.text).toMatch(/^http_requests_total\{method="GET",route="\/v1\/plans",status="429"\} \d+$/m);
  });
});

describe('rate limits are on by default (e2e)', () => {
  let app: NestFastifyApplication;

  afterAll(async () => {
    vi.restoreAllMocks();
    await app?.close();
  });

  it(`refuses the request after RATE_LIMIT_PER_MINUTE's default burst (protected mode: loopback's budget)`, async () => {
    const defaults = loadConfig({});
    // The environment's configuration, as in production; only the database is a throwaway.
    app = await createApp({ dataDir: IN_MEMORY, databaseUrl: undefined, logLevel: 'silent' });
    freezeClock(app);
    const burst = defaults.rateLimitBurst ?? defaults.rateLimitPerMinute;
    expect(burst).toBeGreaterThan(0);
    const fastify = app.getHttpAdapter().getInstance();
    const get = () => fastify.inject({ method: 'GET', url: `/v1/plans/${randomUUID()}`, remoteAddress: '127.0.0.1' });
    for (let sent = 0; sent < burst; sent += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, burst - sent) }, get));
      expect(batch.map((r) => r.statusCode)).toEqual(batch.map(() => 404));
    }
    const refused = await get();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['ratelimit-limit']).toBe(String(burst));
    expect(refused.headers['retry-after']).toBe('1');
  });
});
