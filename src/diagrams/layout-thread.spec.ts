import { DomainError } from '../common/domain-error.js';
import { plan } from '../planner/plan.js';
import { diagramOf } from './diagram-model.js';
import { graphvizLayoutsRun, toSvg } from './svg.js';

/**
 * Graphviz on its own thread (layout-thread.ts): a dense diagram, whose layout runs for many seconds,
 * holds neither the event loop nor the next diagram. The plan that showed it: 20 components that all
 * depend on each other, 400 edges, 13-23 s of layout where the main thread used to run it.
 */
function meshDiagram(components: number) {
  const names = Array.from({ length: components }, (_, index) => `c${index}`);
  const outcome = plan({
    name: 'mesh',
    environment: { platform: 'aws' },
    components: names.map((name) => ({
      name,
      role: 'api',
      ports: [{ port: 80 }],
      dependsOn: names.filter((other) => other !== name),
    })),
  });
  if (!outcome.ok) {
    throw new Error('the mesh does not plan');
  }
  return diagramOf(outcome.plan);
}

function smallDiagram(name: string) {
  const outcome = plan({
    name,
    environment: { platform: 'aws' },
    components: [{ name: 'web', role: 'frontend', exposure: 'public', ports: [{ port: 80 }] }],
  });
  if (!outcome.ok) {
    throw new Error('the small topology does not plan');
  }
  return diagramOf(outcome.plan);
}

describe('Graphviz on the layout thread', () => {
  it('ends a layout past its limit with a 503 naming the Mermaid route, the event loop free meanwhile', async () => {
    // The limit counts from the request; the mesh's layout takes seconds at the least.
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 10);
    const refused = await toSvg(meshDiagram(20), 300).catch((error: unknown) => error);
    clearInterval(ticking);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('diagram.mmd') });
    expect((refused as Error).message).toContain('400 edges');
    // In the main thread the layout held every timer until it finished: here they kept firing.
    expect(ticks).toBeGreaterThan(0);
  });

  it('lays the next diagram out on a new thread after one was ended', async () => {
    await toSvg(meshDiagram(20), 300).catch(() => undefined);
    const runs = graphvizLayoutsRun();
    const svg = await toSvg(smallDiagram('after-timeout'));
    expect(svg).toContain('<svg');
    expect(svg).toContain('after-timeout');
    expect(graphvizLayoutsRun()).toBe(runs + 1);
  });
});
