import type { ClaimedKey, IdempotencyClaim } from '../../idempotency/idempotency-key.js';
import type { ListPosition } from '../list-cursor.js';
import { canSee, type PlanAccess } from '../plan-access.js';
import { storedPlanFromText, type PlanDraft } from '../plan-draft.js';
import { everySeverity, PlansRepository, type PlanSlice, type SliceRequest } from '../plans.repository.js';
import type {
  BucketSeries,
  PlanDimension,
  PlanFilter,
  PlanStats,
  PlanStatsBucket,
  PlanSummary,
  SeverityCounts,
  StatsFilter,
  StoredPlan,
} from '../plans.types.js';
import { bucketStart, bucketStarts, nextBucketStart } from '../time-buckets.js';
import { severityOfRank, worstSeverityRank } from '../severity-rank.js';
import { isAtLeastAsSevere } from '../../planner/rules.js';
import { SEVERITIES } from '../../planner/types.js';

type Entry = { id: string; createdAt: Date; team: string | null; revisions: StoredPlan[] };

/**
 * A typed in-memory PlansRepository for unit tests of PlansService (and of transports that want a
 * service without a database). Fixed ids and a clock that ticks 1 s per write, so runs repeat.
 */
export class InMemoryPlansRepository extends PlansRepository {
  private readonly plans = new Map<string, Entry>();
  /** Idempotency-Key claims by scope and key; expiry in the fake's own time (`now`). */
  private readonly claims = new Map<string, ClaimedKey & { expiresAt: number }>();
  private sequence = 0;
  private lastId = 0;
  private offsetMs = 0;
  /** How many times each method was called, to assert "one query" style rules. */
  readonly calls: Record<string, number> = {};

  constructor(private readonly start = new Date('2026-01-01T00:00:00.000Z')) {
    super();
  }

  insert(draft: PlanDraft, team: string | null): Promise<StoredPlan> {
    this.count('insert');
    // A counter, not the number of plans: after a delete, the next plan must not reuse a live id.
    const id = `00000000-0000-4000-8000-${String(++this.lastId).padStart(12, '0')}`;
    const createdAt = this.tick();
    const stored = storedPlanFromText({ planId: id, revision: 1, createdAt }, draft.name, draft);
    this.plans.set(id, { id, createdAt, team, revisions: [stored] });
    return Promise.resolve(stored);
  }

  async insertClaimed(draft: PlanDraft, team: string | null, claim: IdempotencyClaim): Promise<StoredPlan | null> {
    this.count('insertClaimed');
    const id = claimId(claim.scope, claim.key);
    const existing = this.claims.get(id);
    if (existing && existing.expiresAt > this.now()) {
      return null;
    }
    // Claimed before the first await, as the real statement does atomically.
    const entry = { requestHash: claim.requestHash, planId: '', expiresAt: this.now() + claim.ttlHours * 3_600_000 };
    this.claims.set(id, entry);
    const stored = await this.insert(draft, team);
    entry.planId = stored.id;
    return stored;
  }

  findClaim(scope: string, key: string): Promise<ClaimedKey | null> {
    this.count('findClaim');
    const claim = this.claims.get(claimId(scope, key));
    return Promise.resolve(
      claim && claim.expiresAt > this.now() ? { requestHash: claim.requestHash, planId: claim.planId } : null,
    );
  }

  purgeExpiredClaims(limit: number): Promise<number> {
    this.count('purgeExpiredClaims');
    const expired = [...this.claims].filter(([, claim]) => claim.expiresAt <= this.now()).slice(0, limit);
    expired.forEach(([id]) => this.claims.delete(id));
    return Promise.resolve(expired.length);
  }

  firstRevision(id: string, access: PlanAccess): Promise<StoredPlan | null> {
    this.count('firstRevision');
    return Promise.resolve(this.visible(id, access)?.revisions[0] ?? null);
  }

