import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { at } from '../common/at.js';
import { PrismaService } from '../database/prisma.service.js';
import { translatingStorageErrors } from '../database/storage-errors.js';
import { Prisma } from '../generated/prisma/client.js';
import type { ClaimedKey, IdempotencyClaim } from '../idempotency/idempotency-key.js';
import { SEVERITIES, type Platform, type Topology } from '../planner/types.js';
import type { ListPosition } from './list-cursor.js';
import type { PlanAccess } from './plan-access.js';
import { storedPlanFromText, type PlanDraft, type RevisionKey, type RevisionText } from './plan-draft.js';
import type {
  BucketSeries,
  KeyCount,
  PlanDimension,
  PlanFilter,
  PlanStats,
  PlanStatsBucket,
  PlanSummary,
  SeverityCounts,
  StatsFilter,
  StoredPlan,
} from './plans.types.js';
import { severityOfRank, severityRank } from './severity-rank.js';

/** One slice of the list, in (createdAt desc, id desc) order, and the size of the whole filtered set. */
export type PlanSlice = { items: PlanSummary[]; totalCount: number };

/** `after` absent or undefined: from the newest plan. */
export type SliceRequest = {
  filter: PlanFilter;
  after?: ListPosition | undefined;
  take: number;
  access: PlanAccess;
};

/**
 * Where plans are kept. PlansService depends on this abstract class (also the Nest token), so its
 * unit tests run on a typed in-memory fake; PrismaPlansRepository is the real one.
 *
 * Every read and change takes a PlanAccess and applies it in the same query: a plan outside it
 * behaves exactly like a plan that does not exist. plans.repository.spec.ts holds the fake and the
 * real one to the same contract.
 */
export abstract class PlansRepository {
  /** Stores a new plan as revision 1, owned by `team`. */
  abstract insert(draft: PlanDraft, team: string | null): Promise<StoredPlan>;
  /**
   * Stores a new plan and claims the Idempotency-Key `claim` for it, in one statement: both or
   * neither. null, storing nothing, when the key is already claimed and not expired (a concurrent
   * claim of the same key waits for the first to commit, then gets null); an expired claim is taken over.
   */
  abstract insertClaimed(draft: PlanDraft, team: string | null, claim: IdempotencyClaim): Promise<StoredPlan | null>;
  /** The unexpired claim of an Idempotency-Key, if any. */
  abstract findClaim(scope: string, key: string): Promise<ClaimedKey | null>;
  /** Deletes up to `limit` expired Idempotency-Key claims; how many it deleted. */
  abstract purgeExpiredClaims(limit: number): Promise<number>;
  /** Revision 1 of a plan: what creating it answered. */
  abstract firstRevision(id: string, access: PlanAccess): Promise<StoredPlan | null>;
  /** Stores the next revision of a plan; null when there is no such plan (within `access`). */
  abstract appendRevision(id: string, draft: PlanDraft, access: PlanAccess): Promise<StoredPlan | null>;
  abstract latest(id: string, access: PlanAccess): Promise<StoredPlan | null>;
  /** The latest revision of the most recently created plan with exactly this name. */
  abstract latestByName(name: string, access: PlanAccess): Promise<StoredPlan | null>;
  /** The latest revisions of the plans that exist among `ids`, in one query, in no particular order. */
  abstract latestOfMany(ids: string[], access: PlanAccess): Promise<StoredPlan[]>;
  /** Every revision, newest first; an empty list when there is no such plan. */
  abstract revisions(id: string, access: PlanAccess): Promise<StoredPlan[]>;
  /** false when there was no such plan. */
  abstract delete(id: string, access: PlanAccess): Promise<boolean>;
  abstract slice(request: SliceRequest): Promise<PlanSlice>;
  abstract stats(filter: StatsFilter, access: PlanAccess): Promise<PlanStats>;
  /**
   * The plans of `filter` first created within the series' range, counted per bucket of their
   * `createdAt` (UTC) with the figures of their latest revision; one row per bucket, every bucket
   * present (zeros when empty), oldest first. Grouped: one row per bucket and value of the
   * dimension seen in the range (null for plans without a team, first), values in code-point order;
   * no plan in the range, no group, no row.
   */
  abstract statsOverTime(filter: StatsFilter, access: PlanAccess, series: BucketSeries): Promise<PlanStatsBucket[]>;
}

