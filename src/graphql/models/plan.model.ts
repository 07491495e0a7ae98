import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type {
  CostBreakdown,
  Finding,
  GatewayRouting,
  IngressPlan,
  KubeObject,
  NetworkPolicyCoverage,
  PlanResult,
  Recommendation,
  Topology,
  VerificationStep,
} from '../../planner/types.js';
import type { PlanPreview, StoredPlan } from '../../plans/plans.types.js';
import { MANIFESTS_COMPLEXITY } from '../query-limits.js';
import { DateTimeScalar, JsonScalar } from '../scalars.js';
import { CostModel } from './cost.model.js';
import { FindingModel, VerificationStepModel } from './finding.model.js';
import { NetworkPolicyCoverageModel } from './network-policy-coverage.model.js';
import { GatewayPlanModel, IngressPlanModel, RecommendationModel } from './recommendation.model.js';
import { TopologyModel } from './topology.model.js';

/** The fields a stored plan and a preview share: the planner's result and the plan's name. */
@ObjectType({ isAbstract: true })
export abstract class PlanContentModel implements PlanResult {
  @Field(() => String, { description: "The topology's name." })
  name!: string;

  @Field(() => String, { description: 'The planner version that made the plan; bumped whenever a plan would change.' })
  engineVersion!: string;

  @Field(() => TopologyModel, { description: 'The normalized input, defaults filled in.' })
  topology!: Topology;

  @Field(() => [RecommendationModel], { description: 'One per component, in input order.' })
  recommendations!: Recommendation[];

  @Field(() => IngressPlanModel, { nullable: true, description: 'Null when nothing is routed through an Ingress.' })
  ingress!: IngressPlan | null;

  @Field(() => GatewayPlanModel, {
    nullable: true,
    description: 'Null unless environment.routing is gateway-api and something is routed; then ingress is null.',
  })
  gateway!: GatewayRouting | null;

  @Field(() => JsonScalar, {
    description:
      'The Kubernetes objects to apply (v1 Service, networking.k8s.io/v1 Ingress and NetworkPolicy…), as a JSON array. `manifestsYaml` has the same objects as YAML.',
    complexity: MANIFESTS_COMPLEXITY,
  })
  manifests!: KubeObject[];

  @Field(() => NetworkPolicyCoverageModel, {
    nullable: true,
    description:
      'What the NetworkPolicies among the manifests cover: covered, partly covered, not covered, and whether egress is restricted. Null on revisions stored before it was reported.',
  })
  networkPolicyCoverage!: NetworkPolicyCoverage | null;

  @Field(() => CostModel)
  cost!: CostBreakdown;

  @Field(() => [FindingModel], { description: 'Security findings, most severe first.' })
  findings!: Finding[];

  @Field(() => [VerificationStepModel])
  verification!: VerificationStep[];
}

@ObjectType('Plan', { description: 'A stored plan: one revision of it. The same data as `GET /v1/plans/{id}`.' })
export class PlanModel extends PlanContentModel implements StoredPlan {
  @Field(() => ID, { description: 'The plan id (a UUID), shared by all its revisions.' })
  id!: string;

  @Field(() => Int, { description: '1 for the first plan, +1 for each revision.' })
  revision!: number;

  @Field(() => DateTimeScalar, { description: 'When this revision was made.' })
  createdAt!: string;
}

@ObjectType('PlanPreview', { description: 'A plan computed but not stored (previewPlan).' })
export class PlanPreviewModel extends PlanContentModel implements PlanPreview {}
