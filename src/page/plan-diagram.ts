import type { StoredPlan } from '../plans/plans.types.js';

/**
 * Where the page gets its traffic diagram: an SVG document for one stored revision. The one seam
 * between this page and the diagram module (`renderPlanDiagramSvg` in src/diagrams), provided as
 * `{ provide: PLAN_DIAGRAM, useValue: renderPlanDiagramSvg }`. Its output is inserted into the
 * page as markup, unescaped: the renderer owns escaping the names it draws.
 */
export type PlanDiagram = (plan: StoredPlan) => Promise<string>;

export const PLAN_DIAGRAM = Symbol('PLAN_DIAGRAM');

/**
 * Until the diagram module is in this build: an SVG that says so, instead of a drawing. Honest
 * rather than empty, so the page's diagram section keeps its place and its accessible name.
 */
export const diagramUnavailable: PlanDiagram = () =>
  Promise.resolve(
    '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Diagram unavailable" ' +
      'viewBox="0 0 480 48" width="480" height="48" data-diagram="unavailable">' +
      '<rect x="0.5" y="0.5" width="479" height="47" fill="#f6f6f6" stroke="#767676"/>' +
      '<text x="16" y="29" font-family="sans-serif" font-size="14" fill="#333">' +
      'Diagram unavailable: this build has no diagram renderer.</text></svg>',
  );
