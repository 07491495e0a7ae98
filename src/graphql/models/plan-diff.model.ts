import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { CostItem, EntryPoint, ServiceType, Severity } from '../../planner/types.js';
import type {
  CostDiff,
  CostItemChange,
  Exposure,
  FindingRef,
  FindingsDiff,
  JsonPatchOperation,
  ManifestDiff,
  ObjectChange,
  ObjectRef,
  PlanDiff,
  RecommendationChange,
} from '../../plans/plan-diff.js';
import { CostResourceEnum, EntryPointEnum, ServiceTypeEnum, SeverityEnum } from '../enums.js';
import { JsonScalar } from '../scalars.js';

// The GraphQL shape of src/plans/plan-diff.ts, field for field (`implements` makes tsc check it).

@ObjectType('ServiceExposure', { description: 'How a component is exposed: its Service type and entry point.' })
export class ExposureModel implements Exposure {
  @Field(() => ServiceTypeEnum, { nullable: true, description: 'Null: no Service.' })
  serviceType!: ServiceType | null;

  @Field(() => EntryPointEnum)
  entryPoint!: EntryPoint;
}

@ObjectType('RecommendationChange', { description: 'A component whose Service type or entry point changed.' })
export class RecommendationChangeModel implements RecommendationChange {
  @Field(() => String)
  component!: string;

  @Field(() => ExposureModel, { nullable: true, description: 'Null: the component is new.' })
  from!: Exposure | null;

  @Field(() => ExposureModel, { nullable: true, description: 'Null: the component was removed.' })
  to!: Exposure | null;
}

@ObjectType('ObjectRef', { description: 'Names a Kubernetes object.' })
export class ObjectRefModel implements ObjectRef {
  @Field(() => String)
  apiVersion!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => String, { nullable: true, description: 'Null for a cluster-scoped object.' })
  namespace!: string | null;

  @Field(() => String)
  name!: string;
}

@ObjectType('ObjectChange', { description: 'A Kubernetes object in both revisions, changed.' })
export class ObjectChangeModel extends ObjectRefModel implements ObjectChange {
  @Field(() => JsonScalar, {
    description: 'An RFC 6902 JSON Patch (an array of operations) that turns the old object into the new.',
  })
  patch!: JsonPatchOperation[];
}

@ObjectType('ManifestDiff', {
  description: 'Objects keyed by apiVersion/kind/namespace/name, ordered by kind, namespace, name.',
})
export class ManifestDiffModel implements ManifestDiff {
  @Field(() => [ObjectRefModel])
  added!: ObjectRef[];

  @Field(() => [ObjectRefModel])
  removed!: ObjectRef[];

  @Field(() => [ObjectChangeModel])
  changed!: ObjectChange[];
}

@ObjectType('CostItemChange', { description: 'A cost line that moved, summed by component and resource.' })
export class CostItemChangeModel implements CostItemChange {
  @Field(() => String, { nullable: true, description: 'Null for a shared resource.' })
  component!: string | null;

  @Field(() => CostResourceEnum)
  resource!: CostItem['resource'];

  @Field(() => Float, { nullable: true, description: 'Null: no such line before.' })
  from!: number | null;

  @Field(() => Float, { nullable: true, description: 'Null: no such line after.' })
  to!: number | null;

  @Field(() => Float)
  delta!: number;
}

@ObjectType('CostDiff', { description: 'How the monthly cost changed.' })
export class CostDiffModel implements CostDiff {
  @Field(() => String)
  currency!: 'USD';

  @Field(() => Float, { description: 'The monthly total of fromRevision.' })
  from!: number;

  @Field(() => Float, { description: 'The monthly total of toRevision.' })
  to!: number;

  @Field(() => Float, { description: 'to − from.' })
  delta!: number;

  @Field(() => [CostItemChangeModel])
  items!: CostItemChange[];
}

@ObjectType('FindingRef', { description: 'A finding, by rule id and component.' })
export class FindingRefModel implements FindingRef {
  @Field(() => String)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Null for a finding about the whole namespace.' })
  component!: string | null;

  @Field(() => SeverityEnum)
  severity!: Severity;

  @Field(() => String)
  title!: string;
}

@ObjectType('FindingsDiff', { description: 'Findings keyed by id and component.' })
export class FindingsDiffModel implements FindingsDiff {
  @Field(() => [FindingRefModel])
  added!: FindingRef[];

  @Field(() => [FindingRefModel])
  resolved!: FindingRef[];
}

@ObjectType('PlanDiff', { description: 'What changed between two revisions of a plan (GET /v1/plans/{id}/diff).' })
export class PlanDiffModel implements PlanDiff {
  @Field(() => ID)
  planId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  fromRevision!: number;

  @Field(() => Int)
  toRevision!: number;

  @Field(() => [RecommendationChangeModel], {
    description: 'Components whose Service type or entry point changed, added or removed, by name.',
  })
  recommendations!: RecommendationChange[];

  @Field(() => ManifestDiffModel)
  manifests!: ManifestDiff;

  @Field(() => CostDiffModel)
  cost!: CostDiff;

  @Field(() => FindingsDiffModel)
  findings!: FindingsDiff;
}
