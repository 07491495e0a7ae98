import type { StoredPlan } from '../plans/plans.types.js';
import { diffDiagramOf } from './diagram-diff.js';
import { diagramOf, type DiagramPlan } from './diagram-model.js';
import { toMermaid } from './mermaid.js';
import { toSvg } from './svg.js';

/**
 * The diagrams feature, for every caller (the REST routes here, the plan page in src/page): a
 * stored plan in, SVG or Mermaid text out. Same plan, same bytes.
 */

/** The plan's traffic diagram as an accessible SVG document (role="img", <title>, <desc>), laid out by Graphviz. */
export function renderPlanDiagramSvg(plan: DiagramPlan): Promise<string> {
  return toSvg(diagramOf(plan));
}

/** The plan's traffic diagram as a Mermaid flowchart. */
export function renderPlanDiagramMermaid(plan: DiagramPlan): string {
  return toMermaid(diagramOf(plan));
}

/** What changed between two revisions of a plan, as SVG: added edges green, removed ones red and dashed. */
export function renderPlanDiffDiagramSvg(from: StoredPlan, to: StoredPlan): Promise<string> {
  return toSvg(diffDiagramOf(from, to));
}

/** The same diff as a Mermaid flowchart. */
export function renderPlanDiffDiagramMermaid(from: StoredPlan, to: StoredPlan): string {
  return toMermaid(diffDiagramOf(from, to));
}

export { diagramOf, type Diagram, type DiagramEdge, type DiagramNode, type DiagramPlan } from './diagram-model.js';
export { diffDiagramOf } from './diagram-diff.js';
