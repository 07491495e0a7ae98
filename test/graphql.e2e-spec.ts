import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GRAPHQL_SDL_FILE_HEADER, GraphQLSchemaHost } from '@nestjs/graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { GRAPHQL_ENUMS } from '../src/graphql/enums.js';
import { getIntrospectionQuery, lexicographicSortSchema, printSchema } from '../src/graphql/graphql-js.js';
import { MAX_ANSWER_BYTES } from '../src/graphql/execution-guards.js';
import {
  COMPONENT_COMPLEXITY,
  MAX_INTROSPECTION_LIST_DEPTH,
  MAX_MUTATIONS,
  MAX_PAGE_SIZE,
  MAX_QUERY_COMPLEXITY,
  MAX_QUERY_DEPTH,
  MAX_QUERY_TOKENS,
  MAX_ROOT_FIELDS,
  MAX_SELECTIONS,
} from '../src/graphql/query-limits.js';
import { PlansRepository } from '../src/plans/plans.repository.js';
import { PlansService } from '../src/plans/plans.service.js';
import type { KeyCount, PlanStats, StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, startTestApp, uniqueName, type TestApp } from './support/app.js';
import { generateTopology } from './support/generate-topology.js';
import { at } from '../src/common/at.js';

// GraphQL for dashboards, over the real app and database: supertest for the wire format (status
// codes, headers, the exact JSON) and graphql-request, a real client, against the app listening
// on 127.0.0.1. Plans get names with this run's tag, and every list or aggregate is filtered by
// it, so plans other test files store in a shared database never count here.

// One tag for this file's plans, unique across files and runs; the plans' names start with it.
const TAG = uniqueName('gql');

const SHARED_FIELDS = /* GraphQL */ `
  fragment TopologyFields on Topology {
    name
    namespace
    pricing
    environment {
      platform
      region
      ingressController
      loadBalancerProvider
      addressPool
      routing
      zones
      egress
      gateway {
        name
        namespace
      }
      stage
    }
    components {
      name
      role
      workload
      replicas
      exposure
      allowedSources
      externalName
      dependsOn
      host
      path
      tls
      preserveClientIp
      labels
      ports {
        name
        port
        targetPort
        protocol
        appProtocol
        nodePort
        exposure
      }
    }
  }
  fragment RecommendationFields on Recommendation {
    component
    serviceType
    headless
    entryPoint
    scheme
    rationale
    alternatives {
      serviceType
      entryPoint
      reason
      monthlyCost
    }
    internalService {
      name
      ports {
        name
        port
        protocol
      }
    }
  }
  fragment CostFields on Cost {
    currency
    monthlyTotal
    items {
      component
      resource
      description
      monthly
      basis
    }
    savings {
      description
      monthly
    }
    pricing {
      source
      asOf
    }
  }
`;
// Every field of a Plan; the REST comparison below fails if REST has one this lacks.
// What a stored plan and a preview both carry: the planner's result.
const RESULT_SELECTION = /* GraphQL */ `
    manifests
    manifestsYaml
    topology {
      ...TopologyFields
    }
    recommendations {
      ...RecommendationFields
    }
    ingress {
      className
      controllerPresent
      install
      components
    }
    gateway {
      name
      namespace
      shared
      className
      install
      components
      routeKinds {
        kind
        channel
        apiVersion
      }
    }
    networkPolicyCoverage {
      defaultDeny
      egress
      covered
      partlyCovered {
        component
        cidrs
        narrowWith
        reason
      }
      uncovered
      summary
    }
    cost {
      ...CostFields
    }
    findings {
      id
      severity
      component
      title
      detail
      remediation
    }
    verification {
      component
      command
      expect
      expectOutput
      mustFail
      runFrom
    }
`;
const PLAN_FIELDS = /* GraphQL */ `
  fragment PlanFields on Plan {
    id
    name
    revision
    createdAt
    engineVersion
    ${RESULT_SELECTION}
  }
  ${SHARED_FIELDS}
`;
const PREVIEW_FIELDS = /* GraphQL */ `
  fragment PreviewFields on PlanPreview {
    name
    engineVersion
    ${RESULT_SELECTION}
  }
  ${SHARED_FIELDS}
`;

const CREATE = `mutation Create($t: TopologyInput!) { createPlan(topology: $t) { ...PlanFields } } ${PLAN_FIELDS}`;
const GET = `query Get($id: ID!) { plan(id: $id) { ...PlanFields } } ${PLAN_FIELDS}`;

// Typed as the domain's plan for brevity; over GraphQL its enum fields hold NAME forms (BARE_METAL).
type GqlPlan = StoredPlan & { manifestsYaml: string };
type GqlBody = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
};

let testApp: TestApp;
let app: NestFastifyApplication;
let client: GraphQLClient;
let fixtures: Record<'shop' | 'edge' | 'demo' | 'partner' | 'chat' | 'analytics', Record<string, unknown>>;
const startedAt = new Date();

/** POST /graphql through supertest: the raw HTTP answer. */
async function post(query: string, variables: Record<string, unknown> = {}) {
  const response = await testApp
    .api()
    .post('/graphql')
    .set('content-type', 'application/json')
    .send({ query, variables });
  return response as typeof response & { body: GqlBody };
}

