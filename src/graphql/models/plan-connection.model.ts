import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { Platform, Severity } from '../../planner/types.js';
import type { PlanSummary } from '../../plans/plans.types.js';
import { PlatformEnum, SeverityEnum } from '../enums.js';
import { DateTimeScalar } from '../scalars.js';
import { PlanModel } from './plan.model.js';

@ObjectType('PlanSummary', {
  description: 'What a table of plans shows, without loading the whole plan (free: it comes with the page).',
})
export class PlanSummaryModel implements PlanSummary {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  namespace!: string;

  @Field(() => PlatformEnum)
  platform!: Platform;

  @Field(() => Int, { description: 'The latest revision.' })
  revision!: number;

  @Field(() => DateTimeScalar, { description: 'When the plan was first created.' })
  createdAt!: string;

  @Field(() => DateTimeScalar, { description: 'When its latest revision was made.' })
  updatedAt!: string;

  @Field(() => Float, { description: 'Monthly cost of the latest revision.' })
  monthlyCost!: number;

  @Field(() => Int)
  componentCount!: number;

  @Field(() => SeverityEnum, {
    nullable: true,
    description: 'The most severe finding of the latest revision, or null when it has none.',
  })
  worstSeverity!: Severity | null;
}

/** What the `plans` resolver hands to PlanEdge: the summary; `node` is loaded in one batch per request. */
export type PlanEdgeSource = { cursor: string; summary: PlanSummary };

@ObjectType('PlanEdge')
export class PlanEdgeModel {
  @Field(() => String, { description: 'Pass as `after` to get the plans that follow this one.' })
  cursor!: string;

  @Field(() => PlanSummaryModel)
  summary!: PlanSummary;

  // `node` is declared by PlanEdgeResolver: it loads the latest revisions of a page in one query.
  node?: PlanModel;
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
