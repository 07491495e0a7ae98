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
import { PrismaPlansRepository, type PlansRepository } from './plans.repository.js';
import type { KeyCount, PlanSummary, StoredPlan } from './plans.types.js';
import { InMemoryPlansRepository } from './testing/in-memory-plans.repository.js';

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

type Opened = { repository: PlansRepository; close: () => Promise<void> };
type Subject = { name: string; open: () => Promise<Opened> };

async function onPrisma(env: Record<string, string>, cleanUp = async () => {}): Promise<Opened> {
  const prisma = new PrismaService(loadConfig({ LOG_LEVEL: 'silent', ...env }));
  await prisma.onModuleInit();
  return {
    repository: new PrismaPlansRepository(prisma),
    close: async () => {
      await prisma.onApplicationShutdown();
      await cleanUp();
    },
  };
}

const SUBJECTS: Subject[] = [
  {
    name: 'the in-memory fake',
    open: () => Promise.resolve({ repository: new InMemoryPlansRepository(), close: async () => {} }),
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

    const stored = await repository.insert(result, team);

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
    const first = await repository.insert(planOf('shop-aws', name), access.team);

    const second = await repository.appendRevision(first.id, planOf('demo-minikube', name), access);
    const third = await repository.appendRevision(first.id, planOf('edge-bare-metal', unique('renamed')), access);

    expect([second?.revision, third?.revision]).toEqual([2, 3]);
    expect(await repository.latest(first.id, access)).toEqual(third);
    expect(await repository.firstRevision(first.id, access)).toEqual(first);
    expect((await repository.revisions(first.id, access)).map((r) => r.revision)).toEqual([3, 2, 1]);
    expect(await repository.appendRevision(UNKNOWN_ID, planOf('shop-aws', name), access)).toBeNull();
  });

  it('treats a plan outside the access as one that does not exist', async () => {
    const owner = unique('team');
    const name = unique('hidden');
    const stored = await repository.insert(planOf('shop-aws', name), owner);

    for (const stranger of [teamAccess(unique('other')), { team: null, all: false }]) {
      expect(await repository.latest(stored.id, stranger)).toBeNull();
      expect(await repository.firstRevision(stored.id, stranger)).toBeNull();
      expect(await repository.latestByName(name, stranger)).toBeNull();
      expect(await repository.latestOfMany([stored.id], stranger)).toEqual([]);
      expect(await repository.revisions(stored.id, stranger)).toEqual([]);
      expect(await repository.appendRevision(stored.id, planOf('demo-minikube', name), stranger)).toBeNull();
      expect(await repository.delete(stored.id, stranger)).toBe(false);
      expect((await repository.slice({ filter: { name }, take: 10, access: stranger })).totalCount).toBe(0);
    }
    // Untouched by the attempts, and visible to its team and to `all`.
    expect(await repository.latest(stored.id, ALL_PLANS)).toEqual(stored);
    expect(await repository.latestByName(name, teamAccess(owner))).toEqual(stored);
  });

  it('keeps plans without a team apart from team plans', async () => {
    const name = unique('teamless');
    const teamless = await repository.insert(planOf('shop-aws', name), null);
    const teamed = await repository.insert(planOf('shop-aws', name), unique('team'));
    const noTeam: PlanAccess = { team: null, all: false };

    expect(await repository.latest(teamless.id, noTeam)).toEqual(teamless);
    expect(await repository.latest(teamed.id, noTeam)).toBeNull();
    expect(await repository.latestByName(name, noTeam)).toEqual(teamless);
  });

  it('finds by exact name the latest revision of the most recently created plan', async () => {
    const access = teamAccess(unique('team'));
    const name = unique('named');
    const older = await repository.insert(planOf('shop-aws', name), access.team);
    const newer = await repository.insert(planOf('demo-minikube', name), access.team);
    const newerRevised = await repository.appendRevision(newer.id, planOf('voice-gcp', name), access);
    await repository.insert(planOf('shop-aws', `${name}-longer`), access.team);

    const [newest] = newestFirst([older, newer]);
    const expected = newest.id === newer.id ? newerRevised : older;
    expect(await repository.latestByName(name, access)).toEqual(expected);
    expect(await repository.latestByName(name.slice(0, -1), access)).toBeNull();
  });

  it('deletes a plan with its revisions, once', async () => {
    const access = teamAccess(unique('team'));
    const stored = await repository.insert(planOf('shop-aws', unique('gone')), access.team);
    await repository.appendRevision(stored.id, planOf('shop-aws', stored.name), access);
    const kept = await repository.insert(planOf('shop-aws', unique('kept')), access.team);

    expect(await repository.delete(stored.id, access)).toBe(true);
    expect(await repository.latest(stored.id, access)).toBeNull();
    expect(await repository.revisions(stored.id, access)).toEqual([]);
    expect(await repository.delete(stored.id, access)).toBe(false);
    // The next plan stored gets an id of its own, and the other plan is still there.
    const next = await repository.insert(planOf('shop-aws', unique('next')), access.team);
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
        latest.push(await repository.insert(planOf(fixture, unique(`list${i}`)), access.team));
      }
      // A revised plan: its row shows the latest revision, its createdAt stays the plan's.
      const revised = await repository.appendRevision(
        latest[0].id,
        planOf('game-findings-aws', latest[0].name),
        access,
      );
      latest[0] = revised as StoredPlan;
      all = (await repository.slice({ filter: {}, take: 100, access })).items;
    });

    it('lists every plan newest first, each with the figures of its latest revision', async () => {
      expect(all).toHaveLength(fixtures.length);
      expect(all).toEqual(newestFirst(all));
      const summary = all.find((s) => s.id === latest[0].id);
      const revised = latest[0];
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
      const target = all[2];
      expect(await filtered({ name: target.name.slice(2, -1).toUpperCase() })).toEqual([target.id]);
      expect(await filtered({ name: '%' })).toEqual([]);
      expect(await filtered({ name: '_' })).toEqual([]);
      const from = new Date(all[3].createdAt);
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

      const stored = await repository.insertClaimed(planOf('shop-aws', unique('once')), access.team, first);
      const again = await repository.insertClaimed(
        planOf('shop-aws', unique('twice')),
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
        planOf('shop-aws', unique('other')),
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
        planOf('shop-aws', unique('expired')),
        access.team,
        claim(scope, 'k', 0),
      );
      expect(expired).not.toBeNull();
      expect(await repository.findClaim(scope, 'k')).toBeNull();

      const takeover = claim(scope, 'k');
      const taken = await repository.insertClaimed(planOf('shop-aws', unique('takeover')), access.team, takeover);
      expect(taken).not.toBeNull();
      expect(await repository.findClaim(scope, 'k')).toEqual({ requestHash: takeover.requestHash, planId: taken?.id });

      // A deleted plan leaves its claim (a replay then answers that the plan is gone).
      expect(await repository.delete(taken?.id ?? '', access)).toBe(true);
      expect(await repository.findClaim(scope, 'k')).toEqual({ requestHash: takeover.requestHash, planId: taken?.id });
    });

    it('purges expired claims in bounded batches, and only those', async () => {
      const scope = unique('key');
      for (const key of ['a', 'b', 'c']) {
        await repository.insertClaimed(planOf('shop-aws', unique('purge')), unique('team'), claim(scope, key, 0));
      }
      const live = claim(scope, 'live');
      const kept = await repository.insertClaimed(planOf('shop-aws', unique('live')), unique('team'), live);

      expect(await repository.purgeExpiredClaims(2)).toBe(2);
      expect(await repository.purgeExpiredClaims(100)).toBeGreaterThanOrEqual(1);
      expect(await repository.purgeExpiredClaims(100)).toBe(0);
      expect(await repository.findClaim(scope, 'live')).toEqual({ requestHash: live.requestHash, planId: kept?.id });
    });
  });
});