type RevisionRow = RevisionKey & RevisionText;

type PlanRow = {
  id: string;
  name: string;
  namespace: string;
  platform: string;
  currentRevision: number;
  createdAt: Date;
  updatedAt: Date;
  monthlyCost: number;
  componentCount: number;
  worstSeverityRank: number | null;
};

type BucketRow = {
  start: Date;
  end: Date;
  group: string | null;
  plans: number;
  monthlyCostTotal: number;
  findings: Partial<SeverityCounts>;
};

type StatsRow = {
  totalPlans: number;
  monthlyCostTotal: number;
  monthlyCostAverage: number;
  byServiceType: KeyCount[];
  byPlatform: KeyCount[];
  bySeverity: KeyCount[];
  topFindings: KeyCount[];
};

const SUMMARY_COLUMNS = Prisma.sql`p.id::text AS id, p.name, p.namespace, p.platform, p."currentRevision",
  p."createdAt", p."updatedAt", p."monthlyCost", p."componentCount", p."worstSeverityRank"`;

// The JSON as its stored text (json keeps it byte for byte): parsed once here, and answered as is
// (src/common/json-text.ts). Selecting the json columns for Prisma to parse, then serializing the
// objects again for the answer, made reading a 45 KB plan take 1.8x as long on embedded PGlite
// (bench/storage.bench.ts; on a server the CPU was within noise, so PGlite is what this is for).
const REVISION_COLUMNS = Prisma.sql`r."planId"::text AS "planId", r.revision, r.topology::text AS "topologyJson",
  r.result::text AS "resultJson", r."engineVersion", r."createdAt"`;

/**
 * The only place that knows plans live in the Plan and PlanRevision tables, and the Idempotency-Key
 * claims in IdempotencyKey: a claim is written by the statement that inserts its plan, so its reads
 * and its purge sit beside that statement.
 *
 * The storage style of every table (api-key.store.ts is the other repository): the Prisma client,
 * its model API where it can say the statement, and `$queryRaw` with `Prisma.sql` where it cannot.
 * Here it cannot: each operation is one SQL statement, so one transaction (a plan with its first
 * revision; a revision numbered under the plan's row lock; keyset pages; the aggregates in one
 * pass), which the model API would split into several. Driver errors become DomainErrors in
 * `guard`, where the SQL runs.
 */
@Injectable()
export class PrismaPlansRepository extends PlansRepository {
  private readonly logger = new Logger(PlansRepository.name);

  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {
    super();
  }

  async insert(draft: PlanDraft, team: string | null): Promise<StoredPlan> {
    // Without a claim to lose, the plan is always stored.
    return (await this.insertPlan(draft, team)) as StoredPlan;
  }

  insertClaimed(draft: PlanDraft, team: string | null, claim: IdempotencyClaim): Promise<StoredPlan | null> {
    return this.insertPlan(draft, team, claim);
  }

  findClaim(scope: string, key: string): Promise<ClaimedKey | null> {
    return this.guard(async () => {
      const [row] = await this.prisma.$queryRaw<ClaimedKey[]>(Prisma.sql`
        SELECT "requestHash", "planId"::text AS "planId" FROM "IdempotencyKey"
        WHERE scope = ${scope} AND key = ${key} AND "expiresAt" > now()`);
      return row ?? null;
    });
  }

