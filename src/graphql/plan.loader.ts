import DataLoader from 'dataloader';
import { DomainError } from '../common/domain-error.js';
import type { RequestDeadline } from '../common/request-deadline.js';
import type { RateLimitOutcome } from '../rate-limit/rate-limiter.js';
import type { StoredPlan } from '../plans/plans.types.js';
import type { AnswerBudget } from './execution-guards.js';
import { MAX_PAGE_SIZE } from './query-limits.js';

/** What the loader needs from the application layer: the latest revisions of many plans in one query. */
export type PlanBatchSource = { findByIds(ids: string[]): Promise<StoredPlan[]> | StoredPlan[] };

/**
 * One per request (made in the GraphQL context), so its cache never outlives the request nor
 * leaks one caller's plans to another. Every `PlanEdge.node` of a page asks it in the same tick,
 * and DataLoader turns those asks into ONE findByIds call.
 */
export function createPlanLoader(source: PlanBatchSource): DataLoader<string, StoredPlan> {
  return new DataLoader<string, StoredPlan>(
    async (ids) => {
      const found = await source.findByIds([...ids]);
      const byId = new Map(found.map((plan) => [plan.id, plan]));
      // A plan deleted between the page and this load: that node fails alone, the rest still resolve.
      return ids.map((id) => byId.get(id) ?? DomainError.notFound(`Plan ${id}`));
    },
    { maxBatchSize: MAX_PAGE_SIZE },
  );
}

/** The per-request GraphQL context. `req` is added by Nest's Apollo driver. */
export type GraphqlContext = {
  req: unknown;
  planLoader: DataLoader<string, StoredPlan>;
  /** The request's deadline (src/common/request-deadline.ts): past it, no field resolves. */
  deadline: RequestDeadline;
  /** How much answer has been built: bounded by MAX_ANSWER_BYTES. */
  answer: AnswerBudget;
  /**
   * Takes `count` more requests from the caller's rate limit (the mutations of a request past its
   * first); absent when rate limiting is not configured.
   */
  takeRequests?: (count: number) => RateLimitOutcome;
};
