import type { StoredPlan } from '../plans/plans.types.js';
import { createPlanLoader, type PlanBatchSource } from './plan.loader.js';

// A typed fake of the one method the loader uses; it records every batch it is asked for.
function fakeSource(ids: string[]): PlanBatchSource & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    findByIds(requested: string[]) {
      calls.push(requested);
      // Out of order on purpose: a database returns rows in any order.
      return Promise.resolve(
        ids
          .filter((id) => requested.includes(id))
          .reverse()
          .map((id) => ({ id, name: `plan-${id}` }) as StoredPlan),
      );
    },
  };
}

describe(createPlanLoader.name, () => {
  it('loads the plans asked for in the same tick with one call, each answer matched to its id', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `id-${i}`);
    const source = fakeSource(ids);
    const loader = createPlanLoader(source);
    const plans = await Promise.all(ids.map((id) => loader.load(id)));
    expect(source.calls).toHaveLength(1);
    expect(source.calls[0]).toEqual(ids);
    expect(plans.map((p) => p.id)).toEqual(ids);
  });

  it('fails only the plan that is missing, with NOT_FOUND', async () => {
    const loader = createPlanLoader(fakeSource(['a']));
    const [found, missing] = await Promise.allSettled([loader.load('a'), loader.load('gone')]);
    expect(found).toMatchObject({ status: 'fulfilled', value: { id: 'a' } });
    expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'NOT_FOUND' } });
  });

  it('asks again for a plan already loaded only in a new loader (one loader per request)', async () => {
    const source = fakeSource(['a']);
    const loader = createPlanLoader(source);
    await loader.load('a');
    await loader.load('a');
    expect(source.calls).toHaveLength(1);
    await createPlanLoader(source).load('a');
    expect(source.calls).toHaveLength(2);
  });
});
