import type { PlanSummary, StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, useTestApp, uniqueName } from './support/app.js';
import { at } from '../src/common/at.js';

const CONCURRENT = 50;

describe('concurrent writes', () => {
  const t = useTestApp();

  it(`stores all of ${CONCURRENT} creates sent at once`, async () => {
    const prefix = uniqueName('burst');

    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        t
          .api()
          .post('/v1/plans')
          .send(fixtureTopology('shop-aws', `${prefix}-${i}`)),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: CONCURRENT }, () => 201));
    const ids = new Set(responses.map((r) => (r.body as StoredPlan).id));
    expect(ids.size).toBe(CONCURRENT);
    const listed = await t.api().get('/v1/plans').query({ name: prefix, limit: 100 }).expect(200);
    expect(listed.body.totalCount).toBe(CONCURRENT);
    expect(new Set(listed.body.items.map((s: PlanSummary) => s.id))).toEqual(ids);
  });

  it(`numbers ${CONCURRENT} concurrent revises of one plan 2..${CONCURRENT + 1}, none twice, none lost`, async () => {
    const name = uniqueName('contended');
    const created = await t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name)).expect(201);
    const id = (created.body as StoredPlan).id;

    // Each revise changes the replica count, so every revision is told apart by its content too.
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => {
        const topology = fixtureTopology('shop-aws', name);
        at(topology.components as { replicas?: number }[], 0).replicas = i + 1;
        return t.api().put(`/v1/plans/${id}`).send(topology);
      }),
    );

    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: CONCURRENT }, () => 200));
    const numbers = responses.map((r) => (r.body as StoredPlan).revision).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: CONCURRENT }, (_, i) => i + 2));

    const revisions = (await t.api().get(`/v1/plans/${id}/revisions`).expect(200)).body.items as StoredPlan[];
    expect(revisions.map((r) => r.revision)).toEqual(
      Array.from({ length: CONCURRENT + 1 }, (_, i) => CONCURRENT + 1 - i),
    );
    // What each response said was stored is what was stored under that number.
    const byRevision = new Map(revisions.map((r) => [r.revision, r]));
    for (const res of responses) {
      const answered = res.body as StoredPlan;
      expect(byRevision.get(answered.revision)?.topology.components[0]?.replicas).toBe(
        at(answered.topology.components, 0).replicas,
      );
    }
    // The plan's summary follows its latest revision.
    const latest = (await t.api().get(`/v1/plans/${id}`).expect(200)).body as StoredPlan;
    expect(latest.revision).toBe(CONCURRENT + 1);
    const summary = (await t.api().get('/v1/plans').query({ name }).expect(200)).body.items[0] as PlanSummary;
    expect(summary.revision).toBe(CONCURRENT + 1);
    expect(summary.updatedAt).toBe(latest.createdAt);
  });
});
