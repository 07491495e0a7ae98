import { withJsonText } from '../common/json-text.js';
import type { PlanResult, Topology } from '../planner/types.js';
import type { StoredPlan } from './plans.types.js';
import { worstSeverityRank } from './severity-rank.js';

/** What a revision stores besides its topology: the plan minus the fields kept in columns. */
export type StoredResult = Omit<PlanResult, 'engineVersion' | 'topology'>;

/** A revision's content as the text the database holds: the REST answer is made of it as it is. */
export type RevisionText = { engineVersion: string; topologyJson: string; resultJson: string };

/**
 * What a write stores of a plan: the figures its row keeps for the list filters and the aggregates,
 * and its JSON text. Only text and numbers, so that a write waiting for the database does not keep
 * the planner's objects reachable: every young-generation collection under load copied what the
 * requests in flight held (docs/performance.md, "What a POST holds while it waits").
 */
export type PlanDraft = RevisionText & {
  name: string;
  namespace: string;
  platform: string;
  monthlyCost: number;
  componentCount: number;
  worstSeverityRank: number | null;
};

/** Which revision of which plan, and when it was made. */
export type RevisionKey = { planId: string; revision: number; createdAt: Date };

export function draftOf(result: PlanResult): PlanDraft {
  const {
    topology,
    recommendations,
    ingress,
    gateway,
    manifests,
    networkPolicyCoverage,
    cost,
    findings,
    verification,
  } = result;
  // Named one by one, not `...rest`: the stored text keeps the contract's field order (the order
  // storedPlanFromText defines its fields in) whatever order the caller built its result in.
  const stored: StoredResult = {
    recommendations,
    ingress,
    gateway,
    manifests,
    networkPolicyCoverage,
    cost,
    findings,
    verification,
  };
  return {
    name: topology.name,
    namespace: topology.namespace,
    platform: topology.environment.platform,
    monthlyCost: cost.monthlyTotal,
    componentCount: topology.components.length,
    worstSeverityRank: worstSeverityRank(findings),
    engineVersion: result.engineVersion,
    topologyJson: JSON.stringify(topology),
    resultJson: JSON.stringify(stored),
  };
}

/**
 * A revision as the plan every transport returns, made from its text; field order follows the
 * original design's output contract. Its JSON text is put together from the stored texts, in the
 * same order, and answered as it is (src/common/json-text.ts). The objects are parsed from the
 * text when something first reads them (GraphQL, chat, the page, a diff), once: a REST answer
 * never parses the ~79 KB result at all. `topology`, when the caller has parsed it already.
 */
export function storedPlanFromText(
  key: RevisionKey,
  name: string,
  text: RevisionText,
  topology?: Topology,
): StoredPlan {
  let parsedTopology = topology;
  let parsedResult: StoredResult | undefined;
  const topologyOf = () => (parsedTopology ??= JSON.parse(text.topologyJson) as Topology);
  const resultOf = () => (parsedResult ??= JSON.parse(text.resultJson) as StoredResult);
  const head = {
    id: key.planId,
    name,
    revision: key.revision,
    createdAt: key.createdAt.toISOString(),
    engineVersion: text.engineVersion,
  };
  const parsedOnRead = <T>(read: () => T): PropertyDescriptor => ({ enumerable: true, get: read });
  const plan = Object.defineProperties(
    { ...head },
    {
      topology: parsedOnRead(topologyOf),
      recommendations: parsedOnRead(() => resultOf().recommendations),
      ingress: parsedOnRead(() => resultOf().ingress),
      // Revisions planned before engine 1.3.0 have no gateway: they routed through an Ingress or nothing.
      gateway: parsedOnRead(() => resultOf().gateway ?? null),
      manifests: parsedOnRead(() => resultOf().manifests),
      // Revisions stored before the coverage was reported have none: null, not a guess.
      networkPolicyCoverage: parsedOnRead(() => resultOf().networkPolicyCoverage ?? null),
      cost: parsedOnRead(() => resultOf().cost),
      findings: parsedOnRead(() => resultOf().findings),
      verification: parsedOnRead(() => resultOf().verification),
    },
  ) as StoredPlan;
  // '{"id":…,"engineVersion":"1.2.0"' + ',"topology":{…}' + ',"recommendations":[…],…}'
  const rest = text.resultJson === '{}' ? '}' : `,${text.resultJson.slice(1)}`;
  return withJsonText(plan, `${JSON.stringify(head).slice(0, -1)},"topology":${text.topologyJson}${rest}`);
}
