import { DomainError } from '../common/domain-error.js';
import { renderPlanDiagramSvg } from '../diagrams/index.js';
import type { StoredPlan } from '../plans/plans.types.js';

/**
 * Where the page gets its traffic diagram: an SVG document for one stored revision. The one seam
 * between this page and the diagram module, provided in PageModule. Its output is inserted into
 * the page as markup, unescaped: the renderer owns escaping the names it draws.
 */
export type PlanDiagram = (plan: StoredPlan) => Promise<string>;

export const PLAN_DIAGRAM = Symbol('PLAN_DIAGRAM');

/**
 * The diagram module's SVG. A plan too large to lay out on the server (the diagram module's own
 * limit, a VALIDATION_FAILED) still gets its page: the diagram section then says so and points to
 * the Mermaid text, which has no limit, instead of failing the whole page.
 */
export const planDiagram: PlanDiagram = async (plan) => {
  try {
    return await renderPlanDiagramSvg(plan);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') {
      return diagramNotDrawn;
    }
    throw error;
  }
};

/** Honest rather than empty, so the page's diagram section keeps its place and its accessible name. */
const diagramNotDrawn =
  '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Diagram not drawn: the plan is too large" ' +
  'viewBox="0 0 640 48" width="640" height="48" data-diagram="too-large">' +
  '<rect x="0.5" y="0.5" width="639" height="47" fill="#f6f6f6" stroke="#767676"/>' +
  '<text x="16" y="29" font-family="sans-serif" font-size="14" fill="#333">' +
  'Too large to lay out here: its Mermaid text (diagram.mmd) draws any size.</text></svg>';
