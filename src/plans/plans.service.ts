import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { at } from '../common/at.js';
import { CLOCK, systemClock, type Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import type { RequestDeadline } from '../common/request-deadline.js';
import { APP_CONFIG, type Config } from '../config/config.js';
import { requestHashOf, type IdempotencyClaim, type IdempotencyRequest } from '../idempotency/idempotency-key.js';
import { NO_PLAN_METRICS, PLAN_METRICS, type PlanMetrics } from '../observability/metrics.js';
import { plan } from '../planner/plan.js';
import { unsafeTextProblem } from '../planner/text-safety.js';
import type { PlanResult } from '../planner/types.js';
import { decodeCursor, encodeCursor, type CursorSource } from './list-cursor.js';
import { diffPlans, type PlanDiff } from './plan-diff.js';
import { parseListQuery, parseStatsQuery } from './list-query.js';
import { draftOf, type PlanDraft } from './plan-draft.js';
import type { PlanAccess } from './plan-access.js';
import { assertPlanId, isPlanId } from './plan-id.js';
import { PlansRepository } from './plans.repository.js';
import type {
  ListQuery,
  Page,
  PlanPreview,
  PlanStatsOverTime,
  PlanSummary,
  StatsQuery,
  StoredPlan,
} from './plans.types.js';

/**
 * The application layer: one method per use case, called alike by REST, GraphQL and chat. It
 * checks ids and queries, runs the pure planner, and stores or fetches through PlansRepository.
 * Failures are DomainErrors; each transport words them its own way.
 *
 * Every method that touches stored plans takes the caller's PlanAccess: a plan of another team is
 * simply not found (NOT_FOUND, never "forbidden"), so its id does not even leak.
 */
@Injectable()
export class PlansService {
  private readonly logger = new Logger(PlansService.name);
  private lastPurge = 0;

  constructor(
    @Inject(PlansRepository) private readonly plans: PlansRepository,
    // Optional: unit tests construct the service without metrics.
    @Optional() @Inject(PLAN_METRICS) private readonly metrics: PlanMetrics = NO_PLAN_METRICS,
    // Optional, like metrics: only IDEMPOTENCY_TTL_HOURS is read.
    @Optional() @Inject(APP_CONFIG) private readonly config: Pick<Config, 'idempotencyTtlHours'> = DEFAULT_IDEMPOTENCY,
    // Optional, like metrics: it only spaces out the purge of expired Idempotency-Keys.
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Plans a topology and stores it as revision 1 of a new plan, owned by the caller's team.
   * `deadline` is the request's (src/common/request-deadline.ts), here and in every method that
   * plans or writes: past it, the next step (planning, storing) is not taken.
   */
  async create(input: unknown, access: PlanAccess, deadline?: RequestDeadline): Promise<StoredPlan> {
    const stored = await this.plans.insert(draftOrFail(input, this.metrics, deadline), access.team);
    this.metrics.planCreated();
    return stored;
  }

  /**
   * `create`, at most once per Idempotency-Key: the first request with a key stores its plan; the
   * same key with the same input (canonical JSON) answers that plan again, revision 1 as it was
   * created (`replayed`), storing nothing; the same key with another input is a CONFLICT. Keys are
   * `request.scope`'s own (one per API key) and live IDEMPOTENCY_TTL_HOURS.
   */
  async createOnce(
    input: unknown,
    access: PlanAccess,
    request: IdempotencyRequest | undefined,
    deadline?: RequestDeadline,
  ): Promise<{ plan: StoredPlan; replayed: boolean }> {
    if (request === undefined) {
      return { plan: await this.create(input, access, deadline), replayed: false };
    }
    const claim: IdempotencyClaim = {
      ...request,
      requestHash: requestHashOf(input),
      ttlHours: this.config.idempotencyTtlHours,
    };
    // A retry, the common case: answered without planning again.
    deadline?.check();
    const earlier = await this.replay(claim, access);
    if (earlier) {
      return { plan: earlier, replayed: true };
    }
    const draft = draftOrFail(input, this.metrics, deadline);
    // A concurrent request with the same key may claim it between the lookup and the insert: the
    // insert then waits for it, stores nothing, and its plan is the answer. The second attempt
    // covers a claim that expired in between.
    for (let attempt = 0; attempt < 2; attempt++) {
      deadline?.check();
      const stored = await this.plans.insertClaimed(draft, access.team, claim);
      if (stored) {
        this.metrics.planCreated();
        this.purgeExpiredKeysNowAndThen();
        return { plan: stored, replayed: false };
      }
      const concurrent = await this.replay(claim, access);
      if (concurrent) {
        return { plan: concurrent, replayed: true };
      }
    }
    // Only when the key was claimed and expired again while this request ran, twice.
    throw new DomainError('CONFLICT', 'This Idempotency-Key changed hands while the request ran; retry it.');
  }

  /** Plans a topology without storing anything. */
  preview(input: unknown, deadline?: RequestDeadline): Promise<PlanPreview> {
    // A promise like every other use case, so a bad topology rejects rather than throws.
    return Promise.resolve(input).then((topology) => {
      const result = planOrFail(topology, this.metrics, deadline);
      return { name: result.topology.name, ...result };
    });
  }

  /** The latest revision of a plan. */
  async get(id: string, access: PlanAccess): Promise<StoredPlan> {
    assertPlanId(id);
    return (await this.plans.latest(id, access)) ?? notFound(id);
  }

  /** By id when `ref` is a UUID, else the most recently created plan with that exact name (chat users type names). */
  async getByIdOrName(ref: string, access: PlanAccess): Promise<StoredPlan> {
    if (isPlanId(ref)) {
      return this.get(ref, access);
    }
    const unsafe = unsafeTextProblem(ref);
    if (unsafe !== undefined) {
      // No plan's name holds such a character, and the database would refuse the query.
      throw DomainError.validation([{ path: 'name', message: `the name ${unsafe}` }]);
    }
    return (await this.plans.latestByName(ref, access)) ?? notFound(ref);
  }

  /** The most recently created plan with this exact name the caller may see, if there is one. */
  async findByName(name: string, access: PlanAccess): Promise<StoredPlan | undefined> {
    if (unsafeTextProblem(name) !== undefined) {
      // No plan's name holds such a character (and the database would refuse the query).
      return undefined;
    }
    return (await this.plans.latestByName(name, access)) ?? undefined;
  }

  /**
   * A page of plan summaries, newest first; pass `nextCursor` back as `cursor` for the next page.
   * `cursorSource` names the API's own field in the problem a bad cursor gets.
   */
  async list(query: ListQuery, access: PlanAccess, cursorSource: CursorSource = 'rest'): Promise<Page<PlanSummary>> {
    const { limit, cursor, ...filter } = parseListQuery(query);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, cursorSource);
    // One row more than asked tells whether another page follows, without a second query.
    const { items, totalCount } = await this.plans.slice({ filter, after, take: limit + 1, access });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      items.length > limit && last ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.id }) : null;
    return { items: page, nextCursor, totalCount };
  }

  /**
   * The latest revisions of many plans in one query, in the order of `ids` (GraphQL batching).
   * Unknown ids, and strings that are not UUIDs (they cannot name a plan), are simply absent.
   */
  async findByIds(ids: string[], access: PlanAccess): Promise<StoredPlan[]> {
    const wanted = [...new Set(ids.filter(isPlanId).map((id) => id.toLowerCase()))];
    if (wanted.length === 0) {
      return [];
    }
    const byId = new Map((await this.plans.latestOfMany(wanted, access)).map((p) => [p.id, p]));
    return wanted.flatMap((id) => byId.get(id) ?? []);
  }

  /** Re-plans a plan with a changed topology: a new revision; the old ones stay. */
  async revise(id: string, input: unknown, access: PlanAccess, deadline?: RequestDeadline): Promise<StoredPlan> {
    assertPlanId(id);
    return (await this.plans.appendRevision(id, draftOrFail(input, this.metrics, deadline), access)) ?? notFound(id);
  }

  /** Every revision of a plan, newest first. */
  async revisions(id: string, access: PlanAccess): Promise<StoredPlan[]> {
    assertPlanId(id);
    const revisions = await this.plans.revisions(id, access);
    return revisions.length > 0 ? revisions : notFound(id);
  }

  /**
   * What changed between two revisions of a plan. `from` defaults to the revision before `to`, `to`
   * to the latest; a plan with one revision diffs with itself (an empty diff). Revision numbers come
   * as query strings (REST) or numbers (GraphQL, chat): every bad one is listed in one 400; a
   * well-formed number the plan does not have is NOT_FOUND.
   */
  async diff(id: string, range: { from?: unknown; to?: unknown }, access: PlanAccess): Promise<PlanDiff> {
    const [from, to] = await this.revisionPair(id, range, access);
    return diffPlans(from, to);
  }

  /** The two revisions `diff` compares, with its defaults and its errors (the diff diagram draws them). */
  async revisionPair(
    id: string,
    range: { from?: unknown; to?: unknown },
    access: PlanAccess,
  ): Promise<[StoredPlan, StoredPlan]> {
    assertPlanId(id);
    // Only these two keys: whatever else the caller's object holds is none of this parser's business.
    const requested = parseRevisionNumbers({ from: range.from, to: range.to });
    // Newest first; a plan holds few revisions, so reading them all costs less than a second query.
    const revisions = await this.revisions(id, access);
    const latest = at(revisions, 0).revision;
    const to = requested.to ?? latest;
    const from = requested.from ?? Math.max(1, to - 1);
    return [revisionOf(revisions, from, id), revisionOf(revisions, to, id)];
  }

  /** One revision of a plan; the latest when `revision` is absent. A bad number is a 400, one the plan lacks a 404. */
  async revision(id: string, revision: unknown, access: PlanAccess): Promise<StoredPlan> {
    assertPlanId(id);
    const { revision: wanted } = parseRevisionNumbers({ revision });
    return wanted === undefined ? this.get(id, access) : revisionOf(await this.revisions(id, access), wanted, id);
  }

  /** Deletes a plan and all its revisions. */
  async delete(id: string, access: PlanAccess, deadline?: RequestDeadline): Promise<void> {
    assertPlanId(id);
    deadline?.check();
    if (!(await this.plans.delete(id, access))) {
      notFound(id);
    }
  }

  /**
   * Dashboard aggregates over the latest revision of every plan the filter keeps and, when the
   * query asks for a bucket, the same plans per time bucket (the range narrows the totals too, so
   * the buckets add up to them). Two reads, run together.
   */
  async stats(query: StatsQuery, access: PlanAccess): Promise<PlanStatsOverTime> {
    const { filter, series } = parseStatsQuery(query);
    const [stats, buckets] = await Promise.all([
      this.plans.stats(filter, access),
      series ? this.plans.statsOverTime(filter, access, series) : null,
    ]);
    return { ...stats, buckets };
  }

  /** The plan a live claim of the key created; null when the key is unused or expired. */
  private async replay(claim: IdempotencyClaim, access: PlanAccess): Promise<StoredPlan | null> {
    const claimed = await this.plans.findClaim(claim.scope, claim.key);
    if (claimed === null) {
      return null;
    }
    if (claimed.requestHash !== claim.requestHash) {
      throw new DomainError(
        'CONFLICT',
        'This Idempotency-Key was already used with a different request body. ' +
          'Send the same body to get the plan it created, or use a new key for a new plan.',
      );
    }
    const plan = await this.plans.firstRevision(claimed.planId, access);
    if (plan === null) {
      throw new DomainError(
        'CONFLICT',
        `The plan this Idempotency-Key created (${claimed.planId}) has been deleted; use a new key to create another.`,
      );
    }
    return plan;
  }

  // Expired keys are ignored anyway; deleting them keeps the table small. At most every few minutes
  // per process, in the background: a failure here is no business of the request that triggered it.
  private purgeExpiredKeysNowAndThen(): void {
    const now = this.clock.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) {
      return;
    }
    this.lastPurge = now;
    this.plans
      .purgeExpiredClaims(PURGE_BATCH)
      .then((purged) => purged > 0 && this.logger.debug(`Purged ${purged} expired Idempotency-Keys`))
      .catch(() => undefined);
  }
}

