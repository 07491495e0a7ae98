import type { Platform, PlanResult, ServiceType, Severity } from '../planner/types.js';

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

export type { ServiceType };
