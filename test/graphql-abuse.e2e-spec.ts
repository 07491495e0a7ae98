import type { MockInstance } from 'vitest';
import {
  COMPONENT_COMPLEXITY,
  MAX_MUTATIONS,
  MAX_QUERY_COMPLEXITY,
  MAX_ROOT_FIELDS,
  MAX_SELECTIONS,
} from '../src/graphql/query-limits.js';
import { APP_METRICS, type AppMetrics } from '../src/observability/metrics.js';
import { PlansRepository } from '../src/plans/plans.repository.js';
import { PlansService } from '../src/plans/plans.service.js';
import { fixtureTopology, useTestApp, uniqueName, type TestKey } from './support/app.js';
import { generateTopology } from './support/generate-topology.js';
import { at } from '../src/common/at.js';

// An attacker with a valid key tries to make one GraphQL request stall the service (issue 11);
// another team must still be answered. Nothing here reads a clock: what is shown is that each
// abusive request is refused before it does any work (counted in planner runs, aggregate queries
// and writes, not milliseconds), and, for the most work a request may still ask for, that another
// caller's request completes while the abusive one is provably still running (it is held at a
// step until the other answer has arrived).

type Answer = { status: number; body: { data?: unknown; errors?: { message: string; extensions?: object }[] } };

const t = useTestApp();
let attacker: TestKey;
let victim: TestKey;
let victimPlanId: string;

beforeAll(async () => {
  attacker = await t.createKey(['plans:read', 'plans:write'], uniqueName('red'));
  victim = await t.createKey(['plans:read', 'plans:write'], uniqueName('blue'));
  victimPlanId = (
    await t
      .apiAs(victim.key)
      .post('/v1/plans')
      .send(fixtureTopology('shop-aws', uniqueName('victim')))
  ).body.id;
});

afterAll(() => {
  vi.restoreAllMocks();
});

function graphql(key: TestKey, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return t
    .apiAs(key.key)
    .post('/graphql')
    .send({ query, variables })
    .then((response) => ({ status: response.status, body: response.body as Answer['body'] }));
}

/** The other team's everyday request: one of its plans. */
async function victimIsAnswered(): Promise<void> {
  const answer = await graphql(victim, 'query($id: ID!) { plan(id: $id) { id name cost { monthlyTotal } } }', {
    id: victimPlanId,
  });
  expect(answer.status).toBe(200);
  expect(answer.body.data).toEqual({
    plan: { id: victimPlanId, name: expect.any(String), cost: { monthlyTotal: expect.any(Number) } },
  });
}

/** Work the service did, in units: plans computed (or refused by validation), aggregates, writes. */
async function workDone(): Promise<{ planned: number; validated: number; aggregates: number; writes: number }> {
  const { body } = await t.app.get<symbol, AppMetrics>(APP_METRICS).render();
  const count = (pattern: RegExp) => Number(pattern.exec(body)?.[1] ?? 0);
  return {
    planned: count(/^planner_duration_seconds_count\{outcome="planned"\} (\d+)/m),
    validated: count(/^planner_duration_seconds_count\{outcome="invalid"\} (\d+)/m),
    aggregates: stats.mock.calls.length,
    writes: inserts.mock.calls.length,
  };
}

const aliases = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');
let stats: MockInstance<PlansRepository['stats']>;
let inserts: MockInstance<PlansRepository['insert']>;

