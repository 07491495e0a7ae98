import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type {
  Alternative,
  EntryPoint,
  GatewayRouting,
  IngressPlan,
  InternalService,
  LoadBalancerScheme,
  PortReference,
  Protocol,
  Recommendation,
  ServiceType,
} from '../../planner/types.js';
import { EntryPointEnum, LoadBalancerSchemeEnum, ProtocolEnum, ServiceTypeEnum } from '../enums.js';

@ObjectType('Alternative', { description: 'A design the planner rejected for a component, with what it would cost.' })
export class AlternativeModel implements Alternative {
  @Field(() => ServiceTypeEnum)
  serviceType!: ServiceType;

  @Field(() => EntryPointEnum)
  entryPoint!: EntryPoint;

  @Field(() => String, { description: 'Why it was not chosen, with what it would cost.' })
  reason!: string;

  @Field(() => Float, {
    description: "What this alternative would cost per month for this component, in the plan's currency.",
  })
  monthlyCost!: number;
}

@ObjectType('PortReference', { description: 'A port as the plan names it.' })
export class PortReferenceModel implements PortReference {
  @Field(() => String, { nullable: true, description: 'Absent for an unnamed port.' })
  name?: string;

  @Field(() => Int)
  port!: number;

  @Field(() => ProtocolEnum)
  protocol!: Protocol;
}

@ObjectType('InternalService', {
  description:
    'The ClusterIP Service <component>-internal that carries the ports a component that is not internal keeps in-cluster.',
})
export class InternalServiceModel implements InternalService {
  @Field(() => String)
  name!: string;

  @Field(() => [PortReferenceModel])
  ports!: PortReference[];
}

type KeyOfAny<T> = T extends unknown ? keyof T : never;
type FieldOfAny<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/**
 * Every variant of the planner's Recommendation (a union told apart by serviceType) in one flat
 * object type, as GraphQL serves it: the fields every variant has, as they are, and the others
 * (scheme) optional.
 */
type FlatRecommendation = { [K in keyof Recommendation]: Recommendation[K] } & {
  [K in Exclude<KeyOfAny<Recommendation>, keyof Recommendation>]?: FieldOfAny<Recommendation, K>;
};

@ObjectType('Recommendation', { description: 'The Service type chosen for one component, and why.' })
export class RecommendationModel implements FlatRecommendation {
  @Field(() => String, { description: 'The component name.' })
  component!: string;

  @Field(() => ServiceTypeEnum, {
    nullable: true,
    description: 'Null: the component has no ports, so no Service at all.',
  })
  serviceType!: ServiceType | null;

  @Field(() => Boolean, {
    description:
      'True: the component also (or only) gets a headless Service (clusterIP: None) for stable pod identity.',
  })
  headless!: boolean;

  @Field(() => EntryPointEnum)
  entryPoint!: EntryPoint;

  @Field(() => LoadBalancerSchemeEnum, { nullable: true, description: 'Set when serviceType is LOAD_BALANCER.' })
  scheme?: LoadBalancerScheme;

  @Field(() => [String], { description: 'The reasons, one sentence each.' })
  rationale!: string[];

  @Field(() => [AlternativeModel])
  alternatives!: Alternative[];

  @Field(() => InternalServiceModel, {
    nullable: true,
    description:
      'The ports kept in-cluster (exposure internal) and the ClusterIP Service that carries them; null when every port is published, and for components without a selector Service.',
  })
  internalService?: InternalService | null;
}

@ObjectType('IngressPlan', {
  description: 'The Ingress the plan routes public HTTP through, and whether the cluster already has its controller.',
})
export class IngressPlanModel implements IngressPlan {
  @Field(() => String, { description: 'The IngressClass name.' })
  className!: string;

  @Field(() => Boolean, { description: 'False: the plan assumes a controller that must be installed first.' })
  controllerPresent!: boolean;

  @Field(() => String, { nullable: true, description: 'What to install, when the controller is not present.' })
  install?: string;

  @Field(() => [String], { description: 'The components routed through it.' })
  components!: string[];
}

@ObjectType('GatewayRouteKind', { description: 'A Gateway API route kind the plan writes, and the CRDs it needs.' })
export class GatewayRouteKindModel {
  @Field(() => String, { description: 'HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute.' })
  kind!: string;

  @Field(() => String, {
    description: 'The Gateway API CRD channel that serves it at that apiVersion: standard or experimental.',
  })
  channel!: 'standard' | 'experimental';

  @Field(() => String)
  apiVersion!: string;
}

@ObjectType('GatewayPlan', {
  description: 'The Gateway public HTTP goes through when environment.routing is gateway-api.',
})
export class GatewayPlanModel implements GatewayRouting {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  namespace!: string;

  @Field(() => Boolean, {
    description: 'True: an existing Gateway (environment.gateway) the routes attach to.',
  })
  shared!: boolean;

  @Field(() => String, { description: 'The gatewayClassName proposed (assumed for a shared Gateway).' })
  className!: string;

  @Field(() => String, {
    nullable: true,
    description: 'What to install or enable for the class; null for a shared Gateway.',
  })
  install?: string;

  @Field(() => [String], { description: 'The components routed through it.' })
  components!: string[];

  @Field(() => [GatewayRouteKindModel])
  routeKinds!: GatewayRouteKindModel[];
}
