import { Field, InputType } from '@nestjs/graphql';
import type { Platform, Severity } from '../../planner/types.js';
import type { PlanFilter } from '../../plans/plans.types.js';
import { PlatformEnum, SeverityEnum } from '../enums.js';
import { DateTimeScalar } from '../scalars.js';

// No pipe validates inputs: GraphQL has already checked each field against its type and enum.
@InputType('PlanFilterInput', { description: 'Which plans to list or count. All given conditions must hold.' })
export class PlanFilterInput {
  @Field(() => PlatformEnum, { nullable: true })
  platform?: Platform;

  @Field(() => String, { nullable: true, description: "Case-insensitive substring of the plan's name." })
  nameContains?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Plans first created strictly before this instant.' })
  createdBefore?: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Plans first created at or after this instant.' })
  createdAfter?: Date;

  @Field(() => SeverityEnum, {
    nullable: true,
    description: 'Only plans with at least one finding of this severity or worse (HIGH: high or critical).',
  })
  minSeverity?: Severity;
}

/** GraphQL's filter in the application layer's terms (`nameContains` is the service's `name`; null means unset). */
export function toPlanFilter(input: PlanFilterInput | null | undefined): PlanFilter {
  const { platform, nameContains, createdBefore, createdAfter, minSeverity } = input ?? {};
  const filter: PlanFilter = { platform, name: nameContains, createdBefore, createdAfter, minSeverity };
  for (const key of Object.keys(filter) as (keyof PlanFilter)[]) {
    if (filter[key] === undefined || filter[key] === null) {
      delete filter[key];
    }
  }
  return filter;
}
