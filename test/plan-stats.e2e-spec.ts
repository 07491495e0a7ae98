import { PrismaService } from '../src/database/prisma.service.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { MAX_BUCKETS } from '../src/plans/time-buckets.js';
import { fixtureTopology, startTestApp, uniqueName, type TestApp, type TestKey } from './support/app.js';
import { at } from '../src/common/at.js';

// planStats over time, over the real app and database: plans are created through the API by
// team-bound keys, then placed at explicit instants (their row's createdAt, what a plan made on
// that day would have), so the buckets are asserted without a clock. Every query is filtered by
// this file's tag, so plans of other files in a shared database never count.

const TAG = uniqueName('trend');
const TREND = /* GraphQL */ `
  query Trend(
    $f: PlanFilterInput
    $team: String
    $namespace: String
    $stage: Stage
    $bucket: TimeBucket
    $from: DateTime
    $to: DateTime
    $groupBy: PlanDimension
  ) {
    planStats(
      filter: $f
      team: $team
      namespace: $namespace
      stage: $stage
      bucket: $bucket
      from: $from
      to: $to
      groupBy: $groupBy
    ) {
      totalPlans
      monthlyCostTotal
      platforms {
        platform
        count
      }
      buckets {
        start
        end
        team
        namespace
        stage
        platform
        plans
        monthlyCostTotal
        findings {
          critical
          high
          medium
          low
          info
        }
      }
    }
  }
`;

type Bucket = {
  start: string;
  end: string;
  team: string | null;
  namespace: string | null;
  stage: string | null;
  platform: string | null;
  plans: number;
  monthlyCostTotal: number;
  findings: Record<'critical' | 'high' | 'medium' | 'low' | 'info', number>;
};
type Trend = {
  totalPlans: number;
  monthlyCostTotal: number;
  platforms: { platform: string; count: number }[];
  buckets: Bucket[] | null;
};
type GqlBody = {
  data?: { planStats: Trend } | null;
  errors?: { message: string; extensions?: { code?: string; problems?: { path: string; message: string }[] } }[];
};