  /** Moves the fake's time on, to expire claims. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  appendRevision(id: string, draft: PlanDraft, access: PlanAccess): Promise<StoredPlan | null> {
    this.count('appendRevision');
    const entry = this.visible(id, access);
    if (!entry) {
      return Promise.resolve(null);
    }
    const key = { planId: id, revision: entry.revisions.length + 1, createdAt: this.tick() };
    const stored = storedPlanFromText(key, draft.name, draft);
    entry.revisions.push(stored);
    return Promise.resolve(stored);
  }

  latest(id: string, access: PlanAccess): Promise<StoredPlan | null> {
    this.count('latest');
    return Promise.resolve(this.visible(id, access)?.revisions.at(-1) ?? null);
  }

  latestByName(name: string, access: PlanAccess): Promise<StoredPlan | null> {
    this.count('latestByName');
    const match = this.ordered(access).find((e) => e.revisions.at(-1)?.name === name);
    return Promise.resolve(match?.revisions.at(-1) ?? null);
  }

  latestOfMany(ids: string[], access: PlanAccess): Promise<StoredPlan[]> {
    this.count('latestOfMany');
    return Promise.resolve(ids.flatMap((id) => this.visible(id, access)?.revisions.at(-1) ?? []));
  }

  revisions(id: string, access: PlanAccess): Promise<StoredPlan[]> {
    this.count('revisions');
    return Promise.resolve([...(this.visible(id, access)?.revisions ?? [])].reverse());
  }

  delete(id: string, access: PlanAccess): Promise<boolean> {
    this.count('delete');
    return Promise.resolve(this.visible(id, access) !== undefined && this.plans.delete(id));
  }

  /** The team that owns a plan, for assertions. */
  teamOf(id: string): string | null | undefined {
    return this.plans.get(id)?.team;
  }

  slice({ filter, after, take, access }: SliceRequest): Promise<PlanSlice> {
    this.count('slice');
    const matching = this.ordered(access)
      .map(toSummary)
      .filter((s) => matches(s, filter));
    const start = after ? matching.findIndex((s) => isAfter(s, after)) : 0;
    const items = start < 0 ? [] : matching.slice(start, start + take);
    return Promise.resolve({ items, totalCount: matching.length });
  }

  stats(filter: StatsFilter, access: PlanAccess): Promise<PlanStats> {
    this.count('stats');
    const plans = this.matching(filter, access);
    const latest = plans.map((e) => e.revisions.at(-1) as StoredPlan);
    const total = latest.reduce((sum, p) => sum + p.cost.monthlyTotal, 0);
    return Promise.resolve({
      totalPlans: latest.length,
      byServiceType: countBy(latest.flatMap((p) => p.recommendations.map((r) => r.serviceType ?? 'none'))),
      byPlatform: countBy(latest.map((p) => p.topology.environment.platform)),
      bySeverity: SEVERITIES.map((key) => ({
        key,
        count: latest.flatMap((p) => p.findings).filter((f) => f.severity === key).length,
      })),
      monthlyCostTotal: round(total),
      monthlyCostAverage: latest.length ? round(total / latest.length) : 0,
      topFindings: countBy(latest.flatMap((p) => [...new Set(p.findings.map((f) => f.id))])).slice(0, 10),
    });
  }

  statsOverTime(filter: StatsFilter, access: PlanAccess, series: BucketSeries): Promise<PlanStatsBucket[]> {
    this.count('statsOverTime');
    const inRange = this.matching(filter, access).filter(
      (e) => e.createdAt >= series.start && e.createdAt < series.end,
    );
    const groupOf = (e: Entry): string | null => (series.groupBy ? dimensionOf(e, series.groupBy) : null);
    const groups = series.groupBy
      ? [...new Set(inRange.map(groupOf))].sort((a, b) =>
          a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0,
        )
      : [null];
    return Promise.resolve(
      bucketStarts(series).flatMap((start) =>
        groups.map((group) => {
          const inBucket = inRange.filter(
            (e) => bucketStart(series.bucket, e.createdAt).getTime() === start.getTime() && groupOf(e) === group,
          );
          const latest = inBucket.map((e) => e.revisions.at(-1) as StoredPlan);
          const findings: Partial<SeverityCounts> = {};
          latest.flatMap((p) => p.findings).forEach((f) => (findings[f.severity] = (findings[f.severity] ?? 0) + 1));
          return {
            start: start.toISOString(),
            end: nextBucketStart(series.bucket, start).toISOString(),
            group,
            plans: latest.length,
            monthlyCostTotal: round(latest.reduce((sum, p) => sum + p.cost.monthlyTotal, 0)),
            findings: everySeverity(findings),
          };
        }),
      ),
    );
  }

