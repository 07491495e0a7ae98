import { formatUsd } from '../planner/cost.js';
import { diffPlans, type FindingRef } from '../plans/plan-diff.js';
import type { StoredPlan } from '../plans/plans.types.js';
import { diagramOf, orderedByKind, type Diagram, type DiagramEdge, type DiagramNode } from './diagram-model.js';

/**
 * Two revisions in one picture: the newer revision's diagram, with what the older one had and the
 * newer lost drawn as removed, what is new drawn as added, and a node whose label changed (a
 * Service type, an entry point's cost) drawn as changed. Nodes match by id (kind and name), edges
 * by their two ends and kind; an edge whose label changed (other ports, another host) is one edge
 * removed and one added. The heading says what plan-diff.ts says: the revisions, the cost moved,
 * the findings added and resolved.
 */
export function diffDiagramOf(from: StoredPlan, to: StoredPlan): Diagram {
  const before = diagramOf(from);
  const after = diagramOf(to);
  const diff = diffPlans(from, to);

  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterIds = new Set(after.nodes.map((node) => node.id));
  const nodes: DiagramNode[] = after.nodes.map((node): DiagramNode => {
    const was = beforeNodes.get(node.id);
    if (was === undefined) {
      return { ...node, change: 'added' };
    }
    return sameLabel(was, node) ? node : { ...node, change: 'changed' };
  });
  nodes.push(
    ...before.nodes.filter((node) => !afterIds.has(node.id)).map((node) => ({ ...node, change: 'removed' as const })),
  );

  const beforeEdges = new Set(before.edges.map(edgeKey));
  const afterEdges = new Set(after.edges.map(edgeKey));
  const edges: DiagramEdge[] = [
    ...after.edges.map((edge): DiagramEdge => (beforeEdges.has(edgeKey(edge)) ? edge : { ...edge, change: 'added' })),
    ...before.edges
      .filter((edge) => !afterEdges.has(edgeKey(edge)))
      .map((edge) => ({ ...edge, change: 'removed' as const })),
  ];

  const delta = diff.cost.delta;
  const title =
    `${to.name}: revision ${from.revision} → ${to.revision}, ` +
    `${formatUsd(diff.cost.from)}/mo → ${formatUsd(diff.cost.to)}/mo (${delta < 0 ? '-' : '+'}${formatUsd(Math.abs(delta))})`;
  const counted = (change: string, list: { change?: string }[]): number =>
    list.filter((x) => x.change === change).length;
  return {
    title,
    description:
      `What changed in plan ${to.name} from revision ${from.revision} to ${to.revision}: ` +
      `${counted('added', edges)} connections added and ${counted('removed', edges)} removed, ` +
      `${counted('added', nodes)} nodes added, ${counted('removed', nodes)} removed and ${counted('changed', nodes)} changed; ` +
      `${diff.findings.added.length} findings added, ${diff.findings.resolved.length} resolved.`,
    namespace: after.namespace,
    nodes: orderedByKind(nodes),
    edges,
    notes: [
      ...diff.findings.added.map((finding) => `finding added: ${findingText(finding)}`),
      ...diff.findings.resolved.map((finding) => `finding resolved: ${findingText(finding)}`),
    ],
  };
}

function findingText(finding: FindingRef): string {
  return `${finding.severity} ${finding.id}${finding.component === null ? '' : ` on ${finding.component}`}: ${finding.title}`;
}

function sameLabel(a: DiagramNode, b: DiagramNode): boolean {
  return (
    a.title === b.title &&
    a.details.join('\n') === b.details.join('\n') &&
    JSON.stringify(a.severeFindings) === JSON.stringify(b.severeFindings)
  );
}

function edgeKey(edge: DiagramEdge): string {
  return JSON.stringify([edge.from, edge.to, edge.kind, edge.label ?? null, edge.blocked ?? false]);
}
