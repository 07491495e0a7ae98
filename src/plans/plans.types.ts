import type { Platform, PlanResult, ServiceType, Severity, Stage } from '../planner/types.js';
import type { BucketRange, TimeBucket } from './time-buckets.js';

/**
 * What the application layer (PlansService) hands to every transport. Storage details never
 * leak past it: the repository maps rows to these types.
 */

/** A stored plan: one revision of it, with the plan's identity. Matches the original design's output contract. */
export type StoredPlan = PlanResult & {
  id: string;
  name: string;
  revision: number;
  /** ISO 8601, when this revision was made. */
  createdAt: string;
};

/** A plan computed but not stored (`?dryRun=true`, GraphQL previewPlan, chat previews). */
export type PlanPreview = PlanResult & { name: string };

/** One line of the list: what a table of plans shows, without the whole plan. */
export type PlanSummary = {
  id: string;
  name: string;
  namespace: string;
  platform: Platform;
  revision: number;
  /** When the plan was first created. */
  createdAt: string;
  /** When its latest revision was made. */
  updatedAt: string;
  monthlyCost: number;
  componentCount: number;
  /** The most severe finding of the latest revision, or null when it has none. */
  worstSeverity: Severity | null;
};

export type PlanFilter = {
  platform?: Platform;
  /** Case-insensitive substring of the plan's name. */
  name?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Only plans with at least one finding of this severity or worse. */
  minSeverity?: Severity;
};

export type ListQuery = PlanFilter & {
  /** 1-100, default 20. */
  limit?: number;
  /** Opaque, from a previous page's nextCursor. */
  cursor?: string;
};

export type Page<T> = { items: T[]; nextCursor: string | null; totalCount: number };

export type KeyCount = { key: string; count: number };

export type PlanStats = {
  totalPlans: number;
  /** Recommendations of the latest revisions by Service type ("none" for components without a Service). */
  byServiceType: KeyCount[];
  byPlatform: KeyCount[];
  /** Findings of the latest revisions by severity. */
  bySeverity: KeyCount[];
  monthlyCostTotal: number;
  monthlyCostAverage: number;
  /** Finding ids by how many plans have them, most first (at most 10). */
  topFindings: KeyCount[];
};

/** What a dashboard filters and groups plans by. */
export const PLAN_DIMENSIONS = ['team', 'namespace', 'stage', 'platform'] as const;
export type PlanDimension = (typeof PLAN_DIMENSIONS)[number];

/** The list's filter plus the dimensions only the aggregates filter by (the list has no team, namespace or stage). */
export type StatsFilter = PlanFilter & {
  /** The owning team (a team-bound key sees only its own, so another team matches nothing). */
  team?: string;
  namespace?: string;
  /** The stage of the latest revision's environment. */
  stage?: Stage;
};

/** What planStats is asked: the filter, and optionally time buckets over [from, to), grouped by one dimension. */
export type StatsQuery = StatsFilter & { bucket?: TimeBucket; from?: Date; to?: Date; groupBy?: PlanDimension };

/** The buckets a trend is asked for: a range of whole buckets, optionally one series per value of a dimension. */
export type BucketSeries = BucketRange & { groupBy?: PlanDimension };

export type SeverityCounts = Record<Severity, number>;

/**
 * One bucket of a trend (of one group, when grouped): the plans first created in it, with the
 * figures of their latest revision.
 */
export type PlanStatsBucket = {
  /** ISO 8601, UTC: the bucket's first instant. */
  start: string;
  /** ISO 8601, UTC: the next bucket's first instant (exclusive). */
  end: string;
  /** The value of the grouped dimension (the planner's spelling); null when not grouped, or for plans without a team. */
  group: string | null;
  plans: number;
  /** Sum of the monthly cost of those plans, in USD, rounded to cents. */
  monthlyCostTotal: number;
  /** Findings of those plans by severity, every severity present. */
  findings: SeverityCounts;
};

/** PlanStats, with the buckets when they were asked for. */
export type PlanStatsOverTime = PlanStats & { buckets: PlanStatsBucket[] | null };

export type { ServiceType };