  purgeExpiredClaims(limit: number): Promise<number> {
    // A bounded batch, so a purge never holds many row locks or runs long.
    return this.guard(async () => {
      const counted = await this.prisma.$queryRaw<{ count: number }[]>(Prisma.sql`
        WITH purged AS (
          DELETE FROM "IdempotencyKey" WHERE (scope, key) IN (
            SELECT scope, key FROM "IdempotencyKey" WHERE "expiresAt" <= now() LIMIT ${limit}::int)
          RETURNING 1
        )
        SELECT count(*)::int AS count FROM purged`);
      // An aggregate without GROUP BY: always one row.
      return at(counted, 0).count;
    });
  }

  async firstRevision(id: string, access: PlanAccess): Promise<StoredPlan | null> {
    return this.guard(async () => {
      const [row] = await this.prisma.$queryRaw<RevisionRow[]>(Prisma.sql`
        SELECT ${REVISION_COLUMNS} FROM "PlanRevision" r JOIN "Plan" p ON p.id = r."planId"
        WHERE r."planId" = ${id}::uuid AND r.revision = 1 AND ${accessSql(access)}`);
      return row ? fromRow(row) : null;
    });
  }

  /** A new plan and its first revision; with a claim, only if the claim is taken (else null, nothing stored). */
  private insertPlan(draft: PlanDraft, team: string | null, claim?: IdempotencyClaim): Promise<StoredPlan | null> {
    return this.guard(async () => {
      const id = randomUUID();
      // With a key, the claim comes first and the plan is inserted FROM it: no claim, no plan.
      // A concurrent claim of the same key blocks on the primary key until this statement commits,
      // then finds the key taken (its WHERE keeps only an expired row) and stores nothing.
      const claimed = claim
        ? Prisma.sql`claim AS (
            INSERT INTO "IdempotencyKey" (scope, key, "requestHash", "planId", "createdAt", "expiresAt")
            VALUES (${claim.scope}, ${claim.key}, ${claim.requestHash}, ${id}::uuid, now(),
                    now() + make_interval(hours => ${claim.ttlHours}::int))
            ON CONFLICT (scope, key) DO UPDATE SET "requestHash" = EXCLUDED."requestHash",
              "planId" = EXCLUDED."planId", "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
            WHERE "IdempotencyKey"."expiresAt" <= now()
            RETURNING "planId"
          ),`
        : Prisma.empty;
      // One statement, so one transaction: the plan never exists without its first revision (nor,
      // with a key, without its claim). The JSON goes in as text cast to json, the text the answer
      // is made of: handing Prisma the objects to serialize, and serializing them again for the
      // answer, made the statement 1.2x as long on PGlite and cost 1.15x the CPU on a server
      // (bench/storage.bench.ts).
      // It runs on the driver adapter (PrismaService.sqlOnAdapter), the one statement kind that does:
      // the client JSON-encodes the ~75 KB of JSON text quote by quote and its engine parses it back
      // before the adapter sees it. On the adapter a plan's insert takes 4.6 against 6.1 ms of CPU
      // (bench:storage, PGlite), and POST /v1/plans went from 148-176 to 217-227 requests/s on the
      // same machine (bench:http, docs/performance.md step 1).
      const rows = await this.prisma.sqlOnAdapter<{ createdAt: Date }>(Prisma.sql`
        WITH ${claimed} plan AS (
          INSERT INTO "Plan" (id, name, namespace, platform, "currentRevision", "monthlyCost", "componentCount", "worstSeverityRank", team)
          SELECT ${id}::uuid, ${draft.name}, ${draft.namespace}, ${draft.platform}, 1, ${draft.monthlyCost}::float8,
                  ${draft.componentCount}::int, ${draft.worstSeverityRank}::int, ${team}::text
          ${claim ? Prisma.sql`FROM claim` : Prisma.empty}
          RETURNING id, "createdAt"
        )
        INSERT INTO "PlanRevision" ("planId", revision, topology, result, "engineVersion", "createdAt")
        SELECT id, 1, ${draft.topologyJson}::json, ${draft.resultJson}::json, ${draft.engineVersion}, "createdAt"
        FROM plan
        RETURNING "createdAt"`);
      const [inserted] = rows;
      if (inserted === undefined) {
        return null;
      }
      return storedPlanFromText({ planId: id, revision: 1, createdAt: inserted.createdAt }, draft.name, draft);
    });
  }

