import { plan } from '../../planner/plan.js';
import type { StoredPlan } from '../plans.types.js';

/**
 * A stored plan as the service would keep it, planned for real from `topology` (a fixture, a
 * generated topology): for specs of what reads stored plans (the page, the diagrams), which need
 * the planner's real output rather than a hand-built one.
 */
export function storedPlanOf(
  topology: unknown,
  stored: Partial<Pick<StoredPlan, 'id' | 'name' | 'revision' | 'createdAt'>> = {},
): StoredPlan {
  const outcome = plan(topology);
  if (!outcome.ok) {
    throw new Error(`the topology does not plan: ${outcome.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  return {
    ...outcome.plan,
    id: '0b9f4a52-6c1e-4f7a-9a0e-2f3d4c5b6a71',
    name: outcome.plan.topology.name,
    revision: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    ...stored,
  };
}
