import { Field, Float, ObjectType } from '@nestjs/graphql';
import type { CostBreakdown, CostItem, PricingSource, Saving } from '../../planner/types.js';
import { CostResourceEnum } from '../enums.js';

@ObjectType('CostItem', { description: 'One monthly charge of the chosen design.' })
export class CostItemModel implements CostItem {
  @Field(() => String, {
    nullable: true,
    description: "The component the charge is for; null for shared resources (the ingress controller's load balancer).",
  })
  component?: string;

  @Field(() => CostResourceEnum)
  resource!: CostItem['resource'];

  @Field(() => String)
  description!: string;

  @Field(() => Float, { description: "Per month, in the plan's currency." })
  monthly!: number;

  @Field(() => String, { description: 'How the figure was reached, in a sentence (rate × hours × quantity).' })
  basis!: string;
}

@ObjectType('Saving', { description: 'What the chosen design saves against a rejected one, per month.' })
export class SavingModel implements Saving {
  @Field(() => String)
  description!: string;

  @Field(() => Float)
  monthly!: number;
}

@ObjectType('PricingSource', { description: 'Where the prices come from and how old they are.' })
export class PricingSourceModel implements PricingSource {
  @Field(() => String)
  source!: string;

  @Field(() => String, { description: 'The date of the prices (ISO 8601 date).' })
  asOf!: string;
}

@ObjectType('Cost', { description: 'What the exposure costs each month.' })
export class CostModel implements CostBreakdown {
  @Field(() => String, { description: 'ISO 4217 currency code; always USD today.' })
  currency!: 'USD';

  @Field(() => Float)
  monthlyTotal!: number;

  @Field(() => [CostItemModel])
  items!: CostItem[];

  @Field(() => [SavingModel])
  savings!: Saving[];

  @Field(() => PricingSourceModel)
  pricing!: PricingSource;
}
