import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonText } from '../common/json-text.js';
import { plan } from '../planner/plan.js';
import type { PlanResult } from '../planner/types.js';
import { draftOf, storedPlanFromText } from './plan-draft.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/topologies');

function planned(name: string): PlanResult {
  const outcome = plan(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')));
  if (!outcome.ok) {
    throw new Error(`${name} does not plan`);
  }
  return outcome.plan;
}

const KEY = {
  planId: '0b9f4a52-6c1e-4f7a-9a0e-2f3d4c5b6a71',
  revision: 3,
  createdAt: new Date('2026-01-02T03:04:05Z'),
};

describe(draftOf.name, () => {
  it('keeps the figures of the row and the text of what the plan answers, nothing else', () => {
    const result = planned('shop-aws');

    const draft = draftOf(result);

    expect(draft).toEqual({
      name: result.topology.name,
      namespace: result.topology.namespace,
      platform: result.topology.environment.platform,
      monthlyCost: result.cost.monthlyTotal,
      componentCount: result.topology.components.length,
      worstSeverityRank: expect.any(Number),
      engineVersion: result.engineVersion,
      topologyJson: JSON.stringify(result.topology),
      resultJson: expect.any(String),
    });
    // Text and numbers only: nothing in it holds on to the planner's objects.
    expect(Object.values(draft).every((v) => typeof v !== 'object' || v === null)).toBe(true);
  });
});

describe(storedPlanFromText.name, () => {
  it('is the plan it was drafted from, in the contract order, and its text is JSON.stringify of it', () => {
    const { engineVersion, topology, ...rest } = planned('gateway-shop-gcp');
    const draft = draftOf({ engineVersion, topology, ...rest });

    const stored = storedPlanFromText(KEY, draft.name, draft);

    expect(stored).toEqual({
      id: KEY.planId,
      name: topology.name,
      revision: 3,
      createdAt: '2026-01-02T03:04:05.000Z',
      engineVersion,
      topology,
      ...rest,
    });
    expect(Object.keys(stored)).toEqual([
      'id',
      'name',
      'revision',
      'createdAt',
      'engineVersion',
      'topology',
      'recommendations',
      'ingress',
      'gateway',
      'manifests',
      'networkPolicyCoverage',
      'cost',
      'findings',
      'verification',
    ]);
    expect(jsonText(stored)).toBe(JSON.stringify(stored));
    expect(Object.isFrozen(stored)).toBe(true);
  });

  it('parses the text when a field is first read, once: every read answers the same object', () => {
    const draft = draftOf(planned('shop-aws'));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const stored = storedPlanFromText(KEY, draft.name, draft);
      expect(parse).not.toHaveBeenCalled();

      const findings = stored.findings;
      expect(stored.findings).toBe(findings);
      expect(stored.cost).toBe(stored.cost);
      expect(stored.topology).toBe(stored.topology);
      // One parse of the result for every result field, one of the topology.
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });

  it('uses a topology the caller has parsed already', () => {
    const draft = draftOf(planned('shop-aws'));
    const topology = JSON.parse(draft.topologyJson) as PlanResult['topology'];

    expect(storedPlanFromText(KEY, draft.name, draft, topology).topology).toBe(topology);
  });

  it('answers null for the fields revisions of older engines did not store', () => {
    const older = JSON.parse(draftOf(planned('shop-aws')).resultJson) as Record<string, unknown>;
    delete older.gateway;
    delete older.networkPolicyCoverage;
    const draft = { ...draftOf(planned('shop-aws')), resultJson: JSON.stringify(older) };

    const stored = storedPlanFromText(KEY, draft.name, draft);

    expect(stored.gateway).toBeNull();
    expect(stored.networkPolicyCoverage).toBeNull();
  });
});
