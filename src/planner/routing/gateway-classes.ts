import type { LoadBalancerUse } from '../cost.js';
import type { Platform } from '../types.js';

/**
 * Which Gateway API implementation the planner proposes on each platform, the known alternatives,
 * and what each one supports, costs and needs installed. Data only, plus the few pure readers over
 * it; every fact carries the public page it was read from and the day it was read, so the plan can
 * quote it and a reviewer can re-check it. The corpora behind the research are stored copies: the
 * date is the day the copy was read, the page's own date is quoted where it matters.
 */

/** The two routing APIs `environment.routing` chooses between. */
export const ROUTING_APIS = ['ingress', 'gateway-api'] as const;
export type RoutingApi = (typeof ROUTING_APIS)[number];

/** The day the facts below were read from their sources. */
export const GATEWAY_FACTS_READ = '2026-12-02';

/** A statement with where it comes from: what the plan may quote. */
export type Fact = { text: string; source: string; asOf: string };

function fact(text: string, source: string): Fact {
  return { text, source, asOf: GATEWAY_FACTS_READ };
}

// ---------------------------------------------------------------------------------------------
// Gateway API releases and channels
// ---------------------------------------------------------------------------------------------

/** The objects the planner renders, besides the Gateway itself. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

export const GATEWAY_API_KINDS = [...ROUTE_KINDS, 'BackendTLSPolicy', 'ReferenceGrant'] as const;
export type GatewayApiKind = (typeof GATEWAY_API_KINDS)[number];

/** A Gateway API release the planner knows of, as `vMAJOR.MINOR.PATCH`. */
export type GatewayApiVersion = `v${number}.${number}.${number}`;

/** The newest Gateway API release when the facts were read. */
export const CURRENT_GATEWAY_API: { version: GatewayApiVersion; released: string; source: string } = {
  version: 'v1.6.1',
  released: '2026-07-16',
  source: 'https://github.com/kubernetes-sigs/gateway-api/releases/tag/v1.6.1',
};

export type KindChannel = {
  /** The Gateway API release whose standard channel first served the kind at `standardApiVersion`. */
  standardSince: GatewayApiVersion;
  standardApiVersion: string;
  /** What a CRD bundle older than `standardSince` serves the kind as, in its experimental channel only. */
  experimentalApiVersion?: string;
  source: Fact;
};

/**
 * When each kind reached the standard channel (read from the CRDs of each tagged release,
 * config/crd/standard and config/crd/experimental, and the release changelogs). ReferenceGrant is
 * rendered as v1beta1: every bundle since v0.6.0 serves it and it is still the storage version in
 * v1.6.1, where v1 (added in v1.5.0) is served beside it.
 */
export const GATEWAY_API_CHANNELS: Record<'Gateway' | GatewayApiKind, KindChannel> = {
  Gateway: {
    standardSince: 'v1.0.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1',
    source: fact(
      'Gateway, HTTPRoute and GatewayClass are v1 in the standard channel since Gateway API v1.0.0 (2023-10-31)',
      'https://github.com/kubernetes-sigs/gateway-api/tree/v1.0.0/config/crd/standard',
    ),
  },
  HTTPRoute: {
    standardSince: 'v1.0.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1',
    source: fact(
      'HTTPRoute is v1 in the standard channel since Gateway API v1.0.0 (2023-10-31)',
      'https://github.com/kubernetes-sigs/gateway-api/tree/v1.0.0/config/crd/standard',
    ),
  },
  GRPCRoute: {
    standardSince: 'v1.1.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1',
    experimentalApiVersion: 'gateway.networking.k8s.io/v1alpha2',
    source: fact(
      'GRPCRoute is v1 in the standard channel since Gateway API v1.1.0 (2024-05-08)',
      'https://github.com/kubernetes-sigs/gateway-api/tree/v1.1.0/config/crd/standard',
    ),
  },
  TLSRoute: {
    standardSince: 'v1.5.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1',
    experimentalApiVersion: 'gateway.networking.k8s.io/v1alpha2',
    source: fact(
      'TLSRoute v1 graduated to the standard channel in Gateway API v1.5.0 (2026-02-27); v1alpha2 left the standard bundle',
      'https://github.com/kubernetes-sigs/gateway-api/blob/main/CHANGELOG/1.5-CHANGELOG.md',
    ),
  },
  TCPRoute: {
    standardSince: 'v1.6.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1',
    experimentalApiVersion: 'gateway.networking.k8s.io/v1alpha2',
    source: fact(
      'TCPRoute graduated to GA (v1, standard channel) in Gateway API v1.6.0 (2026-06-29); v1alpha2 is deprecated and served by the experimental channel only',
      'https://github.com/kubernetes-sigs/gateway-api/blob/main/CHANGELOG/1.6-CHANGELOG.md',
    ),
  },
  UDPRoute: {
    standardSince: 'v1.6.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1',
    experimentalApiVersion: 'gateway.networking.k8s.io/v1alpha2',
    source: fact(
      'UDPRoute graduated to GA (v1, standard channel) in Gateway API v1.6.0 (2026-06-29); v1alpha2 is deprecated and served by the experimental channel only',
      'https://github.com/kubernetes-sigs/gateway-api/blob/main/CHANGELOG/1.6-CHANGELOG.md',
    ),
  },
  BackendTLSPolicy: {
    standardSince: 'v1.4.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1',
    experimentalApiVersion: 'gateway.networking.k8s.io/v1alpha3',
    source: fact(
      'BackendTLSPolicy is v1 in the standard channel since Gateway API v1.4.0 (2025-10-06)',
      'https://github.com/kubernetes-sigs/gateway-api/tree/v1.4.0/config/crd/standard',
    ),
  },
  ReferenceGrant: {
    standardSince: 'v1.0.0',
    standardApiVersion: 'gateway.networking.k8s.io/v1beta1',
    source: fact(
      'ReferenceGrant v1beta1 is in every standard bundle and still its storage version in v1.6.1 (v1 is served beside it since v1.5.0)',
      'https://github.com/kubernetes-sigs/gateway-api/blob/v1.6.1/config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml',
    ),
  },
};

function versionParts(version: GatewayApiVersion): number[] {
  return version.slice(1).split('.').map(Number);
}

/** Whether release `a` is the same as or newer than release `b`. */
export function isAtLeast(a: GatewayApiVersion, b: GatewayApiVersion): boolean {
  const [left, right] = [versionParts(a), versionParts(b)];
  for (let index = 0; index < 3; index += 1) {
    // A release names all three parts; a missing one would count as 0.
    const [leftPart = 0, rightPart = 0] = [left[index], right[index]];
    if (leftPart !== rightPart) {
      return leftPart > rightPart;
    }
  }
  return true;
}

