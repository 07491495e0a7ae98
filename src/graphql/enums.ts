import { registerEnumType } from '@nestjs/graphql';
import type {
  CostItem,
  EntryPoint,
  Exposure,
  LoadBalancerProvider,
  LoadBalancerScheme,
  Platform,
  PortExposure,
  Protocol,
  Role,
  ServiceType,
  Severity,
  Stage,
  Workload,
} from '../planner/types.js';

/**
 * GraphQL enum values must be names (`[_A-Za-z][_0-9A-Za-z]*`), so `bare-metal` cannot be one.
 * Each GraphQL enum therefore maps a NAME_FORM value to the planner's own string, and resolvers keep
 * working with the planner's strings: `bare-metal` goes out as `BARE_METAL`, and `BARE_METAL` in an
 * argument arrives as `bare-metal`. The maps are written out rather than derived so the public names
 * stay put even if a planner string is ever respelled. `satisfies` and `EnumMapsAreComplete` make the compiler
 * refuse a map that misses or misspells one of the planner's values. docs/graphql.md lists them.
 * Aggregates (PlanStats keys) are plain strings and keep the planner's spelling.
 */
export const ServiceTypeEnum = {
  CLUSTER_IP: 'ClusterIP',
  NODE_PORT: 'NodePort',
  LOAD_BALANCER: 'LoadBalancer',
  EXTERNAL_NAME: 'ExternalName',
} as const satisfies Record<string, ServiceType>;

export const PlatformEnum = {
  AWS: 'aws',
  GCP: 'gcp',
  AZURE: 'azure',
  DIGITALOCEAN: 'digitalocean',
  OTHER_CLOUD: 'other-cloud',
  BARE_METAL: 'bare-metal',
  KIND: 'kind',
  MINIKUBE: 'minikube',
  K3S: 'k3s',
} as const satisfies Record<string, Platform>;

export const ExposureEnum = {
  PUBLIC: 'public',
  PRIVATE: 'private',
  NODE: 'node',
  INTERNAL: 'internal',
} as const satisfies Record<string, Exposure>;

export const PortExposureEnum = {
  INHERIT: 'inherit',
  INTERNAL: 'internal',
} as const satisfies Record<string, PortExposure>;

export const SeverityEnum = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFO: 'info',
} as const satisfies Record<string, Severity>;

export const EntryPointEnum = {
  INGRESS: 'ingress',
  LOAD_BALANCER: 'load-balancer',
  NODE_PORT: 'node-port',
  NONE: 'none',
} as const satisfies Record<string, EntryPoint>;

export const RoleEnum = {
  FRONTEND: 'frontend',
  API: 'api',
  DATABASE: 'database',
  CACHE: 'cache',
  QUEUE: 'queue',
  WORKER: 'worker',
  GATEWAY: 'gateway',
  OTHER: 'other',
} as const satisfies Record<string, Role>;

export const WorkloadEnum = {
  DEPLOYMENT: 'Deployment',
  STATEFUL_SET: 'StatefulSet',
  DAEMON_SET: 'DaemonSet',
} as const satisfies Record<string, Workload>;

export const ProtocolEnum = {
  TCP: 'TCP',
  UDP: 'UDP',
  SCTP: 'SCTP',
} as const satisfies Record<string, Protocol>;

export const StageEnum = {
  PRODUCTION: 'production',
  STAGING: 'staging',
  DEVELOPMENT: 'development',
} as const satisfies Record<string, Stage>;

export const LoadBalancerProviderEnum = {
  METALLB: 'metallb',
  KUBE_VIP: 'kube-vip',
  SERVICELB: 'servicelb',
  NONE: 'none',
} as const satisfies Record<string, LoadBalancerProvider>;

export const LoadBalancerSchemeEnum = {
  INTERNET_FACING: 'internet-facing',
  INTERNAL: 'internal',
} as const satisfies Record<string, LoadBalancerScheme>;

