import { registerEnumType } from '@nestjs/graphql';
import {
  COST_RESOURCES,
  ENTRY_POINTS,
  EXPOSURES,
  LOAD_BALANCER_PROVIDERS,
  LOAD_BALANCER_SCHEMES,
  PLATFORMS,
  PORT_EXPOSURES,
  PROTOCOLS,
  ROLES,
  SERVICE_TYPES,
  SEVERITIES,
  STAGES,
  WORKLOADS,
} from '../planner/types.js';
import { PLAN_DIMENSIONS } from '../plans/plans.types.js';
import { MAX_BUCKETS, TIME_BUCKETS } from '../plans/time-buckets.js';

/**
 * GraphQL enum values must be names (`[_A-Za-z][_0-9A-Za-z]*`), so `bare-metal` cannot be one.
 * Each GraphQL enum therefore maps a NAME_FORM value to the planner's own string, and resolvers keep
 * working with the planner's strings: `bare-metal` goes out as `BARE_METAL`, and `BARE_METAL` in an
 * argument arrives as `bare-metal`. The maps are made from the planner's own lists (planStats's
 * from the plans module's), so a value the planner gains is in the schema at once; the committed
 * schema.gql (schema-file.spec.ts) is what keeps a public name from moving if a planner string is
 * ever respelled. docs/graphql.md lists them.
 * Aggregates (PlanStats keys) are plain strings and keep the planner's spelling.
 */
export function graphqlEnumName(value: string): string {
  // Word breaks become underscores: bare-metal → BARE_METAL, ClusterIP → CLUSTER_IP, k3s → K3S.
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
}

/** Every GraphQL enum, as registered: the spec checks each. */
export const GRAPHQL_ENUMS: { name: string; list: readonly string[]; values: Record<string, string> }[] = [];

/**
 * The GraphQL enum `name` over one of the service's lists, registered with Nest (and listed in
 * GRAPHQL_ENUMS). `inRest: false` for a list that only GraphQL takes: no value is then said to have
 * a REST spelling.
 */
function graphqlEnum<Value extends string>(
  name: string,
  list: readonly Value[],
  description: string,
  { inRest = true }: { inRest?: boolean } = {},
): Record<string, Value> {
  const values = Object.fromEntries(list.map((value) => [graphqlEnumName(value), value]));
  registerEnumType(values, {
    name,
    description,
    // The service's spelling, for readers of the schema who know the REST API.
    ...(inRest
      ? {
          valuesMap: Object.fromEntries(
            list.map((value) => [graphqlEnumName(value), { description: `\`${value}\` in REST` }]),
          ),
        }
      : {}),
  });
  GRAPHQL_ENUMS.push({ name, list, values });
  return values;
}

export const ServiceTypeEnum = graphqlEnum('ServiceType', SERVICE_TYPES, 'The Kubernetes Service type (`spec.type`).');
export const PlatformEnum = graphqlEnum(
  'Platform',
  PLATFORMS,
  'Where the cluster runs. REST spells these in lower-case kebab form (`bare-metal`).',
);
export const SeverityEnum = graphqlEnum('Severity', SEVERITIES, 'How bad a finding is, CRITICAL first.');
export const ExposureEnum = graphqlEnum(
  'Exposure',
  EXPOSURES,
  'Who must reach a component: PUBLIC (the internet), PRIVATE (VPN, partners, other networks), NODE (a host outside the cluster on node IPs), INTERNAL (in-cluster only).',
);
export const RoleEnum = graphqlEnum('Role', ROLES, 'What a component does; data stores are never exposed.');
export const PortExposureEnum = graphqlEnum(
  'PortExposure',
  PORT_EXPOSURES,
  "Who a port of a component that is not internal is published to: INHERIT (the component's exposure) or INTERNAL (in-cluster only, on the ClusterIP Service <component>-internal).",
);
export const WorkloadEnum = graphqlEnum('Workload', WORKLOADS, 'The kind of controller that runs the pods.');
export const EntryPointEnum = graphqlEnum(
  'EntryPoint',
  ENTRY_POINTS,
  'How traffic from outside the cluster arrives; NONE means in-cluster only.',
);
export const ProtocolEnum = graphqlEnum('Protocol', PROTOCOLS, 'The transport protocol of a port.');
export const LoadBalancerProviderEnum = graphqlEnum(
  'LoadBalancerProvider',
  LOAD_BALANCER_PROVIDERS,
  'What hands out LoadBalancer addresses where no cloud does (bare metal, k3s).',
);
export const StageEnum = graphqlEnum('Stage', STAGES, 'The environment stage.');
export const LoadBalancerSchemeEnum = graphqlEnum(
  'LoadBalancerScheme',
  LOAD_BALANCER_SCHEMES,
  'Whether a load balancer is reachable from the internet or only from private networks.',
);
export const CostResourceEnum = graphqlEnum('CostResource', COST_RESOURCES, 'What a cost item pays for.');

// planStats's arguments: GraphQL only (REST has no trends).
export const TimeBucketEnum = graphqlEnum(
  'TimeBucket',
  TIME_BUCKETS,
  `The width of a planStats bucket, in UTC: an hour, a day, an ISO week (Monday to Sunday) or a calendar month. At most ${MAX_BUCKETS} buckets per answer.`,
  { inRest: false },
);
export const PlanDimensionEnum = graphqlEnum(
  'PlanDimension',
  PLAN_DIMENSIONS,
  'What planStats groups its buckets by: the owning team, the namespace, the stage or the platform.',
  { inRest: false },
);
