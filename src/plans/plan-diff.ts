import jsonPatch from 'fast-json-patch';
import { toCents } from '../planner/cost.js';
import type { CostItem, EntryPoint, Finding, KubeObject, ServiceType, Severity } from '../planner/types.js';
import type { StoredPlan } from './plans.types.js';

/**
 * What changed between two revisions of one plan: a pure function of the two stored revisions, so
 * REST, GraphQL and chat answer the same diff. Every list is sorted by its key (code-unit order, not
 * the locale's), so the same two revisions always give the same document.
 */

/** How a component is exposed: its Service type (null: no Service) and how outside traffic arrives. */
export type Exposure = { serviceType: ServiceType | null; entryPoint: EntryPoint };

/** A component whose exposure changed; `from` is null for a component added, `to` for one removed. */
export type RecommendationChange = { component: string; from: Exposure | null; to: Exposure | null };

/** Names a Kubernetes object: apiVersion/kind/namespace/name (namespace null for cluster-scoped objects). */
export type ObjectRef = { apiVersion: string; kind: string; namespace: string | null; name: string };

/** One RFC 6902 operation. `value` is present for add, replace and test; `from` for move and copy. */
export type JsonPatchOperation = {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
};

export type ObjectChange = ObjectRef & { patch: JsonPatchOperation[] };

export type ManifestDiff = { added: ObjectRef[]; removed: ObjectRef[]; changed: ObjectChange[] };

/** A cost line that moved, summed by component and resource; `from`/`to` null when absent on that side. */
export type CostItemChange = {
  component: string | null;
  resource: CostItem['resource'];
  from: number | null;
  to: number | null;
  delta: number;
};

export type CostDiff = { currency: 'USD'; from: number; to: number; delta: number; items: CostItemChange[] };

export type FindingRef = { id: string; component: string | null; severity: Severity; title: string };

export type FindingsDiff = { added: FindingRef[]; resolved: FindingRef[] };

export type PlanDiff = {
  planId: string;
  name: string;
  fromRevision: number;
  toRevision: number;
  recommendations: RecommendationChange[];
  manifests: ManifestDiff;
  cost: CostDiff;
  findings: FindingsDiff;
};

export function diffPlans(from: StoredPlan, to: StoredPlan): PlanDiff {
  return {
    planId: to.id,
    name: to.name,
    fromRevision: from.revision,
    toRevision: to.revision,
    recommendations: diffRecommendations(from, to),
    manifests: diffManifests(from.manifests, to.manifests),
    cost: diffCost(from, to),
    findings: diffFindings(from.findings, to.findings),
  };
}

/** True when the two revisions give the same answer in every part the diff compares. */
export function isEmptyDiff(diff: PlanDiff): boolean {
  return (
    diff.recommendations.length === 0 &&
    diff.manifests.added.length === 0 &&
    diff.manifests.removed.length === 0 &&
    diff.manifests.changed.length === 0 &&
    diff.cost.delta === 0 &&
    diff.cost.items.length === 0 &&
    diff.findings.added.length === 0 &&
    diff.findings.resolved.length === 0
  );
}

function diffRecommendations(from: StoredPlan, to: StoredPlan): RecommendationChange[] {
  const before = new Map(from.recommendations.map((r) => [r.component, exposureOf(r)]));
  const after = new Map(to.recommendations.map((r) => [r.component, exposureOf(r)]));
  return sortedKeys(before, after).flatMap((component) => {
    const was = before.get(component) ?? null;
    const is = after.get(component) ?? null;
    const same = was !== null && is !== null && was.serviceType === is.serviceType && was.entryPoint === is.entryPoint;
    return same ? [] : [{ component, from: was, to: is }];
  });
}

function exposureOf(recommendation: Exposure): Exposure {
  return { serviceType: recommendation.serviceType, entryPoint: recommendation.entryPoint };
}

function diffManifests(from: KubeObject[], to: KubeObject[]): ManifestDiff {
  const before = new Map(from.map((o) => [objectKey(o), o]));
  const after = new Map(to.map((o) => [objectKey(o), o]));
  const diff: ManifestDiff = { added: [], removed: [], changed: [] };
  for (const key of sortedKeys(before, after)) {
    const was = before.get(key);
    const is = after.get(key);
    if (was === undefined && is !== undefined) {
      diff.added.push(refOf(is));
    } else if (was !== undefined && is === undefined) {
      diff.removed.push(refOf(was));
    } else if (was !== undefined && is !== undefined) {
      const patch = jsonPatch.compare(was, is) as JsonPatchOperation[];
      if (patch.length > 0) {
        diff.changed.push({ ...refOf(is), patch });
      }
    }
  }
  return diff;
}

function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? null,
    name: object.metadata.name,
  };
}

function objectKey(object: KubeObject): string {
  const ref = refOf(object);
  // The kind first, so the diff reads grouped by kind; "/" never occurs in a kind, namespace or name.
  return [ref.kind, ref.namespace ?? '', ref.name, ref.apiVersion].join('/');
}

function diffCost(from: StoredPlan, to: StoredPlan): CostDiff {
  const before = centsByLine(from.cost.items);
  const after = centsByLine(to.cost.items);
  const items = sortedKeys(before, after).flatMap((key): CostItemChange[] => {
    const was = before.get(key);
    const is = after.get(key);
    const delta = (is?.cents ?? 0) - (was?.cents ?? 0);
    if (was !== undefined && is !== undefined && delta === 0) {
      return [];
    }
    const line = (is ?? was)!;
    return [
      {
        component: line.component,
        resource: line.resource,
        from: was === undefined ? null : was.cents / 100,
        to: is === undefined ? null : is.cents / 100,
        delta: delta / 100,
      },
    ];
  });
  // In cents, so that 16.43 - 16.42 is 0.01 and not 0.010000000000001563.
  const delta = (toCents(to.cost.monthlyTotal) - toCents(from.cost.monthlyTotal)) / 100;
  return { currency: to.cost.currency, from: from.cost.monthlyTotal, to: to.cost.monthlyTotal, delta, items };
}

type CostLine = { component: string | null; resource: CostItem['resource']; cents: number };

function centsByLine(items: CostItem[]): Map<string, CostLine> {
  const lines = new Map<string, CostLine>();
  for (const item of items) {
    const component = item.component ?? null;
    // A shared resource (no component) sorts first: "\u0000" is below every character of a name.
    const key = `${component ?? '\u0000'}/${item.resource}`;
    const line = lines.get(key) ?? { component, resource: item.resource, cents: 0 };
    line.cents += toCents(item.monthly);
    lines.set(key, line);
  }
  return lines;
}

function diffFindings(from: Finding[], to: Finding[]): FindingsDiff {
  const before = new Map(from.map((f) => [findingKey(f), f]));
  const after = new Map(to.map((f) => [findingKey(f), f]));
  const keys = sortedKeys(before, after);
  return {
    added: keys.flatMap((key) => (before.has(key) ? [] : [findingRef(after.get(key)!)])),
    resolved: keys.flatMap((key) => (after.has(key) ? [] : [findingRef(before.get(key)!)])),
  };
}

function findingKey(finding: Finding): string {
  return `${finding.id}/${finding.component ?? ''}`;
}

function findingRef(finding: Finding): FindingRef {
  return { id: finding.id, component: finding.component ?? null, severity: finding.severity, title: finding.title };
}

/** The keys of both maps, each once, in code-unit order (the same on every machine, unlike localeCompare). */
function sortedKeys(a: Map<string, unknown>, b: Map<string, unknown>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}
