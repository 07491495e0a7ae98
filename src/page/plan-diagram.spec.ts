import { generateTopology } from '../../test/support/generate-topology.js';
import type { StoredPlan } from '../plans/plans.types.js';
import { storedPlanOf } from '../plans/testing/stored-plan-of.js';
import { planDiagram } from './plan-diagram.js';

function stored(components: number): StoredPlan {
  return storedPlanOf(generateTopology(components), { name: 'page' });
}

describe('the page diagram', () => {
  it("is the diagram module's drawing of the plan", async () => {
    const svg = await planDiagram(stored(3));
    expect(svg).toMatch(/^<svg /);
    expect(svg).toMatch(/<g id="node1" class="node /);
    expect(svg).not.toContain('data-diagram="too-large"');
  });

  it('says the plan is too large to draw, and where its Mermaid text is, instead of failing the page', async () => {
    const svg = await planDiagram(stored(500));
    expect(svg).toContain('data-diagram="too-large"');
    expect(svg).toContain('diagram.mmd');
    expect(svg).toContain('role="img"');
  });
});