/** A query that must succeed: its data. */
async function data<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await post(query, variables);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data as T;
}

async function createPlan(topology: Record<string, unknown>): Promise<GqlPlan> {
  return (await data<{ createPlan: GqlPlan }>(CREATE, { t: topology })).createPlan;
}

// The planner's string for each NAME of each GraphQL enum: `BARE_METAL` → `bare-metal`.
const ENUM_PAIRS = new Set(GRAPHQL_ENUMS.flatMap(({ values }) => Object.entries(values).map(([n, v]) => `${n}=${v}`)));
const JSON_SCALAR_FIELDS = new Set(['manifests', 'labels', 'pricing']);

/**
 * Where a GraphQL answer and the REST answer for the same plan differ. Every REST field must be in
 * the GraphQL answer; enums may differ only by the documented NAME form; an absent REST field is
 * a GraphQL null; JSON scalars must be identical.
 */
function differences(rest: unknown, graphql: unknown, path = '$', enumsAllowed = true): string[] {
  if (rest === undefined || rest === null) {
    return graphql === null || graphql === undefined
      ? []
      : [`${path}: REST has nothing, GraphQL ${JSON.stringify(graphql)}`];
  }
  if (Array.isArray(rest)) {
    if (!Array.isArray(graphql) || graphql.length !== rest.length) {
      return [`${path}: REST has ${rest.length} items, GraphQL ${JSON.stringify(graphql)?.slice(0, 80)}`];
    }
    return rest.flatMap((item, i) => differences(item, graphql[i], `${path}[${i}]`, enumsAllowed));
  }
  if (typeof rest === 'object') {
    if (typeof graphql !== 'object' || graphql === null) {
      return [`${path}: GraphQL has ${JSON.stringify(graphql)}`];
    }
    const restObject = rest as Record<string, unknown>;
    const graphqlObject = graphql as Record<string, unknown>;
    const missing = Object.keys(restObject)
      .filter((key) => !(key in graphqlObject))
      .map((key) => `${path}.${key}: missing from GraphQL`);
    return [
      ...missing,
      ...Object.keys(restObject)
        .filter((key) => key in graphqlObject)
        .flatMap((key) =>
          differences(
            restObject[key],
            graphqlObject[key],
            `${path}.${key}`,
            enumsAllowed && !JSON_SCALAR_FIELDS.has(key),
          ),
        ),
    ];
  }
  if (rest === graphql || (enumsAllowed && typeof rest === 'string' && ENUM_PAIRS.has(`${String(graphql)}=${rest}`))) {
    return [];
  }
  return [`${path}: REST ${JSON.stringify(rest)}, GraphQL ${JSON.stringify(graphql)}`];
}

beforeAll(async () => {
  testApp = await startTestApp();
  app = testApp.app;
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') {
    throw new Error('the app is not listening on a TCP port');
  }
  client = new GraphQLClient(`http://127.0.0.1:${address.port}/graphql`, {
    headers: { authorization: `Bearer ${testApp.adminKey}` },
  });
  fixtures = {
    shop: fixtureTopology('shop-aws', `${TAG}-shop`),
    edge: fixtureTopology('edge-bare-metal', `${TAG}-edge`),
    demo: fixtureTopology('demo-minikube', `${TAG}-demo`),
    partner: fixtureTopology('partner-api-azure', `${TAG}-partner`),
    chat: fixtureTopology('chat-k3s', `${TAG}-chat`),
    analytics: fixtureTopology('cassandra-statefulset-gcp', `${TAG}-analytics`),
  };
});

afterAll(async () => {
  await testApp?.close();
});