const DEFAULT_IDEMPOTENCY = { idempotencyTtlHours: 24 };
const PURGE_INTERVAL_MS = 5 * 60_000;
const PURGE_BATCH = 1_000;

/**
 * What a write stores of the plan of `input`, made before the write waits, past the deadline
 * never. A function of its own, not a local of the async use case: a local of an async function
 * stays reachable across every await, and the plan's objects with it (src/plans/plan-draft.ts).
 */
function draftOrFail(input: unknown, metrics: PlanMetrics, deadline: RequestDeadline | undefined): PlanDraft {
  const draft = draftOf(planOrFail(input, metrics, deadline));
  deadline?.check();
  return draft;
}

function planOrFail(input: unknown, metrics: PlanMetrics, deadline: RequestDeadline | undefined): PlanResult {
  deadline?.check();
  const outcome = metrics.timePlanner(() => plan(input));
  if (!outcome.ok) {
    throw DomainError.validation(outcome.problems, 'The topology has problems; each is listed.');
  }
  return outcome.plan;
}

/** Revision numbers from query strings (REST) or numbers (GraphQL, chat), each bad one listed in one 400. */
function parseRevisionNumbers<K extends string>(values: Record<K, unknown>): Partial<Record<K, number>> {
  const problems: { path: string; message: string }[] = [];
  const parsed: Partial<Record<K, number>> = {};
  for (const path of Object.keys(values) as K[]) {
    const value = values[path];
    if (value === undefined || value === null) {
      continue;
    }
    const number =
      typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < 1) {
      problems.push({ path, message: 'must be a revision number: a whole number from 1' });
      continue;
    }
    parsed[path] = number;
  }
  if (problems.length > 0) {
    throw DomainError.validation(problems, 'The query has problems; each is listed.');
  }
  return parsed;
}

/** The revision with this number among a plan's revisions (newest first), or NOT_FOUND naming the range it has. */
function revisionOf(revisions: StoredPlan[], revision: number, id: string): StoredPlan {
  const found = revisions.find((r) => r.revision === revision);
  if (found === undefined) {
    throw DomainError.notFound(`Revision ${revision} of plan "${id}" (it has 1 to ${at(revisions, 0).revision})`);
  }
  return found;
}

function notFound(ref: string): never {
  throw DomainError.notFound(`Plan "${ref.slice(0, 64)}"`);
}