export type Channel = 'standard' | 'experimental';

/**
 * The channel whose CRDs a cluster needs for `kind` when its bundle is `bundle`, and the
 * apiVersion to write: an implementation built for an older bundle still reads the older version
 * (the AWS Load Balancer Controller, built for v1.5.0, watches TCPRoute v1alpha2).
 */
export function kindChannel(
  kind: 'Gateway' | GatewayApiKind,
  bundle: GatewayApiVersion,
): { channel: Channel; apiVersion: string } {
  const entry = GATEWAY_API_CHANNELS[kind];
  if (isAtLeast(bundle, entry.standardSince) || entry.experimentalApiVersion === undefined) {
    return { channel: 'standard', apiVersion: entry.standardApiVersion };
  }
  return { channel: 'experimental', apiVersion: entry.experimentalApiVersion };
}

// ---------------------------------------------------------------------------------------------
// Implementations
// ---------------------------------------------------------------------------------------------

/** GA: generally available from its vendor; preview: not covered by the vendor's SLA or full support. */
export type ReleaseStage = 'ga' | 'preview';

/**
 * Where the proxies that connect to the pods run, which is what a NetworkPolicy must admit:
 *   - outside-cluster: a cloud load balancer connects from its own addresses (`sourceRanges`,
 *     or unknown when planning: any address);
 *   - gateway-namespace: proxies the implementation deploys per Gateway, in the Gateway's
 *     namespace, labelled `gateway.networking.k8s.io/gateway-name: <gateway>` (GEP-1762);
 *   - envoy-gateway: Envoy Gateway's per-Gateway proxies in its controller namespace, labelled
 *     with the owning Gateway's name and namespace;
 *   - controller-pods: one shared proxy deployment (Traefik) in its own namespace;
 *   - node-proxy: a per-node Envoy (Cilium); its traffic carries Cilium's reserved `ingress`
 *     identity, which no Kubernetes NetworkPolicy peer can select.
 */
export type DataPlane =
  | { runs: 'outside-cluster'; sourceRanges: readonly string[] | 'unknown'; why: Fact }
  | { runs: 'gateway-namespace'; why: Fact }
  | { runs: 'envoy-gateway'; namespace: string; why: Fact }
  | { runs: 'controller-pods'; namespace: string; k3sNamespace?: string; podLabels: Record<string, string>; why: Fact }
  | { runs: 'node-proxy'; remediation: string; why: Fact };

/**
 * How a Gateway of the class is billed:
 *   - cloud-load-balancer: the platform's own load balancer of that layer, one per Gateway, priced
 *     from the platform's ProviderPricing like any other (AWS ALB or NLB, a GCP forwarding rule per
 *     listener port, a DigitalOcean load balancer);
 *   - data-plane-service: a LoadBalancer Service in front of in-cluster proxies, priced as an L4
 *     load balancer with one rule per listener port plus the status ports it also publishes;
 *   - metered: a product with its own meters (Application Gateway for Containers).
 */
export type GatewayPrice =
  | { model: 'cloud-load-balancer'; layer: 'L4' | 'L7'; rulePerListenerPort: boolean; basis: Fact }
  | { model: 'data-plane-service'; statusPorts: readonly number[]; basis: Fact }
  | { model: 'metered'; meters: readonly Meter[]; basis: Fact };

export type Meter = { name: string; hourly: number; quantity: number };

export type GatewayImplementation = {
  /** Stable key of the entry, e.g. `gke-l7-global-external-managed`. */
  id: string;
  product: string;
  /** spec.gatewayClassName to write. */
  className: string;
  controllerName: string;
  /** provided: the platform or the install creates the GatewayClass; create: the plan renders it. */
  gatewayClass: 'provided' | 'create';
  stage: ReleaseStage;
  stageSource: Fact;
  /** internet-facing or internal only, or either (the scheme is then set on the Gateway or its Service). */
  scheme: 'internet-facing' | 'internal' | 'either';
  /** The kinds it serves, and what it does not or only with a caveat. */
  supports: readonly GatewayApiKind[];
  /**
   * Present where the implementation's conformance report claims HTTPRouteParentRefPort (a
   * parentRef's `port`, Extended support): a route for a Gateway whose listener names the plan
   * does not know can still attach to the listeners of one port only (gateway-plan.ts).
   */
  parentRefPort?: Fact;
  limits: readonly Fact[];
  /** The Gateway API bundle it is built and tested for: decides apiVersions and channels (see kindChannel). */
  gatewayApiBundle: GatewayApiVersion;
  /** false: HTTP/HTTPS and TCP/UDP/TLS listeners need separate Gateways (AWS: ALB vs NLB). */
  mixesLayers: boolean;
  /** certificateRefs: the HTTPS listener names the Secret; provider: the cloud finds the certificate itself. */
  listenerCertificates: 'certificateRefs' | 'provider';
  /** Listener ports the Gateway must declare for HTTP and HTTPS (Traefik: its entryPoints, 8000 and 8443). */
  listenerPorts: { http: number; https: number };
  dataPlane: DataPlane;
  install: string;
  installSource: string;
  price: GatewayPrice;
};

/** Conformance reports are the implementations' own test runs against a Gateway API release. */
const CONFORMANCE = 'https://github.com/kubernetes-sigs/gateway-api/tree/main/conformance/reports';

const GOOGLE_FRONT_ENDS = ['130.211.0.0/22', '35.191.0.0/16'] as const;

const GKE_SOURCE = 'https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities';
const GKE_INSTALL =
  'nothing to install on Autopilot (Gateway API is on by default); on Standard run `gcloud container clusters update CLUSTER --gateway-api=standard`, which installs the standard-channel CRDs and the GKE GatewayClasses';
const GKE_INSTALL_SOURCE = 'https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways';