describe('planStats over time (GraphQL)', () => {
  let t: TestApp;
  const [payments, search] = [uniqueName('payments'), uniqueName('search')];
  const keys: Record<'payments' | 'search', TestKey> = {} as never;
  const plans: Record<'shop' | 'edge' | 'demo', StoredPlan> = {} as never;

  async function trend(key: TestKey | null, variables: Record<string, unknown>): Promise<GqlBody> {
    const response = await t
      .apiAs(key?.key ?? t.adminKey ?? null)
      .post('/graphql')
      .send({ query: TREND, variables: { f: { nameContains: TAG }, ...variables } })
      .expect(200);
    return response.body as GqlBody;
  }

  async function answer(key: TestKey | null, variables: Record<string, unknown>): Promise<Trend> {
    const body = await trend(key, variables);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.planStats;
  }

  beforeAll(async () => {
    t = await startTestApp();
    keys.payments = await t.createKey(['plans:read', 'plans:write'], payments);
    keys.search = await t.createKey(['plans:read', 'plans:write'], search);
    const create = async (key: TestKey, fixture: string, name: string, at: string): Promise<StoredPlan> => {
      const topology = fixtureTopology(fixture, `${TAG}-${name}`);
      const plan = (await t.apiAs(key.key).post('/v1/plans').send(topology).expect(201)).body as StoredPlan;
      await t.app.get(PrismaService)
        .$executeRaw`UPDATE "Plan" SET "createdAt" = ${at}::timestamptz WHERE id = ${plan.id}::uuid`;
      return plan;
    };
    // 2001-01-01 is a Monday: shop and demo in the first ISO week, edge in the second.
    plans.shop = await create(keys.payments, 'shop-aws', 'shop', '2001-01-01T00:00:00.000Z');
    plans.demo = await create(keys.search, 'demo-minikube', 'demo', '2001-01-07T23:59:59.999Z');
    plans.edge = await create(keys.payments, 'edge-bare-metal', 'edge', '2001-01-08T00:00:00.000Z');
  });

  afterAll(async () => {
    await t?.close();
  });

  const severities = (...of: StoredPlan[]) => {
    const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    of.flatMap((p) => p.findings).forEach((f) => (counts[f.severity] += 1));
    return counts;
  };
  const cost = (...of: StoredPlan[]) => of.reduce((sum, p) => sum + p.cost.monthlyTotal, 0);

  it('answers whole ISO weeks (the range widened to them) with plans, cost and findings, and totals over the same plans', async () => {
    const { shop, demo, edge } = plans;
    const stats = await answer(null, { bucket: 'WEEK', from: '2001-01-03T12:00:00Z', to: '2001-01-10T00:00:00Z' });

    expect(stats.buckets?.map((b) => ({ ...b, monthlyCostTotal: 'to the cent, below' }))).toEqual([
      {
        start: '2001-01-01T00:00:00.000Z',
        end: '2001-01-08T00:00:00.000Z',
        ...{ team: null, namespace: null, stage: null, platform: null },
        plans: 2,
        monthlyCostTotal: 'to the cent, below',
        findings: severities(shop, demo),
      },
      {
        start: '2001-01-08T00:00:00.000Z',
        end: '2001-01-15T00:00:00.000Z',
        ...{ team: null, namespace: null, stage: null, platform: null },
        plans: 1,
        monthlyCostTotal: 'to the cent, below',
        findings: severities(edge),
      },
    ]);
    expect(stats.buckets?.[0]?.monthlyCostTotal).toBeCloseTo(cost(shop, demo), 2);
    expect(stats.buckets?.[1]?.monthlyCostTotal).toBeCloseTo(cost(edge), 2);
    expect(stats.totalPlans).toBe(3);
    expect(stats.monthlyCostTotal).toBeCloseTo(cost(shop, demo, edge), 2);

    // Without a bucket: no buckets, and every plan counts.
    expect(await answer(null, {})).toMatchObject({ totalPlans: 3, buckets: null });
  });

  it('spells a platform as the Platform enum everywhere: platforms, and the buckets grouped by platform', async () => {
    const stats = await answer(null, {
      bucket: 'MONTH',
      from: '2001-01-01T00:00:00Z',
      to: '2001-02-01T00:00:00Z',
      groupBy: 'PLATFORM',
    });
    expect(stats.platforms.map((p) => p.platform).sort()).toEqual(['AWS', 'BARE_METAL', 'MINIKUBE']);
    expect(stats.buckets?.map((b) => [b.platform, b.plans, b.team, b.stage])).toEqual([
      ['AWS', 1, null, null],
      ['BARE_METAL', 1, null, null],
      ['MINIKUBE', 1, null, null],
    ]);
    const byStage = await answer(null, {
      bucket: 'MONTH',
      from: '2001-01-01T00:00:00Z',
      to: '2001-02-01T00:00:00Z',
      groupBy: 'STAGE',
    });
    expect(byStage.buckets?.map((b) => [b.stage, b.plans])).toEqual([
      ['DEVELOPMENT', 1],
      ['PRODUCTION', 2],
    ]);
  });

  it('filters by stage (the enum) and namespace, with or without buckets', async () => {
    const development = await answer(null, { stage: 'DEVELOPMENT' });
    expect(development).toMatchObject({ totalPlans: 1, platforms: [{ platform: 'MINIKUBE', count: 1 }] });
    const iot = await answer(null, {
      namespace: plans.edge.topology.namespace,
      bucket: 'DAY',
      from: '2001-01-08T00:00:00Z',
      to: '2001-01-09T00:00:00Z',
    });
    expect(iot.totalPlans).toBe(1);
    expect(iot.buckets?.map((b) => b.plans)).toEqual([1]);
  });

  it('marks byPlatform deprecated in favour of platforms', async () => {
    const response = await t
      .api()
      .post('/graphql')
      .send({ query: '{ __type(name: "PlanStats") { fields(includeDeprecated: true) { name isDeprecated } } }' })
      .expect(200);
    const fields = (response.body as { data: { __type: { fields: { name: string; isDeprecated: boolean }[] } } }).data
      .__type.fields;
    expect(fields.find((f) => f.name === 'byPlatform')?.isDeprecated).toBe(true);
    expect(fields.find((f) => f.name === 'platforms')?.isDeprecated).toBe(false);
  });

  it("shows a team-bound key only its team's plans, grouped by team or filtered by another team", async () => {
    const january = { bucket: 'MONTH', from: '2001-01-01T00:00:00Z', to: '2001-02-01T00:00:00Z' };
    const admin = await answer(null, { ...january, groupBy: 'TEAM' });
    expect(admin.buckets?.map((b) => [b.team, b.plans])).toEqual(
      [
        [payments, 2],
        [search, 1],
      ].sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
    );

    const own = await answer(keys.payments, { ...january, groupBy: 'TEAM' });
    expect(own.buckets?.map((b) => [b.team, b.plans])).toEqual([[payments, 2]]);
    expect(own.totalPlans).toBe(2);
    const other = await answer(keys.payments, { ...january, team: search });
    expect(other.buckets?.map((b) => b.plans)).toEqual([0]);
    expect(other.totalPlans).toBe(0);
  });

  it('refuses a bad range with BAD_USER_INPUT listing every problem, and too many buckets naming the limit', async () => {
    const problemsOf = async (variables: Record<string, unknown>) => {
      const body = await trend(null, variables);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      return body.errors?.[0]?.extensions?.problems;
    };

    expect(await problemsOf({ bucket: 'DAY' })).toEqual([
      { path: 'from', message: 'is required with bucket' },
      { path: 'to', message: 'is required with bucket' },
    ]);
    expect(await problemsOf({ from: '2001-01-01T00:00:00Z', groupBy: 'TEAM' })).toEqual([
      { path: 'from', message: expect.stringMatching(/needs bucket/) },
      { path: 'groupBy', message: expect.stringMatching(/needs bucket/) },
    ]);
    expect(await problemsOf({ bucket: 'DAY', from: '2001-01-02T00:00:00Z', to: '2001-01-01T00:00:00Z' })).toEqual([
      { path: 'to', message: 'must be after from' },
    ]);
    // A NUL cannot reach the database: refused like a NUL in filter.nameContains.
    expect(await problemsOf({ team: 'pay\u0000ments', namespace: 'a\u0000b' })).toEqual([
      { path: 'team', message: expect.any(String) },
      { path: 'namespace', message: expect.any(String) },
    ]);
    const tooMany = at(
      (await problemsOf({ bucket: 'HOUR', from: '2001-01-01T00:00:00Z', to: '2002-01-01T00:00:00Z' }))!,
      0,
    );
    expect(tooMany.path).toBe('bucket');
    expect(tooMany.message).toContain(`at most ${MAX_BUCKETS}`);
    expect(tooMany.message).toContain('8760 hour buckets');
    // The limit itself is allowed.
    const limit = await answer(null, {
      bucket: 'HOUR',
      from: '2001-01-01T00:00:00Z',
      to: new Date(Date.UTC(2001, 0, 1) + MAX_BUCKETS * 3_600_000).toISOString(),
    });
    expect(limit.buckets).toHaveLength(MAX_BUCKETS);
  });
});
