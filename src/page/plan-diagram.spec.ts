import { generateTopology } from '../../test/support/generate-topology.js';
import { plan } from '../planner/plan.js';
import type { StoredPlan } from '../plans/plans.types.js';
import { planDiagram } from './plan-diagram.js';

function stored(components: number): StoredPlan {
  const outcome = plan(generateTopology(components));
  if (!outcome.ok) {
    throw new Error('the generated topology does not plan');
  }
  return {
    ...outcome.plan,
    id: '00000000-0000-4000-8000-000000000001',
    name: 'page',
    revision: 1,
    createdAt: '2026-12-02T00:00:00.000Z',
  };
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