function gke(
  id: string,
  product: string,
  scheme: 'internet-facing' | 'internal',
  dataPlane: DataPlane,
  extraInstall = '',
): GatewayImplementation {
  return {
    id,
    product,
    className: id,
    controllerName: 'networking.gke.io/gateway',
    gatewayClass: 'provided',
    stage: 'ga',
    stageSource: fact(`${id}: release stage GA`, GKE_SOURCE),
    scheme,
    supports: ['HTTPRoute', 'BackendTLSPolicy', 'ReferenceGrant'],
    limits: [
      fact(
        'GKE Gateway reports the GATEWAY-HTTP conformance profile only (GKE 1.36.2, Gateway API v1.6.0, 2026-07-23): GRPCRoute, TLSRoute, TCPRoute and UDPRoute are not among what it claims, so the planner does not propose them on GKE; gRPC can go through an HTTPRoute to an HTTP/2 backend',
        `${CONFORMANCE}/v1.6/gke-gateway`,
      ),
      fact(
        'HTTPRouteBackendProtocolH2C is unsupported: a cleartext HTTP/2 (h2c) backend is not reachable',
        `${CONFORMANCE}/v1.6/gke-gateway`,
      ),
    ],
    gatewayApiBundle: 'v1.5.0',
    mixesLayers: true,
    listenerCertificates: 'certificateRefs',
    listenerPorts: { http: 80, https: 443 },
    dataPlane,
    install: `${GKE_INSTALL}${extraInstall}`,
    installSource: GKE_INSTALL_SOURCE,
    price: {
      model: 'cloud-load-balancer',
      layer: 'L7',
      rulePerListenerPort: true,
      basis: fact(
        'a GKE Gateway is a Google Cloud Application Load Balancer with one forwarding rule per listener port, billed like the forwarding rules of a GKE Ingress',
        'https://cloud.google.com/load-balancing/pricing',
      ),
    },
  };
}

const GKE_GLOBAL = gke(
  'gke-l7-global-external-managed',
  'GKE Gateway: global external Application Load Balancer',
  'internet-facing',
  {
    runs: 'outside-cluster',
    sourceRanges: GOOGLE_FRONT_ENDS,
    why: fact(
      'Google Front Ends (130.211.0.0/22, 35.191.0.0/16) connect to the pods (container-native load balancing) and run the health checks',
      'https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges',
    ),
  },
);

const PROXY_ONLY_SUBNET: DataPlane = {
  runs: 'outside-cluster',
  sourceRanges: 'unknown',
  why: fact(
    "regional Envoy-based load balancers connect from the region's proxy-only subnet, whose range the plan does not know",
    'https://cloud.google.com/load-balancing/docs/proxy-only-subnets',
  ),
};

const GKE_REGIONAL = gke(
  'gke-l7-regional-external-managed',
  'GKE Gateway: regional external Application Load Balancer',
  'internet-facing',
  PROXY_ONLY_SUBNET,
  '; regional classes also need a proxy-only subnet in the region',
);

const GKE_INTERNAL = gke(
  'gke-l7-rilb',
  'GKE Gateway: regional internal Application Load Balancer',
  'internal',
  PROXY_ONLY_SUBNET,
  '; regional classes also need a proxy-only subnet in the region',
);

const AWS_GATEWAY_DOC = 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/gateway/gateway/';
const AWS_GA = fact(
  'the AWS Load Balancer Controller Gateway API support is GA (v2.13.0 for L4, v2.14.0 for L7)',
  'https://github.com/aws/aws-application-networking-k8s/issues/885',
);
const AWS_NO_MIXING = fact(
  'one Gateway cannot mix L4 and L7 routes: TCPRoute/UDPRoute/TLSRoute go to an NLB Gateway, HTTPRoute/GRPCRoute to an ALB Gateway',
  AWS_GATEWAY_DOC,
);
const AWS_CERTIFICATES = fact(
  'TLS certificates cannot come from a listener certificateRefs: they come from ACM (LoadBalancerConfiguration, or discovery by the listener and route hostnames)',
  AWS_GATEWAY_DOC,
);
const AWS_VPC_TARGETS: DataPlane = {
  runs: 'outside-cluster',
  sourceRanges: 'unknown',
  why: fact(
    "the load balancer connects to the pods (ip targets) from its own addresses in the VPC's subnets, which are not known when planning; its security groups restrict the clients",
    AWS_GATEWAY_DOC,
  ),
};
const AWS_INSTALL =
  "install the AWS Load Balancer Controller v2.14 or later (Helm chart eks/aws-load-balancer-controller, with an IAM role for its service account), the Gateway API CRDs (standard channel v1.5.0, the bundle the controller is built for) and the controller's own gateway CRDs (config/crd/gateway/gateway-crds.yaml); the GatewayClass is the plan's to create";

const AWS_ALB: GatewayImplementation = {
  id: 'aws-alb',
  product: 'AWS Load Balancer Controller Gateway: Application Load Balancer',
  className: 'aws-alb-gateway-class',
  controllerName: 'gateway.k8s.aws/alb',
  gatewayClass: 'create',
  stage: 'ga',
  stageSource: AWS_GA,
  scheme: 'either',
  supports: ['HTTPRoute', 'GRPCRoute', 'ReferenceGrant'],
  parentRefPort: fact(
    'HTTPRouteParentRefPort is among the supported features of the AWS Load Balancer Controller conformance report against Gateway API v1.6',
    `${CONFORMANCE}/v1.6/aws-load-balancer-controller`,
  ),
  limits: [
    AWS_NO_MIXING,
    AWS_CERTIFICATES,
    fact(
      'BackendTLSPolicy is unsupported; core conformance is partial (12 core tests skipped, v3.5.0 against Gateway API v1.6.1, 2026-07-24)',
      `${CONFORMANCE}/v1.6/aws-load-balancer-controller`,
    ),
  ],
  gatewayApiBundle: 'v1.5.0',
  mixesLayers: false,
  listenerCertificates: 'provider',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: AWS_VPC_TARGETS,
  install: AWS_INSTALL,
  installSource: AWS_GATEWAY_DOC,
  price: {
    model: 'cloud-load-balancer',
    layer: 'L7',
    rulePerListenerPort: false,
    basis: fact(
      'each Gateway of the class is one Application Load Balancer',
      'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/gateway/l7gateway/',
    ),
  },
};

const AWS_NLB: GatewayImplementation = {
  ...AWS_ALB,
  id: 'aws-nlb',
  product: 'AWS Load Balancer Controller Gateway: Network Load Balancer',
  className: 'aws-nlb-gateway-class',
  controllerName: 'gateway.k8s.aws/nlb',
  supports: ['TCPRoute', 'UDPRoute', 'TLSRoute', 'ReferenceGrant'],
  limits: [
    AWS_NO_MIXING,
    AWS_CERTIFICATES,
    fact(
      'TCPRoute and UDPRoute need the experimental-channel CRDs of v1.5.0, the bundle the controller is built for (they are v1alpha2 there)',
      AWS_GATEWAY_DOC,
    ),
  ],
  install: `${AWS_INSTALL}, plus the experimental-channel CRDs (v1.5.0) for TCPRoute and UDPRoute`,
  price: {
    model: 'cloud-load-balancer',
    layer: 'L4',
    rulePerListenerPort: false,
    basis: fact('each Gateway of the class is one Network Load Balancer', AWS_GATEWAY_DOC),
  },
};

