import { Field, ObjectType } from '@nestjs/graphql';
import type { NetworkPolicyCoverage, PartlyCoveredComponent } from '../../planner/types.js';

@ObjectType('PartlyCoveredComponent', {
  description:
    'A component whose pods the NetworkPolicies select, but whose allow policy admits an ipBlock broader than it looks (it also holds the cluster pods, or it is every private range standing in for node addresses).',
})
export class PartlyCoveredComponentModel implements PartlyCoveredComponent {
  @Field(() => String)
  component!: string;

  @Field(() => [String], { description: 'The admitted blocks that are broader than they look, in policy order.' })
  cidrs!: string[];

  @Field(() => [String], {
    description: 'The inputs that would narrow them (environment.podCidr, environment.nodeCidr); empty when none can.',
  })
  narrowWith!: string[];

  @Field(() => String, { description: 'Why, in sentences.' })
  reason!: string;
}

@ObjectType('NetworkPolicyCoverage', {
  description:
    'What the NetworkPolicies among the manifests cover, per component with pods (ExternalName dependencies have none).',
})
export class NetworkPolicyCoverageModel implements NetworkPolicyCoverage {
  @Field(() => String, {
    description:
      "namespace: the default deny selects every pod of the namespace (environment.ownsNamespace); plan-pods: only the plan's own pods.",
  })
  defaultDeny!: 'namespace' | 'plan-pods';

  @Field(() => String, {
    description: 'open: no egress policy (the default); restricted: environment.egress is restrict.',
  })
  egress!: 'open' | 'restricted';

  @Field(() => [String], {
    description: 'Components a policy selects for ingress, admitting blocks that are what they look.',
  })
  covered!: string[];

  @Field(() => [PartlyCoveredComponentModel], {
    description: 'Selected, but admitting blocks broader than they look (finding EXP034).',
  })
  partlyCovered!: PartlyCoveredComponent[];

  @Field(() => [String], { description: 'Components with pods that no policy selects for ingress (finding EXP013).' })
  uncovered!: string[];

  @Field(() => String, { description: 'The counts and the egress mode, in one sentence.' })
  summary!: string;
}
