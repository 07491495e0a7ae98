import { ArgsType, Field } from '@nestjs/graphql';
import type { Stage } from '../../planner/types.js';
import type { PlanDimension, StatsQuery } from '../../plans/plans.types.js';
import { MAX_BUCKETS, type TimeBucket } from '../../plans/time-buckets.js';
import { PlanDimensionEnum, StageEnum, TimeBucketEnum } from '../enums.js';
import { DateTimeScalar } from '../scalars.js';
import { PlanFilterInput, toPlanFilter } from './plan-filter.input.js';

// The arguments of planStats, one per field of the service's StatsQuery (the list's filter as its
// own input, as on `plans`). No pipe validates them: PlansService checks the query (list-query.ts).
@ArgsType()
export class PlanStatsArgs {
  @Field(() => PlanFilterInput, { nullable: true })
  filter?: PlanFilterInput | null;

  @Field(() => String, {
    nullable: true,
    description: "Only this team's plans (a team-bound key sees only its own team's anyway).",
  })
  team?: string | null;

  @Field(() => String, { nullable: true, description: 'Only plans in this namespace.' })
  namespace?: string | null;

  @Field(() => StageEnum, { nullable: true, description: 'Only plans of this stage.' })
  stage?: Stage | null;

  @Field(() => TimeBucketEnum, {
    nullable: true,
    description: `Answer \`buckets\` too, one per bucket of this width; needs \`from\` and \`to\`. At most ${MAX_BUCKETS} buckets.`,
  })
  bucket?: TimeBucket | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'The first instant of the range (rounded down to its bucket). Only with `bucket`.',
  })
  from?: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'The end of the range, exclusive (rounded up to a bucket boundary). Only with `bucket`.',
  })
  to?: Date | null;

  @Field(() => PlanDimensionEnum, {
    nullable: true,
    description: 'One series of buckets per value of this dimension. Only with `bucket`.',
  })
  groupBy?: PlanDimension | null;
}

/**
 * The service's query: the filter in its terms, the rest as given (the service reads null, GraphQL's
 * unset, as unset). Named one by one, in StatsQuery's order: problems are listed in the order of
 * the query's fields, not the order GraphQL hands the arguments in.
 */
export function toStatsQuery({ filter, team, namespace, stage, bucket, from, to, groupBy }: PlanStatsArgs): StatsQuery {
  return { ...toPlanFilter(filter), team, namespace, stage, bucket, from, to, groupBy } as StatsQuery;
}