const AKS_APPROUTING_DOC = 'https://learn.microsoft.com/azure/aks/app-routing-gateway-api';
const AKS_MANAGED_CRDS = fact(
  'the add-on requires the AKS-managed Gateway API CRDs, standard channel only (experimental CRDs are refused), bundle v1.3.0 on Kubernetes 1.34 and later: no TCPRoute, UDPRoute or BackendTLSPolicy CRDs',
  'https://learn.microsoft.com/azure/aks/managed-gateway-api',
);

const AKS_APPROUTING_ISTIO: GatewayImplementation = {
  id: 'approuting-istio',
  product: 'AKS application routing add-on, Gateway API implementation (meshless Istio)',
  className: 'approuting-istio',
  controllerName: 'istio.io/gateway-controller',
  gatewayClass: 'provided',
  stage: 'ga',
  stageSource: fact(
    'the app routing Istio Gateway API implementation is generally available since AKS release v20260428 (2026-04-28); it is the migration path Microsoft recommends off the retiring NGINX add-on',
    'https://blog.aks.azure.com/2026/03/18/app-routing-gateway-api',
  ),
  scheme: 'either',
  supports: ['HTTPRoute', 'GRPCRoute', 'ReferenceGrant'],
  limits: [
    fact(
      'TLSRoute (SNI passthrough) is not supported until AKS ships Istio 1.30; egress is not managed; it cannot run beside the Istio service mesh add-on',
      AKS_APPROUTING_DOC,
    ),
    AKS_MANAGED_CRDS,
  ],
  gatewayApiBundle: 'v1.3.0',
  mixesLayers: true,
  listenerCertificates: 'certificateRefs',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: {
    runs: 'gateway-namespace',
    why: fact(
      'AKS creates an Envoy Deployment, a LoadBalancer Service, an HPA (2-5 replicas) and a PDB for each Gateway, in its namespace, named <gateway>-approuting-istio',
      AKS_APPROUTING_DOC,
    ),
  },
  install:
    'az aks update -g RESOURCE_GROUP -n CLUSTER --enable-gateway-api --enable-app-routing-istio (Azure CLI 2.86.0 or later); istiod runs in aks-istio-system',
  installSource: AKS_APPROUTING_DOC,
  price: dataPlaneService('The application routing add-on', AKS_APPROUTING_DOC, [15021]),
};

const AGC_PRICING = 'https://learn.microsoft.com/azure/application-gateway/for-containers/understanding-pricing';

const AKS_AGC: GatewayImplementation = {
  id: 'azure-alb-external',
  product: 'Azure Application Gateway for Containers',
  className: 'azure-alb-external',
  controllerName: 'alb.networking.azure.io/alb-controller',
  gatewayClass: 'provided',
  stage: 'ga',
  stageSource: fact(
    'Application Gateway for Containers is GA when its ALB Controller is installed with Helm; the AKS add-on (--enable-application-load-balancer) still needs the ApplicationLoadBalancerPreview feature flag (page dated 2026-08-18)',
    'https://learn.microsoft.com/azure/application-gateway/for-containers/quickstart-deploy-application-gateway-for-containers-alb-controller-addon',
  ),
  scheme: 'internet-facing',
  supports: ['HTTPRoute', 'GRPCRoute', 'ReferenceGrant'],
  limits: [
    fact(
      'listeners are HTTP and HTTPS on ports 80 and 443 only; backend TLS uses its own BackendTLSPolicy (alb.networking.azure.io/v1), not the Gateway API one',
      'https://learn.microsoft.com/azure/application-gateway/for-containers/overview',
    ),
    fact(
      'a Gateway names its Application Gateway for Containers: annotations alb.networking.azure.io/alb-namespace and alb-name (managed by the ALB Controller) or alb-id plus a frontend address (bring your own)',
      'https://learn.microsoft.com/azure/application-gateway/for-containers/how-to-ssl-offloading-gateway-api',
    ),
    AKS_MANAGED_CRDS,
  ],
  gatewayApiBundle: 'v1.3.0',
  mixesLayers: true,
  listenerCertificates: 'certificateRefs',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: {
    runs: 'outside-cluster',
    sourceRanges: 'unknown',
    why: fact(
      "the load balancer connects to the pods from its delegated subnet in the cluster's virtual network, whose range the plan does not know",
      'https://learn.microsoft.com/azure/application-gateway/for-containers/container-networking',
    ),
  },
  install:
    'az aks update -g RESOURCE_GROUP -n CLUSTER --enable-gateway-api --enable-application-load-balancer (Azure CNI or CNI Overlay and workload identity required), or the alb-controller Helm chart; then an ApplicationLoadBalancer resource, or a bring-your-own Application Gateway for Containers with a frontend',
  installSource:
    'https://learn.microsoft.com/azure/application-gateway/for-containers/quickstart-deploy-application-gateway-for-containers-alb-controller-addon',
  price: {
    model: 'metered',
    meters: [
      { name: 'Application Gateway for Containers', hourly: 0.017, quantity: 1 },
      { name: 'frontend', hourly: 0.01, quantity: 1 },
      { name: 'association', hourly: 0.12, quantity: 1 },
      { name: 'capacity unit (1 assumed for a small service)', hourly: 0.008, quantity: 1 },
    ],
    basis: fact(
      '$0.017 per gateway-hour, $0.01 per frontend-hour, $0.12 per association-hour, $0.008 per capacity unit-hour (East US 2 example prices, page dated 2025-07-21); WAF extra',
      AGC_PRICING,
    ),
  },
};

const DOKS_DOC = 'https://docs.digitalocean.com/products/kubernetes/how-to/use-gateway-api/';

const CILIUM_NODE_PROXY: DataPlane = {
  runs: 'node-proxy',
  remediation:
    'a CiliumNetworkPolicy on the backends with `ingress: [{ fromEntities: [ingress] }]` on the routed port: Kubernetes NetworkPolicy cannot select the reserved ingress identity',
  why: fact(
    "Cilium's Gateway is a per-node Envoy; backends see its traffic as coming from the reserved ingress identity",
    'https://docs.cilium.io/en/latest/network/servicemesh/ingress-and-network-policy/',
  ),
};

