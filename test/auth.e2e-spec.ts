import { Logger } from '@nestjs/common';
import { generateApiKey } from '../src/auth/api-key.js';
import { ProtectedModeCheck } from '../src/auth/auth.module.js';
import { PublicRoutes } from '../src/auth/public-routes.js';
import type { PlanSummary, StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, useTestApp, uniqueName, type TestKey } from './support/app.js';
import { slackHeaders } from './support/chat.js';

// Who may do what, over every transport: the same key, scope and team rules on REST, GraphQL and
// the bots' chat endpoint. Team names are unique per run, so the suite also runs on a shared server.

type Credentials = { name: string; header: string | null };
type Need = 'plans:read' | 'plans:write' | 'read or write';
type Route = { name: string; method: 'get' | 'post' | 'put' | 'delete'; path: (id: string) => string; need: Need };

const PROBLEM = /^application\/problem\+json/;

describe('API keys, scopes and teams (e2e)', () => {
  const t = useTestApp();
  const payments = uniqueName('payments');
  const search = uniqueName('search');
  const prefix = uniqueName('auth');
  const keys = {} as Record<'payments' | 'search' | 'noTeam' | 'reader' | 'writer' | 'revoked', TestKey>;
  let paymentsPlan: StoredPlan;
  let searchPlan: StoredPlan;
  let noTeamPlan: StoredPlan;

  const topology = (suffix: string) => fixtureTopology('shop-aws', `${prefix}-${suffix}`);
  const as = (key: TestKey | null) => t.apiAs(key?.key ?? null);

  beforeAll(async () => {
    keys.payments = await t.createKey(['plans:read', 'plans:write'], payments);
    keys.search = await t.createKey(['plans:read', 'plans:write'], search);
    keys.noTeam = await t.createKey(['plans:read', 'plans:write']);
    keys.reader = await t.createKey(['plans:read'], payments);
    keys.writer = await t.createKey(['plans:write'], payments);
    keys.revoked = await t.createKey(['admin']);
    await t.revokeKey(keys.revoked.name);
    paymentsPlan = (await as(keys.payments).post('/v1/plans').send(topology('pay')).expect(201)).body as StoredPlan;
    searchPlan = (await as(keys.search).post('/v1/plans').send(topology('find')).expect(201)).body as StoredPlan;
    noTeamPlan = (await as(keys.noTeam).post('/v1/plans').send(topology('loose')).expect(201)).body as StoredPlan;
  });

  const UNAUTHENTICATED: Credentials[] = [
    { name: 'no Authorization header', header: null },
    { name: 'a malformed header (Basic)', header: 'Basic dXNlcjpwYXNzd29yZA==' },
    { name: 'a malformed key', header: 'Bearer not-a-key' },
    { name: 'a well-formed key nobody issued', header: `Bearer ${generateApiKey()}` },
    { name: 'a revoked key', header: 'revoked' },
  ];

  const headerOf = (credentials: Credentials): string | null =>
    credentials.header === 'revoked' ? `Bearer ${keys.revoked.key}` : credentials.header;

  const ROUTES: Route[] = [
    { name: 'GET /v1/plans', method: 'get', path: () => '/v1/plans', need: 'plans:read' },
    { name: 'POST /v1/plans', method: 'post', path: () => '/v1/plans', need: 'plans:write' },
    { name: 'POST /v1/plans?dryRun=true', method: 'post', path: () => '/v1/plans?dryRun=true', need: 'read or write' },
    { name: 'GET /v1/plans/:id', method: 'get', path: (id) => `/v1/plans/${id}`, need: 'plans:read' },
    {
      name: 'GET /v1/plans/:id/manifests',
      method: 'get',
      path: (id) => `/v1/plans/${id}/manifests`,
      need: 'plans:read',
    },
    {
      name: 'GET /v1/plans/:id/verify.sh',
      method: 'get',
      path: (id) => `/v1/plans/${id}/verify.sh`,
      need: 'plans:read',
    },
    {
      name: 'GET /v1/plans/:id/revisions',
      method: 'get',
      path: (id) => `/v1/plans/${id}/revisions`,
      need: 'plans:read',
    },
    { name: 'PUT /v1/plans/:id', method: 'put', path: (id) => `/v1/plans/${id}`, need: 'plans:write' },
    { name: 'DELETE /v1/plans/:id', method: 'delete', path: (id) => `/v1/plans/${id}`, need: 'plans:write' },
    { name: 'POST /v1/chat/command', method: 'post', path: () => '/v1/chat/command', need: 'plans:read' },
  ];

  function send(route: Route, header: string | null, id = paymentsPlan.id) {
    const request = t.apiAs(null)[route.method](route.path(id));
    if (header !== null) {
      void request.set('authorization', header);
    }
    if (route.method === 'post' || route.method === 'put') {
      return request.send(
        route.path(id) === '/v1/chat/command' ? { text: `show ${paymentsPlan.name}` } : topology('x'),
      );
    }
    return request;
  }

  describe('REST and the chat command endpoint', () => {
    describe.each(ROUTES)('$name', (route) => {
      it.each(UNAUTHENTICATED)('401 with a Bearer challenge for $name', async (credentials) => {
        const response = await send(route, headerOf(credentials)).expect(401);
        expect(response.headers['content-type']).toMatch(PROBLEM);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="exposure-planner"/);
        expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
        expect(response.body.detail).toEqual(expect.any(String));
      });

      it('403 for a key without the scope it needs, 2xx/404 with it', async () => {
        const lacking = route.need === 'plans:read' ? keys.writer : route.need === 'plans:write' ? keys.reader : null;
        if (lacking !== null) {
          const refused = await send(route, `Bearer ${lacking.key}`).expect(403);
          expect(refused.headers['content-type']).toMatch(PROBLEM);
          expect(refused.headers['www-authenticate']).toMatch(/error="insufficient_scope", scope="plans:(read|write)"/);
          expect(refused.body.detail).toContain(route.need);
        } else {
          // A dry run stores nothing: read-only and write-only keys may both plan "what if".
          await send(route, `Bearer ${keys.reader.key}`).expect(200);
          await send(route, `Bearer ${keys.writer.key}`).expect(200);
        }
        // With the scope, the request goes through to the route; changes go to a scratch plan, so
        // the shared ones stay as they were.
        const target =
          route.method === 'put' || route.method === 'delete'
            ? ((await t.api().post('/v1/plans').send(topology('scratch')).expect(201)).body as StoredPlan).id
            : paymentsPlan.id;
        const allowed = await send(route, `Bearer ${t.adminKey}`, target);
        expect(allowed.status).toBeLessThan(300);
      });
    });

    const PLAN_ROUTES = ROUTES.filter((r) => r.path('ID').includes('ID'));

    it.each(PLAN_ROUTES)(
      "$name on another team's plan is a 404, exactly like an unknown id, and changes nothing",
      async (route) => {
        for (const other of [keys.search, keys.noTeam]) {
          const response = await send(route, `Bearer ${other.key}`).expect(404);
          expect(response.headers['content-type']).toMatch(PROBLEM);
          const unknown = await send(route, `Bearer ${other.key}`, '00000000-0000-4000-8000-000000000000').expect(404);
          expect(response.body.title).toBe(unknown.body.title);
        }
        const still = (await as(keys.payments).get(`/v1/plans/${paymentsPlan.id}`).expect(200)).body as StoredPlan;
        expect(still.revision).toBe(1);
      },
    );

    it('a team key creates plans for its team: its own team sees them, no one else but admin', async () => {
      await as(keys.payments).get(`/v1/plans/${paymentsPlan.id}`).expect(200);
      await as(keys.reader).get(`/v1/plans/${paymentsPlan.id}`).expect(200);
      await as(keys.search).get(`/v1/plans/${searchPlan.id}`).expect(200);
      await as(keys.payments).get(`/v1/plans/${searchPlan.id}`).expect(404);
      // A key without a team sees exactly the plans without one.
      await as(keys.noTeam).get(`/v1/plans/${noTeamPlan.id}`).expect(200);
      await as(keys.payments).get(`/v1/plans/${noTeamPlan.id}`).expect(404);
      for (const plan of [paymentsPlan, searchPlan, noTeamPlan]) {
        await t.api().get(`/v1/plans/${plan.id}`).expect(200);
      }
    });

    it('lists only the caller’s team; admin lists every team', async () => {
      const names = async (key: TestKey | null) =>
        (
          (await (key ? as(key) : t.api()).get('/v1/plans').query({ name: prefix, limit: 100 }).expect(200)).body
            .items as PlanSummary[]
        ).map((p) => p.id);
      expect(await names(keys.payments)).toEqual([paymentsPlan.id]);
      expect(await names(keys.search)).toEqual([searchPlan.id]);
      expect(await names(keys.noTeam)).toEqual(expect.arrayContaining([noTeamPlan.id]));
      expect(await names(keys.noTeam)).not.toContain(paymentsPlan.id);
      expect(await names(null)).toEqual(expect.arrayContaining([paymentsPlan.id, searchPlan.id, noTeamPlan.id]));
    });

    it('chat commands from a bot key are scoped the same way', async () => {
      const show = async (key: TestKey) =>
        (
          await as(key)
            .post('/v1/chat/command')
            .send({ text: `show ${paymentsPlan.name}` })
            .expect(200)
        ).body.text as string;
      expect(await show(keys.payments)).toContain(paymentsPlan.id);
      expect(await show(keys.search)).not.toContain(paymentsPlan.id);
      expect(await show(keys.search)).toMatch(/not found|no plan/i);
      const list = (await as(keys.search).post('/v1/chat/command').send({ text: 'list' }).expect(200)).body;
      expect(JSON.stringify(list)).not.toContain(paymentsPlan.name);
    });
  });

  describe('GraphQL', () => {
    const PLAN = 'query($id: ID!) { plan(id: $id) { id name } }';
    const REVISIONS = 'query($id: ID!) { planRevisions(id: $id) { revision } }';
    const CREATE = 'mutation($t: TopologyInput!) { createPlan(topology: $t) { id } }';
    const PREVIEW = 'mutation($t: TopologyInput!) { previewPlan(topology: $t) { name } }';
    const REVISE = 'mutation($id: ID!, $t: TopologyInput!) { revisePlan(id: $id, topology: $t) { revision } }';
    const DELETE = 'mutation($id: ID!) { deletePlan(id: $id) }';
    const PAGE = 'query($f: PlanFilterInput) { plans(first: 50, filter: $f) { edges { node { id } } totalCount } }';
    const STATS = 'query($f: PlanFilterInput) { planStats(filter: $f) { totalPlans } }';

    type GqlBody = {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };

    async function gql(header: string | null, query: string, variables: Record<string, unknown> = {}) {
      const request = t.apiAs(null).post('/graphql').set('content-type', 'application/json');
      if (header !== null) {
        void request.set('authorization', header);
      }
      const response = await request.send({ query, variables });
      return response as typeof response & { body: GqlBody };
    }

    const codes = (body: GqlBody) => (body.errors ?? []).map((e) => e.extensions?.code);

    it.each(UNAUTHENTICATED)(
      'refuses the whole request with HTTP 401 and UNAUTHENTICATED for $name',
      async (credentials) => {
        const response = await gql(headerOf(credentials), PLAN, { id: paymentsPlan.id });
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="exposure-planner"/);
        expect(codes(response.body)).toEqual(['UNAUTHENTICATED']);
        expect(response.body.data).toBeUndefined();
      },
    );

    it('refuses introspection without a key too', async () => {
      expect((await gql(null, '{ __schema { queryType { name } } }')).status).toBe(401);
    });

    it('answers FORBIDDEN (HTTP 200) for a query or mutation the key has no scope for, and runs the rest', async () => {
      const read = await gql(`Bearer ${keys.writer.key}`, PLAN, { id: paymentsPlan.id });
      expect(read.status).toBe(200);
      expect(codes(read.body)).toEqual(['FORBIDDEN']);
      expect(read.body.errors?.[0].message).toContain('plans:read');
      expect(read.body.data?.plan).toBeNull();

      const write = await gql(`Bearer ${keys.reader.key}`, CREATE, { t: topology('gql-refused') });
      expect(codes(write.body)).toEqual(['FORBIDDEN']);
      for (const mutation of [REVISE, DELETE]) {
        const refused = await gql(`Bearer ${keys.reader.key}`, mutation, { id: paymentsPlan.id, t: topology('x') });
        expect(codes(refused.body)).toEqual(['FORBIDDEN']);
      }
      // Storing nothing, a preview takes either scope.
      for (const key of [keys.reader, keys.writer]) {
        const preview = await gql(`Bearer ${key.key}`, PREVIEW, { t: topology('preview') });
        expect(preview.body.errors).toBeUndefined();
      }
      // Partial: the allowed field resolves next to the forbidden one.
      const mixed = await gql(
        `Bearer ${keys.reader.key}`,
        'mutation($t: TopologyInput!) { previewPlan(topology: $t) { name } createPlan(topology: $t) { id } }',
        { t: topology('mixed') },
      );
      expect(mixed.status).toBe(200);
      expect(codes(mixed.body)).toEqual(['FORBIDDEN']);
      expect(mixed.body.data).toBeNull(); // createPlan is non-null, so the error nulls the whole data
    });

    it("treats another team's plan as not found in every query and mutation", async () => {
      const other = `Bearer ${keys.search.key}`;
      for (const query of [PLAN, REVISIONS, REVISE, DELETE]) {
        const response = await gql(other, query, { id: paymentsPlan.id, t: topology('pay') });
        expect(codes(response.body), query).toEqual(['NOT_FOUND']);
      }
      const own = await gql(`Bearer ${keys.payments.key}`, PLAN, { id: paymentsPlan.id });
      expect(own.body.data?.plan).toEqual({ id: paymentsPlan.id, name: paymentsPlan.name });
    });

    it('pages, loads nodes and aggregates over the caller’s team only; admin over all', async () => {
      const ids = async (header: string) => {
        const body = (await gql(header, PAGE, { f: { nameContains: prefix } })).body;
        expect(body.errors).toBeUndefined();
        const plans = body.data?.plans as { edges: { node: { id: string } }[]; totalCount: number };
        return { ids: plans.edges.map((e) => e.node.id), total: plans.totalCount };
      };
      expect(await ids(`Bearer ${keys.payments.key}`)).toEqual({ ids: [paymentsPlan.id], total: 1 });
      expect((await ids(`Bearer ${t.adminKey}`)).ids).toEqual(
        expect.arrayContaining([paymentsPlan.id, searchPlan.id, noTeamPlan.id]),
      );
      const stats = async (header: string) =>
        ((await gql(header, STATS, { f: { nameContains: prefix } })).body.data?.planStats as { totalPlans: number })
          .totalPlans;
      expect(await stats(`Bearer ${keys.search.key}`)).toBe(1);
      expect(await stats(`Bearer ${t.adminKey}`)).toBeGreaterThanOrEqual(3);
    });

    it("creates a plan owned by the key's team", async () => {
      const created = await gql(`Bearer ${keys.search.key}`, CREATE, { t: topology('gql-find') });
      const id = (created.body.data?.createPlan as { id: string }).id;
      await as(keys.search).get(`/v1/plans/${id}`).expect(200);
      await as(keys.payments).get(`/v1/plans/${id}`).expect(404);
    });
  });

  it('logs at boot exactly what answers without a key, as the guard decides it', async () => {
    const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      await t.app.get(ProtectedModeCheck).onApplicationBootstrap();
      const said = log.mock.calls.map(([message]) => String(message)).find((m) => m.includes('active API key(s)'));
      // /health/ready once went unmentioned: the message was written by hand.
      expect(said).toMatch(
        /every request needs one, except \/health, \/health\/ready, \/docs and the GraphQL landing page \(GET \/graphql from a browser\); the Slack, Mattermost and Teams routes take their platform's signature or token instead\.$/,
      );
    } finally {
      log.mockRestore();
    }
    for (const path of t.app.get(PublicRoutes).paths()) {
      await as(null).get(path).expect(200);
    }
    await as(null).get('/graphql').set('accept', 'text/html').expect(200);
    await as(null).get('/v1/plans').expect(401);
  });

  it('never answers a refused request with a plan’s content', async () => {
    const refused = await t.apiAs(null).get(`/v1/plans/${paymentsPlan.id}`).expect(401);
    expect(JSON.stringify(refused.body)).not.toContain(paymentsPlan.name);
    const hidden = await as(keys.search).get(`/v1/plans/${paymentsPlan.id}`).expect(404);
    expect(JSON.stringify(hidden.body)).not.toContain(paymentsPlan.name);
  });
});

