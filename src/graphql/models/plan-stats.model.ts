import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { KeyCount, PlanStats } from '../../plans/plans.types.js';

@ObjectType('KeyCount', {
  description:
    "A count per key. Keys are the REST API's strings (`ClusterIP`, `bare-metal`, `critical`, `EXP001`, `none`…).",
})
export class KeyCountModel implements KeyCount {
  @Field(() => String)
  key!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('PlanStats', { description: 'Aggregates over the latest revision of every plan the filter matches.' })
export class PlanStatsModel implements PlanStats {
  @Field(() => Int)
  totalPlans!: number;

  @Field(() => [KeyCountModel], {
    description: 'Recommendations by Service type (`none` for components without a Service).',
  })
  byServiceType!: KeyCount[];

  @Field(() => [KeyCountModel], { description: 'Plans by platform.' })
  byPlatform!: KeyCount[];

  @Field(() => [KeyCountModel], { description: 'Findings by severity.' })
  bySeverity!: KeyCount[];

  @Field(() => Float, { description: 'Sum of the monthly cost of the plans, in USD.' })
  monthlyCostTotal!: number;

  @Field(() => Float, { description: 'Average monthly cost per plan, in USD (0 when there are none).' })
  monthlyCostAverage!: number;

  @Field(() => [KeyCountModel], { description: 'Finding ids by how many plans have them, most first (at most 10).' })
  topFindings!: KeyCount[];
}