beforeEach(() => {
  stats = vi.spyOn(t.app.get(PlansRepository), 'stats');
  inserts = vi.spyOn(t.app.get(PlansRepository), 'insert');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GraphQL abuse: each attack is refused before any work, and another team is answered meanwhile', () => {
  const largest = generateTopology(2_000);
  const fragments = Array.from(
    { length: 60 },
    (_, i) => `fragment F${i} on Query { ${i < 59 ? `...F${i + 1} ...F${i + 1}` : 'planStats { totalPlans }'} }`,
  );
  const attacks: [string, () => Promise<Answer>, object][] = [
    [
      // 2^60 selections once unfolded, in 3 KB: an unfolding walk would never end.
      'a fragment bomb of 60 fragments',
      () =>
        graphql(
          attacker,
          `
            query Bomb {
              ...F0
            }
            ${fragments.join(' ')}
          `,
        ),
      { code: 'GRAPHQL_VALIDATION_FAILED', maxSelections: MAX_SELECTIONS },
    ],
    [
      '5,001 aliased planStats (refused by its length alone)',
      () => graphql(attacker, `{ ${aliases(5_001, 'planStats { totalPlans }')} }`),
      { code: 'GRAPHQL_PARSE_FAILED' },
    ],
    [
      `${MAX_ROOT_FIELDS + 1} aliased planStats`,
      () => graphql(attacker, `{ ${aliases(MAX_ROOT_FIELDS + 1, 'planStats { totalPlans }')} }`),
      { code: 'GRAPHQL_VALIDATION_FAILED', rootFields: MAX_ROOT_FIELDS + 1 },
    ],
    [
      '200 aliased createPlan',
      () =>
        graphql(attacker, `mutation($t: TopologyInput!) { ${aliases(200, 'createPlan(topology: $t) { id }')} }`, {
          t: fixtureTopology('demo-minikube', uniqueName('flood')),
        }),
      { code: 'GRAPHQL_VALIDATION_FAILED', mutations: 200, maxMutations: MAX_MUTATIONS },
    ],
    [
      '40 aliased previewPlan of a 2,000-component topology',
      () =>
        graphql(attacker, `mutation($t: TopologyInput!) { ${aliases(40, 'previewPlan(topology: $t) { name }')} }`, {
          t: largest,
        }),
      { code: 'GRAPHQL_VALIDATION_FAILED', mutations: 40 },
    ],
    [
      `${MAX_MUTATIONS} aliased previewPlan of a 2,000-component topology (within the mutation limit)`,
      () =>
        graphql(
          attacker,
          `mutation($t: TopologyInput!) { ${aliases(MAX_MUTATIONS, 'previewPlan(topology: $t) { name }')} }`,
          { t: largest },
        ),
      { code: 'GRAPHQL_VALIDATION_FAILED', maxComplexity: MAX_QUERY_COMPLEXITY },
    ],
  ];

  it('refuses them all at once with 400s, having planned, aggregated and stored nothing, while the other team is answered', async () => {
    const before = await workDone();
    const inFlight = attacks.map(([, attack]) => attack());
    // Sent while the attacks are in flight.
    await victimIsAnswered();
    const answers = await Promise.all(inFlight);

    answers.forEach((answer, i) => {
      const [attack, , extensions] = at(attacks, i);
      expect(answer.status, attack).toBe(400);
      expect(answer.body.data, attack).toBeUndefined();
      expect(answer.body.errors?.[0]?.extensions, attack).toMatchObject(extensions);
    });
    // The victim's one request is the only work done.
    expect(await workDone()).toEqual(before);
    await victimIsAnswered();
  });
});

describe('the most an attacker may ask of one request leaves the other team answered while it runs', () => {
  /** A step of the attacker's request held until released, and a way to know it is held there. */
  function holdFirstCall<T extends object, K extends keyof T>(target: T, method: K) {
    let release: () => void = () => undefined;
    let reached: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<void>((resolve) => (reached = resolve));
    // The class's own method: the one a spy already on it would end up calling.
    const original = (Object.getPrototypeOf(target) as T)[method] as (...args: unknown[]) => unknown;
    vi.spyOn(target, method as never).mockImplementationOnce(((...args: unknown[]) => {
      reached();
      return released.then(() => original.apply(target, args));
    }) as never);
    return { held, release };
  }

  async function whileHeld(step: { held: Promise<void>; release: () => void }, attack: Promise<Answer>) {
    let attackAnswered = false;
    void attack.then(() => (attackAnswered = true));
    await step.held;
    try {
      await victimIsAnswered();
      // The other team's answer came while the attack was still running.
      expect(attackAnswered).toBe(false);
    } finally {
      step.release();
    }
    return attack;
  }

  it(`${MAX_ROOT_FIELDS} aggregates in one request: the other team's plan is read in the middle of them`, async () => {
    const step = holdFirstCall(t.app.get(PlansRepository), 'stats');
    const answer = await whileHeld(
      step,
      graphql(attacker, `{ ${aliases(MAX_ROOT_FIELDS, 'planStats { totalPlans }')} }`),
    );
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.data as object)).toHaveLength(MAX_ROOT_FIELDS);
    expect(stats).toHaveBeenCalledTimes(MAX_ROOT_FIELDS);
  });

  it(`${MAX_MUTATIONS} previews: at most ${MAX_QUERY_COMPLEXITY / COMPONENT_COMPLEXITY} components planned per request, the other team answered between them`, async () => {
    // As many components as the cost allows, split between the most mutations allowed.
    const perPreview = Math.floor((MAX_QUERY_COMPLEXITY / COMPONENT_COMPLEXITY - 100) / MAX_MUTATIONS);
    const previews = `mutation($t: TopologyInput!) { ${aliases(MAX_MUTATIONS, 'previewPlan(topology: $t) { name }')} }`;
    const tooMuch = await graphql(attacker, previews, { t: generateTopology(perPreview + 100) });
    expect(tooMuch.status).toBe(400);

    const before = await workDone();
    const step = holdFirstCall(t.app.get(PlansService), 'preview');
    const answer = await whileHeld(step, graphql(attacker, previews, { t: generateTopology(perPreview) }));
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.data as object)).toHaveLength(MAX_MUTATIONS);
    expect((await workDone()).planned - before.planned).toBe(MAX_MUTATIONS);
  });
});
