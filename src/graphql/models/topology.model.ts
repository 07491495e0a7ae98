import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { PricingOverride } from '../../planner/pricing.js';
import { NODE_PORT_RANGE } from '../../planner/rules.js';
import { PRESERVE_CLIENT_IP_DESCRIPTION } from '../../planner/topology/schema.js';
import type {
  AllowFrom,
  Component,
  EgressMode,
  Environment,
  Exposure,
  LoadBalancerProvider,
  Platform,
  PortExposure,
  PortSpec,
  Protocol,
  Role,
  Stage,
  Topology,
  Workload,
} from '../../planner/types.js';
import {
  ExposureEnum,
  LoadBalancerProviderEnum,
  PlatformEnum,
  PortExposureEnum,
  ProtocolEnum,
  RoleEnum,
  StageEnum,
  WorkloadEnum,
} from '../enums.js';
import { IntOrStringScalar, JsonObjectScalar } from '../scalars.js';

// Hand-written, unlike the plan's other types (plan.model.ts): the normalized topology has no zod
// output schema (the contract reuses the request body's), and the input schema does not say what
// the echo holds: the planner fills targetPort and labels after zod and leaves an empty allowFrom
// out, and the input's descriptions speak of what may be left out. `implements` makes each model
// list every field of the planner's type: a field added there and forgotten here fails to compile
// instead of silently missing from GraphQL.

@ObjectType('Port', { description: 'One port of a component.' })
export class PortModel implements PortSpec {
  @Field(() => String, {
    nullable: true,
    description:
      'DNS-1123 label of at most 15 characters (also a valid IANA service name); required when a component has several ports.',
  })
  name?: string;

  @Field(() => Int, { description: 'The Service port, 1-65535.' })
  port!: number;

  @Field(() => IntOrStringScalar, { description: 'A number, or the name of a container port. Defaults to `port`.' })
  targetPort!: number | string;

  @Field(() => ProtocolEnum)
  protocol!: Protocol;

  @Field(() => String, { nullable: true, description: 'The Kubernetes appProtocol (http, https, kubernetes.io/h2c…).' })
  appProtocol?: string;

  @Field(() => Int, {
    nullable: true,
    description: `Pinned node port (${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}). Left out, Kubernetes assigns one when the Service needs it.`,
  })
  nodePort?: number;

  @Field(() => PortExposureEnum, {
    nullable: true,
    description:
      "INHERIT: published with the component's exposure; INTERNAL: in-cluster only, on the ClusterIP Service <component>-internal. Always set in a plan's topology (the heuristic fills it when left out).",
  })
  exposure?: PortExposure;
}

@ObjectType('AllowFrom', { description: 'A caller outside the topology that the component admits.' })
export class AllowFromModel implements AllowFrom {
  @Field(() => String, { description: 'The namespace the callers run in.' })
  namespace!: string;

  @Field(() => JsonObjectScalar, { nullable: true, description: 'Only the pods with these labels; null: every pod.' })
  podLabels?: Record<string, string>;

  @Field(() => [IntOrStringScalar], {
    nullable: true,
    description: "The component's ports they may reach (names or Service port numbers); null: all of them.",
  })
  ports?: (string | number)[];
}

@ObjectType('Component', { description: 'One component of the application, defaults filled in.' })
export class ComponentModel implements Component {
  @Field(() => String, { description: 'DNS-1035 label, unique in the topology.' })
  name!: string;

  @Field(() => RoleEnum)
  role!: Role;

  @Field(() => WorkloadEnum)
  workload!: Workload;

  @Field(() => Int)
  replicas!: number;

  @Field(() => [PortModel], { description: 'No ports: no Service at all (a worker).' })
  ports!: PortSpec[];

  @Field(() => ExposureEnum)
  exposure!: Exposure;

