import { loadAll } from 'js-yaml';
import { SEVERITIES } from '../src/planner/types.js';
import { ALL_PLANS } from '../src/plans/plan-access.js';
import { PlansService } from '../src/plans/plans.service.js';
import type { Page, PlanSummary, StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, useTestApp, uniqueName } from './support/app.js';
import { at } from '../src/common/at.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';

describe('REST /v1/plans', () => {
  const t = useTestApp();

  const create = async (fixture: string, name = uniqueName(fixture)): Promise<StoredPlan> =>
    (await t.api().post('/v1/plans').send(fixtureTopology(fixture, name)).expect(201)).body as StoredPlan;

  describe('POST /v1/plans', () => {
    it('plans, stores and answers 201 with the plan and its Location', async () => {
      const name = uniqueName('shop');
      const res = await t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name)).expect(201);

      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers.location).toBe(`/v1/plans/${res.body.id}`);
      expect(res.body).toMatchObject({ name, revision: 1, engineVersion: expect.any(String) });
      expect(Object.keys(res.body)).toEqual(
        expect.arrayContaining([
          'id',
          'createdAt',
          'topology',
          'recommendations',
          'manifests',
          'cost',
          'findings',
          'verification',
        ]),
      );
      const fetched = await t.api().get(String(res.headers.location)).expect(200);
      expect(fetched.body).toEqual(res.body);
    });

    it('with ?dryRun=true answers 200 and stores nothing', async () => {
      const name = uniqueName('dry');
      const res = await t.api().post('/v1/plans?dryRun=true').send(fixtureTopology('shop-aws', name)).expect(200);

      expect(res.body.name).toBe(name);
      expect(res.body.id).toBeUndefined();
      expect(res.headers.location).toBeUndefined();
      const list = await t.api().get('/v1/plans').query({ name }).expect(200);
      expect(list.body.totalCount).toBe(0);
    });

    it('rejects a bad dryRun value', async () => {
      const res = await t
        .api()
        .post('/v1/plans?dryRun=maybe')
        .send(fixtureTopology('shop-aws', uniqueName('x')))
        .expect(400);
      expect(res.body.errors).toEqual([{ path: 'dryRun', message: expect.any(String) }]);
    });

    it('answers 400 problem+json listing every problem of a bad topology', async () => {
      const topology = {
        name: 'Bad_Name',
        environment: { platform: 'mars' },
        components: [
          { name: 'web', role: 'frontend', ports: [{ port: 70000 }] },
          { name: 'web', role: 'api', ports: [{ port: 80, nodePort: 80 }], dependsOn: ['ghost'] },
        ],
      };

      const res = await t.api().post('/v1/plans').send(topology).expect(400);

      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        type: 'https://exposure-planner.dev/problems/validation-failed',
        title: expect.any(String),
        status: 400,
        detail: expect.any(String),
        instance: '/v1/plans',
      });
      const paths = (res.body.errors as { path: string; message: string }[]).map((e) => e.path);
      expect(paths).toEqual(
        expect.arrayContaining(['name', 'environment.platform', 'components[0].ports[0].port', 'components[1].name']),
      );
      expect(paths.length).toBeGreaterThanOrEqual(5);
    });

    it('stores what the NetworkPolicies cover, egress restricted included, and refuses an unknown egress value', async () => {
      const plan = await create('netpol-egress-kind');
      expect(plan.networkPolicyCoverage).toMatchObject({
        egress: 'restricted',
        uncovered: [],
        partlyCovered: [{ component: 'storefront', narrowWith: ['environment.podCidr', 'environment.nodeCidr'] }],
      });
      expect(plan.manifests.map((object) => object.metadata.name)).toEqual(
        expect.arrayContaining(['default-deny-egress', 'egress-invoicer']),
      );
      const fetched = await t.api().get(`/v1/plans/${plan.id}`).expect(200);
      expect(fetched.body.networkPolicyCoverage).toEqual(plan.networkPolicyCoverage);

      const topology = fixtureTopology('netpol-egress-kind', uniqueName('egress'));
      const environment = { ...(topology.environment as Record<string, unknown>), egress: 'deny' };
      const res = await t
        .api()
        .post('/v1/plans')
        .send({ ...topology, environment })
        .expect(400);
      expect(res.body.errors).toEqual([
        { path: 'environment.egress', message: expect.stringContaining('unknown egress "deny"') },
      ]);
    });

    it('answers 400 for malformed JSON, not 500', async () => {
      const res = await t
        .api()
        .post('/v1/plans')
        .set('content-type', 'application/json')
        .send('{"name": "x",')
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', type: 'about:blank' });
    });

    it('answers 400 for an empty JSON body', async () => {
      await t.api().post('/v1/plans').set('content-type', 'application/json').send('').expect(400);
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const huge = JSON.stringify({ name: 'big', padding: 'x'.repeat(1024 * 1024) });
      const res = await t.api().post('/v1/plans').set('content-type', 'application/json').send(huge).expect(413);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body.status).toBe(413);
    });

    it.each(['text/plain', 'application/xml', 'application/yaml', 'application/x-www-form-urlencoded'])(
      'answers 415 for a %s body',
      async (type) => {
        const res = await t.api().post('/v1/plans').set('content-type', type).send('name: shop').expect(415);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.body.status).toBe(415);
        // It says what was refused and what to send instead.
        expect(res.body.detail).toContain(type);
        expect(res.body.detail).toMatch(/send application\/json\.$/);
      },
    );

    it('answers 415 to `curl --data @topology.json` without a Content-Type header (curl sends it as a form)', async () => {
      const topology = JSON.stringify(fixtureTopology('shop-aws', uniqueName('form')));
      const res = await t.api().post('/v1/plans').type('form').send(topology).expect(415);
      expect(res.body.detail).toContain('application/x-www-form-urlencoded');
      expect(res.body.detail).toMatch(/send application\/json\.$/);
    });
  });

  describe('GET /v1/plans/:id', () => {
    it('answers 400 invalid-id for a malformed id', async () => {
      const res = await t.api().get('/v1/plans/not-a-uuid').expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ type: 'https://exposure-planner.dev/problems/invalid-id', status: 400 });
    });

    it('answers 404 not-found for an unknown id', async () => {
      const res = await t.api().get(`/v1/plans/${UNKNOWN_ID}`).expect(404);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        type: 'https://exposure-planner.dev/problems/not-found',
        status: 404,
        instance: `/v1/plans/${UNKNOWN_ID}`,
      });
    });
  });

  describe('GET /v1/plans/:id/manifests', () => {
    it('answers multi-document YAML by default, the same objects as the JSON array', async () => {
      const plan = await create('shop-aws');

      const yaml = await t.api().get(`/v1/plans/${plan.id}/manifests`).expect(200);
      const json = await t.api().get(`/v1/plans/${plan.id}/manifests`).set('accept', 'application/json').expect(200);

      expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      const documents = loadAll(yaml.text);
      expect(documents.length).toBeGreaterThan(1);
      expect(documents).toEqual(json.body);
      expect(json.body).toEqual(plan.manifests);
    });

    it('prefers YAML when asked for it, or for anything', async () => {
      const plan = await create('demo-minikube');
      for (const accept of ['application/yaml', '*/*', 'application/json;q=0.5, application/yaml']) {
        const res = await t.api().get(`/v1/plans/${plan.id}/manifests`).set('accept', accept).expect(200);
        expect(res.headers['content-type']).toMatch(/^application\/yaml/);
      }
    });

    it('answers 404 for an unknown plan', async () => {
      await t.api().get(`/v1/plans/${UNKNOWN_ID}/manifests`).expect(404);
    });
  });

  describe('PUT /v1/plans/:id and GET /v1/plans/:id/revisions', () => {
    it('round-trips revisions: new revision, old ones kept, newest first', async () => {
      const name = uniqueName('rev');
      const first = await create('shop-aws', name);
      const changed = fixtureTopology('shop-aws', name);
      changed.environment = { platform: 'gcp', region: 'europe-west1', stage: 'staging' };

      const second = await t.api().put(`/v1/plans/${first.id}`).send(changed).expect(200);

      expect(second.body).toMatchObject({ id: first.id, name, revision: 2 });
      expect(second.body.topology.environment.platform).toBe('gcp');
      const latest = await t.api().get(`/v1/plans/${first.id}`).expect(200);
      expect(latest.body).toEqual(second.body);
      const revisions = await t.api().get(`/v1/plans/${first.id}/revisions`).expect(200);
      expect(revisions.body.items.map((r: StoredPlan) => r.revision)).toEqual([2, 1]);
      expect(revisions.body.items[1]).toEqual(first);
      const summary = await t.api().get('/v1/plans').query({ name }).expect(200);
      expect(summary.body.items[0]).toMatchObject({ id: first.id, revision: 2, platform: 'gcp' });
    });

    it('rejects a bad topology with 400 and keeps the revision', async () => {
      const plan = await create('shop-aws');
      const res = await t.api().put(`/v1/plans/${plan.id}`).send({ name: plan.name, components: 'none' }).expect(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
      expect((await t.api().get(`/v1/plans/${plan.id}`).expect(200)).body.revision).toBe(1);
    });

    it('answers 404 for an unknown plan, 400 for a malformed id', async () => {
      await t.api().put(`/v1/plans/${UNKNOWN_ID}`).send(fixtureTopology('shop-aws', 'x')).expect(404);
      await t.api().put('/v1/plans/123').send(fixtureTopology('shop-aws', 'x')).expect(400);
      await t.api().get(`/v1/plans/${UNKNOWN_ID}/revisions`).expect(404);
    });
  });

  describe('DELETE /v1/plans/:id', () => {
    it('answers 204, then 404 for the plan and its revisions', async () => {
      const plan = await create('shop-aws');

      const res = await t.api().delete(`/v1/plans/${plan.id}`).expect(204);

      expect(res.text).toBe('');
      await t.api().get(`/v1/plans/${plan.id}`).expect(404);
      await t.api().get(`/v1/plans/${plan.id}/revisions`).expect(404);
      await t.api().delete(`/v1/plans/${plan.id}`).expect(404);
    });
  });

  describe('GET /v1/plans', () => {
    const prefix = uniqueName('page');
    const created: StoredPlan[] = [];

    beforeAll(async () => {
      // Sequential, so createdAt strictly orders them (the list's order).
      for (let i = 0; i < 7; i++) {
        created.push(await create(i % 2 === 0 ? 'shop-aws' : 'demo-minikube', `${prefix}-${i}`));
      }
    });

    const pageThrough = async (query: Record<string, string | number>): Promise<PlanSummary[]> => {
      const seen: PlanSummary[] = [];
      let cursor: string | null = null;
      do {
        const res = await t
          .api()
          .get('/v1/plans')
          .query({ ...query, ...(cursor ? { cursor } : {}) })
          .expect(200);
        const page = res.body as Page<PlanSummary>;
        expect(page.items.length).toBeLessThanOrEqual(Number(query.limit));
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };

    it('pages through every match newest first, without duplicates or gaps', async () => {
      const seen = await pageThrough({ name: prefix, limit: 2 });
      expect(seen.map((s) => s.id)).toEqual(created.map((p) => p.id).reverse());
    });

    it('combines filters across pages', async () => {
      const seen = await pageThrough({ name: prefix.toUpperCase(), platform: 'minikube', limit: 1 });
      const expected = created.filter((p) => p.topology.environment.platform === 'minikube');
      expect(seen.map((s) => s.id)).toEqual(expected.map((p) => p.id).reverse());
    });

    it('reports the filtered total on every page and the summary fields', async () => {
      const res = await t.api().get('/v1/plans').query({ name: prefix, limit: 3 }).expect(200);
      expect(res.body.totalCount).toBe(7);
      expect(res.body.items).toHaveLength(3);
      expect(typeof res.body.nextCursor).toBe('string');
      const newest = at(created, 6);
      expect(res.body.items[0]).toEqual({
        id: newest.id,
        name: newest.name,
        namespace: newest.topology.namespace,
        platform: newest.topology.environment.platform,
        revision: 1,
        createdAt: newest.createdAt,
        updatedAt: newest.createdAt,
        monthlyCost: newest.cost.monthlyTotal,
        componentCount: newest.topology.components.length,
        worstSeverity: expect.toBeOneOf([null, 'critical', 'high', 'medium', 'low', 'info']),
      });
    });

    it('filters by creation time and minimum severity', async () => {
      const middle = at(created, 3).createdAt;
      const after = await t
        .api()
        .get('/v1/plans')
        .query({ name: prefix, createdAfter: middle, limit: 100 })
        .expect(200);
      expect(after.body.items.map((s: PlanSummary) => s.id)).toEqual(
        created
          .slice(3)
          .map((p) => p.id)
          .reverse(),
      );
      const before = await t.api().get('/v1/plans').query({ name: prefix, createdBefore: middle }).expect(200);
      expect(before.body.totalCount).toBe(3);

      const severe = await t
        .api()
        .get('/v1/plans')
        .query({ name: prefix, minSeverity: 'high', limit: 100 })
        .expect(200);
      const rank = ['info', 'low', 'medium', 'high', 'critical'];
      const expected = created.filter((p) => p.findings.some((f) => rank.indexOf(f.severity) >= rank.indexOf('high')));
      expect(severe.body.items.map((s: PlanSummary) => s.id).sort()).toEqual(expected.map((p) => p.id).sort());
    });

    it('answers 400 listing each bad query value', async () => {
      const res = await t
        .api()
        .get('/v1/plans')
        .query({
          limit: 1000,
          platform: 'mars',
          createdAfter: 'last tuesday',
          minSeverity: 'dire',
          cursor: '!!',
          sort: 'x',
        })
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
        ['createdAfter', 'limit', 'minSeverity', 'platform', 'sort'].sort(),
      );
    });

    it('answers 400 for a cursor it did not issue', async () => {
      const res = await t.api().get('/v1/plans').query({ cursor: 'bm90LWEtY3Vyc29y' }).expect(400);
      expect(res.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    });
  });

  // The queries GraphQL and chat rely on, through the service on the real database (raw SQL in the repository).
  describe('PlansService on the database', () => {
    const prefix = uniqueName('svc');
    const created: StoredPlan[] = [];
    let service: PlansService;

    beforeAll(async () => {
      service = t.app.get(PlansService);
      for (const [i, fixture] of ['shop-aws', 'demo-minikube', 'edge-bare-metal', 'shop-aws'].entries()) {
        created.push(await create(fixture, `${prefix}-${i}`));
      }
      // A second revision: stats must count the latest revision only.
      created[0] = (
        await t
          .api()
          .put(`/v1/plans/${at(created, 0).id}`)
          .send(fixtureTopology('partner-api-azure', `${prefix}-0`))
          .expect(200)
      ).body as StoredPlan;
    });

    it('stats aggregates the latest revisions of the filtered plans in SQL', async () => {
      const stats = await service.stats({ name: prefix }, ALL_PLANS);

      const count = (keys: string[]) =>
        [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())]
          .map(([key, n]) => ({ key, count: n }))
          .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
      const findings = created.flatMap((p) => p.findings);
      const total = created.reduce((sum, p) => sum + p.cost.monthlyTotal, 0);
      expect(stats).toEqual({
        totalPlans: 4,
        byServiceType: count(created.flatMap((p) => p.recommendations.map((r) => r.serviceType ?? 'none'))),
        byPlatform: count(created.map((p) => p.topology.environment.platform)),
        bySeverity: SEVERITIES.map((key) => ({ key, count: findings.filter((f) => f.severity === key).length })),
        monthlyCostTotal: Math.round(total * 100) / 100,
        monthlyCostAverage: Math.round((total / 4) * 100) / 100,
        topFindings: count(created.flatMap((p) => [...new Set(p.findings.map((f) => f.id))])).slice(0, 10),
        // Only a query with `bucket` gets the series over time.
        buckets: null,
      });
    });

    it('stats of a filter that keeps nothing is all zeros', async () => {
      const stats = await service.stats({ name: `${prefix}-none` }, ALL_PLANS);
      expect(stats).toMatchObject({
        totalPlans: 0,
        monthlyCostTotal: 0,
        monthlyCostAverage: 0,
        byPlatform: [],
        topFindings: [],
      });
      expect(stats.bySeverity.every((s) => s.count === 0)).toBe(true);
    });

    it('findByIds returns the latest revisions in the order asked', async () => {
      const ids = [at(created, 2).id, UNKNOWN_ID, at(created, 0).id];
      const found = await service.findByIds(ids, ALL_PLANS);
      expect(found).toEqual([created[2], created[0]]);
    });

    it('getByIdOrName finds by id or by exact name', async () => {
      expect(await service.getByIdOrName(at(created, 1).id, ALL_PLANS)).toEqual(created[1]);
      expect(await service.getByIdOrName(`${prefix}-3`, ALL_PLANS)).toEqual(created[3]);
      await expect(service.getByIdOrName(`${prefix}-9`, ALL_PLANS)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('routing', () => {
    it('answers 404 problem+json for an unknown route', async () => {
      const res = await t.api().get('/v2/nothing').expect(404);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ status: 404, type: 'about:blank', title: 'Not Found' });
    });

    it.each(['application/x-www-form-urlencoded', 'application/yaml'])(
      'answers 404 for an unknown route whatever the body: a %s one too, not a 415',
      async (type) => {
        const res = await t.api().post('/v2/nothing').set('content-type', type).send('a=b').expect(404);
        expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
      },
    );

    it('answers 405 with Allow for a known path and another method', async () => {
      const res = await t.api().patch(`/v1/plans/${UNKNOWN_ID}`).send({}).expect(405);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.headers.allow).toContain('PUT');
      expect(res.headers.allow).toContain('DELETE');
    });
  });
});
