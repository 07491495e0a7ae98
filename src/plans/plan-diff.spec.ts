import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonPatch from 'fast-json-patch';
import { planOf } from '../planner/testing/topology-inputs.js';
import type { KubeObject } from '../planner/types.js';
import { diffPlans, isEmptyDiff } from './plan-diff.js';
import type { StoredPlan } from './plans.types.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/topologies');
const shop = (): Record<string, unknown> & { components: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(join(FIXTURES, 'shop-aws.json'), 'utf8')) as Record<string, unknown> & {
    components: Record<string, unknown>[];
  };

const PLAN_ID = '11111111-2222-4333-8444-555555555555';

function stored(topology: unknown, revision: number): StoredPlan {
  return { ...planOf(topology), id: PLAN_ID, name: 'shop', revision, createdAt: '2026-12-01T00:00:00.000Z' };
}

/** shop-aws with: api kept in-cluster, cache and mailer removed, an MQTT broker added (a LoadBalancer of its own). */
function changedShop(): unknown {
  const topology = shop();
  topology.components = topology.components
    .filter((c) => c.name !== 'mailer' && c.name !== 'cache')
    .map((c) =>
      c.name === 'api' ? { ...c, exposure: 'internal', host: undefined, tls: undefined, dependsOn: ['db'] } : c,
    );
  topology.components.push({
    name: 'broker',
    role: 'api',
    ports: [{ name: 'mqtt', port: 1883 }],
    exposure: 'public',
  });
  return JSON.parse(JSON.stringify(topology));
}

