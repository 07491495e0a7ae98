import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { Platform, Stage } from '../../planner/types.js';
import { planStatsSchema } from '../../plans/plan-output.schema.js';
import type { KeyCount, PlanDimension, PlanStatsOverTime, SeverityCounts } from '../../plans/plans.types.js';
import { PlatformEnum, StageEnum } from '../enums.js';
import { DateTimeScalar } from '../scalars.js';
import { zodObjectType } from '../zod-object-type.js';

// Made from the output contract's zod schema, as the plan's types are (see plan.model.ts).
export const KeyCountModel = zodObjectType(planStatsSchema.shape.topFindings.element, {
  name: 'KeyCount',
  description:
    "A count per key. Keys are the REST API's strings (`ClusterIP`, `bare-metal`, `critical`, `EXP001`, `none`…).",
});

@ObjectType('PlatformCount', { description: 'Plans on one platform.' })
export class PlatformCountModel {
  @Field(() => PlatformEnum)
  platform!: Platform;

  @Field(() => Int)
  count!: number;
}

@ObjectType('SeverityCounts', { description: 'Findings by severity, every severity present (0 when none).' })
export class SeverityCountsModel implements SeverityCounts {
  @Field(() => Int)
  critical!: number;

  @Field(() => Int)
  high!: number;

  @Field(() => Int)
  medium!: number;

  @Field(() => Int)
  low!: number;

  @Field(() => Int)
  info!: number;
}

/** A bucket as GraphQL answers it: the group's value in the field of its dimension, typed by its enum. */
export type PlanStatsBucketSource = {
  start: string;
  end: string;
  team: string | null;
  namespace: string | null;
  stage: Stage | null;
  platform: Platform | null;
  plans: number;
  monthlyCostTotal: number;
  findings: SeverityCounts;
};

@ObjectType('PlanStatsBucket', {
  description:
    'The plans first created in one time bucket (of one group, when grouped), with the figures of their latest revision. Only the field of the `groupBy` dimension is set.',
})
export class PlanStatsBucketModel implements PlanStatsBucketSource {
  @Field(() => DateTimeScalar, { description: "The bucket's first instant (UTC)." })
  start!: string;

  @Field(() => DateTimeScalar, { description: "The next bucket's first instant (exclusive)." })
  end!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The owning team, with groupBy: TEAM (null for plans without a team).',
  })
  team!: string | null;

  @Field(() => String, { nullable: true, description: 'The namespace, with groupBy: NAMESPACE.' })
  namespace!: string | null;

  @Field(() => StageEnum, { nullable: true, description: 'The stage, with groupBy: STAGE.' })
  stage!: Stage | null;

  @Field(() => PlatformEnum, { nullable: true, description: 'The platform, with groupBy: PLATFORM.' })
  platform!: Platform | null;

  @Field(() => Int, { description: 'Plans first created in the bucket.' })
  plans!: number;

  @Field(() => Float, { description: 'Sum of their monthly cost, in USD.' })
  monthlyCostTotal!: number;

  @Field(() => SeverityCountsModel, { description: "Their latest revisions' findings by severity." })
  findings!: SeverityCounts;
}

// Hand-written, unlike the types made from zod: GraphQL serves more than the REST stats (platforms
// typed by their enum, a deprecated byPlatform, time buckets with one field per groupBy dimension),
// which toPlanStatsModel computes.
@ObjectType('PlanStats', { description: 'Aggregates over the latest revision of every plan the filter matches.' })
export class PlanStatsModel implements Omit<PlanStatsOverTime, 'buckets'> {
  @Field(() => Int)
  totalPlans!: number;

  @Field(() => [KeyCountModel], {
    description: 'Recommendations by Service type (`none` for components without a Service).',
  })
  byServiceType!: KeyCount[];

  @Field(() => [KeyCountModel], {
    description: 'Plans by platform, keyed in the REST spelling (`bare-metal`).',
    deprecationReason:
      'Use `platforms`, whose `platform` is the Platform enum (`BARE_METAL`) like every other platform field of this API.',
  })
  byPlatform!: KeyCount[];

  @Field(() => [PlatformCountModel], { description: 'Plans by platform, most first.' })
  platforms!: PlatformCountModel[];

  @Field(() => [KeyCountModel], { description: 'Findings by severity.' })
  bySeverity!: KeyCount[];

  @Field(() => Float, { description: 'Sum of the monthly cost of the plans, in USD.' })
  monthlyCostTotal!: number;

  @Field(() => Float, { description: 'Average monthly cost per plan, in USD (0 when there are none).' })
  monthlyCostAverage!: number;

  @Field(() => [KeyCountModel], { description: 'Finding ids by how many plans have them, most first (at most 10).' })
  topFindings!: KeyCount[];

  @Field(() => [PlanStatsBucketModel], {
    nullable: true,
    description:
      'The plans per time bucket, oldest first, empty buckets included (zeros); null unless planStats was given `bucket`. Grouped: one row per bucket and value seen in the range.',
  })
  buckets!: PlanStatsBucketSource[] | null;
}

/** The service's answer in GraphQL's shape: platforms typed by their enum, each bucket's group in its dimension's field. */
export function toPlanStatsModel(stats: PlanStatsOverTime, groupBy: PlanDimension | undefined): PlanStatsModel {
  return {
    ...stats,
    platforms: stats.byPlatform.map(({ key, count }) => ({ platform: key as Platform, count })),
    buckets:
      stats.buckets?.map(({ group, ...bucket }) => ({
        ...bucket,
        team: groupBy === 'team' ? group : null,
        namespace: groupBy === 'namespace' ? group : null,
        stage: groupBy === 'stage' ? (group as Stage) : null,
        platform: groupBy === 'platform' ? (group as Platform) : null,
      })) ?? null,
  };
}
