import { fixtures } from '../../test/support/golden-fixtures.js';
import { plan } from '../planner/plan.js';
import type { PlanResult } from '../planner/types.js';
import { renderPlanDiagramMermaid, renderPlanDiagramSvg } from './index.js';

/**
 * Golden diagrams for every topology fixture (test/fixtures/diagrams): a change to what is drawn,
 * to the layout or to Graphviz shows up here as a diff to read, and the files show what users get.
 * `npx vitest run src/diagrams -u` rewrites them.
 */

const GOLDEN = '../../test/fixtures/diagrams';

function planOrFail(input: unknown): PlanResult {
  const outcome = plan(input);
  if (!outcome.ok) {
    throw new Error(`expected a plan, got problems: ${JSON.stringify(outcome.problems)}`);
  }
  return outcome.plan;
}

describe('golden diagrams', () => {
  it('covers at least the five realistic fixtures the planner has', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(fixtures)('fixture %s', (fixtureName, input) => {
    it('matches the golden SVG, and draws the same bytes twice', async () => {
      const result = planOrFail(input);
      const svg = await renderPlanDiagramSvg(result);
      expect(await renderPlanDiagramSvg(planOrFail(input))).toBe(svg);
      await expect(svg).toMatchFileSnapshot(`${GOLDEN}/${fixtureName}.svg`);
    });

    it('matches the golden Mermaid text, and writes the same text twice', async () => {
      const mermaid = renderPlanDiagramMermaid(planOrFail(input));
      expect(renderPlanDiagramMermaid(planOrFail(input))).toBe(mermaid);
      await expect(mermaid).toMatchFileSnapshot(`${GOLDEN}/${fixtureName}.mmd`);
    });
  });
});