const DOKS_CILIUM: GatewayImplementation = {
  id: 'doks-cilium',
  product: 'DigitalOcean Kubernetes managed Gateway API (Cilium)',
  className: 'cilium',
  controllerName: 'io.cilium/gateway-controller',
  gatewayClass: 'provided',
  stage: 'ga',
  stageSource: fact(
    'DOKS provides a managed Gateway API implementation using Cilium, on by default on VPC-native clusters running Kubernetes 1.33 or later (validated 2026-02-09); the class is Cilium\'s default "cilium"',
    DOKS_DOC,
  ),
  scheme: 'either',
  supports: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'ReferenceGrant'],
  limits: [
    fact(
      'DOKS installs and manages the CRDs for Gateway, GatewayClass, HTTPRoute, TLSRoute, GRPCRoute and ReferenceGrant only: no TCPRoute, UDPRoute or BackendTLSPolicy',
      DOKS_DOC,
    ),
  ],
  gatewayApiBundle: 'v1.5.0',
  mixesLayers: true,
  listenerCertificates: 'certificateRefs',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: CILIUM_NODE_PROXY,
  install: 'nothing: on by default on VPC-native DOKS clusters running Kubernetes 1.33 or later',
  installSource: DOKS_DOC,
  price: {
    model: 'cloud-load-balancer',
    layer: 'L4',
    rulePerListenerPort: false,
    basis: fact(
      'each Gateway gets a DigitalOcean Network Load Balancer (an HTTP or internal load balancer on request); priced here as the DigitalOcean load balancer of the pricing table',
      DOKS_DOC,
    ),
  },
};

/** A LoadBalancer Service in front of in-cluster proxies: what it costs is whatever such a Service costs there. */
function dataPlaneService(product: string, source: string, statusPorts: readonly number[] = []): GatewayPrice {
  return {
    model: 'data-plane-service',
    statusPorts,
    basis: fact(
      `${product} has no fee of its own; its proxies sit behind one LoadBalancer Service per Gateway, priced as any LoadBalancer Service on the platform with a rule per listener port and per status port (on AKS, the cluster's Standard Load Balancer; nothing on MetalLB, kube-vip or ServiceLB)`,
      source,
    ),
  };
}

const ENVOY_GATEWAY_DOC = 'https://gateway.envoyproxy.io/docs/tasks/quickstart/';

const ENVOY_GATEWAY: GatewayImplementation = {
  id: 'envoy-gateway',
  product: 'Envoy Gateway',
  className: 'eg',
  controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
  gatewayClass: 'create',
  stage: 'ga',
  stageSource: fact(
    'Envoy Gateway v1.9.0 passes the GATEWAY-HTTP, GATEWAY-GRPC and GATEWAY-TLS profiles against Gateway API v1.6.1 (2026-08-18), BackendTLSPolicy included',
    `${CONFORMANCE}/v1.6/envoy-gateway`,
  ),
  scheme: 'either',
  supports: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'BackendTLSPolicy', 'ReferenceGrant'],
  parentRefPort: fact(
    'HTTPRouteParentRefPort is among the supported features of Envoy Gateway v1.9.0 against Gateway API v1.6',
    `${CONFORMANCE}/v1.6/envoy-gateway`,
  ),
  limits: [
    fact(
      'TCPRoute and UDPRoute are served but not covered by a conformance profile Envoy Gateway reports',
      'https://gateway.envoyproxy.io/docs/tasks/traffic/tcp-routing/',
    ),
  ],
  gatewayApiBundle: 'v1.6.1',
  mixesLayers: true,
  listenerCertificates: 'certificateRefs',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: {
    runs: 'envoy-gateway',
    namespace: 'envoy-gateway-system',
    why: fact(
      'in the default (controller namespace) mode the Envoy proxies of every Gateway run in envoy-gateway-system, labelled gateway.envoyproxy.io/owning-gateway-name and owning-gateway-namespace',
      'https://gateway.envoyproxy.io/docs/tasks/operations/gateway-namespace-mode/',
    ),
  },
  install:
    'helm install eg oci://docker.io/envoyproxy/gateway-helm -n envoy-gateway-system --create-namespace (it brings the Gateway API CRDs, experimental channel included), then a GatewayClass "eg" with controllerName gateway.envoyproxy.io/gatewayclass-controller',
  installSource: ENVOY_GATEWAY_DOC,
  price: dataPlaneService('Envoy Gateway', ENVOY_GATEWAY_DOC),
};

const TRAEFIK_DOC =
  'https://doc.traefik.io/traefik/reference/install-configuration/providers/kubernetes/kubernetes-gateway/';

function traefik(k3s: boolean): GatewayImplementation {
  return {
    id: k3s ? 'traefik-k3s' : 'traefik',
    product: k3s ? 'Traefik bundled with k3s, Gateway provider' : 'Traefik Proxy, Kubernetes Gateway provider',
    className: 'traefik',
    controllerName: 'traefik.io/gateway-controller',
    gatewayClass: 'provided',
    stage: 'ga',
    stageSource: fact(
      'Traefik v3.7.10 passes the GATEWAY-HTTP (core partial), GATEWAY-GRPC and GATEWAY-TLS profiles against Gateway API v1.6.1 (2026-07-30), BackendTLSPolicy included',
      `${CONFORMANCE}/v1.6/traefik-traefik`,
    ),
    scheme: 'either',
    supports: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'BackendTLSPolicy', 'ReferenceGrant'],
    limits: [
      fact(
        "no UDPRoute; a listener's port must be one of Traefik's entryPoints (8000 for web and 8443 for websecure in the Helm chart, published as 80 and 443 by its Service); TCP listeners need an entryPoint of their own",
        TRAEFIK_DOC,
      ),
    ],
    gatewayApiBundle: 'v1.6.1',
    mixesLayers: true,
    listenerCertificates: 'certificateRefs',
    listenerPorts: { http: 8000, https: 8443 },
    dataPlane: {
      runs: 'controller-pods',
      namespace: 'traefik',
      k3sNamespace: 'kube-system',
      podLabels: { 'app.kubernetes.io/name': 'traefik' },
      why: fact(
        'the Traefik pods themselves proxy every Gateway; the Helm chart installs them in the release namespace, k3s in kube-system',
        'https://docs.k3s.io/networking/networking-services#traefik-ingress-controller',
      ),
    },
    install: k3s
      ? 'enable the Gateway provider of the bundled Traefik with a HelmChartConfig for kube-system/traefik setting providers.kubernetesGateway.enabled=true (the chart then creates GatewayClass traefik)'
      : 'Helm chart traefik/traefik with providers.kubernetesGateway.enabled=true (it creates GatewayClass traefik) and the Gateway API CRDs',
    installSource: k3s ? 'https://docs.k3s.io/helm#customizing-packaged-components-with-helmchartconfig' : TRAEFIK_DOC,
    price: dataPlaneService('Traefik', TRAEFIK_DOC),
  };
}

const TRAEFIK = traefik(false);
const TRAEFIK_K3S = traefik(true);

