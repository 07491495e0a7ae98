import { at } from '../common/at.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScratchDatabase } from '../../test/support/scratch-database.js';
import { IN_MEMORY, loadConfig } from '../config/config.js';
import { migrateServer } from '../database/migrations.js';
import { PrismaService } from '../database/prisma.service.js';
import { plan } from '../planner/plan.js';
import { isAtLeastAsSevere } from '../planner/rules.js';
import { SEVERITIES, type PlanResult } from '../planner/types.js';
import type { ListPosition } from './list-cursor.js';
import { ALL_PLANS, type PlanAccess } from './plan-access.js';
import { draftOf } from './plan-draft.js';
import { PrismaPlansRepository, type PlansRepository } from './plans.repository.js';
import type { BucketSeries, KeyCount, PlanStatsBucket, PlanSummary, StatsFilter, StoredPlan } from './plans.types.js';
import { InMemoryPlansRepository } from './testing/in-memory-plans.repository.js';
import { bucketRange, type TimeBucket } from './time-buckets.js';

/*
 * The contract of PlansRepository, run against the in-memory fake the service's unit tests use
 * and against the real repository on a real database (embedded PGlite; and the PostgreSQL server
 * too when DATABASE_URL names one), so the fake cannot drift from what the SQL does.
 *
 * One repository per subject serves every test: each test works in a team of its own (and
 * idempotency scopes of its own), so tests neither see nor count each other's plans. Nothing here
 * relies on two writes getting different timestamps: a database may give two quick inserts the
 * same millisecond, and the order the contract promises is (createdAt desc, id desc).
 */

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/topologies');
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';
const SERVER_DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;

type Opened = {
  repository: PlansRepository;
  /** Sets when a plan was first created, so the trends' tests place plans in buckets without a clock. */
  setCreatedAt: (id: string, at: Date) => Promise<void>;
  close: () => Promise<void>;
};
type Subject = { name: string; open: () => Promise<Opened> };

async function onPrisma(env: Record<string, string>, cleanUp = async () => {}): Promise<Opened> {
  const prisma = new PrismaService(loadConfig({ LOG_LEVEL: 'silent', ...env }));
  await prisma.ready();
  return {
    repository: new PrismaPlansRepository(prisma),
    setCreatedAt: async (id, at) => {
      await prisma.$executeRaw`UPDATE "Plan" SET "createdAt" = ${at.toISOString()}::timestamptz WHERE id = ${id}::uuid`;
    },
    close: async () => {
      await prisma.onApplicationShutdown();
      await cleanUp();
    },
  };
}

const SUBJECTS: Subject[] = [
  {
    name: 'the in-memory fake',
    open: () => {
      const repository = new InMemoryPlansRepository();
      return Promise.resolve({
        repository,
        setCreatedAt: (id: string, at: Date) => Promise.resolve(repository.setCreatedAt(id, at)),
        close: async () => {},
      });
    },
  },
  { name: 'Prisma on embedded PGlite', open: () => onPrisma({ DATA_DIR: IN_MEMORY }) },
  ...(SERVER_DATABASE_URL
    ? [
        {
          name: 'Prisma on the PostgreSQL server',
          open: async () => {
            const scratch = await createScratchDatabase(SERVER_DATABASE_URL, 'ep_contract');
            await migrateServer(scratch.url);
            return onPrisma({ DATABASE_URL: scratch.url }, scratch.drop);
          },
        },
      ]
    : []),
];

/** A plan of a fixture topology, renamed: what PlansService hands the repository. */
function planOf(fixture: string, name: string): PlanResult {
  const topology = JSON.parse(readFileSync(join(FIXTURES, `${fixture}.json`), 'utf8')) as Record<string, unknown>;
  const outcome = plan({ ...topology, name });
  if (!outcome.ok) {
    throw new Error(`fixture ${fixture} does not plan: ${JSON.stringify(outcome.problems)}`);
  }
  return outcome.plan;
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const teamAccess = (team: string): PlanAccess => ({ team, all: false });

/** The list order the contract promises: createdAt desc, then id desc. */
function newestFirst<T extends { createdAt: string; id: string }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0),
  );
}

const positionOf = (item: { createdAt: string; id: string }): ListPosition => ({
  createdAt: new Date(item.createdAt),
  id: item.id,
});

