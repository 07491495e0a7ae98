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
  return {
    ...given('platform', platform),
    ...given('name', nameContains),
    ...given('createdBefore', createdBefore),
    ...given('createdAfter', createdAfter),
    ...given('minSeverity', minSeverity),
  };
}

/** `{ [key]: value }`, or nothing when the field was left unset (absent, or null as GraphQL passes it). */
function given<K extends keyof PlanFilter>(key: K, value: PlanFilter[K] | null | undefined): Pick<PlanFilter, K> {
  return (value === undefined || value === null ? {} : { [key]: value }) as Pick<PlanFilter, K>;
}