const CILIUM: GatewayImplementation = {
  id: 'cilium',
  product: 'Cilium Gateway API',
  className: 'cilium',
  controllerName: 'io.cilium/gateway-controller',
  gatewayClass: 'provided',
  stage: 'ga',
  stageSource: fact(
    'Cilium v1.20.0 passes GATEWAY-HTTP, GATEWAY-GRPC, GATEWAY-TLS, GATEWAY-TCP and GATEWAY-UDP against Gateway API v1.6.1, standard channel (2026-07-31)',
    `${CONFORMANCE}/v1.6/cilium`,
  ),
  scheme: 'either',
  supports: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'BackendTLSPolicy', 'ReferenceGrant'],
  limits: [
    fact(
      'Cilium must be the CNI with kube-proxy replacement; a Kubernetes NetworkPolicy cannot admit its Gateway (see the data plane)',
      'https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/',
    ),
  ],
  gatewayApiBundle: 'v1.6.1',
  mixesLayers: true,
  listenerCertificates: 'certificateRefs',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: CILIUM_NODE_PROXY,
  install:
    'Cilium as the CNI with kubeProxyReplacement=true and gatewayAPI.enabled=true, after the Gateway API CRDs; it creates GatewayClass cilium',
  installSource: 'https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/',
  price: dataPlaneService('Cilium', 'https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/'),
};

const ISTIO_DOC = 'https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/';

const ISTIO: GatewayImplementation = {
  id: 'istio',
  product: 'Istio Gateway API',
  className: 'istio',
  controllerName: 'istio.io/gateway-controller',
  gatewayClass: 'provided',
  stage: 'ga',
  stageSource: fact(
    'Istio 1.30 passes GATEWAY-HTTP, GATEWAY-GRPC and GATEWAY-TLS against Gateway API v1.5.1 (2026-05-20), BackendTLSPolicy included',
    `${CONFORMANCE}/v1.5/istio-istio`,
  ),
  scheme: 'either',
  supports: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'BackendTLSPolicy', 'ReferenceGrant'],
  parentRefPort: fact(
    'HTTPRouteParentRefPort is among the supported features of Istio 1.28 (Gateway API v1.4) and 1.30 (v1.5) conformance reports',
    `${CONFORMANCE}/v1.5/istio-istio`,
  ),
  limits: [fact('no UDPRoute', ISTIO_DOC)],
  gatewayApiBundle: 'v1.5.1',
  mixesLayers: true,
  listenerCertificates: 'certificateRefs',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: {
    runs: 'gateway-namespace',
    why: fact(
      'Istio deploys a gateway Deployment and Service per Gateway in its namespace (GEP-1762 labels)',
      ISTIO_DOC,
    ),
  },
  install: 'istioctl install --set profile=minimal after the Gateway API CRDs; it creates GatewayClass istio',
  installSource: ISTIO_DOC,
  price: dataPlaneService('Istio', ISTIO_DOC, [15021]),
};

const NGF_DOC = 'https://docs.nginx.com/nginx-gateway-fabric/';

const NGINX_GATEWAY_FABRIC: GatewayImplementation = {
  id: 'nginx-gateway-fabric',
  product: 'NGINX Gateway Fabric',
  className: 'nginx',
  controllerName: 'gateway.nginx.org/nginx-gateway-controller',
  gatewayClass: 'provided',
  stage: 'ga',
  stageSource: fact(
    'NGINX Gateway Fabric 2.6.0 passes GATEWAY-HTTP, GATEWAY-GRPC and GATEWAY-TLS against Gateway API v1.5.1 (2026-05-07); 2.7.0 adds GATEWAY-TCP and GATEWAY-UDP (pre-release report, 2026-07-27)',
    `${CONFORMANCE}/v1.6/nginx-nginx-gateway-fabric`,
  ),
  scheme: 'either',
  supports: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'BackendTLSPolicy', 'ReferenceGrant'],
  parentRefPort: fact(
    'HTTPRouteParentRefPort is among the supported features of NGINX Gateway Fabric since 2.2.0 (Gateway API v1.3) and of 2.7.0 against v1.6',
    `${CONFORMANCE}/v1.6/nginx-nginx-gateway-fabric`,
  ),
  limits: [
    fact(
      "TCPRoute and UDPRoute need version 2.7 or later; it is not the retired ingress-nginx but F5 NGINX's Gateway API project",
      `${CONFORMANCE}/v1.6/nginx-nginx-gateway-fabric`,
    ),
  ],
  gatewayApiBundle: 'v1.6.1',
  mixesLayers: true,
  listenerCertificates: 'certificateRefs',
  listenerPorts: { http: 80, https: 443 },
  dataPlane: {
    runs: 'gateway-namespace',
    why: fact(
      'NGINX Gateway Fabric 2.x provisions an NGINX Deployment and Service per Gateway, in its namespace',
      NGF_DOC,
    ),
  },
  install:
    'helm install ngf oci://ghcr.io/nginx/charts/nginx-gateway-fabric -n nginx-gateway --create-namespace after the Gateway API CRDs; it creates GatewayClass nginx',
  installSource: NGF_DOC,
  price: dataPlaneService('NGINX Gateway Fabric', NGF_DOC),
};

// ---------------------------------------------------------------------------------------------
// Per platform
// ---------------------------------------------------------------------------------------------

export type PlatformGateways = {
  /** The implementation proposed for internet-facing traffic when the topology names none. */
  default: GatewayImplementation;
  /** The implementation proposed when every routed component is private; `default` when it can be internal. */
  internal: GatewayImplementation;
  /** Where `default` cannot serve L4 routes on the same Gateway (AWS): the class for TCP/UDP/TLS listeners. */
  l4?: GatewayImplementation;
  alternatives: readonly GatewayImplementation[];
  /** What `environment.routing` defaults to on this platform, and why. */
  routing: RoutingApi;
  routingReason: string;
  why: string;
};

const SELF_HOSTED_ALTERNATIVES = [CILIUM, ISTIO, NGINX_GATEWAY_FABRIC] as const;

const KEEP_INGRESS =
  "Ingress: its default class already is the platform's supported L7 path and existing plans stay as they are; gateway-api is one field away";

function selfHosted(platform: 'other-cloud' | 'bare-metal' | 'kind' | 'minikube'): PlatformGateways {
  return {
    default: ENVOY_GATEWAY,
    internal: ENVOY_GATEWAY,
    alternatives: [TRAEFIK, ...SELF_HOSTED_ALTERNATIVES],
    routing: 'ingress',
    routingReason: KEEP_INGRESS,
    why:
      platform === 'other-cloud'
        ? 'no provider implementation is known for an unnamed cloud: Envoy Gateway, which serves every route kind the planner emits (TCPRoute and UDPRoute included) and BackendTLSPolicy, behind one LoadBalancer Service'
        : 'Envoy Gateway: the self-hosted implementation that serves every route kind the planner emits (TCPRoute and UDPRoute included) and BackendTLSPolicy, behind one LoadBalancer Service from the address pool',
  };
}