  appendRevision(id: string, draft: PlanDraft, access: PlanAccess): Promise<StoredPlan | null> {
    return this.guard(async () => {
      // The UPDATE takes the plan's row lock and numbers the revision in the same statement as
      // the INSERT: concurrent revises queue on the lock, and each re-reads the number the one
      // before it committed, so every revision gets the next number, none twice, none lost. The
      // latest revision's figures ride along, so the list and the aggregates stay in step.
      // Another team's plan matches no row: not found, like an unknown id.
      // On the driver adapter, for the reason and the figure the insert gives.
      const rows = await this.prisma.sqlOnAdapter<{ revision: number; createdAt: Date }>(Prisma.sql`
        WITH bumped AS (
          UPDATE "Plan" AS p SET "currentRevision" = p."currentRevision" + 1,
            name = ${draft.name}, namespace = ${draft.namespace}, platform = ${draft.platform},
            "monthlyCost" = ${draft.monthlyCost}::float8, "componentCount" = ${draft.componentCount}::int,
            "worstSeverityRank" = ${draft.worstSeverityRank}::int, "updatedAt" = clock_timestamp()
          WHERE p.id = ${id}::uuid AND ${accessSql(access)}
          RETURNING p.id, p."currentRevision", p."updatedAt"
        )
        INSERT INTO "PlanRevision" ("planId", revision, topology, result, "engineVersion", "createdAt")
        SELECT id, "currentRevision", ${draft.topologyJson}::json, ${draft.resultJson}::json,
          ${draft.engineVersion}, "updatedAt"
        FROM bumped
        RETURNING revision, "createdAt"`);
      const [appended] = rows;
      if (appended === undefined) {
        return null;
      }
      return storedPlanFromText(
        { planId: id, revision: appended.revision, createdAt: appended.createdAt },
        draft.name,
        draft,
      );
    });
  }

  async latest(id: string, access: PlanAccess): Promise<StoredPlan | null> {
    const [row] = await this.latestWhere(Prisma.sql`p.id = ${id}::uuid AND ${accessSql(access)}`);
    return row ?? null;
  }

  async latestByName(name: string, access: PlanAccess): Promise<StoredPlan | null> {
    const [row] = await this.latestWhere(Prisma.sql`p.name = ${name} AND ${accessSql(access)}`, 1);
    return row ?? null;
  }

  latestOfMany(ids: string[], access: PlanAccess): Promise<StoredPlan[]> {
    return this.latestWhere(Prisma.sql`p.id = ANY(${ids}::uuid[]) AND ${accessSql(access)}`);
  }

  revisions(id: string, access: PlanAccess): Promise<StoredPlan[]> {
    return this.guard(async () => {
      const rows = await this.prisma.$queryRaw<RevisionRow[]>(Prisma.sql`
        SELECT ${REVISION_COLUMNS} FROM "PlanRevision" r JOIN "Plan" p ON p.id = r."planId"
        WHERE r."planId" = ${id}::uuid AND ${accessSql(access)} ORDER BY r.revision DESC`);
      return rows.map(fromRow);
    });
  }

  delete(id: string, access: PlanAccess): Promise<boolean> {
    // Revisions go with the plan (ON DELETE CASCADE), in the same statement.
    return this.guard(async () => {
      const deleted = await this.prisma.$queryRaw<{ id: string }[]>(Prisma.sql`
        DELETE FROM "Plan" p WHERE p.id = ${id}::uuid AND ${accessSql(access)} RETURNING p.id::text AS id`);
      return deleted.length > 0;
    });
  }