  /**
   * Sets when a plan was first created, as a database row's `createdAt` could say: the contract
   * test places plans in time buckets with it, rather than waiting for a clock.
   */
  setCreatedAt(id: string, createdAt: Date): void {
    const entry = this.plans.get(id);
    if (entry) {
      entry.createdAt = createdAt;
    }
  }

  /** The plans `access` sees that `filter` keeps. */
  private matching(filter: StatsFilter, access: PlanAccess): Entry[] {
    return this.ordered(access).filter(
      (e) =>
        matches(toSummary(e), filter) &&
        (filter.team === undefined || e.team === filter.team) &&
        (filter.namespace === undefined || dimensionOf(e, 'namespace') === filter.namespace) &&
        (filter.stage === undefined || dimensionOf(e, 'stage') === filter.stage),
    );
  }

  private visible(id: string, access: PlanAccess): Entry | undefined {
    const entry = this.plans.get(id);
    return entry && canSee(access, entry.team) ? entry : undefined;
  }

  private ordered(access: PlanAccess): Entry[] {
    return [...this.plans.values()]
      .filter((e) => canSee(access, e.team))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0));
  }

  // The time of the last write, moved on by `advance`.
  private now(): number {
    return this.start.getTime() + this.sequence * 1000 + this.offsetMs;
  }

  private tick(): Date {
    this.sequence += 1;
    return new Date(this.start.getTime() + this.sequence * 1000);
  }

  private count(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }
}

function dimensionOf(entry: Entry, dimension: PlanDimension): string | null {
  const { topology } = entry.revisions.at(-1) as StoredPlan;
  switch (dimension) {
    case 'team':
      return entry.team;
    case 'namespace':
      return topology.namespace;
    case 'stage':
      return topology.environment.stage;
    case 'platform':
      return topology.environment.platform;
  }
}

function toSummary(entry: Entry): PlanSummary {
  const latest = entry.revisions.at(-1) as StoredPlan;
  const rank = worstSeverityRank(latest.findings);
  return {
    id: entry.id,
    name: latest.name,
    namespace: latest.topology.namespace,
    platform: latest.topology.environment.platform,
    revision: latest.revision,
    createdAt: entry.createdAt.toISOString(),
    updatedAt: latest.createdAt,
    monthlyCost: latest.cost.monthlyTotal,
    componentCount: latest.topology.components.length,
    worstSeverity: rank === null ? null : severityOfRank(rank),
  };
}

function matches(s: PlanSummary, f: PlanFilter): boolean {
  const created = new Date(s.createdAt);
  return (
    (!f.platform || s.platform === f.platform) &&
    (!f.name || s.name.toLowerCase().includes(f.name.toLowerCase())) &&
    (!f.createdAfter || created >= f.createdAfter) &&
    (!f.createdBefore || created < f.createdBefore) &&
    (!f.minSeverity || (s.worstSeverity !== null && isAtLeastAsSevere(s.worstSeverity, f.minSeverity)))
  );
}

// (createdAt, id) strictly below the position, in the list's descending order.
function isAfter(s: PlanSummary, after: ListPosition): boolean {
  const created = new Date(s.createdAt).getTime();
  return created < after.createdAt.getTime() || (created === after.createdAt.getTime() && s.id < after.id);
}

function countBy(keys: string[]): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  keys.forEach((k) => counts.set(k, (counts.get(k) ?? 0) + 1));
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function claimId(scope: string, key: string): string {
  return JSON.stringify([scope, key]);
}