function counted(keys: string[]): KeyCount[] {
  const counts = new Map<string, number>();
  keys.forEach((key) => counts.set(key, (counts.get(key) ?? 0) + 1));
  return [...counts].map(([key, count]) => ({ key, count }));
}

// Most first; equal counts in the keys' order (plain ASCII keys here, so every collation agrees).
const byCountThenKey = (a: KeyCount, b: KeyCount) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

describe.each(SUBJECTS)('PlansRepository contract: $name', ({ open }) => {
  let opened: Opened;
  let repository: PlansRepository;

  beforeAll(async () => {
    opened = await open();
    repository = opened.repository;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('stores a plan as revision 1 and reads back what it answered', async () => {
    const team = unique('team');
    const result = planOf('shop-aws', unique('shop'));

    const stored = await repository.insert(draftOf(result), team);

    expect(stored).toMatchObject({ name: result.topology.name, revision: 1, ...result });
    expect(Number.isNaN(Date.parse(stored.createdAt))).toBe(false);
    const access = teamAccess(team);
    expect(await repository.latest(stored.id, access)).toEqual(stored);
    expect(await repository.firstRevision(stored.id, access)).toEqual(stored);
    expect(await repository.revisions(stored.id, access)).toEqual([stored]);
    expect(await repository.latestOfMany([stored.id, UNKNOWN_ID], access)).toEqual([stored]);
    expect(await repository.latest(UNKNOWN_ID, access)).toBeNull();
  });

  it('numbers revisions one after another, lists them newest first, and keeps revision 1', async () => {
    const access = teamAccess(unique('team'));
    const name = unique('rev');
    const first = await repository.insert(draftOf(planOf('shop-aws', name)), access.team);

    const second = await repository.appendRevision(first.id, draftOf(planOf('demo-minikube', name)), access);
    const third = await repository.appendRevision(
      first.id,
      draftOf(planOf('edge-bare-metal', unique('renamed'))),
      access,
    );

    expect([second?.revision, third?.revision]).toEqual([2, 3]);
    expect(await repository.latest(first.id, access)).toEqual(third);
    expect(await repository.firstRevision(first.id, access)).toEqual(first);
    expect((await repository.revisions(first.id, access)).map((r) => r.revision)).toEqual([3, 2, 1]);
    expect(await repository.appendRevision(UNKNOWN_ID, draftOf(planOf('shop-aws', name)), access)).toBeNull();
  });

  it('treats a plan outside the access as one that does not exist', async () => {
    const owner = unique('team');
    const name = unique('hidden');
    const stored = await repository.insert(draftOf(planOf('shop-aws', name)), owner);

    for (const stranger of [teamAccess(unique('other')), { team: null, all: false }]) {
      expect(await repository.latest(stored.id, stranger)).toBeNull();
      expect(await repository.firstRevision(stored.id, stranger)).toBeNull();
      expect(await repository.latestByName(name, stranger)).toBeNull();
      expect(await repository.latestOfMany([stored.id], stranger)).toEqual([]);
      expect(await repository.revisions(stored.id, stranger)).toEqual([]);
      expect(await repository.appendRevision(stored.id, draftOf(planOf('demo-minikube', name)), stranger)).toBeNull();
      expect(await repository.delete(stored.id, stranger)).toBe(false);
      expect((await repository.slice({ filter: { name }, take: 10, access: stranger })).totalCount).toBe(0);
    }
    // Untouched by the attempts, and visible to its team and to `all`.
    expect(await repository.latest(stored.id, ALL_PLANS)).toEqual(stored);
    expect(await repository.latestByName(name, teamAccess(owner))).toEqual(stored);
  });

  it('keeps plans without a team apart from team plans', async () => {
    const name = unique('teamless');
    const teamless = await repository.insert(draftOf(planOf('shop-aws', name)), null);
    const teamed = await repository.insert(draftOf(planOf('shop-aws', name)), unique('team'));
    const noTeam: PlanAccess = { team: null, all: false };

    expect(await repository.latest(teamless.id, noTeam)).toEqual(teamless);
    expect(await repository.latest(teamed.id, noTeam)).toBeNull();
    expect(await repository.latestByName(name, noTeam)).toEqual(teamless);
  });

  it('finds by exact name the latest revision of the most recently created plan', async () => {
    const access = teamAccess(unique('team'));
    const name = unique('named');
    const older = await repository.insert(draftOf(planOf('shop-aws', name)), access.team);
    const newer = await repository.insert(draftOf(planOf('demo-minikube', name)), access.team);
    const newerRevised = await repository.appendRevision(newer.id, draftOf(planOf('voice-gcp', name)), access);
    await repository.insert(draftOf(planOf('shop-aws', `${name}-longer`)), access.team);

    const newest = at(newestFirst([older, newer]), 0);
    const expected = newest.id === newer.id ? newerRevised : older;
    expect(await repository.latestByName(name, access)).toEqual(expected);
    expect(await repository.latestByName(name.slice(0, -1), access)).toBeNull();
  });

  it('deletes a plan with its revisions, once', async () => {
    const access = teamAccess(unique('team'));
    const stored = await repository.insert(draftOf(planOf('shop-aws', unique('gone'))), access.team);
    await repository.appendRevision(stored.id, draftOf(planOf('shop-aws', stored.name)), access);
    const kept = await repository.insert(draftOf(planOf('shop-aws', unique('kept'))), access.team);

    expect(await repository.delete(stored.id, access)).toBe(true);
    expect(await repository.latest(stored.id, access)).toBeNull();
    expect(await repository.revisions(stored.id, access)).toEqual([]);
    expect(await repository.delete(stored.id, access)).toBe(false);
    // The next plan stored gets an id of its own, and the other plan is still there.
    const next = await repository.insert(draftOf(planOf('shop-aws', unique('next'))), access.team);
    expect([kept.id, stored.id]).not.toContain(next.id);
    expect(await repository.latest(kept.id, access)).toEqual(kept);
  });

  describe('the list', () => {
    const access = teamAccess(unique('list'));
    const fixtures = ['shop-aws', 'demo-minikube', 'edge-bare-metal', 'voice-gcp', 'partner-api-azure', 'shop-aws'];
    let latest: StoredPlan[];
    let all: PlanSummary[];

    beforeAll(async () => {
      latest = [];
      for (const [i, fixture] of fixtures.entries()) {
        latest.push(await repository.insert(draftOf(planOf(fixture, unique(`list${i}`))), access.team));
      }
      // A revised plan: its row shows the latest revision, its createdAt stays the plan's.
      const first = at(latest, 0);
      const revised = await repository.appendRevision(
        first.id,
        draftOf(planOf('game-findings-aws', first.name)),
        access,
      );
      latest[0] = revised as StoredPlan;
      all = (await repository.slice({ filter: {}, take: 100, access })).items;
    });

    it('lists every plan newest first, each with the figures of its latest revision', async () => {
      expect(all).toHaveLength(fixtures.length);
      expect(all).toEqual(newestFirst(all));
      const revised = at(latest, 0);
      const summary = all.find((s) => s.id === revised.id);
      expect(summary).toEqual({
        id: revised.id,
        name: revised.name,
        namespace: revised.topology.namespace,
        platform: revised.topology.environment.platform,
        revision: 2,
        createdAt: (await repository.firstRevision(revised.id, access))?.createdAt,
        updatedAt: revised.createdAt,
        monthlyCost: revised.cost.monthlyTotal,
        componentCount: revised.topology.components.length,
        worstSeverity: SEVERITIES.find((s) => revised.findings.some((f) => f.severity === s)) ?? null,
      });
    });

    it('pages from a position, each page counting the whole set', async () => {
      const seen: PlanSummary[] = [];
      let after: ListPosition | undefined;
      for (let page = 0; page < fixtures.length; page++) {
        const slice = await repository.slice({ filter: {}, after, take: 2, access });
        expect(slice.totalCount).toBe(fixtures.length);
        if (slice.items.length === 0) {
          break;
        }
        seen.push(...slice.items);
        after = positionOf(slice.items.at(-1) as PlanSummary);
      }
      expect(seen).toEqual(all);
    });

    it('filters by platform, name (a case-insensitive substring, no wildcards), dates and severity', async () => {
      const filtered = async (filter: Parameters<PlansRepository['slice']>[0]['filter']) => {
        const slice = await repository.slice({ filter, take: 100, access });
        expect(slice.totalCount).toBe(slice.items.length);
        return slice.items.map((s) => s.id);
      };
      const ids = (keep: (s: PlanSummary) => boolean) => all.filter(keep).map((s) => s.id);

      expect(await filtered({ platform: 'aws' })).toEqual(ids((s) => s.platform === 'aws'));
      const target = at(all, 2);
      expect(await filtered({ name: target.name.slice(2, -1).toUpperCase() })).toEqual([target.id]);
      expect(await filtered({ name: '%' })).toEqual([]);
      expect(await filtered({ name: '_' })).toEqual([]);
      const from = new Date(at(all, 3).createdAt);
      expect(await filtered({ createdAfter: from })).toEqual(ids((s) => new Date(s.createdAt) >= from));
      expect(await filtered({ createdBefore: from })).toEqual(ids((s) => new Date(s.createdAt) < from));
      for (const minSeverity of SEVERITIES) {
        expect(await filtered({ minSeverity })).toEqual(
          ids((s) => s.worstSeverity !== null && isAtLeastAsSevere(s.worstSeverity, minSeverity)),
        );
      }
    });

    it('aggregates the latest revisions of the filtered plans', async () => {
      const stats = await repository.stats({}, access);
      const findingsOf = (p: StoredPlan) => p.findings;
      const total = latest.reduce((sum, p) => sum + p.cost.monthlyTotal, 0);

      expect(stats.totalPlans).toBe(fixtures.length);
      expect(stats.byPlatform).toEqual(
        counted(latest.map((p) => p.topology.environment.platform)).sort(byCountThenKey),
      );
      expect(stats.byServiceType).toEqual(
        counted(latest.flatMap((p) => p.recommendations.map((r) => r.serviceType ?? 'none'))).sort(byCountThenKey),
      );
      expect(stats.bySeverity).toEqual(
        SEVERITIES.map((key) => ({
          key,
          count: latest.flatMap(findingsOf).filter((f) => f.severity === key).length,
        })),
      );
      expect(stats.topFindings).toEqual(
        counted(latest.flatMap((p) => [...new Set(findingsOf(p).map((f) => f.id))]))
          .sort(byCountThenKey)
          .slice(0, 10),
      );
      expect(stats.monthlyCostTotal).toBeCloseTo(total, 2);
      expect(stats.monthlyCostAverage).toBeCloseTo(total / fixtures.length, 2);

      const aws = await repository.stats({ platform: 'aws' }, access);
      expect(aws.totalPlans).toBe(latest.filter((p) => p.topology.environment.platform === 'aws').length);
      const none = await repository.stats({ name: '%' }, access);
      expect(none).toMatchObject({ totalPlans: 0, monthlyCostTotal: 0, monthlyCostAverage: 0, topFindings: [] });
      expect(none.bySeverity).toEqual(SEVERITIES.map((key) => ({ key, count: 0 })));
    });
  });

  describe('trends over time', () => {
    // Plans placed at explicit instants around bucket boundaries (2001-01-01 is a Monday), years
    // before any other test's plans (the fake's clock starts in 2026, a database's is now).
    const prefix = unique('trend');
    const [teamT, teamU] = [unique('team-t'), unique('team-u')];
    type Placed = { plan: StoredPlan; team: string | null; at: string };
    const placed: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', Placed> = {} as never;
    const PLACES = {
      F: { fixture: 'partner-api-azure', team: teamT, at: '2000-12-31T23:59:59.999Z' },
      A: { fixture: 'shop-aws', team: teamT, at: '2001-01-01T00:00:00.000Z' },
      B: { fixture: 'demo-minikube', team: teamT, at: '2001-01-07T23:59:59.999Z' },
      C: { fixture: 'edge-bare-metal', team: teamT, at: '2001-01-08T00:00:00.000Z' },
      D: { fixture: 'voice-gcp', team: teamU, at: '2001-01-31T23:00:00.000Z' },
      E: { fixture: 'shop-aws', team: null, at: '2001-02-01T00:00:00.000Z' },
    } as const;
    const mine: StatsFilter = { name: prefix };

    beforeAll(async () => {
      for (const [key, { fixture, team, at }] of Object.entries(PLACES)) {
        const plan = await repository.insert(draftOf(planOf(fixture, `${prefix}-${key.toLowerCase()}`)), team);
        await opened.setCreatedAt(plan.id, new Date(at));
        placed[key as keyof typeof PLACES] = { plan, team, at };
      }
      // A revised plan keeps the bucket of its creation and counts with its latest figures.
      const access = teamAccess(teamT);
      placed.A.plan = (await repository.appendRevision(
        placed.A.plan.id,
        draftOf(planOf('game-findings-aws', placed.A.plan.name)),
        access,
      )) as StoredPlan;
    });

    const series = (bucket: TimeBucket, from: string, to: string, groupBy?: BucketSeries['groupBy']): BucketSeries => ({
      ...bucketRange(bucket, new Date(from), new Date(to)),
      ...(groupBy ? { groupBy } : {}),
    });

    /** What a bucket of these members must say, worked out from the plans themselves. */
    function bucketOf(start: string, end: string, members: Placed[], group: string | null = null): PlanStatsBucket {
      const findings = members.flatMap((m) => m.plan.findings);
      return {
        start,
        end,
        group,
        plans: members.length,
        monthlyCostTotal: Math.round(members.reduce((sum, m) => sum + m.plan.cost.monthlyTotal, 0) * 100) / 100,
        findings: Object.fromEntries(
          SEVERITIES.map((severity) => [severity, findings.filter((f) => f.severity === severity).length]),
        ) as PlanStatsBucket['findings'],
      };
    }

    // Costs are compared to the cent, the rest exactly.
    function expectBuckets(actual: PlanStatsBucket[], expected: PlanStatsBucket[]): void {
      expect(actual.map((b) => ({ ...b, monthlyCostTotal: 0 }))).toEqual(
        expected.map((b) => ({ ...b, monthlyCostTotal: 0 })),
      );
      actual.forEach((b, i) => expect(b.monthlyCostTotal).toBeCloseTo(at(expected, i).monthlyCostTotal, 2));
    }

    it('counts ISO weeks from Monday 00:00 UTC, empty weeks included as zeros', async () => {
      const { A, B, C, D, E } = placed;
      const buckets = await repository.statsOverTime(
        mine,
        ALL_PLANS,
        series('week', '2001-01-01T00:00:00Z', '2001-02-05T00:00:00Z'),
      );

      expectBuckets(buckets, [
        bucketOf('2001-01-01T00:00:00.000Z', '2001-01-08T00:00:00.000Z', [A, B]),
        bucketOf('2001-01-08T00:00:00.000Z', '2001-01-15T00:00:00.000Z', [C]),
        bucketOf('2001-01-15T00:00:00.000Z', '2001-01-22T00:00:00.000Z', []),
        bucketOf('2001-01-22T00:00:00.000Z', '2001-01-29T00:00:00.000Z', []),
        bucketOf('2001-01-29T00:00:00.000Z', '2001-02-05T00:00:00.000Z', [D, E]),
      ]);
      const { critical, high } = at(buckets, 0).findings;
      expect(critical + high).toBeGreaterThan(0);
    });

    it('counts calendar months, hours and days at their UTC boundaries', async () => {
      const { A, B, C, D, E, F } = placed;
      expectBuckets(
        await repository.statsOverTime(
          mine,
          ALL_PLANS,
          series('month', '2000-12-01T00:00:00Z', '2001-03-01T00:00:00Z'),
        ),
        [
          bucketOf('2000-12-01T00:00:00.000Z', '2001-01-01T00:00:00.000Z', [F]),
          bucketOf('2001-01-01T00:00:00.000Z', '2001-02-01T00:00:00.000Z', [A, B, C, D]),
          bucketOf('2001-02-01T00:00:00.000Z', '2001-03-01T00:00:00.000Z', [E]),
        ],
      );
      expectBuckets(
        await repository.statsOverTime(mine, ALL_PLANS, series('day', '2001-01-07T00:00:00Z', '2001-01-09T00:00:00Z')),
        [
          bucketOf('2001-01-07T00:00:00.000Z', '2001-01-08T00:00:00.000Z', [B]),
          bucketOf('2001-01-08T00:00:00.000Z', '2001-01-09T00:00:00.000Z', [C]),
        ],
      );
      expectBuckets(
        await repository.statsOverTime(mine, ALL_PLANS, series('hour', '2001-01-31T22:00:00Z', '2001-02-01T01:00:00Z')),
        [
          bucketOf('2001-01-31T22:00:00.000Z', '2001-01-31T23:00:00.000Z', []),
          bucketOf('2001-01-31T23:00:00.000Z', '2001-02-01T00:00:00.000Z', [D]),
          bucketOf('2001-02-01T00:00:00.000Z', '2001-02-01T01:00:00.000Z', [E]),
        ],
      );
    });

    it('groups by a dimension: one row per bucket and value seen, no team first, values in code-point order', async () => {
      const { A, B, C, D, E } = placed;
      const weeks = series('week', '2001-01-01T00:00:00Z', '2001-01-15T00:00:00Z', 'platform');
      const W1 = ['2001-01-01T00:00:00.000Z', '2001-01-08T00:00:00.000Z'] as const;
      const W2 = ['2001-01-08T00:00:00.000Z', '2001-01-15T00:00:00.000Z'] as const;
      expectBuckets(await repository.statsOverTime(mine, ALL_PLANS, weeks), [
        bucketOf(...W1, [A], 'aws'),
        bucketOf(...W1, [], 'bare-metal'),
        bucketOf(...W1, [B], 'minikube'),
        bucketOf(...W2, [], 'aws'),
        bucketOf(...W2, [C], 'bare-metal'),
        bucketOf(...W2, [], 'minikube'),
      ]);

      const january = series('month', '2001-01-01T00:00:00Z', '2001-03-01T00:00:00Z', 'team');
      const [JAN, FEB] = [
        ['2001-01-01T00:00:00.000Z', '2001-02-01T00:00:00.000Z'],
        ['2001-02-01T00:00:00.000Z', '2001-03-01T00:00:00.000Z'],
      ] as const;
      expectBuckets(await repository.statsOverTime(mine, ALL_PLANS, january), [
        bucketOf(...JAN, [], null),
        bucketOf(...JAN, [A, B, C], teamT),
        bucketOf(...JAN, [D], teamU),
        bucketOf(...FEB, [E], null),
        bucketOf(...FEB, [], teamT),
        bucketOf(...FEB, [], teamU),
      ]);

      const byStage = await repository.statsOverTime(mine, ALL_PLANS, { ...january, groupBy: 'stage' });
      expect(byStage.map((b) => [b.group, b.plans])).toEqual([
        ['development', 1],
        ['production', 3],
        ['development', 0],
        ['production', 1],
      ]);
      const byNamespace = await repository.statsOverTime(mine, ALL_PLANS, { ...january, groupBy: 'namespace' });
      const namespaces = [...new Set([A, B, C, D, E].map((m) => m.plan.topology.namespace))].sort();
      expect(byNamespace.map((b) => b.group)).toEqual([...namespaces, ...namespaces]);

      // Grouped with no plan in the range: no group, so no row.
      expect(
        await repository.statsOverTime(
          mine,
          ALL_PLANS,
          series('day', '2001-01-02T00:00:00Z', '2001-01-03T00:00:00Z', 'team'),
        ),
      ).toEqual([]);
    });

    it('filters by team, namespace and stage, and agrees with the totals over the same plans', async () => {
      const { A, B, C, D } = placed;
      const january = series('month', '2001-01-01T00:00:00Z', '2001-02-01T00:00:00Z');
      const inJanuary: StatsFilter = { ...mine, createdAfter: january.start, createdBefore: january.end };
      const cases: [StatsFilter, Placed[]][] = [
        [{ team: teamT }, [A, B, C]],
        [{ namespace: D.plan.topology.namespace }, [D]],
        [{ stage: 'development' }, [B]],
        [{ stage: 'production', team: teamT }, [A, C]],
        [{ team: unique('nobody') }, []],
      ];
      for (const [filter, members] of cases) {
        const bucket = at(await repository.statsOverTime({ ...mine, ...filter }, ALL_PLANS, january), 0);
        expectBuckets([bucket], [bucketOf(january.start.toISOString(), january.end.toISOString(), members)]);
        const totals = await repository.stats({ ...inJanuary, ...filter }, ALL_PLANS);
        expect(totals.totalPlans).toBe(bucket.plans);
        expect(totals.monthlyCostTotal).toBeCloseTo(bucket.monthlyCostTotal, 2);
        expect(totals.bySeverity).toEqual(Object.entries(bucket.findings).map(([key, count]) => ({ key, count })));
      }
    });

    it("counts only the plans the access sees: a team's own, and nothing of another team's", async () => {
      const { A, B, C, D } = placed;
      const january = series('month', '2001-01-01T00:00:00Z', '2001-02-01T00:00:00Z', 'team');
      const start = january.start.toISOString();
      const end = january.end.toISOString();
      expectBuckets(await repository.statsOverTime(mine, teamAccess(teamT), january), [
        bucketOf(start, end, [A, B, C], teamT),
      ]);
      expectBuckets(await repository.statsOverTime(mine, teamAccess(teamU), january), [
        bucketOf(start, end, [D], teamU),
      ]);
      // Asking for another team's plans is asking for none.
      const ungrouped = series('month', '2001-01-01T00:00:00Z', '2001-02-01T00:00:00Z');
      expectBuckets(await repository.statsOverTime({ ...mine, team: teamT }, teamAccess(teamU), ungrouped), [
        bucketOf(start, end, []),
      ]);
      expectBuckets(await repository.statsOverTime(mine, { team: null, all: false }, ungrouped), [
        bucketOf(start, end, []),
      ]);
    });
  });

  describe('Idempotency-Key claims', () => {
    const claim = (scope: string, key: string, ttlHours = 24) => ({
      scope,
      key,
      requestHash: unique('hash'),
      ttlHours,
    });

    it('stores a plan with its claim, and nothing for a second claim of the same key', async () => {
      const access = teamAccess(unique('team'));
      const scope = unique('key');
      const first = claim(scope, 'order-1');

      const stored = await repository.insertClaimed(draftOf(planOf('shop-aws', unique('once'))), access.team, first);
      const again = await repository.insertClaimed(
        draftOf(planOf('shop-aws', unique('twice'))),
        access.team,
        claim(scope, 'order-1'),
      );

      expect(stored).toMatchObject({ revision: 1 });
      expect(again).toBeNull();
      expect(await repository.findClaim(scope, 'order-1')).toEqual({
        requestHash: first.requestHash,
        planId: stored?.id,
      });
      expect((await repository.slice({ filter: {}, take: 10, access })).totalCount).toBe(1);
      // Another caller's key of the same text is another key.
      const other = await repository.insertClaimed(
        draftOf(planOf('shop-aws', unique('other'))),
        access.team,
        claim(unique('key'), 'order-1'),
      );
      expect(other).not.toBeNull();
      expect(await repository.findClaim(unique('key'), 'order-1')).toBeNull();
    });

    it('forgets an expired claim, lets the next request take it over, and keeps the plan when deleting', async () => {
      const access = teamAccess(unique('team'));
      const scope = unique('key');
      const expired = await repository.insertClaimed(
        draftOf(planOf('shop-aws', unique('expired'))),
        access.team,
        claim(scope, 'k', 0),
      );
      expect(expired).not.toBeNull();
      expect(await repository.findClaim(scope, 'k')).toBeNull();

      const takeover = claim(scope, 'k');
      const taken = await repository.insertClaimed(
        draftOf(planOf('shop-aws', unique('takeover'))),
        access.team,
        takeover,
      );
      expect(taken).not.toBeNull();
      expect(await repository.findClaim(scope, 'k')).toEqual({ requestHash: takeover.requestHash, planId: taken?.id });

      // A deleted plan leaves its claim (a replay then answers that the plan is gone).
      expect(await repository.delete(taken?.id ?? '', access)).toBe(true);
      expect(await repository.findClaim(scope, 'k')).toEqual({ requestHash: takeover.requestHash, planId: taken?.id });
    });

    it('purges expired claims in bounded batches, and only those', async () => {
      const scope = unique('key');
      for (const key of ['a', 'b', 'c']) {
        await repository.insertClaimed(
          draftOf(planOf('shop-aws', unique('purge'))),
          unique('team'),
          claim(scope, key, 0),
        );
      }
      const live = claim(scope, 'live');
      const kept = await repository.insertClaimed(draftOf(planOf('shop-aws', unique('live'))), unique('team'), live);

      expect(await repository.purgeExpiredClaims(2)).toBe(2);
      expect(await repository.purgeExpiredClaims(100)).toBeGreaterThanOrEqual(1);
      expect(await repository.purgeExpiredClaims(100)).toBe(0);
      expect(await repository.findClaim(scope, 'live')).toEqual({ requestHash: live.requestHash, planId: kept?.id });
    });
  });
});