describe('plans over GraphQL: every query and mutation', () => {
  it('createPlan stores a plan that GET /v1/plans/:id returns as the same data, manifests and YAML included', async () => {
    const created = await createPlan(fixtures.shop);
    expect(created).toMatchObject({ name: `${TAG}-shop`, revision: 1 });
    expect(created.topology.environment.platform).toBe('AWS');

    const rest = await testApp.api().get(`/v1/plans/${created.id}`).expect(200);
    expect(differences(rest.body, created)).toEqual([]);

    const yaml = await testApp
      .api()
      .get(`/v1/plans/${created.id}/manifests`)
      .set('accept', 'application/yaml')
      .expect(200);
    expect(created.manifestsYaml).toBe(yaml.text);
    expect(created.manifests).toEqual(rest.body.manifests);
  });

  it('plan(id) reads it back through a real GraphQL client, equal to what createPlan returned', async () => {
    const created = await createPlan(fixtures.edge);
    const read = await client.request<{ plan: GqlPlan }>(GET, { id: created.id });
    expect(read.plan).toEqual(created);
    // Enums go out in NAME form, aggregates and JSON keep the planner's strings.
    expect(read.plan.topology.environment.platform).toBe('BARE_METAL');
    expect(read.plan.recommendations.map((r) => r.serviceType)).toContain('LOAD_BALANCER');
  });

  it('previewPlan plans without storing, with the same content createPlan stores', async () => {
    const topology = { ...fixtures.demo, name: `${TAG}-preview` };
    const { previewPlan } = await data<{ previewPlan: Record<string, unknown> }>(
      `mutation($t: TopologyInput!) { previewPlan(topology: $t) { ...PreviewFields } } ${PREVIEW_FIELDS}`,
      { t: topology },
    );
    const { plans } = await data<{ plans: { totalCount: number } }>(
      'query($f: PlanFilterInput) { plans(filter: $f) { totalCount } }',
      { f: { nameContains: `${TAG}-preview` } },
    );
    expect(plans.totalCount).toBe(0);

    const stored = await createPlan(topology);
    const identity = new Set(['id', 'revision', 'createdAt']);
    expect(previewPlan).toEqual(Object.fromEntries(Object.entries(stored).filter(([key]) => !identity.has(key))));
  });

  it('revisePlan adds a revision; planRevisions lists them newest first; plan(id) gives the latest', async () => {
    const created = await createPlan(fixtures.partner);
    const changed = { ...fixtures.partner, namespace: 'partners-v2' };
    const { revisePlan } = await data<{ revisePlan: GqlPlan }>(
      `mutation($id: ID!, $t: TopologyInput!) { revisePlan(id: $id, topology: $t) { ...PlanFields } } ${PLAN_FIELDS}`,
      { id: created.id, t: changed },
    );
    expect(revisePlan).toMatchObject({ id: created.id, revision: 2 });
    expect(revisePlan.topology.namespace).toBe('partners-v2');

    const { planRevisions } = await data<{ planRevisions: GqlPlan[] }>(
      `query($id: ID!) { planRevisions(id: $id) { ...PlanFields } } ${PLAN_FIELDS}`,
      { id: created.id },
    );
    expect(planRevisions.map((p) => p.revision)).toEqual([2, 1]);
    expect(planRevisions[1]).toEqual(created);
    expect(planRevisions[0]).toEqual(revisePlan);

    const rest = await testApp.api().get(`/v1/plans/${created.id}/revisions`).expect(200);
    rest.body.items.forEach((item: unknown, i: number) => expect(differences(item, planRevisions[i])).toEqual([]));

    const latest = await client.request<{ plan: GqlPlan }>(GET, { id: created.id });
    expect(latest.plan.revision).toBe(2);
  });

  it('deletePlan removes the plan: true, then NOT_FOUND for reads and for a second delete', async () => {
    const created = await createPlan(fixtures.chat);
    const deleted = await client.request<{ deletePlan: boolean }>('mutation($id: ID!) { deletePlan(id: $id) }', {
      id: created.id,
    });
    expect(deleted.deletePlan).toBe(true);

    const read = await post(GET, { id: created.id });
    expect(read.body.data).toEqual({ plan: null });
    expect(read.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const again = await post('mutation($id: ID!) { deletePlan(id: $id) }', { id: created.id });
    expect(again.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await testApp.api().get(`/v1/plans/${created.id}`).expect(404);
  });
});

describe('plans: Relay pagination without N+1', () => {
  const PAGE_TAG = `${TAG}-page`;
  let createdIds: string[];

  beforeAll(async () => {
    // Sequential, so each plan is strictly newer than the one before.
    createdIds = [];
    for (let i = 0; i < 20; i++) {
      createdIds.push((await createPlan({ ...fixtures.demo, name: `${PAGE_TAG}-${String(i).padStart(2, '0')}` })).id);
    }
  });

  const PAGE = `query Page($first: Int, $after: String, $f: PlanFilterInput) {
    plans(first: $first, after: $after, filter: $f) {
      totalCount
      edges { cursor summary { id name platform revision createdAt monthlyCost componentCount worstSeverity } node { id name revision createdAt cost { monthlyTotal } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
  type PageData = {
    plans: {
      totalCount: number;
      edges: {
        cursor: string;
        summary: { id: string; name: string; createdAt: string; monthlyCost: number; platform: string };
        node: { id: string; name: string; revision: number; createdAt: string; cost: { monthlyTotal: number } };
      }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
    };
  };

  it('walks every plan exactly once, newest first, following endCursor with a real client', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: PageData = await client.request<PageData>(PAGE, { first: 7, after, f: { nameContains: PAGE_TAG } });
      expect(page.plans.totalCount).toBe(20);
      expect(page.plans.pageInfo.hasPreviousPage).toBe(after !== null);
      sizes.push(page.plans.edges.length);
      for (const edge of page.plans.edges) {
        expect(edge.node.id).toBe(edge.summary.id);
        expect(edge.node.cost.monthlyTotal).toBe(edge.summary.monthlyCost);
        seen.push(edge.node.id);
      }
      expect(page.plans.pageInfo.endCursor).toBe(page.plans.edges.at(-1)?.cursor ?? null);
      if (!page.plans.pageInfo.hasNextPage) {
        break;
      }
      after = page.plans.pageInfo.endCursor;
    }
    expect(sizes).toEqual([7, 7, 6]);
    expect(seen).toEqual([...createdIds].reverse());
  });

  it("continues from any edge's cursor, not only the last one", async () => {
    const first = await data<PageData>(PAGE, { first: 5, f: { nameContains: PAGE_TAG } });
    const fromSecond = await data<PageData>(PAGE, {
      first: 3,
      after: at(first.plans.edges, 1).cursor,
      f: { nameContains: PAGE_TAG },
    });
    expect(fromSecond.plans.edges.map((e) => e.node.id)).toEqual(first.plans.edges.slice(2, 5).map((e) => e.node.id));
    // `after` left out altogether (not even null): the first page.
    expect(first.plans.pageInfo.hasPreviousPage).toBe(false);
    expect(fromSecond.plans.pageInfo.hasPreviousPage).toBe(true);
  });

  it('loads the 20 nodes of a page with one list query and ONE batched plan query', async () => {
    const service = app.get(PlansService);
    const repository = app.get(PlansRepository);
    const spies = {
      list: vi.spyOn(service, 'list'),
      findByIds: vi.spyOn(service, 'findByIds'),
      get: vi.spyOn(service, 'get'),
      slice: vi.spyOn(repository, 'slice'),
      latestOfMany: vi.spyOn(repository, 'latestOfMany'),
      latest: vi.spyOn(repository, 'latest'),
    };
    try {
      const page = await data<PageData>(PAGE, { first: 20, f: { nameContains: PAGE_TAG } });
      expect(page.plans.edges).toHaveLength(20);
      expect(spies.list).toHaveBeenCalledTimes(1);
      expect(spies.slice).toHaveBeenCalledTimes(1);
      expect(spies.findByIds).toHaveBeenCalledTimes(1);
      expect(spies.findByIds.mock.calls[0]?.[0]).toHaveLength(20);
      expect(spies.latestOfMany).toHaveBeenCalledTimes(1);
      expect(spies.get).not.toHaveBeenCalled();
      expect(spies.latest).not.toHaveBeenCalled();
    } finally {
      Object.values(spies).forEach((spy) => spy.mockRestore());
    }
  });

  it('asks for no plan at all when the page selects only summaries', async () => {
    const findByIds = vi.spyOn(app.get(PlansService), 'findByIds');
    try {
      await data('query($f: PlanFilterInput) { plans(first: 20, filter: $f) { edges { summary { name } } } }', {
        f: { nameContains: PAGE_TAG },
      });
      expect(findByIds).not.toHaveBeenCalled();
    } finally {
      findByIds.mockRestore();
    }
  });
});

describe('planStats and filters', () => {
  const STATS_TAG = `${TAG}-stats`;
  let created: GqlPlan[];

  beforeAll(async () => {
    created = [];
    for (const key of ['shop', 'edge', 'demo', 'partner', 'analytics', 'shop'] as const) {
      created.push(await createPlan({ ...fixtures[key], name: `${STATS_TAG}-${created.length}-${key}` }));
    }
  });

  const STATS = `query($f: PlanFilterInput) {
    planStats(filter: $f) {
      totalPlans monthlyCostTotal monthlyCostAverage
      byServiceType { key count } byPlatform { key count } bySeverity { key count } topFindings { key count }
    }
  }`;
  // The fields the query asks for are the service's own PlanStats.
  type Stats = PlanStats;

  // The planner's string for a GraphQL enum NAME, from the same maps the schema is built from.
  const plannerValue = (enumName: string, name: string): string => {
    const value = GRAPHQL_ENUMS.find((e) => e.name === enumName)!.values[name];
    if (value === undefined) {
      throw new Error(`${enumName} has no ${name}`);
    }
    return value;
  };

  function tally(keys: string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const key of keys) {
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }
  const asRecord = (pairs: KeyCount[]) => Object.fromEntries(pairs.map(({ key, count }) => [key, count]));

  function expectedStats(plans: GqlPlan[]) {
    const total = plans.reduce((sum, p) => sum + p.cost.monthlyTotal, 0);
    return {
      totalPlans: plans.length,
      monthlyCostTotal: total,
      monthlyCostAverage: plans.length === 0 ? 0 : total / plans.length,
      byServiceType: tally(
        plans.flatMap((p) =>
          p.recommendations.map((r) => (r.serviceType === null ? 'none' : plannerValue('ServiceType', r.serviceType))),
        ),
      ),
      byPlatform: tally(plans.map((p) => plannerValue('Platform', p.topology.environment.platform))),
      bySeverity: tally(plans.flatMap((p) => p.findings.map((f) => plannerValue('Severity', f.severity)))),
      plansPerFinding: tally(plans.flatMap((p) => [...new Set(p.findings.map((f) => f.id))])),
    };
  }

  function expectStats(actual: Stats, plans: GqlPlan[]) {
    const expected = expectedStats(plans);
    expect(actual.totalPlans).toBe(expected.totalPlans);
    expect(actual.monthlyCostTotal).toBeCloseTo(expected.monthlyCostTotal, 2);
    // The service rounds the average to the cent (PostgreSQL's round, half away from zero), so it may
    // differ from the exact mean by half a cent: 9.125 is answered as 9.13.
    expect(Math.abs(actual.monthlyCostAverage - expected.monthlyCostAverage)).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(Number.isInteger(Math.round(actual.monthlyCostAverage * 100 * 1e6) / 1e6)).toBe(true);
    expect(asRecord(actual.byServiceType)).toEqual(expected.byServiceType);
    expect(asRecord(actual.byPlatform)).toEqual(expected.byPlatform);
    // Severities without findings may be listed with 0 (a dashboard shows every tile).
    expect(asRecord(actual.bySeverity.filter((s) => s.count > 0))).toEqual(expected.bySeverity);
    // The most common findings, most first; ties may come in any order.
    const distinct = Object.keys(expected.plansPerFinding).length;
    expect(actual.topFindings).toHaveLength(Math.min(10, distinct));
    for (const { key, count } of actual.topFindings) {
      expect(count).toBe(expected.plansPerFinding[key]);
    }
    const counts = actual.topFindings.map((f) => f.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  }

  it('counts exactly the plans created here, by service type, platform, severity and finding, with their costs', async () => {
    const { planStats } = await data<{ planStats: Stats }>(STATS, { f: { nameContains: STATS_TAG } });
    expectStats(planStats, created);
  });

  it('takes the same filter as plans: by platform (enum NAME in, planner string in the keys)', async () => {
    const { planStats } = await data<{ planStats: Stats }>(STATS, {
      f: { nameContains: STATS_TAG, platform: 'BARE_METAL' },
    });
    const bareMetal = created.filter((p) => (p.topology.environment.platform as string) === 'BARE_METAL');
    expect(bareMetal.length).toBeGreaterThan(0);
    expectStats(planStats, bareMetal);
    expect(planStats.byPlatform).toEqual([{ key: 'bare-metal', count: bareMetal.length }]);
  });

  it.each(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'])(
    'minSeverity %s keeps the plans with a finding at least that severe, in plans and planStats alike',
    async (minSeverity) => {
      const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
      const atLeast = new Set(order.slice(0, order.indexOf(minSeverity) + 1));
      const expected = created.filter((p) => p.findings.some((f) => atLeast.has(f.severity)));
      const filter = { nameContains: STATS_TAG, minSeverity };
      const result = await data<{ plans: { totalCount: number; edges: { node: { id: string } }[] }; planStats: Stats }>(
        `query($f: PlanFilterInput) {
          plans(first: 100, filter: $f) { totalCount edges { node { id } } }
          planStats(filter: $f) { totalPlans monthlyCostTotal monthlyCostAverage byServiceType { key count } byPlatform { key count } bySeverity { key count } topFindings { key count } }
        }`,
        { f: filter },
      );
      expect(result.plans.edges.map((e) => e.node.id).sort()).toEqual(expected.map((p) => p.id).sort());
      expect(result.plans.totalCount).toBe(expected.length);
      expectStats(result.planStats, expected);
    },
  );

  it('filters by creation time: createdAfter and createdBefore', async () => {
    const count = async (f: Record<string, unknown>) =>
      (
        await data<{ plans: { totalCount: number }; planStats: { totalPlans: number } }>(
          'query($f: PlanFilterInput) { plans(filter: $f) { totalCount } planStats(filter: $f) { totalPlans } }',
          { f: { nameContains: STATS_TAG, ...f } },
        )
      ).plans;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const anHourBefore = new Date(startedAt.getTime() - 3_600_000).toISOString();
    expect((await count({ createdAfter: anHourBefore })).totalCount).toBe(created.length);
    expect((await count({ createdAfter: inAnHour })).totalCount).toBe(0);
    expect((await count({ createdBefore: anHourBefore })).totalCount).toBe(0);
    // Between two plans' creation times: the plans created before the third one.
    const third = new Date(at(created, 2).createdAt).toISOString();
    expect((await count({ createdBefore: third })).totalCount).toBe(2);
  });

  it('refuses a malformed date in a filter as a GraphQL input error, before any resolver runs', async () => {
    const response = await post('query($f: PlanFilterInput) { planStats(filter: $f) { totalPlans } }', {
      f: { createdAfter: 'yesterday' },
    });
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0].message).toMatch(/createdAfter/);
  });
});

describe('errors: bad input, unknown and malformed ids, never a stack trace', () => {
  const INVALID = {
    name: 'Not A Label',
    environment: { platform: 'mars' },
    components: [
      { name: 'web', ports: [{ port: 80, nodePort: 12 }] },
      { name: 'web', ports: [{ port: 70000 }], dependsOn: ['ghost'] },
    ],
  };

  it('createPlan with a bad topology: BAD_USER_INPUT with the same problem list REST gives', async () => {
    const graphql = await post('mutation($t: TopologyInput!) { createPlan(topology: $t) { id } }', { t: INVALID });
    const rest = await testApp.api().post('/v1/plans').send(INVALID).expect(400);
    const [error] = graphql.body.errors ?? [];
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.path).toEqual(['createPlan']);
    expect(rest.body.errors.length).toBeGreaterThanOrEqual(5);
    expect(error.extensions?.problems).toEqual(rest.body.errors);
    expect(graphql.body.data).toBeNull();
  });

  it('previewPlan and revisePlan judge their topology the same way', async () => {
    const created = await createPlan({ ...fixtures.demo, name: `${TAG}-errors` });
    const preview = await post('mutation($t: TopologyInput!) { previewPlan(topology: $t) { name } }', { t: INVALID });
    const revise = await post('mutation($id: ID!, $t: TopologyInput!) { revisePlan(id: $id, topology: $t) { id } }', {
      id: created.id,
      t: INVALID,
    });
    for (const response of [preview, revise]) {
      expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.body.errors?.[0].extensions?.problems).toEqual(
        (await testApp.api().post('/v1/plans').send(INVALID)).body.errors,
      );
    }
    // An inline literal is the same JSON as a variable.
    const inline = await post('mutation { createPlan(topology: { name: "x", components: "none" }) { id } }');
    expect(inline.body.errors?.[0].extensions?.problems).toEqual(
      (await testApp.api().post('/v1/plans').send({ name: 'x', components: 'none' })).body.errors,
    );
  });

  it('an unknown id is NOT_FOUND (through a real client too), a malformed one BAD_USER_INPUT, for every operation', async () => {
    const unknown = randomUUID();
    for (const [query, variables] of [
      ['query($id: ID!) { plan(id: $id) { id } }', {}],
      ['query($id: ID!) { planRevisions(id: $id) { id } }', {}],
      ['mutation($id: ID!, $t: TopologyInput!) { revisePlan(id: $id, topology: $t) { id } }', { t: fixtures.demo }],
      ['mutation($id: ID!) { deletePlan(id: $id) }', {}],
    ] as const) {
      const missing = await post(query, { ...variables, id: unknown });
      expect(missing.body.errors?.[0].extensions?.code, query).toBe('NOT_FOUND');
      const malformed = await post(query, { ...variables, id: 'plan-42' });
      expect(malformed.body.errors?.[0].extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(malformed.body.errors?.[0].extensions?.problems).toEqual([{ path: 'id', message: expect.any(String) }]);
    }
    const error = await client.request(GET, { id: unknown }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a cursor this API never gave is BAD_USER_INPUT', async () => {
    const response = await post('{ plans(after: "bm90LWEtY3Vyc29y") { totalCount } }');
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0].extensions?.problems).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    // Named in GraphQL's words: the connection has no `nextCursor` (REST's field).
    const { message } = response.body.errors?.[0].extensions?.problems[0] as { message: string };
    expect(message).toContain("pass pageInfo.endCursor or an edge's cursor from a previous page");
    expect(message).not.toContain('nextCursor');
  });

  it('never sends a stack trace, whatever fails', async () => {
    const responses = await Promise.all([
      post('mutation($t: TopologyInput!) { createPlan(topology: $t) { id } }', { t: INVALID }),
      post('{ plan(id: "nope") { id } }'),
      post('{ plans(first: 1000) { totalCount } }'),
      post('{ plan(id: 42 }'),
      post('{ nothing }'),
      post('query($id: ID!) { plan(id: $id) { id } }'),
    ]);
    for (const response of responses) {
      expect(response.body.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|\bat .+\.(ts|js):\d+/);
    }
  });
});

describe('limits', () => {
  it(`refuses a page larger than ${MAX_PAGE_SIZE}, or smaller than 1, as BAD_USER_INPUT at \`first\``, async () => {
    for (const first of [MAX_PAGE_SIZE + 1, 0, -5]) {
      const response = await post('query($n: Int) { plans(first: $n) { totalCount } }', { n: first });
      expect(response.body.errors?.[0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        problems: [{ path: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }],
      });
    }
    expect((await data(`{ plans(first: ${MAX_PAGE_SIZE}) { totalCount } }`)).plans).toBeDefined();
  });

  it(`refuses a query nested deeper than ${MAX_QUERY_DEPTH} levels, and runs the standard introspection query`, async () => {
    let body = 'name';
    for (let level = 0; level < 8; level++) {
      body = `fields { type { ${body} } }`;
    }
    const response = await post(`query Deep { __schema { types { ${body} } } }`);
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      depth: 19,
      maxDepth: MAX_QUERY_DEPTH,
    });
    expect(response.body.errors?.[0].message).toBe(
      `Operation "Deep" is nested 19 levels deep; the maximum is ${MAX_QUERY_DEPTH}.`,
    );

    // Introspection stays on: what GraphiQL and codegen send works, through a real client.
    const introspection = await client.request<{ __schema: { types: { name: string }[] } }>(getIntrospectionQuery());
    expect(introspection.__schema.types.map((t) => t.name)).toEqual(
      expect.arrayContaining(['Plan', 'PlanConnection', 'PlanStats', 'TopologyInput', 'Platform']),
    );
  });

  it(`names graphql-js's own limit of ${MAX_INTROSPECTION_LIST_DEPTH} nested introspection lists when it refuses a query`, async () => {
    const nested = (levels: number) => {
      let body = 'name';
      for (let level = 0; level < levels; level++) {
        body = `fields { type { ${body} } }`;
      }
      return `{ __type(name: "Plan") { ${body} } }`;
    };
    // 2 lists deep runs; 3, well within MAX_QUERY_DEPTH, is graphql-js's refusal, named.
    expect(await data(nested(MAX_INTROSPECTION_LIST_DEPTH))).toHaveProperty('__type.fields');
    const response = await post(nested(MAX_INTROSPECTION_LIST_DEPTH + 1));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        message: `Introspection lists (fields, inputFields, interfaces, possibleTypes) are nested more than ${MAX_INTROSPECTION_LIST_DEPTH} deep; the maximum is ${MAX_INTROSPECTION_LIST_DEPTH}.`,
        locations: expect.any(Array),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', maxIntrospectionDepth: MAX_INTROSPECTION_LIST_DEPTH },
      },
    ]);
  });

  it(`refuses a query whose complexity is over ${MAX_QUERY_COMPLEXITY} before running anything, and accepts one full page`, async () => {
    const page = `plans(first: ${MAX_PAGE_SIZE}) { edges { node { ...PlanFields } } }`;
    const findByIds = vi.spyOn(app.get(PlansService), 'findByIds');
    try {
      // Every field of 100 plans, their manifests as JSON and as YAML: too much for one request.
      for (const tooMuch of [
        await post(`{ ${page} } ${PLAN_FIELDS}`),
        await post(`{ a: ${page} b: ${page} } ${PLAN_FIELDS}`),
      ]) {
        expect(tooMuch.status).toBe(400);
        const [error] = tooMuch.body.errors ?? [];
        expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(error.extensions?.maxComplexity).toBe(MAX_QUERY_COMPLEXITY);
        expect(error.extensions?.complexity).toBeGreaterThan(MAX_QUERY_COMPLEXITY);
        expect(error.message).toMatch(/complexity is \d+; the maximum is 10000/);
      }
      expect(findByIds).not.toHaveBeenCalled();

      // Every field of 100 plans with one form of their manifests fits.
      const withoutYaml = PLAN_FIELDS.replace(/^\s*manifestsYaml$/m, '');
      expect(withoutYaml).not.toContain('manifestsYaml');
      expect(await data(`{ ${page} } ${withoutYaml}`)).toHaveProperty('plans.edges');
    } finally {
      findByIds.mockRestore();
    }
  });

  it(`refuses more than ${MAX_ROOT_FIELDS} root fields (aliases count) before any resolver runs`, async () => {
    const stats = vi.spyOn(app.get(PlansService), 'stats');
    try {
      const aliased = (count: number) =>
        `query Tiles { ${Array.from({ length: count }, (_, i) => `t${i}: planStats { totalPlans }`).join(' ')} }`;
      const flood = await post(aliased(MAX_ROOT_FIELDS + 1));
      expect(flood.status).toBe(400);
      expect(flood.body.errors?.[0]).toMatchObject({
        message: `Operation "Tiles" has ${MAX_ROOT_FIELDS + 1} root fields (aliases count one each); the maximum is ${MAX_ROOT_FIELDS}.`,
        extensions: {
          code: 'GRAPHQL_VALIDATION_FAILED',
          rootFields: MAX_ROOT_FIELDS + 1,
          maxRootFields: MAX_ROOT_FIELDS,
        },
      });
      expect(stats).not.toHaveBeenCalled();

      const tiles = await data(aliased(MAX_ROOT_FIELDS));
      expect(Object.keys(tiles)).toHaveLength(MAX_ROOT_FIELDS);
      expect(stats).toHaveBeenCalledTimes(MAX_ROOT_FIELDS);
    } finally {
      stats.mockRestore();
    }
  });

  it(`refuses more than ${MAX_MUTATIONS} mutations in one request: nothing is planned or stored`, async () => {
    const name = `${TAG}-flood`;
    const preview = vi.spyOn(app.get(PlansService), 'preview');
    try {
      const creates = Array.from({ length: MAX_MUTATIONS + 1 }, (_, i) => `c${i}: createPlan(topology: $t) { id }`);
      const flood = await post(`mutation Flood($t: TopologyInput!) { ${creates.join(' ')} }`, {
        t: { ...fixtures.demo, name },
      });
      expect(flood.status).toBe(400);
      expect(flood.body.errors?.[0]).toMatchObject({
        message: `Operation "Flood" has ${MAX_MUTATIONS + 1} mutations; the maximum is ${MAX_MUTATIONS} per request.`,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', mutations: MAX_MUTATIONS + 1, maxMutations: MAX_MUTATIONS },
      });
      const previews = Array.from({ length: MAX_MUTATIONS + 1 }, (_, i) => `p${i}: previewPlan(topology: $t) { name }`);
      expect((await post(`mutation($t: TopologyInput!) { ${previews.join(' ')} }`, { t: fixtures.demo })).status).toBe(
        400,
      );
      expect(preview).not.toHaveBeenCalled();
      await testApp.api().get('/v1/plans').query({ name }).expect(200, { items: [], nextCursor: null, totalCount: 0 });
    } finally {
      preview.mockRestore();
    }
  });

  it('costs previewPlan and createPlan by the components they plan: three of the largest topology are refused unplanned', async () => {
    const largest = generateTopology(2_000);
    const preview = vi.spyOn(app.get(PlansService), 'preview');
    try {
      const three = await post(
        'mutation($t: TopologyInput!) { a: previewPlan(topology: $t) { name } b: previewPlan(topology: $t) { name } c: previewPlan(topology: $t) { name } }',
        { t: largest },
      );
      expect(three.status).toBe(400);
      expect(three.body.errors?.[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
      expect(three.body.errors?.[0].extensions?.complexity).toBeGreaterThanOrEqual(3 * 2_000 * COMPONENT_COMPLEXITY);
      expect(preview).not.toHaveBeenCalled();

      const one = await data<{ previewPlan: { topology: { components: unknown[] } } }>(
        'mutation($t: TopologyInput!) { previewPlan(topology: $t) { topology { components { name } } } }',
        { t: largest },
      );
      expect(one.previewPlan.topology.components).toHaveLength(2_000);
    } finally {
      preview.mockRestore();
    }
  });

  it('refuses a fragment bomb before anything walks it: 60 fragments, each spreading the next twice', async () => {
    const stats = vi.spyOn(app.get(PlansService), 'stats');
    try {
      const fragments = Array.from(
        { length: 60 },
        (_, i) => `fragment F${i} on Query { ${i < 59 ? `...F${i + 1} ...F${i + 1}` : 'planStats { totalPlans }'} }`,
      );
      const bomb = await post(`query Bomb { ...F0 } ${fragments.join(' ')}`);
      expect(bomb.status).toBe(400);
      expect(bomb.body.errors).toEqual([
        expect.objectContaining({
          message: `Operation "Bomb" selects more than ${MAX_SELECTIONS} fields and fragments once its fragments are spread; that is the maximum.`,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', maxSelections: MAX_SELECTIONS },
        }),
      ]);
      expect(stats).not.toHaveBeenCalled();
    } finally {
      stats.mockRestore();
    }
  });

  it(`refuses a document longer than ${MAX_QUERY_TOKENS} tokens before validating it`, async () => {
    const stats = vi.spyOn(app.get(PlansService), 'stats');
    try {
      const aliases = Array.from({ length: 5_001 }, (_, i) => `s${i}: planStats { totalPlans }`);
      const flood = await post(`{ ${aliases.join(' ')} }`);
      expect(flood.status).toBe(400);
      expect(flood.body.errors?.[0]).toMatchObject({
        // (graphql-js's own wording, typo included: "more that".)
        message: expect.stringContaining(`${MAX_QUERY_TOKENS} tokens. Parsing aborted.`),
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
      expect(stats).not.toHaveBeenCalled();
    } finally {
      stats.mockRestore();
    }
  });

  it(`bounds one answer to ${MAX_ANSWER_BYTES / 1024 / 1024} MiB: past it, one ANSWER_TOO_LARGE error and no data`, async () => {
    const { id } = (
      await data<{ createPlan: { id: string } }>('mutation($t: TopologyInput!) { createPlan(topology: $t) { id } }', {
        t: { ...generateTopology(2_000), name: `${TAG}-large` },
      })
    ).createPlan;
    // The largest plan there is, every field and both forms of its manifests: well within the bound.
    const whole = await post(`query($id: ID!) { plan(id: $id) { ...PlanFields } } ${PLAN_FIELDS}`, { id });
    expect(whole.body.errors).toBeUndefined();
    expect(whole.body.data?.plan).toMatchObject({ id, manifestsYaml: expect.any(String) });
    expect(whole.text.length).toBeLessThan(MAX_ANSWER_BYTES / 2);

    // Its manifests, aliased until the answer would be twice the bound (each copy is megabytes).
    const manifests = await post('query($id: ID!) { plan(id: $id) { manifests } }', { id });
    const copies = Math.ceil((2 * MAX_ANSWER_BYTES) / manifests.text.length);
    const aliased = Array.from({ length: copies }, (_, i) => `m${i}: manifests`);
    const tooLarge = await post(`query($id: ID!) { plan(id: $id) { ${aliased.join(' ')} } }`, { id });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body).toEqual({
      errors: [
        {
          message: expect.stringContaining(`The answer would be larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`),
          extensions: { code: 'ANSWER_TOO_LARGE', maxBytes: MAX_ANSWER_BYTES },
        },
      ],
    });
  });

  it('answers a subscription with BAD_REQUEST and HTTP 400: there are none', async () => {
    const response = await post('subscription { plans { totalCount } }');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'Subscriptions are not supported: this API answers queries and mutations only.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  });

  it('still answers variables that do not fit their types as BAD_USER_INPUT naming the variable (the cost analysis leaves them be)', async () => {
    const preview = 'mutation($t: TopologyInput!) { previewPlan(topology: $t) { name } }';
    const page = 'query($n: Int, $f: PlanFilterInput) { plans(first: $n, filter: $f) { totalCount } }';
    for (const [query, variables, variable] of [
      [preview, {}, 't'],
      [preview, { t: null }, 't'],
      [page, { n: 'ten' }, 'n'],
      [page, { f: { platform: 'MARS' } }, 'f'],
    ] as const) {
      const response = await post(query, variables);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.body.errors?.[0].message).toContain(`Variable "$${variable}"`);
    }
  });
});

describe('the endpoint', () => {
  it('GET /graphql in a browser gets a self-contained page: no CDN, nothing from elsewhere', async () => {
    const response = await testApp.api().get('/graphql').set('accept', 'text/html').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('Exposure Planner GraphQL');
    expect(response.text).not.toMatch(/https?:\/\//);
    expect(response.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
  });

  it('serves the schema that is committed in schema.gql', async () => {
    const committed = await readFile('schema.gql', 'utf8');
    const { schema } = app.get(GraphQLSchemaHost);
    expect(GRAPHQL_SDL_FILE_HEADER + printSchema(lexicographicSortSchema(schema))).toBe(committed);
  });
});