export const CostResourceEnum = {
  LOAD_BALANCER: 'load-balancer',
  CAPACITY_UNITS: 'capacity-units',
  PUBLIC_IPV4: 'public-ipv4',
  FORWARDING_RULES: 'forwarding-rules',
  INGRESS_CONTROLLER: 'ingress-controller',
} as const satisfies Record<string, CostItem['resource']>;

// Compile-time completeness: each line fails when the planner gains a value the map lacks.
type MissingFrom<Map extends Record<string, string>, Union extends string> = Exclude<Union, Map[keyof Map]>;
type AssertNever<T extends never> = T;
export type EnumMapsAreComplete = [
  AssertNever<MissingFrom<typeof ServiceTypeEnum, ServiceType>>,
  AssertNever<MissingFrom<typeof PlatformEnum, Platform>>,
  AssertNever<MissingFrom<typeof ExposureEnum, Exposure>>,
  AssertNever<MissingFrom<typeof PortExposureEnum, PortExposure>>,
  AssertNever<MissingFrom<typeof SeverityEnum, Severity>>,
  AssertNever<MissingFrom<typeof EntryPointEnum, EntryPoint>>,
  AssertNever<MissingFrom<typeof RoleEnum, Role>>,
  AssertNever<MissingFrom<typeof WorkloadEnum, Workload>>,
  AssertNever<MissingFrom<typeof ProtocolEnum, Protocol>>,
  AssertNever<MissingFrom<typeof StageEnum, Stage>>,
  AssertNever<MissingFrom<typeof LoadBalancerProviderEnum, LoadBalancerProvider>>,
  AssertNever<MissingFrom<typeof LoadBalancerSchemeEnum, LoadBalancerScheme>>,
  AssertNever<MissingFrom<typeof CostResourceEnum, CostItem['resource']>>,
];

/** Every GraphQL enum with the planner's list it mirrors; the spec checks each against the planner at run time too. */
export const GRAPHQL_ENUMS = [
  { name: 'ServiceType', values: ServiceTypeEnum, description: 'The Kubernetes Service type (`spec.type`).' },
  {
    name: 'Platform',
    values: PlatformEnum,
    description: 'Where the cluster runs. REST spells these in lower-case kebab form (`bare-metal`).',
  },
  {
    name: 'Exposure',
    values: ExposureEnum,
    description:
      'Who must reach a component: PUBLIC (the internet), PRIVATE (VPN, partners, other networks), NODE (a host outside the cluster on node IPs), INTERNAL (in-cluster only).',
  },
  {
    name: 'PortExposure',
    values: PortExposureEnum,
    description:
      "Who a port of a component that is not internal is published to: INHERIT (the component's exposure) or INTERNAL (in-cluster only, on the ClusterIP Service <component>-internal).",
  },
  { name: 'Severity', values: SeverityEnum, description: 'How bad a finding is, CRITICAL first.' },
  {
    name: 'EntryPoint',
    values: EntryPointEnum,
    description: 'How traffic from outside the cluster arrives; NONE means in-cluster only.',
  },
  { name: 'Role', values: RoleEnum, description: 'What a component does; data stores are never exposed.' },
  { name: 'Workload', values: WorkloadEnum, description: 'The kind of controller that runs the pods.' },
  { name: 'Protocol', values: ProtocolEnum, description: 'The transport protocol of a port.' },
  { name: 'Stage', values: StageEnum, description: 'The environment stage.' },
  {
    name: 'LoadBalancerProvider',
    values: LoadBalancerProviderEnum,
    description: 'What hands out LoadBalancer addresses where no cloud does (bare metal, k3s).',
  },
  {
    name: 'LoadBalancerScheme',
    values: LoadBalancerSchemeEnum,
    description: 'Whether a load balancer is reachable from the internet or only from private networks.',
  },
  { name: 'CostResource', values: CostResourceEnum, description: 'What a cost item pays for.' },
] as const;

for (const { name, values, description } of GRAPHQL_ENUMS) {
  registerEnumType(values, {
    name,
    description,
    // The planner's spelling, for readers of the schema who know the REST API.
    valuesMap: Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, { description: `\`${value}\` in REST` }]),
    ),
  });
}