  @Field(() => [String], { description: 'CIDRs allowed to reach a component that is not internal.' })
  allowedSources!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Set only for a dependency that lives outside the cluster: an ExternalName Service.',
  })
  externalName?: string;

  @Field(() => [String], { description: 'The components this one calls (drives NetworkPolicy).' })
  dependsOn!: string[];

  @Field(() => String, { nullable: true, description: 'HTTP routing hint: the host name.' })
  host?: string;

  @Field(() => String, { nullable: true, description: 'HTTP routing hint: the path prefix.' })
  path?: string;

  @Field(() => Boolean, { nullable: true, description: 'HTTP routing hint: serve over TLS.' })
  tls?: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'With tls: the certificate for host. aws: an ACM certificate ARN (NLB TLS listener, or the ALB certificate-arn); digitalocean: a certificate id.',
  })
  certificate?: string;

  @Field(() => Boolean, { description: PRESERVE_CLIENT_IP_DESCRIPTION })
  preserveClientIp!: boolean;

  @Field(() => [AllowFromModel], {
    nullable: true,
    description: 'Callers outside the topology its NetworkPolicy admits; null: none.',
  })
  allowFrom?: AllowFrom[];

  @Field(() => JsonObjectScalar, { description: 'The pod selector. Defaults to `{ app: <name> }`.' })
  labels!: Record<string, string>;
}

@ObjectType('SharedGateway', { description: 'An existing Gateway, by name and namespace.' })
export class SharedGatewayModel {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  namespace!: string;
}

@ObjectType('Environment', { description: 'Where the cluster runs.' })
export class EnvironmentModel implements Environment {
  @Field(() => PlatformEnum)
  platform!: Platform;

  @Field(() => String, { nullable: true, description: 'The cloud region, for pricing.' })
  region?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The IngressClass name (nginx, traefik, alb…). Null means the cluster has no controller.',
  })
  ingressController?: string;

  @Field(() => LoadBalancerProviderEnum, { nullable: true })
  loadBalancerProvider?: LoadBalancerProvider;

  @Field(() => String, {
    nullable: true,
    description: 'MetalLB IPAddressPool (or kube-vip range) to take addresses from.',
  })
  addressPool?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'ingress or gateway-api: the API for what goes through the shared L7 entry point (default per platform).',
  })
  routing?: 'ingress' | 'gateway-api';

  @Field(() => SharedGatewayModel, {
    nullable: true,
    description: 'An existing Gateway the routes attach to instead of one the plan creates.',
  })
  gateway?: { name: string; namespace: string };

  @Field(() => String, {
    nullable: true,
    description:
      "The GatewayClass of the plan's Gateway instead of the platform's default (gateway-api only); one the catalog does not know is used as named.",
  })
  gatewayClassName?: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Availability Zones the load balancers span (an AWS NLB or ALB holds a public IPv4 in each). Null: priced as 3, what EKS clusters usually span.',
  })
  zones?: number;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: the namespace belongs to the topology and default-deny-ingress selects every pod in it. Null: false, only the plan's own pods.",
  })
  ownsNamespace?: boolean;

  @Field(() => [String], {
    nullable: true,
    description: "The cluster's pod CIDRs, excepted from the NetworkPolicy ipBlocks that admit outside clients.",
  })
  podCidr?: string[];

  @Field(() => [String], {
    nullable: true,
    description:
      'The node (VPC) CIDRs, admitted instead of every private range where traffic comes from node or VPC addresses.',
  })
  nodeCidr?: string[];

  @Field(() => String, {
    nullable: true,
    description:
      "restrict: a default deny for egress, then per component only DNS, its dependsOn targets and its ExternalName targets' ports. Null: open, egress is not restricted.",
  })
  egress?: EgressMode;

  @Field(() => StageEnum)
  stage!: Stage;
}

@ObjectType('Topology', {
  description: 'The topology a plan was made from, after validation, every default filled in.',
})
export class TopologyModel implements Topology {
  @Field(() => String, { description: 'DNS-1123 label, at most 63 characters.' })
  name!: string;

  @Field(() => String)
  namespace!: string;

  @Field(() => EnvironmentModel)
  environment!: Environment;

  @Field(() => [ComponentModel])
  components!: Component[];

  @Field(() => JsonObjectScalar, {
    nullable: true,
    description: 'Prices used instead of the built-in table for this plan, as given in the input.',
  })
  pricing?: PricingOverride;
}
