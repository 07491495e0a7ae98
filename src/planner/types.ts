/**
 * The planner's public contract: the topology it reads and the plan it returns.
 * Field names follow the original design of the input and output contracts and are the public API
 * of the REST, GraphQL and chat transports alike; add fields, never rename them.
 */
import type { PricingOverride } from './pricing.js';

export const PLATFORMS = [
  'aws',
  'gcp',
  'azure',
  'digitalocean',
  'other-cloud',
  'bare-metal',
  'kind',
  'minikube',
  'k3s',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Platforms whose cloud controller provisions a load balancer for a LoadBalancer Service. */
export const CLOUD_PLATFORMS = [
  'aws',
  'gcp',
  'azure',
  'digitalocean',
  'other-cloud',
] as const satisfies readonly Platform[];
export type CloudPlatform = (typeof CLOUD_PLATFORMS)[number];

export const STAGES = ['production', 'staging', 'development'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * What hands out addresses to LoadBalancer Services where no cloud does. `servicelb` is k3s's
 * bundled klipper-lb (on by default in k3s), which the original design does not list but k3s users have.
 */
export const LOAD_BALANCER_PROVIDERS = ['metallb', 'kube-vip', 'servicelb', 'none'] as const;
export type LoadBalancerProvider = (typeof LOAD_BALANCER_PROVIDERS)[number];

export const ROLES = ['frontend', 'api', 'database', 'cache', 'queue', 'worker', 'gateway', 'other'] as const;
export type Role = (typeof ROLES)[number];

export const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const EXPOSURES = ['public', 'private', 'node', 'internal'] as const;
export type Exposure = (typeof EXPOSURES)[number];

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * Who a port of a component that is not internal is published to (ports.ts):
 *   - inherit: the component's exposure (the internet, the VPN, the nodes) through its entry point;
 *   - internal: only pods in the cluster, on the ClusterIP Service `<component>-internal`.
 * Left out, a heuristic fills it (ports.ts): observability, admin and cluster ports are internal
 * beside a port that carries the component's traffic. On an internal component both mean in-cluster.
 */
export const PORT_EXPOSURES = ['inherit', 'internal'] as const;
export type PortExposure = (typeof PORT_EXPOSURES)[number];

export type PortSpec = {
  /** DNS-1123 label of at most 15 characters (also a valid IANA service name); required when a component has several ports. */
  name?: string;
  port: number;
  /** A number, or the name of a container port. Defaults to `port`. */
  targetPort: number | string;
  protocol: Protocol;
  appProtocol?: string;
  /** Pinned node port (30000-32767). Left out, Kubernetes assigns one when the Service needs it. */
  nodePort?: number;
  /** Published with the component, or kept in-cluster. Always set in a normalized topology; absent reads as inherit. */
  exposure?: PortExposure;
};

export type Component = {
  name: string;
  role: Role;
  workload: Workload;
  replicas: number;
  /** No ports: no Service at all (a worker). */
  ports: PortSpec[];
  exposure: Exposure;
  /** CIDRs allowed to reach a component that is not internal. */
  allowedSources: string[];
  /** Set only for a dependency that lives outside the cluster: an ExternalName Service. */
  externalName?: string;
  /** The components this one calls. */
  dependsOn: string[];
  host?: string;
  path?: string;
  tls?: boolean;
  /**
   * The certificate an L4 load balancer or the ALB serves for `host` (needs tls: true): on aws an
   * ACM certificate ARN, on digitalocean a DigitalOcean certificate id; refused elsewhere.
   */
  certificate?: string;
  preserveClientIp: boolean;
  /** Callers outside the topology, admitted by the component's NetworkPolicy. Absent (never empty): none. */
  allowFrom?: AllowFrom[];
  /** The pod selector. Defaults to `{ app: <name> }`. */
  labels: Record<string, string>;
};

/**
 * A caller outside the topology: the pods of a namespace (all, or those with podLabels), on some of
 * the component's ports (names or Service port numbers, validated against its ports) or all of them.
 */
export type AllowFrom = { namespace: string; podLabels?: Record<string, string>; ports?: (string | number)[] };

/**
 * What the plan's NetworkPolicies do with the pods' outgoing connections (environment.egress):
 *   - open: nothing; DNS and every outbound call keep working (the default, as before);
 *   - restrict: a default deny for egress, then per component only DNS, its dependsOn targets on
 *     their ports and its ExternalName targets' ports (network-policies.ts).
 */
export const EGRESS_MODES = ['open', 'restrict'] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

export type Environment = {
  platform: Platform;
  region?: string;
  /**
   * The IngressClass name. Absent or "none": the cluster has no controller. On k3s, where absent
   * means the bundled Traefik, an explicit "none" is kept so the normalized topology re-plans the same.
   */
  ingressController?: string;
  loadBalancerProvider?: LoadBalancerProvider;
  /** MetalLB IPAddressPool (or kube-vip range) to take addresses from. */
  addressPool?: string;
  /** Ingress or Gateway API for what goes through the shared L7 entry point; absent: the platform's default. */
  routing?: 'ingress' | 'gateway-api';
  /** An existing Gateway the routes attach to instead of one the plan creates (gateway-api only). */
  gateway?: { name: string; namespace: string };
  /** The GatewayClass to use instead of the platform's default (gateway-api only); one the catalog does not know is used as named. */
  gatewayClassName?: string;
  /**
   * Availability Zones the cluster's load balancers span: an internet-facing AWS NLB or ALB holds a
   * public IPv4 address in each. Absent (never filled in): priced as DEFAULT_ZONES (3, what EKS clusters usually span).
   */
  zones?: number;
  /**
   * true: the namespace belongs to this topology and `default-deny-ingress` selects every pod in it.
   * Absent (false): it selects only the pods of the topology's components (network-policies.ts).
   */
  ownsNamespace?: boolean;
  /** The cluster's pod CIDRs: excepted from the broad ipBlocks that admit outside clients. */
  podCidr?: string[];
  /** The node (VPC) CIDRs: admitted instead of every private range where traffic comes from node addresses. */
  nodeCidr?: string[];
  /** Absent (never filled in): "open", egress is not restricted. "restrict": egress policies per component. */
  egress?: EgressMode;
  stage: Stage;
};

/** A topology after validation, every default filled in. */
export type Topology = {
  name: string;
  namespace: string;
  environment: Environment;
  components: Component[];
  /** Prices to use instead of the built-in table for this plan; stored with it so a revision reproduces. */
  pricing?: PricingOverride;
};

/** One problem with the input: where (a JSON path such as `components[2].ports[0].nodePort`) and what. */
export type Problem = { path: string; message: string };

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const ENTRY_POINTS = ['ingress', 'load-balancer', 'node-port', 'none'] as const;
/** How traffic from outside the cluster arrives: none means in-cluster only. */
export type EntryPoint = (typeof ENTRY_POINTS)[number];

/** For a LoadBalancer: whether its address is reachable from the internet or only from private networks. */
export const LOAD_BALANCER_SCHEMES = ['internet-facing', 'internal'] as const;
export type LoadBalancerScheme = (typeof LOAD_BALANCER_SCHEMES)[number];

export type Alternative = {
  serviceType: ServiceType;
  entryPoint: EntryPoint;
  /** Why it was not chosen, with what it would cost. */
  reason: string;
  /** What this alternative would cost per month for this component, in the plan's currency. */
  monthlyCost: number;
};

type RecommendationBase = {
  component: string;
  rationale: string[];
  alternatives: Alternative[];
};

/**
 * `headless` true: besides its Service, the component gets the headless Service `<name>-headless`
 * (clusterIP: None), its StatefulSet's governing Service, for stable pod identity. Every
 * StatefulSet with ports and only those (rules.ts, getsHeadlessService): so only a component with
 * a selector Service may have one, never an ExternalName or a component without ports.
 */
type SelectorServiceRecommendation = RecommendationBase & {
  headless: boolean;
  /** The ports kept in-cluster (exposure internal) and the ClusterIP Service that carries them; null when there are none. */
  internalService: InternalService | null;
};

/** A port as the output names it: its name when it has one, number and protocol always. */
export type PortReference = { name?: string; port: number; protocol: Protocol };

/**
 * The second ClusterIP Service `<component>-internal` of a component that is not internal: it
 * carries the ports that are not published (metrics, admin, cluster ports), with the same selector.
 */
export type InternalService = { name: string; ports: PortReference[] };

/** No ports: no Service at all (a worker that only calls out). */
export type NoServiceRecommendation = RecommendationBase & { serviceType: null; headless: false; entryPoint: 'none' };

/** A dependency outside the cluster: a DNS alias, no pods, nothing to expose. */
export type ExternalNameRecommendation = RecommendationBase & {
  serviceType: 'ExternalName';
  headless: false;
  entryPoint: 'none';
};

/** In-cluster only, or behind the shared Ingress. */
export type ClusterIpRecommendation = SelectorServiceRecommendation & {
  serviceType: 'ClusterIP';
  entryPoint: 'none' | 'ingress';
};

export type NodePortRecommendation = SelectorServiceRecommendation & {
  serviceType: 'NodePort';
  entryPoint: 'node-port';
};

export type LoadBalancerRecommendation = SelectorServiceRecommendation & {
  serviceType: 'LoadBalancer';
  entryPoint: 'load-balancer';
  scheme: LoadBalancerScheme;
};

/**
 * What one component gets, told apart by `serviceType` so that only consistent combinations can be
 * written: a headless Service only beside a selector Service, a scheme only on a LoadBalancer, and
 * the entry point that the Service type gives. Serialized with the keys in the order component,
 * serviceType, headless, entryPoint, scheme (LoadBalancer only), rationale, alternatives,
 * internalService (selector Services only).
 */
export type Recommendation =
  | NoServiceRecommendation
  | ExternalNameRecommendation
  | ClusterIpRecommendation
  | NodePortRecommendation
  | LoadBalancerRecommendation;

/** A selector Service's type and the entry point it gives, with the scheme on a LoadBalancer only. */
export type ServiceChoice =
  | { serviceType: 'ClusterIP'; entryPoint: 'none' | 'ingress' }
  | { serviceType: 'NodePort'; entryPoint: 'node-port' }
  | { serviceType: 'LoadBalancer'; entryPoint: 'load-balancer'; scheme: LoadBalancerScheme };

/**
 * The Recommendation of a component with a selector Service, written out per Service type so that
 * each carries its own fields, keys in the documented order (see Recommendation): the one place the
 * planner and the test builders lay one out.
 */
export function selectorServiceRecommendation(
  component: string,
  choice: ServiceChoice,
  fields: {
    headless: boolean;
    rationale: string[];
    alternatives: Alternative[];
    internalService: InternalService | null;
  },
): ClusterIpRecommendation | NodePortRecommendation | LoadBalancerRecommendation {
  const { headless, rationale, alternatives, internalService } = fields;
  switch (choice.serviceType) {
    case 'ClusterIP':
      return {
        component,
        serviceType: 'ClusterIP',
        headless,
        entryPoint: choice.entryPoint,
        rationale,
        alternatives,
        internalService,
      };
    case 'NodePort':
      return {
        component,
        serviceType: 'NodePort',
        headless,
        entryPoint: 'node-port',
        rationale,
        alternatives,
        internalService,
      };
    case 'LoadBalancer':
      return {
        component,
        serviceType: 'LoadBalancer',
        headless,
        entryPoint: 'load-balancer',
        scheme: choice.scheme,
        rationale,
        alternatives,
        internalService,
      };
  }
}

/** The Ingress the plan routes public HTTP through, and whether the cluster already has its controller. */
export type IngressPlan = {
  className: string;
  /** false: the plan assumes a controller that must be installed first (see `install`). */
  controllerPresent: boolean;
  /** What to install, when the controller is not present. */
  install?: string;
  /** The components routed through it. */
  components: string[];
};

/** The Gateway public HTTP goes through when `environment.routing` is gateway-api. */
export type GatewayRouting = {
  name: string;
  namespace: string;
  /** true: an existing Gateway (environment.gateway) the plan only attaches routes to. */
  shared: boolean;
  /** The gatewayClassName proposed (for a shared Gateway: assumed, for its NetworkPolicy peers). */
  className: string;
  /** What to install or enable for the class, with its source; absent for a shared Gateway. */
  install?: string;
  components: string[];
  /** Each route kind used, the apiVersion written and the CRD channel it needs. */
  routeKinds: { kind: string; channel: 'standard' | 'experimental'; apiVersion: string }[];
};

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
};

/** What a cost item pays for. */
export const COST_RESOURCES = [
  'load-balancer',
  'capacity-units',
  'public-ipv4',
  'forwarding-rules',
  'ingress-controller',
] as const;
export type CostResource = (typeof COST_RESOURCES)[number];

export type CostItem = {
  /** The component the charge is for; absent for shared resources (the ingress controller's load balancer). */
  component?: string;
  resource: CostResource;
  description: string;
  monthly: number;
  /** How the figure was reached, in a sentence (rate × hours × quantity). */
  basis: string;
};

export type Saving = { description: string; monthly: number };

export type PricingSource = { source: string; asOf: string };

export type CostBreakdown = {
  currency: 'USD';
  monthlyTotal: number;
  items: CostItem[];
  savings: Saving[];
  pricing: PricingSource;
};

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Finding = {
  /** Stable id, documented in docs/findings.md (EXP001…). */
  id: string;
  severity: Severity;
  /** Absent for a finding about the whole namespace. */
  component?: string;
  title: string;
  detail: string;
  remediation: string;
};

export type VerificationStep = {
  component: string;
  command: string;
  expect: string;
  /**
   * True on isolation probes: the step proves its point only when the command gets NO answer (exits
   * non-zero), e.g. a test pod the NetworkPolicies must keep out. Absent: the command must succeed.
   */
  mustFail?: true;
  /**
   * What a script can check of the output, where exit status 0 is not enough (kubectl prints an
   * empty address, a False condition or a 404 and still exits 0): a POSIX extended regular
   * expression (as `grep -E` reads it) that at least one line of the command's output, stdout and
   * stderr, trimmed of surrounding whitespace, must match. On a mustFail step it is the output that
   * proves the probe ran and got no answer (a timeout), so any other failure proves nothing. Absent:
   * the exit status alone decides.
   */
  expectOutput?: string;
  /**
   * Where the step must run to prove its point, when that is not wherever the person or verify.sh
   * happens to be: "a host in 203.0.113.0/24" (allowedSources), "a host inside the private network"
   * (an internal load balancer), "a host inside the VPC". The same clause stays in `expect`. Run
   * anywhere else, a correct plan fails the step (the address does not answer there), so verify.sh
   * prints it as MANUAL with this location unless told it runs from there (VERIFY_RUN_FROM=1).
   * Absent: the step works from wherever kubectl reaches the cluster.
   */
  runFrom?: string;
};

/**
 * A component whose pods the NetworkPolicies select, but whose allow policy admits an ipBlock
 * broader than it looks: it also holds the cluster's pods, or it is every private range standing in
 * for node or VPC addresses the plan was not given.
 */
export type PartlyCoveredComponent = {
  component: string;
  /** The admitted blocks that are broader than they look, in policy order. */
  cidrs: string[];
  /** The inputs that would narrow them (environment.podCidr, environment.nodeCidr); empty when none can. */
  narrowWith: string[];
  /** Why, in sentences. */
  reason: string;
};

/** What the plan's NetworkPolicies cover, read from the rendered policies; components without pods (ExternalName) are not counted. */
export type NetworkPolicyCoverage = {
  /** Which pods the default deny selects: every pod of the namespace (environment.ownsNamespace) or the plan's own. */
  defaultDeny: 'namespace' | 'plan-pods';
  /** open: no egress policy (the default); restricted: environment.egress is restrict. */
  egress: 'open' | 'restricted';
  /** Components whose pods a policy selects for ingress and whose admitted blocks are what they look. */
  covered: string[];
  /** Selected, but admitting blocks broader than they look. */
  partlyCovered: PartlyCoveredComponent[];
  /** Components with pods that no policy selects for ingress (EXP013). */
  uncovered: string[];
  /** The counts and the egress mode, in one sentence. */
  summary: string;
};

export type PlanResult = {
  engineVersion: string;
  topology: Topology;
  recommendations: Recommendation[];
  /** null when nothing is routed through an Ingress. */
  ingress: IngressPlan | null;
  /** null unless `environment.routing` is gateway-api and something is routed; then `ingress` is null. */
  gateway: GatewayRouting | null;
  manifests: KubeObject[];
  /** What the NetworkPolicies among the manifests cover; null on revisions stored before it was reported. */
  networkPolicyCoverage: NetworkPolicyCoverage | null;
  cost: CostBreakdown;
  findings: Finding[];
  verification: VerificationStep[];
};

/** Errors are values: bad input gives every problem, never an exception. */
export type PlanOutcome = { ok: true; plan: PlanResult } | { ok: false; problems: Problem[] };
