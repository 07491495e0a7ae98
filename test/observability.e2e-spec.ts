import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import supertest from 'supertest';
import { createApp } from '../src/app.factory.js';
import { generateApiKey } from '../src/auth/api-key.js';
import { ApiKeyStore } from '../src/auth/api-key.store.js';
import type { Scope } from '../src/auth/principal.js';
import { KeyPresence } from '../src/auth/protected-mode.js';
import { BODY_LIMIT_BYTES } from '../src/common/body-limit.js';
import { RETRY_AFTER_SECONDS } from '../src/common/problem-details.js';
import { PrismaService } from '../src/database/prisma.service.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, uniqueName } from './support/app.js';
import { useTempDir } from './support/embedded-database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const METRICS_TOKEN = 'prometheus-scrapes-with-this-0123';

type LogLine = Record<string, unknown> & { level: string; msg?: string; requestId?: string };

/**
 * One app on embedded PGlite on disk (whatever DATABASE_URL says: this is about logs and metrics,
 * and the keys must survive the outages below) at the most verbose level, its JSON log lines
 * captured, METRICS_TOKEN set, and API keys in use.
 */
describe('observability', () => {
  const dataDir = useTempDir('observability').path;
  let app: NestFastifyApplication;
  const output: string[] = [];
  let adminKey: string;
  let readerKey: string;

  const api = () => supertest(app.getHttpServer());
  const asAdmin = () => supertest.agent(app.getHttpServer()).set('authorization', `Bearer ${adminKey}`);
  const logLines = (): LogLine[] =>
    output
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
  const linesOf = (requestId: string) => logLines().filter((line) => line.requestId === requestId);
  const metricsText = async () =>
    (await api().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;

  beforeAll(async () => {
    app = await createApp(
      { dataDir, databaseUrl: undefined, logLevel: 'verbose', metricsToken: METRICS_TOKEN },
      { logDestination: { write: (line: string) => output.push(line) } },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const createKey = async (scopes: Scope[]) =>
      (await app.get(ApiKeyStore).create({ name: uniqueName('obs'), scopes, team: null })).key;
    adminKey = await createKey(['admin']);
    readerKey = await createKey(['plans:read']);
    app.get(KeyPresence).invalidate();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The readiness probe reopens a closed database; it answers 503 until the reopening is done. */
  const untilReady = () => vi.waitFor(() => api().get('/health/ready').expect(200), { timeout: 30_000, interval: 250 });

  describe('X-Request-Id', () => {
    it("keeps the caller's id, returns it, and every log line of the request carries it", async () => {
      const res = await asAdmin().get('/v1/plans').set('x-request-id', 'portal.trace_42-a').expect(200);

      expect(res.headers['x-request-id']).toBe('portal.trace_42-a');
      const access = linesOf('portal.trace_42-a').find((line) => line.msg === 'request completed');
      expect(access).toMatchObject({
        level: 'info',
        req: { method: 'GET', url: '/v1/plans', route: '/v1/plans' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      });
    });

    it.each([
      ['absent', undefined],
      ['with a space', 'not valid'],
      ['too long', 'x'.repeat(129)],
      ['with a newline escape', 'a%0Ab'],
    ])('replaces an id that is %s with a new UUID', async (_label, sent) => {
      const request = asAdmin().get('/v1/plans');
      const res = await (sent === undefined ? request : request.set('x-request-id', sent)).expect(200);

      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(linesOf(String(res.headers['x-request-id'])).length).toBeGreaterThan(0);
    });

    it.each([
      ['a route that does not exist', () => asAdmin().get('/v1/nothing'), 404],
      [
        'a body that is not JSON',
        () => asAdmin().post('/v1/plans').set('content-type', 'application/json').send('{'),
        400,
      ],
      [
        'a body over 1 MiB',
        () =>
          asAdmin()
            .post('/v1/plans')
            .set('content-type', 'application/json')
            .send(`{"name":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`),
        413,
      ],
      ['no credentials', () => api().get('/v1/plans'), 401],
      [
        'a key without the scope',
        () => api().delete(`/v1/plans/${crypto.randomUUID()}`).set('authorization', `Bearer ${readerKey}`),
        403,
      ],
    ])('is on the response and in the problem for %s', async (_label, send, status) => {
      const res = await send().set('x-request-id', `err-${status}`).expect(status);

      expect(res.headers['x-request-id']).toBe(`err-${status}`);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, requestId: `err-${status}` });
    });
  });

  describe('logs', () => {
    it('are JSON lines with a level, an ISO time and a message, boot included', () => {
      const lines = logLines();
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) {
        expect(line).toMatchObject({ level: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      }
      expect(lines.some((line) => line.context === 'NestApplication')).toBe(true);
    });

    it('never contain a key, a signature, a cookie, a token or a body', async () => {
      const marker = `body-only-${uniqueName('m')}`;
      await asAdmin()
        .post('/v1/plans?dryRun=true&token=query-token-value-1')
        .set('cookie', 'session=cookie-value-1')
        .set('x-slack-signature', 'v0=signature-value-1')
        .set('x-api-key', 'header-key-value-1')
        .send({ ...fixtureTopology('shop-aws', 'shop'), labels: { note: marker } });
      await api().get('/v1/plans').set('authorization', 'Bearer ep_unknownunknownunknownunknownunknownunknown1');
      await api().post('/v1/chat/slack').set('x-slack-signature', 'v0=signature-value-2').send('text=list');
      await api().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);

      const text = output.join('');
      for (const secret of [
        adminKey,
        adminKey.slice(3, 20),
        readerKey,
        METRICS_TOKEN,
        'query-token-value-1',
        'cookie-value-1',
        'signature-value-1',
        'signature-value-2',
        'header-key-value-1',
        'ep_unknownunknown',
        marker,
      ]) {
        expect(text, `the log contains ${secret}`).not.toContain(secret);
      }
      expect(text).not.toMatch(/"headers"/);
    });

    it('never contain an API key sent in a URL, whatever the parameter or place', async () => {
      const keys = Array.from({ length: 4 }, generateApiKey);
      const urls = [
        `/v1/plans?key=${keys[0]}`,
        `/v1/plans?limit=2&anything=${keys[1]}`,
        `/v1/plans?${keys[2]}`,
        `/v1/plans/${keys[3]}`,
      ];
      for (const [i, url] of urls.entries()) {
        await asAdmin().get(url).set('x-request-id', `key-in-url-${i}`);
      }

      const text = output.join('');
      for (const key of keys) {
        expect(text, `the log contains ${key}`).not.toContain(key.slice(3));
      }
      const loggedUrls = urls.map(
        (_, i) => (linesOf(`key-in-url-${i}`).find((line) => 'req' in line)?.req as { url?: string })?.url,
      );
      expect(loggedUrls).toEqual([
        '/v1/plans?key=[Redacted]',
        '/v1/plans?limit=2&anything=[Redacted]',
        '/v1/plans?[Redacted]',
        '/v1/plans/[Redacted]',
      ]);
    });

    it("say what went wrong inside a request, under that request's id", async () => {
      await app.get(PrismaService).interrupt();
      const res = await asAdmin().get('/v1/plans').set('x-request-id', 'during-outage').expect(503);
      await untilReady();

      expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      const lines = linesOf('during-outage');
      // The access line, and the cause, logged where it was found.
      expect(lines.find((line) => 'res' in line)).toMatchObject({ level: 'warn', res: { statusCode: 503 } });
      expect(lines.some((line) => line.level === 'warn' && !('res' in line) && /database/i.test(line.msg ?? ''))).toBe(
        true,
      );
    });
  });

  describe('/metrics', () => {
    it('counts requests by route pattern and status, never by URL', async () => {
      const plan = (
        await asAdmin()
          .post('/v1/plans')
          .send(fixtureTopology('shop-aws', uniqueName('m')))
          .expect(201)
      ).body as StoredPlan;
      await asAdmin().get(`/v1/plans/${plan.id}`).expect(200);
      await asAdmin().get(`/v1/plans/${crypto.randomUUID()}`).expect(404);
      await asAdmin().get(`/scanner/${plan.id}/wp-admin.php`).expect(404);

      const text = await metricsText();

      expect(text).toMatch(/^http_requests_total\{method="GET",route="\/v1\/plans\/:id",status="200"\} [1-9]/m);
      expect(text).toMatch(/^http_requests_total\{method="GET",route="\/v1\/plans\/:id",status="404"\} [1-9]/m);
      expect(text).toMatch(/^http_requests_total\{method="POST",route="\/v1\/plans",status="201"\} [1-9]/m);
      expect(text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/m);
      expect(text).toMatch(
        /^http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/v1\/plans\/:id",status="200"\} /m,
      );
      expect(text).not.toContain(plan.id);
      expect(text).not.toContain('wp-admin');
      expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    });

    it('counts plans created and times the planner, refused input apart', async () => {
      const value = async (pattern: RegExp) => Number(pattern.exec(await metricsText())?.[1] ?? 0);
      const created = /^plans_created_total (\d+)/m;
      const planned = /^planner_duration_seconds_count\{outcome="planned"\} (\d+)/m;
      const invalid = /^planner_duration_seconds_count\{outcome="invalid"\} (\d+)/m;
      const before = { created: await value(created), planned: await value(planned), invalid: await value(invalid) };

      await asAdmin()
        .post('/v1/plans')
        .send(fixtureTopology('shop-aws', uniqueName('c')))
        .expect(201);
      await asAdmin()
        .post('/v1/plans?dryRun=true')
        .send(fixtureTopology('shop-aws', uniqueName('d')))
        .expect(200);
      await asAdmin().post('/v1/plans').send({ name: 'Not A Name' }).expect(400);

      expect(await value(created)).toBe(before.created + 1);
      expect(await value(planned)).toBe(before.planned + 2);
      expect(await value(invalid)).toBe(before.invalid + 1);
    });

    it('counts GraphQL operations by type, name and outcome', async () => {
      await asAdmin().post('/graphql').send({ query: 'query Dashboard { planStats { totalPlans } }' }).expect(200);
      await asAdmin()
        .post('/graphql')
        .send({ query: 'query Broken { plans { nope } }' })
        .expect((res) => expect(res.status).toBeLessThan(500));
      await asAdmin()
        .post('/graphql')
        .send({ query: `query Missing { plan(id: "${crypto.randomUUID()}") { id } }` })
        .expect((res) => expect(res.status).toBeLessThan(500));

      const text = await metricsText();

      expect(text).toMatch(
        /^graphql_operations_total\{operation_type="query",operation_name="Dashboard",outcome="success"\} [1-9]/m,
      );
      expect(text).toMatch(
        /^graphql_operations_total\{operation_type="query",operation_name="Broken",outcome="rejected"\} [1-9]/m,
      );
      expect(text).toMatch(
        /^graphql_operations_total\{operation_type="query",operation_name="Missing",outcome="(error|success)"\} [1-9]/m,
      );
    });

    it('counts database errors by kind', async () => {
      const unreachable = async () =>
        Number(/^database_errors_total\{kind="unreachable"\} (\d+)/m.exec(await metricsText())?.[1] ?? 0);
      const before = await unreachable();

      await app.get(PrismaService).interrupt();
      await asAdmin().get('/v1/plans').expect(503);
      await untilReady();

      expect(await unreachable()).toBeGreaterThan(before);
    });

    it.each([
      ['METRICS_TOKEN', 200, () => api().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`)],
      ['an admin key', 200, () => asAdmin().get('/metrics')],
      ['nothing', 401, () => api().get('/metrics')],
      [
        'a wrong token',
        401,
        () => api().get('/metrics').set('authorization', 'Bearer prometheus-scrapes-with-this-0124'),
      ],
      ['a key without admin', 403, () => api().get('/metrics').set('authorization', `Bearer ${readerKey}`)],
    ] as const)('with %s answers %i', async (_label, status, send) => {
      const res = await send().expect(status);
      if (status === 200) {
        expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      } else {
        expect(res.body).toMatchObject({ status });
      }
    });
  });
});