describe('chat webhooks: signed, keyless, acting for the team CHAT_TEAMS maps (e2e)', () => {
  const SLACK_SECRET = 'auth-e2e-slack-signing-secret-42';
  const payments = uniqueName('payments');
  const prefix = uniqueName('chat-auth');
  // T0001 acts for payments; T0001's channel C-SEARCH for another team; T0002 is not mapped.
  const t = useTestApp(
    { chatTeams: { 'slack:T0001': payments, 'slack:T0001/C-SEARCH': 'search-x' } },
    { env: { SLACK_SIGNING_SECRET: SLACK_SECRET } },
  );
  let paymentsKey: TestKey;
  let searchKey: TestKey;

  beforeAll(async () => {
    paymentsKey = await t.createKey(['plans:read'], payments);
    searchKey = await t.createKey(['plans:read'], 'search-x');
  });

  function slack(text: string, teamId: string, channelId = 'C-GENERAL', signed = true) {
    const body = new URLSearchParams({ command: '/plan', text, team_id: teamId, channel_id: channelId }).toString();
    return t
      .apiAs(null)
      .post('/v1/chat/slack')
      .set(slackHeaders(body, signed ? SLACK_SECRET : 'wrong-secret-000'))
      .send(body);
  }

  const planIdIn = (text: string): string =>
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(text)![0];

  it('needs no API key, still needs the signature', async () => {
    await slack('help', 'T0001').expect(200);
    await slack('help', 'T0001', 'C-GENERAL', false).expect(401);
  });

  it("plans for the workspace's team; other workspaces and teams cannot see it", async () => {
    const name = `${prefix}-shop`;
    const planned = await slack(`plan ${name} on aws web:frontend:80:public`, 'T0001').expect(200);
    const id = planIdIn(JSON.stringify(planned.body));

    await t.apiAs(paymentsKey.key).get(`/v1/plans/${id}`).expect(200);
    await t.apiAs(searchKey.key).get(`/v1/plans/${id}`).expect(404);

    expect(JSON.stringify((await slack(`show ${name}`, 'T0001').expect(200)).body)).toContain(id);
    // Unmapped workspace: no team, sees only plans without one.
    expect(JSON.stringify((await slack(`show ${name}`, 'T0002').expect(200)).body)).not.toContain(id);
    // A channel mapped to another team, in the same workspace: that team's view.
    expect(JSON.stringify((await slack(`show ${name}`, 'T0001', 'C-SEARCH').expect(200)).body)).not.toContain(id);
    expect(JSON.stringify((await slack('list', 'T0002').expect(200)).body)).not.toContain(name);
  });
});