export const GATEWAY_CATALOG: Record<Platform, PlatformGateways> = {
  aws: {
    default: AWS_ALB,
    internal: AWS_ALB,
    l4: AWS_NLB,
    alternatives: [ENVOY_GATEWAY, TRAEFIK],
    routing: 'ingress',
    routingReason: `${KEEP_INGRESS}; the ALB Ingress is also the more complete path today (the Gateway implementation skips part of core conformance and takes no certificateRefs)`,
    why: "the AWS Load Balancer Controller's own classes: the same ALB (or NLB for TCP/UDP/TLS) an Ingress or LoadBalancer Service would get, at the same price",
  },
  gcp: {
    default: GKE_GLOBAL,
    internal: GKE_INTERNAL,
    alternatives: [GKE_REGIONAL, ENVOY_GATEWAY],
    routing: 'ingress',
    routingReason: `${KEEP_INGRESS}; GKE Gateway costs the same forwarding rules`,
    why: 'the GKE Gateway controller, managed by Google and on by default on Autopilot: the same Application Load Balancer as a GKE Ingress, billed per forwarding rule',
  },
  azure: {
    default: AKS_APPROUTING_ISTIO,
    internal: AKS_APPROUTING_ISTIO,
    alternatives: [AKS_AGC, ENVOY_GATEWAY],
    routing: 'gateway-api',
    routingReason:
      "Gateway API: Microsoft supported the NGINX-based application routing add-on (IngressClass webapprouting.kubernetes.azure.com) only until November 2026, and its managed successor, the add-on's Gateway API implementation, speaks Gateway API only; the one Microsoft-managed Ingress path left, Application Gateway for Containers, bills its own meters (about $113 a month at list price) where the add-on's Gateway only adds rules to the cluster load balancer",
    why: "the application routing add-on's Gateway API implementation (GatewayClass approuting-istio): managed and supported by Microsoft, GA since April 2026, no fee beyond the cluster load balancer it uses",
  },
  digitalocean: {
    default: DOKS_CILIUM,
    internal: DOKS_CILIUM,
    alternatives: [ENVOY_GATEWAY, TRAEFIK],
    routing: 'ingress',
    routingReason: KEEP_INGRESS,
    why: 'the managed Cilium Gateway API of DOKS: on by default, nothing to install, one DigitalOcean load balancer per Gateway',
  },
  'other-cloud': selfHosted('other-cloud'),
  'bare-metal': selfHosted('bare-metal'),
  kind: selfHosted('kind'),
  minikube: selfHosted('minikube'),
  k3s: {
    default: TRAEFIK_K3S,
    internal: TRAEFIK_K3S,
    alternatives: [ENVOY_GATEWAY, ...SELF_HOSTED_ALTERNATIVES],
    routing: 'ingress',
    routingReason: KEEP_INGRESS,
    why: 'the Traefik k3s already runs: one setting enables its Gateway provider, no second proxy and no second load balancer; it has no UDPRoute (Envoy Gateway has)',
  },
};

/** Every implementation the catalog knows, each once, in catalog order. */
export function gatewayImplementations(): GatewayImplementation[] {
  const byId = new Map<string, GatewayImplementation>();
  for (const platform of Object.values(GATEWAY_CATALOG)) {
    for (const implementation of [platform.default, platform.internal, platform.l4, ...platform.alternatives]) {
      if (implementation !== undefined && !byId.has(implementation.id)) {
        byId.set(implementation.id, implementation);
      }
    }
  }
  return [...byId.values()];
}

/** The implementation a GatewayClass name stands for on a platform, or undefined for one the catalog does not know. */
export function gatewayImplementationByClass(platform: Platform, className: string): GatewayImplementation | undefined {
  const entry = GATEWAY_CATALOG[platform];
  const candidates = [entry.default, entry.internal, entry.l4, ...entry.alternatives];
  return candidates.find((implementation) => implementation?.className === className);
}

/** The implementation to propose: the internal one when nothing routed is public. */
export function defaultGatewayImplementation(platform: Platform, isPublic: boolean): GatewayImplementation {
  const entry = GATEWAY_CATALOG[platform];
  return isPublic ? entry.default : entry.internal;
}

/** The implementation that serves a route kind on the platform's default Gateway, or undefined if none can. */
export function implementationForKind(
  platform: Platform,
  kind: RouteKind,
  isPublic: boolean,
): GatewayImplementation | undefined {
  const entry = GATEWAY_CATALOG[platform];
  const base = defaultGatewayImplementation(platform, isPublic);
  if (base.supports.includes(kind)) {
    return base;
  }
  return entry.l4 !== undefined && entry.l4.supports.includes(kind) ? entry.l4 : undefined;
}

/** Every implementation on the platform that serves the kind: what the plan names when the default cannot. */
export function implementationsSupporting(platform: Platform, kind: GatewayApiKind): GatewayImplementation[] {
  const entry = GATEWAY_CATALOG[platform];
  const all = [entry.default, entry.internal, entry.l4, ...entry.alternatives].filter(
    (implementation): implementation is GatewayImplementation => implementation !== undefined,
  );
  return [...new Map(all.map((implementation) => [implementation.id, implementation])).values()].filter(
    (implementation) => implementation.supports.includes(kind),
  );
}

// ---------------------------------------------------------------------------------------------
// Prices
// ---------------------------------------------------------------------------------------------

/**
 * What one Gateway of the class costs, in the shape cost.ts prices: a load balancer to hand to
 * priceLoadBalancers with the plan's scheme (one formula for Services, Ingress and Gateways), or
 * a metered product priced here. `listenerPorts` counts the distinct ports of the Gateway's listeners.
 */
export type GatewayCharge =
  | { kind: 'load-balancer'; use: Pick<LoadBalancerUse, 'layer' | 'ports' | 'forwardingRules'> }
  | { kind: 'metered'; monthly: number; basis: string };