  slice({ filter, after, take, access }: SliceRequest): Promise<PlanSlice> {
    return this.guard(async () => {
      const where = Prisma.sql`${filterSql(filter)} AND ${accessSql(access)}`;
      // A row comparison, not an OR of two conditions, so PostgreSQL seeks the (createdAt, id)
      // index straight to the cursor instead of scanning the pages before it.
      const keyset = after
        ? Prisma.sql`AND (p."createdAt", p.id) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
        : Prisma.empty;
      const [rows, counted] = await Promise.all([
        this.prisma.$queryRaw<PlanRow[]>(Prisma.sql`
          SELECT ${SUMMARY_COLUMNS} FROM "Plan" p WHERE ${where} ${keyset}
          ORDER BY p."createdAt" DESC, p.id DESC LIMIT ${take}`),
        this.prisma.$queryRaw<{ count: number }[]>(
          Prisma.sql`SELECT count(*)::int AS count FROM "Plan" p WHERE ${where}`,
        ),
      ]);
      return { items: rows.map(toSummary), totalCount: at(counted, 0).count };
    });
  }

  stats(filter: StatsFilter, access: PlanAccess): Promise<PlanStats> {
    return this.guard(async () => {
      // One query over the latest revisions of the filtered plans: every tile is an aggregate of
      // the same set, so they agree with each other even while plans are being written.
      const statsRows = await this.prisma.$queryRaw<StatsRow[]>(Prisma.sql`
        WITH latest AS (
          SELECT p.id, p.platform, p."monthlyCost", r.result
          FROM "Plan" p JOIN "PlanRevision" r ON r."planId" = p.id AND r.revision = p."currentRevision"
          WHERE ${filterSql(filter)} AND ${dimensionSql(filter)} AND ${accessSql(access)}
        ),
        recommendations AS (
          SELECT coalesce(e->>'serviceType', 'none') AS key FROM latest, json_array_elements(latest.result->'recommendations') e
        ),
        findings AS (
          SELECT latest.id, e->>'id' AS finding, e->>'severity' AS severity
          FROM latest, json_array_elements(latest.result->'findings') e
        )
        SELECT
          (SELECT count(*)::int FROM latest) AS "totalPlans",
          (SELECT coalesce(round(sum("monthlyCost")::numeric, 2), 0)::float8 FROM latest) AS "monthlyCostTotal",
          (SELECT coalesce(round(avg("monthlyCost")::numeric, 2), 0)::float8 FROM latest) AS "monthlyCostAverage",
          (SELECT coalesce(json_agg(json_build_object('key', key, 'count', n) ORDER BY n DESC, key), '[]'::json)
             FROM (SELECT key, count(*)::int AS n FROM recommendations GROUP BY key) s) AS "byServiceType",
          (SELECT coalesce(json_agg(json_build_object('key', platform, 'count', n) ORDER BY n DESC, platform), '[]'::json)
             FROM (SELECT platform, count(*)::int AS n FROM latest GROUP BY platform) s) AS "byPlatform",
          (SELECT coalesce(json_agg(json_build_object('key', severity, 'count', n)), '[]'::json)
             FROM (SELECT severity, count(*)::int AS n FROM findings GROUP BY severity) s) AS "bySeverity",
          (SELECT coalesce(json_agg(json_build_object('key', finding, 'count', n) ORDER BY n DESC, finding), '[]'::json)
             FROM (SELECT finding, count(DISTINCT id)::int AS n FROM findings GROUP BY finding
                   ORDER BY n DESC, finding LIMIT 10) s) AS "topFindings"`);
      // Scalar subqueries without a FROM: always one row.
      const row = at(statsRows, 0);
      const counted = new Map(row.bySeverity.map((kc) => [kc.key, kc.count]));
      return {
        totalPlans: row.totalPlans,
        byServiceType: row.byServiceType,
        byPlatform: row.byPlatform,
        // Every severity, worst first, zeros included: a dashboard shows five tiles, not "some".
        bySeverity: SEVERITIES.map((key) => ({ key, count: counted.get(key) ?? 0 })),
        monthlyCostTotal: row.monthlyCostTotal,
        monthlyCostAverage: row.monthlyCostAverage,
        topFindings: row.topFindings,
      };
    });
  }

  statsOverTime(filter: StatsFilter, access: PlanAccess, series: BucketSeries): Promise<PlanStatsBucket[]> {
    return this.guard(async () => {
      // Buckets are truncated as UTC wall-clock timestamps (timestamp without time zone), so the
      // session's TimeZone changes nothing and a month is a calendar month. `generate_series`
      // makes the empty buckets, so a dashboard draws zeros rather than a line across a gap.
      const unit = series.bucket;
      const step = Prisma.sql`${`1 ${unit}`}::interval`;
      const start = Prisma.sql`(${series.start.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
      const end = Prisma.sql`(${series.end.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
      const group = series.groupBy ? GROUP_SQL[series.groupBy] : Prisma.sql`NULL::text`;
      // Ungrouped, there is one series even with no plan; grouped, one per value seen.
      const groups = series.groupBy
        ? Prisma.sql`SELECT DISTINCT grp FROM latest`
        : Prisma.sql`SELECT NULL::text AS grp`;
      const rows = await this.prisma.$queryRaw<BucketRow[]>(Prisma.sql`
        WITH latest AS (
          SELECT p."monthlyCost", r.result, ${group} AS grp,
            date_trunc(${unit}, p."createdAt" AT TIME ZONE 'UTC') AS bucket
          FROM "Plan" p JOIN "PlanRevision" r ON r."planId" = p.id AND r.revision = p."currentRevision"
          WHERE ${filterSql(filter)} AND ${dimensionSql(filter)} AND ${accessSql(access)}
            AND p."createdAt" >= ${series.start.toISOString()}::timestamptz
            AND p."createdAt" < ${series.end.toISOString()}::timestamptz
        ),
        series AS (SELECT b AS bucket FROM generate_series(${start}, ${end}, ${step}) b WHERE b < ${end}),
        groups AS (${groups}),
        per_plan AS (
          SELECT bucket, grp, count(*)::int AS plans, sum("monthlyCost") AS cost FROM latest GROUP BY bucket, grp
        ),
        per_severity AS (
          SELECT bucket, grp, json_object_agg(severity, n) AS findings
          FROM (SELECT l.bucket, l.grp, e->>'severity' AS severity, count(*)::int AS n
                FROM latest l, json_array_elements(l.result->'findings') e GROUP BY 1, 2, 3) s
          GROUP BY bucket, grp
        )
        SELECT s.bucket AT TIME ZONE 'UTC' AS start, (s.bucket + ${step}) AT TIME ZONE 'UTC' AS "end",
          g.grp AS "group", coalesce(pp.plans, 0) AS plans,
          coalesce(round(pp.cost::numeric, 2), 0)::float8 AS "monthlyCostTotal",
          coalesce(ps.findings, '{}'::json) AS findings
        FROM series s CROSS JOIN groups g
        LEFT JOIN per_plan pp ON pp.bucket = s.bucket AND pp.grp IS NOT DISTINCT FROM g.grp
        LEFT JOIN per_severity ps ON ps.bucket = s.bucket AND ps.grp IS NOT DISTINCT FROM g.grp
        ORDER BY s.bucket, g.grp COLLATE "C" NULLS FIRST`);
      return rows.map((row) => ({
        start: row.start.toISOString(),
        end: row.end.toISOString(),
        group: row.group,
        plans: row.plans,
        monthlyCostTotal: row.monthlyCostTotal,
        findings: everySeverity(row.findings),
      }));
    });
  }

  private latestWhere(condition: Prisma.Sql, limit?: number): Promise<StoredPlan[]> {
    return this.guard(async () => {
      const rows = await this.prisma.$queryRaw<RevisionRow[]>(Prisma.sql`
        SELECT ${REVISION_COLUMNS}
        FROM "Plan" p JOIN "PlanRevision" r ON r."planId" = p.id AND r.revision = p."currentRevision"
        WHERE ${condition}
        ORDER BY p."createdAt" DESC, p.id DESC ${limit ? Prisma.sql`LIMIT ${limit}` : Prisma.empty}`);
      return rows.map(fromRow);
    });
  }

  /** Driver errors become DomainErrors here, where the SQL runs (src/database/storage-errors.ts). */
  private guard<T>(work: () => Promise<T>): Promise<T> {
    return translatingStorageErrors(work, this.logger, PLAN_WORDING);
  }
}

const PLAN_WORDING = { conflict: 'A concurrent change to this plan won; retry the request.' };

function fromRow({ planId, revision, createdAt, ...text }: RevisionRow): StoredPlan {
  // Trusted: the JSON was written by insert/appendRevision from a draft. The topology (a few KB)
  // names the revision; the result is parsed only if something reads it.
  const topology = JSON.parse(text.topologyJson) as Topology;
  return storedPlanFromText({ planId, revision, createdAt }, topology.name, text, topology);
}

function toSummary(row: PlanRow): PlanSummary {
  return {
    id: row.id,
    name: row.name,
    namespace: row.namespace,
    platform: row.platform as Platform,
    revision: row.currentRevision,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    monthlyCost: row.monthlyCost,
    componentCount: row.componentCount,
    worstSeverity: row.worstSeverityRank === null ? null : severityOfRank(row.worstSeverityRank),
  };
}

function filterSql(filter: PlanFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filter.platform) {
    conditions.push(Prisma.sql`p.platform = ${filter.platform}`);
  }
  if (filter.name) {
    conditions.push(Prisma.sql`p.name ILIKE ${`%${escapeLike(filter.name)}%`}`);
  }
  if (filter.createdAfter) {
    conditions.push(Prisma.sql`p."createdAt" >= ${filter.createdAfter.toISOString()}::timestamptz`);
  }
  if (filter.createdBefore) {
    conditions.push(Prisma.sql`p."createdAt" < ${filter.createdBefore.toISOString()}::timestamptz`);
  }
  if (filter.minSeverity) {
    conditions.push(Prisma.sql`p."worstSeverityRank" >= ${severityRank(filter.minSeverity)}`);
  }
  return Prisma.join(conditions, ' AND ');
}

/** The aggregates' own filters, on the plan row `p` and its latest revision `r`. */
function dimensionSql(filter: StatsFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filter.team !== undefined) {
    conditions.push(Prisma.sql`p.team = ${filter.team}`);
  }
  if (filter.namespace !== undefined) {
    conditions.push(Prisma.sql`p.namespace = ${filter.namespace}`);
  }
  if (filter.stage !== undefined) {
    conditions.push(Prisma.sql`${GROUP_SQL.stage} = ${filter.stage}`);
  }
  return Prisma.join(conditions, ' AND ');
}

/** Each dimension's value for the plan row `p` and its latest revision `r`. */
const GROUP_SQL: Record<PlanDimension, Prisma.Sql> = {
  team: Prisma.sql`p.team`,
  namespace: Prisma.sql`p.namespace`,
  platform: Prisma.sql`p.platform`,
  // The stage is read from the latest revision's topology (defaults filled, so always present).
  stage: Prisma.sql`(r.topology->'environment'->>'stage')`,
};

/** Every severity, worst first, zeros included: a dashboard plots five series, not "some". */
export function everySeverity(counted: Partial<SeverityCounts>): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map((severity) => [severity, counted[severity] ?? 0])) as SeverityCounts;
}

/**
 * The plans `access` may see, as a condition on the plan row `p`. A team-bound caller's condition
 * uses the (team, createdAt, id) index; `all` adds nothing.
 */
function accessSql(access: PlanAccess): Prisma.Sql {
  if (access.all) {
    return Prisma.sql`TRUE`;
  }
  return access.team === null ? Prisma.sql`p.team IS NULL` : Prisma.sql`p.team = ${access.team}`;
}

// `%`, `_` and `\` in a searched name are literal characters, not LIKE wildcards.
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
