import jsonPatch from 'fast-json-patch';
import type { KubeObject } from '../src/planner/types.js';
import type { PlanDiff } from '../src/plans/plan-diff.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, useTestApp, uniqueName } from './support/app.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';

type Component = Record<string, unknown> & { name: string };

/** shop-aws with api kept in-cluster, cache and mailer removed, and an MQTT broker on a load balancer of its own. */
function changedShop(name: string): Record<string, unknown> {
  const topology = fixtureTopology('shop-aws', name) as Record<string, unknown> & { components: Component[] };
  const components = topology.components
    .filter((c) => c.name !== 'mailer' && c.name !== 'cache')
    .map((c): Component => {
      if (c.name !== 'api') {
        return c;
      }
      // Kept in-cluster: no host, no TLS.
      const api: Component = { ...c, exposure: 'internal', dependsOn: ['db'] };
      delete api.host;
      delete api.tls;
      return api;
    });
  components.push({ name: 'broker', role: 'api', ports: [{ name: 'mqtt', port: 1883 }], exposure: 'public' });
  return { ...topology, components };
}

const keyOf = (o: { apiVersion: string; kind: string; namespace: string | null; name: string }): string =>
  `${o.apiVersion}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
const kubeKey = (o: KubeObject): string =>
  keyOf({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? null, name: o.metadata.name });

describe('GET /v1/plans/:id/diff', () => {
  const t = useTestApp();
  let first: StoredPlan;
  let second: StoredPlan;

  beforeAll(async () => {
    const name = uniqueName('shop');
    first = (await t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name)).expect(201)).body as StoredPlan;
    second = (await t.api().put(`/v1/plans/${first.id}`).send(changedShop(name)).expect(200)).body as StoredPlan;
  });

  it('diffs the previous revision with the latest by default, in every part', async () => {
    const res = await t.api().get(`/v1/plans/${first.id}/diff`).expect(200);
    const diff = res.body as PlanDiff;
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(diff).toMatchObject({ planId: first.id, name: first.name, fromRevision: 1, toRevision: 2 });

    expect(diff.recommendations).toEqual([
      {
        component: 'api',
        from: { serviceType: 'ClusterIP', entryPoint: 'ingress' },
        to: { serviceType: 'ClusterIP', entryPoint: 'none' },
      },
      {
        component: 'broker',
        from: null,
        to: expect.objectContaining({
          serviceType: second.recommendations.find((r) => r.component === 'broker')!.serviceType,
        }),
      },
      { component: 'cache', from: { serviceType: 'ClusterIP', entryPoint: 'none' }, to: null },
      { component: 'mailer', from: { serviceType: null, entryPoint: 'none' }, to: null },
    ]);

    const was = new Map(first.manifests.map((o) => [kubeKey(o), o]));
    const is = new Map(second.manifests.map((o) => [kubeKey(o), o]));
    expect(diff.manifests.added.map(keyOf).sort()).toEqual([...is.keys()].filter((k) => !was.has(k)).sort());
    expect(diff.manifests.removed.map(keyOf).sort()).toEqual([...was.keys()].filter((k) => !is.has(k)).sort());
    expect(diff.manifests.added).toContainEqual({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'production',
      name: 'broker',
    });
    expect(diff.manifests.removed).toContainEqual({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'production',
      name: 'cache',
    });
    expect(diff.manifests.changed.length).toBeGreaterThan(0);
    for (const change of diff.manifests.changed) {
      const patched = jsonPatch.applyPatch(
        structuredClone(was.get(keyOf(change))!),
        change.patch as jsonPatch.Operation[],
        true,
        false,
      ).newDocument;
      expect(patched).toEqual(is.get(keyOf(change)));
    }

    expect(diff.cost).toMatchObject({ currency: 'USD', from: first.cost.monthlyTotal, to: second.cost.monthlyTotal });
    expect(diff.cost.delta).toBeCloseTo(second.cost.monthlyTotal - first.cost.monthlyTotal, 2);
    expect(diff.cost.items.some((i) => i.component === 'broker' && i.from === null && i.to === i.delta)).toBe(true);

    const findingKey = (f: { id: string; component?: string | null }) => `${f.id}/${f.component ?? ''}`;
    const before = new Set(first.findings.map(findingKey));
    const after = new Set(second.findings.map(findingKey));
    expect(diff.findings.added.map(findingKey)).toEqual([...after].filter((k) => !before.has(k)).sort());
    expect(diff.findings.resolved.map(findingKey)).toEqual([...before].filter((k) => !after.has(k)).sort());
  });

  it('takes from and to, either way round', async () => {
    const forward = (await t.api().get(`/v1/plans/${first.id}/diff`).query({ from: 1, to: 2 }).expect(200))
      .body as PlanDiff;
    const backward = (await t.api().get(`/v1/plans/${first.id}/diff`).query({ from: 2, to: 1 }).expect(200))
      .body as PlanDiff;
    expect(backward).toMatchObject({ fromRevision: 2, toRevision: 1 });
    expect(backward.manifests.added).toEqual(forward.manifests.removed);
    expect(backward.findings.added).toEqual(forward.findings.resolved);
    expect(backward.cost.delta).toBe(-forward.cost.delta);
  });

  it('diffs a plan of one revision with itself: an empty diff', async () => {
    const only = await t.createPlan('one');
    const diff = (await t.api().get(`/v1/plans/${only.id}/diff`).expect(200)).body as PlanDiff;
    expect(diff).toEqual({
      planId: only.id,
      name: only.name,
      fromRevision: 1,
      toRevision: 1,
      recommendations: [],
      manifests: { added: [], removed: [], changed: [] },
      cost: { currency: 'USD', from: only.cost.monthlyTotal, to: only.cost.monthlyTotal, delta: 0, items: [] },
      findings: { added: [], resolved: [] },
    });
  });

  it('answers 400 listing every bad revision number', async () => {
    const res = await t.api().get(`/v1/plans/${first.id}/diff`).query({ from: 'x', to: '0' }).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.errors).toEqual([
      { path: 'from', message: expect.any(String) },
      { path: 'to', message: expect.any(String) },
    ]);
  });

  it('answers 404 for a revision the plan does not have, and for an unknown plan', async () => {
    const res = await t.api().get(`/v1/plans/${first.id}/diff`).query({ to: 3 }).expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.detail).toContain('Revision 3');
    await t.api().get(`/v1/plans/${UNKNOWN_ID}/diff`).expect(404);
  });

  it('needs plans:read', async () => {
    const reader = await t.createKey(['plans:read']);
    const writer = await t.createKey(['plans:write']);
    await t.apiAs(reader.key).get(`/v1/plans/${first.id}/diff`).expect(200);
    await t.apiAs(writer.key).get(`/v1/plans/${first.id}/diff`).expect(403);
  });

  describe('GraphQL planDiff', () => {
    const PLAN_DIFF = `query Diff($id: ID!, $from: Int, $to: Int) {
      planDiff(id: $id, from: $from, to: $to) {
        planId name fromRevision toRevision
        recommendations { component from { serviceType entryPoint } to { serviceType entryPoint } }
        manifests { added { apiVersion kind namespace name } removed { apiVersion kind namespace name }
          changed { apiVersion kind namespace name patch } }
        cost { currency from to delta items { component resource from to delta } }
        findings { added { id component severity title } resolved { id component severity title } }
      }
    }`;
    const graphql = (variables: Record<string, unknown>) =>
      t.api().post('/graphql').send({ query: PLAN_DIFF, variables }).expect(200);

    it('answers the same diff as REST, in GraphQL names', async () => {
      const rest = (await t.api().get(`/v1/plans/${first.id}/diff`).expect(200)).body as PlanDiff;
      const res = await graphql({ id: first.id });
      expect(res.body.errors).toBeUndefined();
      const diff = res.body.data.planDiff as PlanDiff;
      expect(diff).toMatchObject({ planId: first.id, fromRevision: 1, toRevision: 2 });
      expect(diff.recommendations.map((c) => c.component)).toEqual(rest.recommendations.map((c) => c.component));
      // Enums are GraphQL's (CLUSTER_IP…), so compare the parts that are not enums exactly.
      expect(diff.recommendations[0]?.to).toEqual({ serviceType: 'CLUSTER_IP', entryPoint: 'NONE' });
      expect(diff.manifests).toEqual(rest.manifests);
      expect(diff.cost.delta).toBe(rest.cost.delta);
      expect(diff.cost.items.map((i) => [i.component, i.delta])).toEqual(
        rest.cost.items.map((i) => [i.component, i.delta]),
      );
      expect(diff.findings.added.map((f) => f.id)).toEqual(rest.findings.added.map((f) => f.id));
      expect(diff.findings.resolved.map((f) => f.id)).toEqual(rest.findings.resolved.map((f) => f.id));
    });

    it('answers BAD_USER_INPUT for a bad revision number and NOT_FOUND for a missing one', async () => {
      const bad = await graphql({ id: first.id, from: 0, to: -1 });
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const missing = await graphql({ id: first.id, to: 9 });
      expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await graphql({ id: UNKNOWN_ID })).body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await graphql({ id: 'plan-42' })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('needs plans:read', async () => {
      const writer = await t.createKey(['plans:write']);
      const res = await t
        .apiAs(writer.key)
        .post('/graphql')
        .send({ query: PLAN_DIFF, variables: { id: first.id } });
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });
  });
});