const refKey = (o: { apiVersion: string; kind: string; namespace: string | null; name: string }): string =>
  `${o.apiVersion}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
const keyOf = (o: KubeObject): string =>
  refKey({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? null, name: o.metadata.name });

describe(diffPlans.name, () => {
  const before = stored(shop(), 1);
  const after = stored(changedShop(), 2);
  const diff = diffPlans(before, after);

  it('names the plan and the two revisions', () => {
    expect(diff).toMatchObject({ planId: PLAN_ID, name: 'shop', fromRevision: 1, toRevision: 2 });
  });

  it('diffs a revision with itself to nothing', () => {
    const same = diffPlans(before, structuredClone(before));
    expect(isEmptyDiff(same)).toBe(true);
    expect(same.cost).toMatchObject({ from: before.cost.monthlyTotal, to: before.cost.monthlyTotal, delta: 0 });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('lists each component whose Service type or entry point changed, added or removed, by name', () => {
    const exposure = (p: StoredPlan, component: string) => {
      const r = p.recommendations.find((x) => x.component === component);
      return r ? { serviceType: r.serviceType, entryPoint: r.entryPoint } : null;
    };
    const expected = ['api', 'broker', 'cache', 'db', 'mailer', 'web']
      .map((component) => ({ component, from: exposure(before, component), to: exposure(after, component) }))
      .filter((c) => JSON.stringify(c.from) !== JSON.stringify(c.to));
    expect(diff.recommendations).toEqual(expected);
    // The changes made: api no longer through the Ingress, broker new, cache and mailer gone.
    expect(diff.recommendations.map((c) => c.component)).toEqual(['api', 'broker', 'cache', 'mailer']);
    expect(diff.recommendations[0]?.from).toEqual({ serviceType: 'ClusterIP', entryPoint: 'ingress' });
    expect(diff.recommendations[0]?.to).toEqual({ serviceType: 'ClusterIP', entryPoint: 'none' });
    expect(diff.recommendations[1]?.from).toBeNull();
    expect(diff.recommendations[3]?.to).toBeNull();
  });

  it('keys objects by apiVersion/kind/namespace/name: added, removed, and a JSON Patch that turns each changed one into the new', () => {
    const was = new Map(before.manifests.map((o) => [keyOf(o), o]));
    const is = new Map(after.manifests.map((o) => [keyOf(o), o]));
    expect(diff.manifests.added.map(refKey).sort()).toEqual([...is.keys()].filter((k) => !was.has(k)).sort());
    expect(diff.manifests.removed.map(refKey).sort()).toEqual([...was.keys()].filter((k) => !is.has(k)).sort());
    expect(diff.manifests.added.some((o) => o.name === 'broker' && o.kind === 'Service')).toBe(true);
    expect(diff.manifests.removed.some((o) => o.name === 'cache' && o.kind === 'Service')).toBe(true);

    const changed = [...was.keys()].filter(
      (k) => is.has(k) && JSON.stringify(was.get(k)) !== JSON.stringify(is.get(k)),
    );
    expect(diff.manifests.changed.map(refKey).sort()).toEqual(changed.sort());
    expect(diff.manifests.changed.length).toBeGreaterThan(0);
    for (const change of diff.manifests.changed) {
      const original = structuredClone(was.get(refKey(change))!);
      const patched = jsonPatch.applyPatch(original, change.patch as jsonPatch.Operation[], true, false).newDocument;
      expect(patched).toEqual(is.get(refKey(change)));
    }
  });

  it('orders objects by kind, namespace, name', () => {
    const order = (refs: { kind: string; namespace: string | null; name: string }[]) =>
      refs.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`);
    for (const list of [diff.manifests.added, diff.manifests.removed, diff.manifests.changed]) {
      const keys = order(list);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('gives the monthly total from, to and delta, and the cost lines that moved, by component and resource', () => {
    expect(diff.cost.from).toBe(before.cost.monthlyTotal);
    expect(diff.cost.to).toBe(after.cost.monthlyTotal);
    expect(diff.cost.delta).toBeCloseTo(after.cost.monthlyTotal - before.cost.monthlyTotal, 2);
    expect(diff.cost.delta).toBeGreaterThan(0);
    // The broker's own load balancer is new: it is among the lines that moved, with nothing before.
    const broker = diff.cost.items.filter((i) => i.component === 'broker');
    expect(broker.length).toBeGreaterThan(0);
    for (const item of broker) {
      expect(item.from).toBeNull();
      expect(item.delta).toBe(item.to);
    }
    // The lines account for the whole delta.
    const sumOfLines = diff.cost.items.reduce((total, i) => total + Math.round(i.delta * 100), 0) / 100;
    expect(sumOfLines).toBeCloseTo(diff.cost.delta, 2);
    // Unchanged lines are left out.
    expect(diff.cost.items.every((i) => i.delta !== 0 || i.from === null || i.to === null)).toBe(true);
  });

  it('sums cost items of one component and resource, and reports a shared line (no component) as null', () => {
    const a = structuredClone(before);
    const b = structuredClone(before);
    a.cost.items = [{ resource: 'ingress-controller', description: 'x', monthly: 10, basis: 'x' }];
    b.cost.items = [
      { resource: 'ingress-controller', description: 'x', monthly: 10.1, basis: 'x' },
      { component: 'web', resource: 'public-ipv4', description: 'x', monthly: 1.2, basis: 'x' },
      { component: 'web', resource: 'public-ipv4', description: 'x', monthly: 2.4, basis: 'x' },
    ];
    expect(diffPlans(a, b).cost.items).toEqual([
      { component: null, resource: 'ingress-controller', from: 10, to: 10.1, delta: 0.1 },
      { component: 'web', resource: 'public-ipv4', from: null, to: 3.6, delta: 3.6 },
    ]);
  });

  it('lists findings added and resolved by id and component, in that order', () => {
    const key = (f: { id: string; component?: string | null }) => `${f.id}/${f.component ?? ''}`;
    const was = new Set(before.findings.map(key));
    const is = new Set(after.findings.map(key));
    expect(diff.findings.added.map(key)).toEqual([...is].filter((k) => !was.has(k)).sort());
    expect(diff.findings.resolved.map(key)).toEqual([...was].filter((k) => !is.has(k)).sort());

    const a = structuredClone(before);
    const b = structuredClone(before);
    const base = { severity: 'low' as const, title: 't', detail: 'd', remediation: 'r' };
    a.findings = [
      { id: 'EXP002', component: 'web', ...base },
      { id: 'EXP001', ...base },
    ];
    b.findings = [
      { id: 'EXP002', component: 'api', ...base },
      { id: 'EXP001', ...base },
      { id: 'EXP001', component: 'web', ...base },
    ];
    expect(diffPlans(a, b).findings).toEqual({
      added: [
        { id: 'EXP001', component: 'web', severity: 'low', title: 't' },
        { id: 'EXP002', component: 'api', severity: 'low', title: 't' },
      ],
      resolved: [{ id: 'EXP002', component: 'web', severity: 'low', title: 't' }],
    });
  });

  it('gives the same diff whatever the order of the stored lists', () => {
    const shuffled = structuredClone(after);
    shuffled.manifests.reverse();
    shuffled.recommendations.reverse();
    shuffled.findings.reverse();
    shuffled.cost.items.reverse();
    expect(diffPlans(before, shuffled)).toEqual(diff);
  });
});