export function gatewayCharge(
  implementation: Pick<GatewayImplementation, 'price'>,
  listenerPorts: number,
  hoursPerMonth: number,
): GatewayCharge {
  const ports = Math.max(1, listenerPorts);
  const price = implementation.price;
  switch (price.model) {
    case 'cloud-load-balancer':
      return {
        kind: 'load-balancer',
        use: { layer: price.layer, ports, forwardingRules: price.rulePerListenerPort ? ports : 1 },
      };
    case 'data-plane-service':
      return { kind: 'load-balancer', use: { layer: 'L4', ports: ports + price.statusPorts.length } };
    case 'metered': {
      const monthly = price.meters.reduce((total, meter) => total + meter.hourly * meter.quantity * hoursPerMonth, 0);
      const parts = price.meters.map((meter) => `${meter.quantity} ${meter.name} x $${meter.hourly}/h`);
      return {
        kind: 'metered',
        monthly,
        basis: `${parts.join(' + ')}, x ${hoursPerMonth} h (${price.basis.source}, read ${price.basis.asOf}).`,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Network policy peers for the data plane
// ---------------------------------------------------------------------------------------------

export type NetworkPolicyPeer =
  | { podSelector: { matchLabels: Record<string, string> } }
  | {
      namespaceSelector: { matchLabels: Record<string, string> };
      podSelector?: { matchLabels: Record<string, string> };
    }
  | { ipBlock: { cidr: string } };

/** Every IPv4 and IPv6 address, for a proxy whose addresses are not known when planning. */
const ANY_ADDRESS = ['0.0.0.0/0', '::/0'] as const;

/** The label every namespace carries with its own name (Kubernetes 1.22 and later). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** GEP-1762: the label on everything an implementation deploys for a Gateway. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * Who a NetworkPolicy on a routed backend must admit so the Gateway's proxies reach it, or why no
 * Kubernetes NetworkPolicy can (Cilium: the remediation says what to write instead).
 */
export function dataPlanePeers(
  implementation: GatewayImplementation,
  gateway: { name: string; namespace: string },
  platform: Platform,
): { peers: NetworkPolicyPeer[] } | { peers: null; remediation: string } {
  const dataPlane = implementation.dataPlane;
  switch (dataPlane.runs) {
    case 'outside-cluster': {
      const cidrs = dataPlane.sourceRanges === 'unknown' ? ANY_ADDRESS : dataPlane.sourceRanges;
      return { peers: cidrs.map((cidr) => ({ ipBlock: { cidr } })) };
    }
    case 'gateway-namespace':
      return {
        peers: [
          {
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: gateway.namespace } },
            podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: gateway.name } },
          },
        ],
      };
    case 'envoy-gateway':
      return {
        peers: [
          {
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dataPlane.namespace } },
            podSelector: {
              matchLabels: {
                'gateway.envoyproxy.io/owning-gateway-name': gateway.name,
                'gateway.envoyproxy.io/owning-gateway-namespace': gateway.namespace,
              },
            },
          },
        ],
      };
    case 'controller-pods': {
      const namespace =
        platform === 'k3s' && dataPlane.k3sNamespace !== undefined ? dataPlane.k3sNamespace : dataPlane.namespace;
      return {
        peers: [
          {
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
            podSelector: { matchLabels: { ...dataPlane.podLabels } },
          },
        ],
      };
    }
    case 'node-proxy':
      return { peers: null, remediation: dataPlane.remediation };
  }
}

// ---------------------------------------------------------------------------------------------
// Ingress controllers: the retiring ones, and the AKS Ingress default that replaces one
// ---------------------------------------------------------------------------------------------

export type RetiringController = {
  classNames: readonly string[];
  product: string;
  /** The month support or maintenance ends (ended, when in the past). */
  endOfSupport: string;
  source: Fact;
};

export const RETIRING_INGRESS_CONTROLLERS: readonly RetiringController[] = [
  {
    classNames: ['nginx', 'ingress-nginx'],
    product: 'ingress-nginx (Kubernetes community)',
    endOfSupport: '2026-03',
    source: fact(
      'Kubernetes SIG Network and the Security Response Committee retired ingress-nginx: no releases or security fixes after March 2026',
      'https://www.kubernetes.dev/blog/2025/11/12/ingress-nginx-retirement/',
    ),
  },
  {
    classNames: ['webapprouting.kubernetes.azure.com'],
    product: 'AKS application routing add-on with NGINX (managed NGINX)',
    endOfSupport: '2026-11',
    source: fact(
      'the NGINX-based application routing add-on stops receiving Azure support after November 2026; users must migrate to its Gateway API implementation or another supported one',
      AKS_APPROUTING_DOC,
    ),
  },
];

/** Whether a class name is served by a controller that is retired or retiring. */
export function retiringController(className: string): RetiringController | undefined {
  const name = className.trim().toLowerCase();
  return RETIRING_INGRESS_CONTROLLERS.find((controller) => controller.classNames.includes(name));
}

export type IngressClassChoice = {
  className: string;
  product: string;
  install: string;
  installSource: string;
  price: GatewayPrice;
  why: string;
};

const TRAEFIK_INSTALL_DOC = 'https://doc.traefik.io/traefik/getting-started/install-traefik/';

/**
 * The Ingress class to propose on AKS when `routing` is `ingress`: Traefik on the cluster's own
 * Standard Load Balancer. It replaces the NGINX add-on at the add-on's price (one rule per port on
 * the load balancer the cluster already has) and the planner renders and prices it like Traefik on
 * any other cloud. Application Gateway for Containers, the Microsoft-managed option that still
 * serves Ingress, is the alternative: about five times the price (its own meters) and an AKS add-on
 * still in preview.
 */
export const AKS_INGRESS_DEFAULT: IngressClassChoice = {
  className: 'traefik',
  product: 'Traefik Proxy',
  install:
    'install Traefik (Helm chart traefik/traefik, IngressClass traefik); its LoadBalancer Service goes on the cluster load balancer',
  installSource: TRAEFIK_INSTALL_DOC,
  price: dataPlaneService('Traefik', TRAEFIK_INSTALL_DOC),
  why: 'supported by the Traefik project and GA, the cheapest Ingress path on AKS (the cluster Standard Load Balancer, as the NGINX add-on used), and the planner renders its Ingress completely',
};

export const AKS_INGRESS_ALTERNATIVES: readonly IngressClassChoice[] = [
  {
    className: 'azure-alb-external',
    product: AKS_AGC.product,
    install: `${AKS_AGC.install}; each Ingress names it with the annotations alb.networking.azure.io/alb-name and alb-namespace (or alb-id and alb-frontend)`,
    installSource:
      'https://learn.microsoft.com/azure/application-gateway/for-containers/how-to-ssl-offloading-ingress-api',
    price: AKS_AGC.price,
    why: 'managed and supported by Microsoft, and it serves the Ingress API (IngressClass azure-alb-external) as well as Gateway API, but bills its own meters',
  },
];
