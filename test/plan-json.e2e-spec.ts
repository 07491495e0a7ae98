import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { jsonText } from '../src/common/json-text.js';
import { plan } from '../src/planner/plan.js';
import type { PlanResult } from '../src/planner/types.js';
import { ALL_PLANS } from '../src/plans/plan-access.js';
import { PlansRepository } from '../src/plans/plans.repository.js';
import { draftOf } from '../src/plans/plan-draft.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, useTestApp, uniqueName } from './support/app.js';

/*
 * A stored plan is answered with the JSON text it was stored as, put together from the stored
 * pieces rather than serialized again (src/common/json-text.ts). These tests hold that text to
 * what JSON.stringify would have produced, for every way a plan comes out of storage.
 */

const FIXTURES = readdirSync(join(import.meta.dirname, 'fixtures', 'topologies'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''));

function planned(fixture: string, name: string): PlanResult {
  const outcome = plan(fixtureTopology(fixture, name));
  if (!outcome.ok) {
    throw new Error(`fixture ${fixture} does not plan: ${JSON.stringify(outcome.problems)}`);
  }
  return outcome.plan;
}

function expectTextOfItself(stored: StoredPlan | null): void {
  expect(stored).not.toBeNull();
  expect(jsonText(stored)).toBe(JSON.stringify(stored));
}

describe('stored plans and their JSON text', () => {
  const t = useTestApp();
  let repository: PlansRepository;

  beforeAll(() => {
    repository = t.app.get(PlansRepository);
  });

  it.each(FIXTURES)('%s: written, revised and read back, the text is JSON.stringify of the plan', async (fixture) => {
    const name = uniqueName(fixture);
    const created = await repository.insert(draftOf(planned(fixture, name)), null);
    expectTextOfItself(created);
    const revised = await repository.appendRevision(created.id, draftOf(planned('demo-minikube', name)), ALL_PLANS);
    expectTextOfItself(revised);

    expectTextOfItself(await repository.latest(created.id, ALL_PLANS));
    expectTextOfItself(await repository.latestByName(name, ALL_PLANS));
    expectTextOfItself(await repository.firstRevision(created.id, ALL_PLANS));
    const [ofMany] = await repository.latestOfMany([created.id], ALL_PLANS);
    expectTextOfItself(ofMany ?? null);
    const revisions = await repository.revisions(created.id, ALL_PLANS);
    expect(revisions).toHaveLength(2);
    revisions.forEach(expectTextOfItself);
    // Read back, revision 1 is what the write answered, to the byte.
    expect(jsonText(revisions[1])).toBe(jsonText(created));
  });

  it('answers REST with that text: canonical JSON of the same plan', async () => {
    const name = uniqueName('rest-json');
    const created = await t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name)).expect(201);
    expect(created.headers['content-type']).toMatch(/^application\/json/);
    expect(created.text).toBe(JSON.stringify(created.body));
    const id = (created.body as StoredPlan).id;

    const read = await t.api().get(`/v1/plans/${id}`).expect(200);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.text).toBe(created.text);

    const revised = await t.api().put(`/v1/plans/${id}`).send(fixtureTopology('chat-k3s', name)).expect(200);
    expect(revised.text).toBe(JSON.stringify(revised.body));
    expect((revised.body as StoredPlan).revision).toBe(2);
  });

  it('freezes a plan whose text is recorded, so the two cannot drift apart', async () => {
    const stored = await repository.insert(draftOf(planned('shop-aws', uniqueName('frozen'))), null);
    expect(() => {
      (stored as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(jsonText(stored)).toBe(JSON.stringify(stored));
  });

  it('serializes any other value as JSON.stringify does', () => {
    const value = { b: [1, 'two', null], a: { nested: true } };
    expect(jsonText(value)).toBe(JSON.stringify(value));
    expect(jsonText('text')).toBe('"text"');
    expect(jsonText(null)).toBe('null');
  });
});
