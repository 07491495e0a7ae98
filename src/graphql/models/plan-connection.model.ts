import { Field, Int, ObjectType } from '@nestjs/graphql';
import { planPageSchema } from '../../plans/plan-output.schema.js';
import type { PlanSummary, StoredPlan } from '../../plans/plans.types.js';
import { zodObjectType } from '../zod-object-type.js';

// Made from the output contract's zod schema, as the plan's types are (see plan.model.ts).
export const PlanSummaryModel = zodObjectType(planPageSchema.shape.items.element, {
  name: 'PlanSummary',
  description: 'What a table of plans shows, without loading the whole plan (free: it comes with the page).',
});

// The connection types are hand-written: Relay pagination is GraphQL's own (REST pages with
// `nextCursor`), so the contract has no schema for them.

/** What the `plans` resolver hands to PlanEdge: the summary; `node` is loaded in one batch per request. */
export type PlanEdgeSource = { cursor: string; summary: PlanSummary };

@ObjectType('PlanEdge')
export class PlanEdgeModel {
  @Field(() => String, { description: 'Pass as `after` to get the plans that follow this one.' })
  cursor!: string;

  @Field(() => PlanSummaryModel)
  summary!: PlanSummary;

  // `node` is declared by PlanEdgeResolver: it loads the latest revisions of a page in one query.
  node?: StoredPlan;
}

@ObjectType('PageInfo', { description: 'Relay cursor pagination: where this page sits.' })
export class PageInfoModel {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when `after` was given (forward pagination only).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first edge; null for an empty page.' })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The cursor of the last edge: pass it as `after` for the next page. Null for an empty page.',
  })
  endCursor!: string | null;
}

@ObjectType('PlanConnection', { description: 'A page of plans, newest first (the latest revision of each).' })
export class PlanConnectionModel {
  @Field(() => [PlanEdgeModel])
  edges!: PlanEdgeSource[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;

  @Field(() => Int, { description: 'How many plans match the filter, over all pages.' })
  totalCount!: number;
}
