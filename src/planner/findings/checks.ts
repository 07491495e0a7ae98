import { formatUsd, loadBalancerSupport } from '../cost.js';
import { classifyPort, speaksTls } from '../http.js';
import { askedRoute } from '../routing/ingress.js';
import { takenSharedRoutes } from '../recommend.js';
import { backendProtocol, backendProtocolSettings } from '../routing/backend-protocol.js';
import { ALB_SSL_REDIRECT_ANNOTATION, albListensHttps, isAlbClass } from '../routing/classes.js';
import { ALB_CONDITIONS_PREFIX, albSourceCidrLimit, albSourceLimitReason } from '../routing/sources.js';
import {
  type ProxyClientAddress,
  proxyClientAddress,
  proxyMisjudgesSources,
  proxySourcesConsequence,
} from '../routing/proxy-client-address.js';
import { TRAEFIK_HTTPS_REDIRECT, TRAEFIK_ROUTER_TLS } from '../routing/traefik-ingresses.js';
import { ingressBackendPort, renderedScheme, toCidr } from '../manifest-conventions.js';
import { retiringController } from '../routing/gateway-classes.js';
import {
  gatewayWebsocketLimit,
  isNginxClass,
  speaksWebSocket,
  websocketIngressAnnotations,
} from '../routing/websocket.js';
import { blocksBeyondSources, broaderThanItLooks } from '../network-policies.js';
import { isDataStore, nodePortStaticBand, severityOrder } from '../rules.js';
import { SENSITIVE_PORTS } from '../sensitive-ports.js';
import { KIND_LISTEN_ADDRESS } from '../kind-node-ports.js';
import { dependentsByComponent } from '../topology-lookups.js';
import { describePort as describeOnePort, internalServiceName, publishedNonPublicPorts } from '../ports.js';
import {
  type Component,
  type CostBreakdown,
  type Environment,
  type Finding,
  type IngressPlan,
  type Platform,
  type KubeObject,
  type PortSpec,
  type Recommendation,
  type Severity,
  type Topology,
} from '../types.js';
import { ALB_CERTIFICATE_ARN, albCertifiedHosts, albHostsWithoutCertificate, l4TlsBlocked } from '../routing/l4-tls.js';
import {
  AWS_TCP_UDP_LISTENER,
  AWS_TCP_UDP_MIN_CONTROLLER,
  describeServicePort as label,
  isTcpUdpPair,
  sharedPortNumbers,
  type ServicePortLike,
} from '../routing/l4-listeners.js';
import { FINDING_CATALOG, fillTemplate, type FindingId } from './catalog.js';
import { NARROW_IPV4_PREFIX, NARROW_IPV6_PREFIX, isNarrowSource, nodesMayBeOnTheInternet } from './exposure.js';
import {
  builtInIngressClass,
  controllerMove,
  internalLoadBalancerWay,
  sourceRangeEnforcement,
} from './platform-advice.js';
import {
  annotation,
  asRecord,
  ingressTlsCovers,
  ingressClassOf,
  isAlbIngress,
  isGceIngress,
  isTraefikIngress,
  isGceInternalIngress,
  gkeRefusesPlainHttp,
  gkeRedirectsToHttps,
  envoyRouteAllowLists,
  ingressesByService,
  isWholeAddressSpace,
  loadBalancerServesTls,
  traefikAllowLists,
  routeMiddlewareAllowLists,
  indexNetworkPolicies,
  policiesSelecting,
  type NetworkPolicyIndex,
  indexAllowListObjects,
  type AllowListIndex,
  sourceRanges,
  specField,
} from './manifest-reading.js';

type Context = {
  topology: Topology;
  ingress: IngressPlan | null;
  manifests: KubeObject[];
  /** The manifests by kind, then name (the first of each), indexed once: every check looks up per component. */
  objects: ReadonlyMap<string, ReadonlyMap<string, KubeObject>>;
  /** The NetworkPolicies among them, indexed by the labels they select (manifest-reading.ts). */
  networkPolicyIndex: NetworkPolicyIndex;
  /** The Middlewares, SecurityPolicies and HTTPRoutes the allow-list readers look up per component (manifest-reading.ts). */
  allowLists: AllowListIndex;
  /** The FrontendConfig objects alone (GKE), the only kind gkeRedirectsToHttps reads among the manifests. */
  frontendConfigs: KubeObject[];
  /** The first Ingress routing each Service, found once rather than by a scan of the manifests per component. */
  ingressByService: ReadonlyMap<string, KubeObject>;
  /** The components that depend on each component, in input order. */
  callers: ReadonlyMap<string, Component[]>;
  /** The monthly cost items of each component summed in the order of `cost.items` (absent without a cost). */
  monthlyByComponent: ReadonlyMap<string, number> | undefined;
  recommendations: ReadonlyMap<string, Recommendation>;
  /** Public HTTP components whose host and path an earlier one already asked for (routing/ingress.ts). */
  routeTakenBy: ReadonlyMap<string, string>;
  cost: CostBreakdown | undefined;
};

type Draft = {
  id: FindingId;
  /** -1 for a namespace-wide finding: it sorts before the components of the same severity. */
  order: number;
  component?: string;
  raised: boolean;
  detail: string;
  vars: Record<string, string>;
};

/**
 * Every security finding for a plan, ordered by severity, then component input order (namespace-wide
 * first), then id. Pure: reads the rendered manifests as well as the recommendations, so a manifest
 * that does not do what the plan says (no source ranges, no NetworkPolicy selecting a pod) shows up here.
 */
export function assessSecurity(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  manifests: KubeObject[],
  /** The plan's cost, for the saving EXP022 states; without it the saving is named, not priced. */
  cost?: CostBreakdown,
  /** The NetworkPolicies among the manifests, indexed, when the caller has them (plan.ts). */
  networkPolicyIndex?: NetworkPolicyIndex,
): Finding[] {
  // By kind, then name: the checks look objects up thousands of times a plan, and a "kind/name"
  // key built per look-up was a string made and hashed each time (~3 % of the findings' time).
  const objects = new Map<string, Map<string, KubeObject>>();
  for (const object of manifests) {
    let named = objects.get(object.kind);
    if (named === undefined) {
      named = new Map();
      objects.set(object.kind, named);
    }
    if (!named.has(object.metadata.name)) {
      named.set(object.metadata.name, object);
    }
  }
  // Everything a check would otherwise look for per component by a scan of all components, all
  // manifests or all cost items is indexed here once: a check that scans is quadratic in the
  // topology, and 2,000 components make that seconds (planner-scaling.spec.ts counts the calls).
  const context: Context = {
    topology,
    ingress,
    manifests,
    objects,
    networkPolicyIndex: networkPolicyIndex ?? indexNetworkPolicies(manifests, topology.namespace),
    ingressByService: ingressesByService(manifests),
    allowLists: indexAllowListObjects(manifests, topology.namespace),
    frontendConfigs: manifests.filter((object) => object.kind === 'FrontendConfig'),
    callers: dependentsByComponent(topology),
    monthlyByComponent: cost === undefined ? undefined : monthlyByComponent(cost),
    recommendations: new Map(recommendations.map((recommendation) => [recommendation.component, recommendation])),
    routeTakenBy: takenSharedRoutes(topology),
    cost,
  };
  const drafts: Draft[] = [...namespaceFindings(context)];
  topology.components.forEach((component, index) => {
    for (const draft of componentFindings(context, component, index)) {
      drafts.push(draft);
    }
  });
  // Each draft's severity rank worked out once, not per comparison; ids are all EXP and three
  // digits, so comparing their code units orders them as localeCompare did, without the collator.
  const ranked = drafts.map((draft) => ({ draft, rank: severityOrder(severityOf(draft)) }));
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.draft.order - b.draft.order ||
      (a.draft.id < b.draft.id ? -1 : a.draft.id > b.draft.id ? 1 : 0),
  );
  return ranked.map(({ draft }) => toFinding(draft, topology.namespace));
}

function namespaceFindings({ ingress, topology }: Context): readonly Draft[] {
  if (ingress === null) {
    return NO_DRAFTS;
  }
  const routed = ingress.components.join(', ') || 'no component yet';
  const drafts: Draft[] = [];
  if (!ingress.controllerPresent && !builtInIngressClass(topology.environment.platform, ingress.className)) {
    drafts.push({
      id: 'EXP014',
      order: -1,
      raised: false,
      detail: `The plan routes ${routed} through an Ingress of class ${ingress.className}, but the environment has no such controller; until one is installed those routes get no address.`,
      vars: { className: ingress.className, install: ingress.install ?? "see the controller's install guide" },
    });
  }
  // The same rule the recommender uses for its retirement note, so the two never disagree on a class.
  const retiring = retiringController(ingress.className);
  if (retiring !== undefined) {
    drafts.push({
      id: 'EXP015',
      order: -1,
      raised: false,
      detail: `The Ingress uses class ${ingress.className} and carries the public traffic of ${routed}; if its controller is ${retiring.product}, it gets no support or security fixes after ${retiring.endOfSupport}: ${retiring.source.text} (${retiring.source.source}).`,
      vars: { className: ingress.className, move: controllerMove(topology.environment.platform) },
    });
  }
  return drafts;
}

function componentFindings(context: Context, component: Component, order: number): readonly Draft[] {
  const recommendation = context.recommendations.get(component.name);
  if (component.externalName !== undefined || recommendation?.serviceType === 'ExternalName') {
    return externalNameFindings(context, component, order);
  }
  // A loop, not flatMap: most checks find nothing, and this runs 25 checks for every component.
  const drafts: Draft[] = [];
  for (const check of COMPONENT_CHECKS) {
    for (const draft of check(context, component, order, recommendation)) {
      drafts.push(draft);
    }
  }
  return drafts;
}

type Check = (
  context: Context,
  component: Component,
  order: number,
  recommendation?: Recommendation,
) => readonly Draft[];

// What most checks find for most components: one shared empty list, not a new array per check and
// component (25 checks per component, each a young object for the scavenger).
const NO_DRAFTS: readonly Draft[] = [];

/** The one finding a check raises about the component it looks at, placed in that component's input order. */
function componentFinding(
  id: FindingId,
  component: Component,
  order: number,
  finding: Pick<Draft, 'raised' | 'detail' | 'vars'>,
): Draft[] {
  return [{ id, order, component: component.name, ...finding }];
}

const dataStorePublic: Check = (context, component, order, recommendation) => {
  if (!isDataStore(component.role) || component.exposure !== 'public') {
    return NO_DRAFTS;
  }
  // Judged on the rendered Service where it is a load balancer; otherwise on what was asked.
  const service = findObject(context, 'Service', component.name);
  const ranges =
    service !== undefined && specField(service, 'type') === 'LoadBalancer'
      ? sourceRanges(component, service)
      : component.allowedSources;
  const narrow = ranges.length > 0 && ranges.every(isNarrowSource);
  return componentFinding('EXP001', component, order, {
    raised: !narrow,
    detail: `${component.name}, a ${component.role} with ${describePorts(component.ports)}, was asked to be public${narrow ? `, restricted to ${ranges.join(', ')} (each at most a /${NARROW_IPV4_PREFIX}, IPv6 /${NARROW_IPV6_PREFIX})` : ''}. ${planOutcome(recommendation)}`,
    vars: portForwardVars(component),
  });
};

const dataStoreOutside: Check = (context, component, order, recommendation) => {
  if (!isDataStore(component.role) || (component.exposure !== 'private' && component.exposure !== 'node')) {
    return NO_DRAFTS;
  }
  const audience = component.exposure === 'node' ? 'hosts that reach the node addresses' : 'private networks';
  return componentFinding('EXP002', component, order, {
    raised: false,
    detail: `${component.name}, a ${component.role} with ${describePorts(component.ports)}, was asked to be reachable from ${audience}; allowed sources: ${describeSources(component.allowedSources)}. ${planOutcome(recommendation)}`,
    vars: portForwardVars(component),
  });
};

/**
 * EXP003: a NodePort opens its port on every node. High when public where the nodes may face the
 * internet, and high when the component states allowedSources that nothing rendered enforces: the plan
 * renders no firewall, so they hold only when the Service keeps the client address (externalTrafficPolicy
 * Local, from preserveClientIp) and the policies selecting its pods admit no ipBlock beyond them. Read from
 * the rendered Service and policies (blocksBeyondSources, as EXP035). On kind and minikube the nodes are
 * reached from the local machine only (kind's mappings listen on 127.0.0.1), so it stays medium there.
 */
const nodePortEveryNode: Check = (context, component, order, recommendation) => {
  if (recommendation?.serviceType !== 'NodePort') {
    return NO_DRAFTS;
  }
  const { platform } = context.topology.environment;
  const ports = component.ports.map(
    (port) =>
      `${describePort(port)} on ${port.nodePort === undefined ? 'a node port assigned by Kubernetes' : `node port ${port.nodePort}`}`,
  );
  const sources = component.allowedSources;
  const service = findObject(context, 'Service', component.name);
  const local =
    service === undefined ? component.preserveClientIp : specField(service, 'externalTrafficPolicy') === 'Local';
  const beyond = blocksBeyondSources(component, context.networkPolicyIndex);
  // Some address outside allowedSources gets in: no policy selects the pods, or one admits more.
  const open = beyond === null || beyond.length > 0;
  // Beyond this machine: the same line nodesMayBeOnTheInternet draws for "public".
  const reachedFromOtherHosts = nodesMayBeOnTheInternet(platform);
  const unenforced = sources.length > 0 && open && reachedFromOtherHosts;
  return componentFinding('EXP003', component, order, {
    raised: (component.exposure === 'public' && reachedFromOtherHosts) || unenforced,
    detail: `${component.name} (${component.exposure}) is a NodePort Service: every node of the cluster listens on ${ports.join(', ')}, whether or not it runs a pod of ${component.name}. ${nodePortSourcesDetail(component, platform, local, beyond)}`,
    vars: {
      ports: component.ports
        .map((port) =>
          port.nodePort === undefined
            ? `the node port assigned to ${port.port}/${port.protocol}`
            : `${port.nodePort}/${port.protocol}`,
        )
        .join(' and '),
      sources:
        sources.length > 0 ? sources.join(', ') : `the hosts that need ${component.ports.length === 1 ? 'it' : 'them'}`,
      preserve:
        sources.length > 0 && open
          ? ', or set preserveClientIp: true so the Service keeps the client address (externalTrafficPolicy Local: nodes without a ready pod then drop the connection) and its NetworkPolicy admits only them'
          : '',
    },
  });
};

/**
 * What holds a NodePort component's allowedSources, as rendered (EXP003): `local` is whether the Service
 * keeps the client address (externalTrafficPolicy Local), `beyond` the ipBlocks its policies admit besides
 * allowedSources (null: no policy selects its pods).
 */
function nodePortSourcesDetail(
  component: Component,
  platform: Platform,
  local: boolean,
  beyond: string[] | null,
): string {
  const sources = component.allowedSources.join(', ');
  if (component.allowedSources.length === 0) {
    return 'No allowedSources are given: any client that reaches a node may connect.';
  }
  if (beyond !== null && beyond.length === 0) {
    return local
      ? `Its allowedSources (${sources}) hold in its NetworkPolicy, which admits no other address: externalTrafficPolicy Local keeps the client address.`
      : `Its NetworkPolicy admits no address beyond its allowedSources (${sources}), but with externalTrafficPolicy Cluster the pods see a node's address, so no client from outside the cluster gets in, those of allowedSources included.`;
  }
  const admitted =
    beyond === null
      ? 'no NetworkPolicy selects its pods'
      : `${local ? '' : "the pods see a node's address (externalTrafficPolicy Cluster), so "}its NetworkPolicy admits ${beyond.join(', ')}`;
  const why = `the Service cannot restrict who connects, ${admitted}, and the plan renders no firewall`;
  const reach =
    platform === 'kind'
      ? `; but the plan's kind mapping listens on ${KIND_LISTEN_ADDRESS}, so only this machine reaches it, and the hosts of allowedSources do not`
      : platform === 'minikube'
        ? "; minikube's node is a container or a VM on this machine, usually on a network only this machine reaches"
        : ', so every host that reaches a node connects';
  return `Nothing rendered holds its allowedSources (${sources}): ${why}${reach}.`;
}

const loadBalancerSources: Check = (context, component, order, recommendation) => {
  if (recommendation?.serviceType !== 'LoadBalancer') {
    return NO_DRAFTS;
  }
  const ranges = sourceRanges(component, findObject(context, 'Service', component.name));
  const openRanges = ranges.filter(isWholeAddressSpace);
  const open = ranges.length === 0 || openRanges.length > 0;
  if (!open) {
    return NO_DRAFTS;
  }
  const how =
    ranges.length === 0
      ? 'has no loadBalancerSourceRanges'
      : `allows ${openRanges.join(' and ')}, the whole address space`;
  if (component.exposure !== 'public') {
    const { scheme } = recommendation;
    return componentFinding('EXP004', component, order, {
      raised: false,
      detail: `${component.name} has exposure ${component.exposure}, yet its LoadBalancer (scheme ${scheme}, ${describePorts(component.ports)}) ${how}: any address that can route to the load balancer may connect.`,
      vars: { enforcement: sourceRangeEnforcement(context.topology.environment) },
    });
  }
  if (recommendation.scheme === 'internal') {
    return NO_DRAFTS;
  }
  return componentFinding('EXP005', component, order, {
    raised: false,
    detail: `${component.name} is public and its LoadBalancer ${how}: ${describePorts(component.ports)} ${component.ports.length === 1 ? 'is' : 'are'} open to the whole internet, as intended.`,
    vars: {},
  });
};

/** tls: true on a private or node entry point of its own (EXP006 covers public ones), judged on the rendered Service. */
const privateTlsDropped: Check = (context, component, order, recommendation) => {
  if (
    component.exposure === 'public' ||
    component.tls !== true ||
    (recommendation?.entryPoint !== 'load-balancer' && recommendation?.entryPoint !== 'node-port')
  ) {
    return NO_DRAFTS;
  }
  const service = findObject(context, 'Service', component.name);
  const plain = component.ports.filter(
    (port, index) =>
      classifyPort(port, component.role).http && !speaksTls(port) && !loadBalancerServesTls(service, index),
  );
  if (plain.length === 0) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP025', component, order, {
    raised: false,
    detail: `${component.name} sets tls: true, but its ${recommendation.entryPoint === 'load-balancer' ? 'LoadBalancer' : 'node ports'} serve${recommendation.entryPoint === 'load-balancer' ? 's' : ''} plain HTTP on ${describePorts(plain)}: the rendered Service has no TLS listener.`,
    vars: { fix: l4TlsFix(context.topology.environment.platform, component) },
  });
};

/**
 * The rendered Service's ports that carry neither HTTP nor TLS: each matched to the component port
 * it sends to (same protocol, targetPort the container port or its name). A certificate on a load
 * balancer terminates TLS for HTTP only (routing/l4-tls.ts), so nothing in front of these holds tls: true.
 */
function passThroughPorts(component: Component, service: KubeObject | undefined): PortSpec[] {
  const ports = service === undefined ? [] : specField(service, 'ports');
  return (Array.isArray(ports) ? ports : []).flatMap((entry, index) => {
    const rendered = asRecord(entry);
    const port = component.ports.find(
      (candidate) =>
        candidate.protocol === (typeof rendered?.protocol === 'string' ? rendered.protocol : 'TCP') &&
        (rendered?.targetPort === (candidate.targetPort ?? candidate.port) ||
          (candidate.name !== undefined && rendered?.targetPort === candidate.name)),
    );
    return port !== undefined &&
      !classifyPort(port, component.role).http &&
      !speaksTls(port) &&
      !loadBalancerServesTls(service, index)
      ? [port]
      : [];
  });
}

/** tls: true on ports its own load balancer or node ports pass through, not HTTP (EXP006 and EXP025 cover HTTP ones). */
const tlsOnPassThroughPorts: Check = (context, component, order, recommendation) => {
  if (
    component.tls !== true ||
    (recommendation?.entryPoint !== 'load-balancer' && recommendation?.entryPoint !== 'node-port')
  ) {
    return NO_DRAFTS;
  }
  const plain = passThroughPorts(component, findObject(context, 'Service', component.name));
  if (plain.length === 0) {
    return NO_DRAFTS;
  }
  const entry = recommendation.entryPoint === 'load-balancer' ? 'its LoadBalancer passes' : 'its node ports pass';
  const udp = plain.some((port) => port.protocol === 'UDP');
  const protocols = [...new Set(plain.map((port) => port.protocol))].join(' and ');
  return componentFinding('EXP036', component, order, {
    raised: false,
    detail: `${component.name} sets tls: true, but ${entry} ${describePorts(plain)} through as plain ${protocols}: ${plain.length === 1 ? 'it does' : 'they do'} not carry HTTP, so no certificate in front of the pod applies, and the traffic is encrypted only if ${component.name} itself speaks TLS there${udp ? ' (DTLS or QUIC over UDP)' : ''}.`,
    vars: { ports: describePorts(plain) },
  });
};

/**
 * tls: true on a route attached to an existing Gateway as a whole (no sectionName, no port): the
 * route is served on every listener of the owner's Gateway that takes its hostname, plain HTTP
 * included, and a redirect route beside it would lose the tie on hostname and path (the oldest
 * route wins, then "{namespace}/{name}": HTTPRouteRule.matches,
 * https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/httproute_types.go). The plan
 * renders this where the class takes no parentRef port (routing/gateway-plan.ts). Judged on the
 * rendered route: a parent that is not among the manifests is the existing Gateway.
 */
const tlsOnSharedGatewayListeners: Check = (context, component, order) => {
  if (component.tls !== true || component.host === undefined) {
    return NO_DRAFTS;
  }
  const route = findObject(context, 'HTTPRoute', component.name);
  const parents = route === undefined ? [] : specField(route, 'parentRefs');
  const whole = (Array.isArray(parents) ? parents : []).flatMap((entry) => {
    const ref = asRecord(entry);
    const name = ref?.name;
    return typeof name === 'string' &&
      ref?.sectionName === undefined &&
      ref?.port === undefined &&
      findObject(context, 'Gateway', name) === undefined
      ? [typeof ref?.namespace === 'string' ? `${ref.namespace}/${name}` : name]
      : [];
  });
  if (whole.length === 0) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP037', component, order, {
    raised: false,
    detail: `${component.name} sets tls: true for ${component.host}, but its HTTPRoute attaches to the existing Gateway ${whole.join(', ')} as a whole (no sectionName or port: the plan knows neither its listener names nor whether its class takes a parentRef port), so it is served on every listener that takes ${component.host}, plain HTTP included, and the plan renders no redirect to HTTPS, which would never win the tie with it.`,
    vars: { host: component.host },
  });
};

const plainHttp: Check = (context, component, order, recommendation) => {
  if (component.exposure !== 'public' || recommendation === undefined || recommendation.entryPoint === 'none') {
    return NO_DRAFTS;
  }
  const production = context.topology.environment.stage === 'production';
  if (recommendation.entryPoint === 'ingress') {
    const ingressObject = findIngress(context, component);
    const alb =
      ingressObject === undefined ? isAlbClass(context.ingress?.className ?? '') : isAlbIngress(ingressObject);
    const tlsEntry =
      ingressObject === undefined ? component.tls === true : ingressTlsCovers(ingressObject, component.host);
    // An ALB serves a tls entry only on an HTTPS listener, which listen-ports must ask for.
    const noHttpsListener = alb && ingressObject !== undefined && !albListensHttps(ingressObject.metadata.annotations);
    if (tlsEntry && !noHttpsListener) {
      return NO_DRAFTS;
    }
    const where = component.host === undefined ? 'any host' : component.host;
    const why =
      ingressObject === undefined
        ? 'tls is not set'
        : !tlsEntry
          ? 'the rendered Ingress has no tls entry for that host'
          : 'the Ingress has a tls entry for it, but the ALB opens no HTTPS listener (alb.ingress.kubernetes.io/listen-ports has no HTTPS)';
    const host = component.host ?? '<host>';
    // Routed by a Gateway the plan renders (no Ingress among the manifests): its routes, not an Ingress.
    const viaGateway = ingressObject === undefined && context.manifests.some((object) => object.kind === 'Gateway');
    const fix = viaGateway
      ? `${component.host === undefined ? `give ${component.name} a host and ` : ''}set tls: true on ${component.name}, so the plan's Gateway gets an HTTPS listener for ${host} with a certificate Secret (cert-manager can issue and renew it) and a redirect from HTTP.`
      : alb
        ? `${component.tls === true ? '' : `set tls: true on ${component.name}${component.host === undefined ? ' and give it a host' : ''}, so the Ingress gets a tls entry for ${host}; `}give the ALB an HTTPS listener (listen-ports '[{"HTTP":80},{"HTTPS":443}]' and ssl-redirect '443', which the plan writes when a routed component sets tls: true) and request or import a certificate for ${host} in AWS Certificate Manager, where the ALB finds it by host (it ignores the tls Secret).`
        : component.host === undefined
          ? `give ${component.name} a host and set tls: true, so the Ingress gets a tls entry and a certificate Secret (cert-manager can issue and renew it).`
          : `set tls: true on ${component.name}, so the Ingress gets a tls entry for ${component.host} with a certificate Secret (cert-manager can issue and renew it).`;
    return componentFinding('EXP006', component, order, {
      raised: production,
      detail: `${component.name} is served to the internet through the ${viaGateway ? 'Gateway' : 'Ingress'} for ${where}${component.path ?? ''} over plain HTTP: ${why} (stage ${context.topology.environment.stage}).`,
      vars: { fix },
    });
  }
  // Judged on the rendered Service, not on the tls flag: tls: true on a plain L4 Service still
  // serves plain HTTP, and that dropped intent raises the severity.
  const service = findObject(context, 'Service', component.name);
  const plain = component.ports.filter(
    (port, index) =>
      classifyPort(port, component.role).http && !speaksTls(port) && !loadBalancerServesTls(service, index),
  );
  if (plain.length === 0) {
    return NO_DRAFTS;
  }
  const entry = recommendation.entryPoint === 'load-balancer' ? 'its LoadBalancer' : 'its node ports';
  return componentFinding('EXP006', component, order, {
    raised: production || component.tls === true,
    detail: `${component.name} is public and serves plain HTTP on ${describePorts(plain)} through ${entry}, with nothing in front to terminate TLS (stage ${context.topology.environment.stage})${component.tls === true ? `: tls: true is not enforced, because the rendered ${recommendation.serviceType} Service has no TLS listener and the plan routes ${component.name} around the Ingress` : ''}.`,
    vars: {
      fix: l4TlsFix(context.topology.environment.platform, component),
    },
  });
};

/** How to get TLS in front of a component on its own L4 entry point, on this platform. */
function l4TlsFix(platform: Platform, component: Component): string {
  const blocked = l4TlsBlocked(platform, component);
  const certificateWay =
    blocked !== undefined
      ? `the certificate ${component.certificate ?? ''} is not used because ${blocked}: move that port to another number, and the plan renders ${platform === 'aws' ? 'an NLB TLS listener' : 'an HTTPS forwarding rule'} on 443 with it`
      : platform === 'aws'
        ? `set certificate on ${component.name} to an ACM certificate ARN for ${component.host ?? 'its host'} (with tls: true and host), and the plan renders an NLB TLS listener on 443 (aws-load-balancer-ssl-cert, aws-load-balancer-ssl-ports)`
        : platform === 'digitalocean'
          ? `set certificate on ${component.name} to a DigitalOcean certificate id for ${component.host ?? 'its host'} (with tls: true and host), and the plan renders an HTTPS forwarding rule on 443 (do-loadbalancer-certificate-id, do-loadbalancer-tls-ports)`
          : `route ${component.name} through an Ingress or Gateway with a tls Secret (give it a host and tls: true; the load balancers here take no certificate by reference)`;
  return `${certificateWay}; or terminate TLS in the pod on 443.`;
}

type AlbUncertified = { left: ReadonlySet<string>; certified: string[]; namers: string[] };
const albUncertifiedByPlan = new WeakMap<Context, AlbUncertified>();

/**
 * The routed components the plan's ALB serves with no certificate given for their host, and the
 * hosts certificates were named for (routing/l4-tls.ts, albHostsWithoutCertificate). Once per
 * plan: asked per component, the scan of the routed ones is quadratic.
 */
function albUncertified(context: Context): AlbUncertified {
  const known = albUncertifiedByPlan.get(context);
  if (known !== undefined) {
    return known;
  }
  const routedNames = new Set(context.ingress?.components ?? []);
  const routed = context.topology.components.filter((component) => routedNames.has(component.name));
  const className = context.ingress?.className ?? '';
  const found = {
    left: new Set(albHostsWithoutCertificate(className, routed).map((component) => component.name)),
    certified: albCertifiedHosts(className, routed) ?? [],
    namers: routed
      .filter((component) => component.tls === true && component.certificate !== undefined)
      .map((component) => component.name),
  };
  albUncertifiedByPlan.set(context, found);
  return found;
}

/**
 * EXP039: a host on the ALB Ingress that names certificates (certificate-arn) for other hosts only:
 * the controller then discovers none by host, so this one is served with a certificate for another
 * name. Judged on the rendered Ingress (an ALB one, an HTTPS listener, certificate-arn set, and for
 * a component without tls: true the ssl-redirect that sends it to HTTPS); which host a named ARN was
 * given for is known from the topology only.
 */
const albHostWithoutCertificate: Check = (context, component, order, recommendation) => {
  if (recommendation?.entryPoint !== 'ingress' || component.host === undefined) {
    return NO_DRAFTS;
  }
  const ingressObject = findIngress(context, component);
  const annotations = ingressObject?.metadata.annotations;
  if (
    ingressObject === undefined ||
    !isAlbIngress(ingressObject) ||
    !albListensHttps(annotations) ||
    (annotations?.[ALB_CERTIFICATE_ARN] ?? '').trim() === '' ||
    (component.tls !== true && annotations?.[ALB_SSL_REDIRECT_ANNOTATION] === undefined)
  ) {
    return NO_DRAFTS;
  }
  const { left, certified, namers } = albUncertified(context);
  if (!left.has(component.name)) {
    return NO_DRAFTS;
  }
  const host = component.host;
  const namedFor = certified.join(', ');
  const why =
    component.tls === true
      ? `${component.name} sets tls: true for ${host} and names no certificate`
      : `${component.name} does not set tls: true, but another routed component does, so the ALB redirects ${host} to HTTPS (ssl-redirect)`;
  return componentFinding('EXP039', component, order, {
    raised: false,
    detail: `${why}; the ALB Ingress ${ingressObject.metadata.name} names certificates in ${ALB_CERTIFICATE_ARN} for ${namedFor} only, and the AWS Load Balancer Controller then discovers no ACM certificate by host, so it serves TLS for ${host} with a certificate named for ${namedFor}: clients that check the name refuse it, unless that certificate also covers ${host}.`,
    vars: {
      fix: `set certificate on ${component.name} to an ACM certificate ARN for ${host}${component.tls === true ? '' : ' (with tls: true)'}, so it joins certificate-arn; or name none on this ALB (remove certificate from ${namers.join(', ')}), and the controller finds a certificate for every host in ACM by the hosts of the Ingress (request or import one for each there).`,
    },
  });
};

/** Judged on the rendered Ingress: a source-ip condition on the component's rules must list every allowed source. */
const routedSourcesIgnored: Check = (context, component, order, recommendation) => {
  if (recommendation?.entryPoint !== 'ingress' || component.allowedSources.length === 0) {
    return NO_DRAFTS;
  }
  const ingressObject = findIngress(context, component);
  const condition = annotation(ingressObject, `${ALB_CONDITIONS_PREFIX}${component.name}`) ?? '';
  const allowed = component.allowedSources.map(toCidr);
  // One IPAllowList that admits nothing beyond allowedSources restricts the route (Traefik chains them).
  const restricts = (ranges: string[]) => ranges.length > 0 && ranges.every((range) => allowed.includes(range));
  const traefikRestricts = traefikAllowLists(ingressObject, context.allowLists).some(restricts);
  const gatewayRestricts = [
    ...envoyRouteAllowLists(context.allowLists, component.name),
    ...routeMiddlewareAllowLists(context.allowLists, component.name),
  ].some(restricts);
  if (
    traefikRestricts ||
    gatewayRestricts ||
    component.allowedSources.every((source) => condition.includes(`"${source}"`))
  ) {
    return NO_DRAFTS;
  }
  // With Gateway API routing the plan shows no Ingress (plan.ts): the routes are on the Gateway.
  const viaGateway = context.ingress === null;
  const className = context.ingress?.className ?? 'unknown';
  const fix = viaGateway
    ? `the Gateway's class gets no source policy from the plan (it writes one for Envoy Gateway, a SecurityPolicy on the HTTPRoute or GRPCRoute with defaultAction Deny and an Allow rule on clientCIDRs, and for Traefik, an ExtensionRef filter to an IPAllowList Middleware on an HTTPRoute); with Istio an AuthorizationPolicy with remoteIpBlocks; or routing "ingress", where the plan restricts the route or gives ${component.name} a load balancer of its own.`
    : isAlbClass(className)
      ? `${albSourceLimitReason(component)} (alb.ingress.kubernetes.io/conditions.${component.name}); list at most ${albSourceCidrLimit(component)}, or restrict the whole ALB with alb.ingress.kubernetes.io/inbound-cidrs if every routed component may share the list.`
      : `class ${className} has no per-route source restriction the plan can write, and no load balancer here is known to honour loadBalancerSourceRanges: with Traefik (environment.ingressController traefik) the plan writes an IPAllowList Middleware on an Ingress of its own for ${component.name}; on a provider that honours loadBalancerSourceRanges it gives ${component.name} a load balancer of its own.`;
  return componentFinding('EXP020', component, order, {
    raised: false,
    detail: `${component.name} lists allowedSources ${component.allowedSources.join(', ')} but is routed through the shared ${viaGateway ? 'Gateway' : `Ingress (class ${className})`} with no source restriction on its route: anyone on the internet reaches it.`,
    vars: { fix },
  });
};

/**
 * EXP040: the route's allowedSources are held inside an in-cluster proxy (a Traefik IPAllowList on
 * the Ingress or route, an Envoy Gateway SecurityPolicy), read from the rendered objects, and the
 * way to that proxy replaces the client address (routing/proxy-client-address.ts): every client
 * passes when allowedSources hold the address it sees instead, else every client is refused.
 */
const proxyMisjudgedSources: Check = (context, component, order, recommendation) => {
  if (recommendation?.entryPoint !== 'ingress' || component.allowedSources.length === 0) {
    return NO_DRAFTS;
  }
  const traefik =
    traefikAllowLists(findIngress(context, component), context.allowLists).length > 0 ||
    routeMiddlewareAllowLists(context.allowLists, component.name).length > 0;
  const envoy = envoyRouteAllowLists(context.allowLists, component.name).length > 0;
  if (!traefik && !envoy) {
    return NO_DRAFTS;
  }
  const verdict = proxyClientAddress(context.topology, traefik ? 'Traefik' : 'Envoy', component);
  if (!proxyMisjudgesSources(verdict)) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP040', component, order, {
    raised: false,
    detail: `${component.name} lists allowedSources ${component.allowedSources.join(', ')}, held by ${verdict.proxy}, but ${proxySourcesConsequence(component, verdict)}.`,
    vars: { fix: proxySourcesFix(context.topology, verdict, component) },
  });
};

function proxySourcesFix(topology: Topology, verdict: ProxyClientAddress, component: Component): string {
  const ranges =
    'declare environment.podCidr and environment.nodeCidr and keep allowedSources clear of them, so that no node or pod address passes';
  const ownLoadBalancer = `or give ${component.name} a load balancer of its own whose loadBalancerSourceRanges admit only allowedSources (checked before any address is replaced), on a port ${verdict.proxy} does not hold.`;
  if (verdict.alwaysReplaced && topology.environment.platform === 'digitalocean') {
    return `have the load balancer in front of ${verdict.proxy} send PROXY protocol (service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol: "true" on ${verdict.proxy}'s Service) and ${verdict.proxy} trust it from that load balancer only, so it judges the client's address; ${ranges}; ${ownLoadBalancer}`;
  }
  if (verdict.alwaysReplaced) {
    return `k3s ServiceLB cannot keep the client address: run k3s with --disable=servicelb and MetalLB (environment.loadBalancerProvider metallb), and set externalTrafficPolicy: Local on ${verdict.proxy}'s Service (for the bundled Traefik, a HelmChartConfig for traefik with service.spec.externalTrafficPolicy: Local); ${ranges}; ${ownLoadBalancer}`;
  }
  return `set externalTrafficPolicy: Local on ${verdict.proxy}'s LoadBalancer Service (Traefik's Helm chart: service.spec.externalTrafficPolicy: Local; k3s: a HelmChartConfig for traefik), so it sees the client's address; ${ranges}; ${ownLoadBalancer}`;
}

const unprovisionableLoadBalancer: Check = (context, component, order, recommendation) => {
  const environment = context.topology.environment;
  if (recommendation?.serviceType !== 'LoadBalancer' || canProvisionLoadBalancer(environment)) {
    return NO_DRAFTS;
  }
  const provider = environment.loadBalancerProvider ?? 'none';
  return componentFinding('EXP007', component, order, {
    raised: false,
    detail: `${component.name} gets a LoadBalancer Service, but on ${environment.platform} with load-balancer provider ${provider} nothing assigns it an address: EXTERNAL-IP will stay <pending>.`,
    vars: { fix: loadBalancerFix(environment, component.name, context.topology.namespace) },
  });
};

const localTrafficPolicy: Check = (context, component, order, recommendation) => {
  const type = recommendation?.serviceType;
  if (type !== 'NodePort' && type !== 'LoadBalancer') {
    return NO_DRAFTS;
  }
  const service = findObject(context, 'Service', component.name);
  const policy =
    service === undefined
      ? component.preserveClientIp
        ? 'Local'
        : 'Cluster'
      : specField(service, 'externalTrafficPolicy');
  // On a load balancer with IP targets Local does nothing: EXP032 says so instead.
  if (policy !== 'Local' || (type === 'LoadBalancer' && targetsPods(service))) {
    return NO_DRAFTS;
  }
  const consequence =
    type === 'LoadBalancer'
      ? 'the load balancer health-checks every node and sends traffic only to nodes with a ready pod, spread per node rather than per pod'
      : 'clients must connect to a node that runs a ready pod; other nodes drop the connection';
  return componentFinding('EXP008', component, order, {
    raised: false,
    detail: `${component.name}\'s ${type} Service uses externalTrafficPolicy Local to keep the client IP: ${consequence} (${component.replicas} replica${component.replicas === 1 ? '' : 's'}, ${component.workload}).`,
    vars: {},
  });
};

const dynamicBandNodePort: Check = (context, component, order, recommendation) => {
  const type = recommendation?.serviceType;
  if (type !== 'NodePort' && type !== 'LoadBalancer') {
    return NO_DRAFTS;
  }
  const band = nodePortStaticBand();
  const pinned = component.ports.filter((port) => port.nodePort !== undefined && port.nodePort > band.max);
  if (pinned.length === 0) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP009', component, order, {
    raised: false,
    detail: `${component.name} pins node port${pinned.length === 1 ? '' : 's'} ${pinned.map((port) => `${port.nodePort} for ${describePort(port)}`).join(', ')}, above the static band ${band.min}-${band.max} where Kubernetes also hands out ports automatically.`,
    vars: { band: `${band.min}-${band.max}` },
  });
};

const sensitivePorts: Check = (context, component, order, recommendation) => {
  if (recommendation === undefined || recommendation.entryPoint === 'none') {
    return NO_DRAFTS;
  }
  const dataStore = isDataStore(component.role);
  const hits = component.ports.flatMap((port) => {
    const known = sensitivePort(port);
    return known === undefined || (dataStore && known.dataStore) ? [] : [{ port, known }];
  });
  if (hits.length === 0) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP012', component, order, {
    raised: component.exposure === 'public' && nodesMayBeOnTheInternet(context.topology.environment.platform),
    detail: `${component.name} (${component.role}, ${component.exposure}) exposes ${hits.map(({ port, known }) => `${known.service} on ${describePort(port)}`).join(', ')} outside the cluster through ${describeEntryPoint(recommendation)}.`,
    vars: { ports: hits.map(({ port }) => `${port.port}/${port.protocol}`).join(', ') },
  });
};

const networkPolicyCoverage: Check = (context, component, order) => {
  const namespace = context.topology.namespace;
  const covered = policiesSelecting(context.networkPolicyIndex, component.labels).length > 0;
  if (covered) {
    return NO_DRAFTS;
  }
  const labels = describeLabels(component.labels);
  return componentFinding('EXP013', component, order, {
    raised: false,
    detail: `No NetworkPolicy in ${namespace} selects ${component.name}\'s pods (${labels}) for ingress, so every pod of the cluster can connect to ${component.ports.length > 0 ? describePorts(component.ports) : 'them'}.`,
    vars: { labels },
  });
};

/**
 * EXP034: the policies that select the component admit a block broader than it looks (the cluster's
 * pods, or every private range standing in for the nodes), read from the manifests by the same
 * function that counts the component as partly covered in the plan's networkPolicyCoverage.
 */
const networkPolicyBroaderThanItLooks: Check = (context, component, order) => {
  const broad = broaderThanItLooks(context.topology, component, context.networkPolicyIndex);
  if (broad === null) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP034', component, order, {
    raised: false,
    detail: `${component.name}: ${broad.reason}.`,
    vars: { narrow: narrowingAdvice(broad.narrowWith, context.topology.environment.platform) },
  });
};

function narrowingAdvice(narrowWith: string[], platform: Platform): string {
  const podCidr = narrowWith.includes('environment.podCidr');
  const nodeCidr = narrowWith.includes('environment.nodeCidr');
  // Only on AWS does the node range also tell pods from nodes (the VPC CNI gives pods VPC addresses).
  const onAws = platform === 'aws';
  if (podCidr && nodeCidr) {
    return `set environment.podCidr to the cluster's pod ranges (the plan then excepts them from every broad block) and environment.nodeCidr to the node (VPC) ranges (admitted instead of every private range${onAws ? ', and what tells pods from nodes on AWS' : ''}).`;
  }
  if (podCidr) {
    return "set environment.podCidr to the cluster's pod ranges: the plan then excepts them from every broad block.";
  }
  if (nodeCidr) {
    return `set environment.nodeCidr to the node (VPC) ranges: the plan then admits them instead of every private range${onAws ? ', and can tell pods from nodes on AWS' : ''}.`;
  }
  return 'no input narrows it: the pod ranges share the node (VPC) range, as with the AWS VPC CNI without custom networking, so excepting them would cut the load balancer off. Limit who reaches the pods with security groups for pods, or give the pods their own range (custom networking) and set environment.podCidr to it.';
}

const internetFacingNonPublic: Check = (context, component, order, recommendation) => {
  if (recommendation?.serviceType !== 'LoadBalancer' || component.exposure === 'public') {
    return NO_DRAFTS;
  }
  const { platform } = context.topology.environment;
  const meant = recommendation.scheme;
  if (renderedScheme(platform, meant) !== 'internet-facing') {
    return NO_DRAFTS;
  }
  const detail =
    meant === 'internal'
      ? `${component.name} has exposure ${component.exposure} and the plan wants its LoadBalancer internal, but the planner cannot mark it internal on ${platform}: no portable annotation exists, so the Service carries none and gets the provider's default, usually internet-facing. Until your provider's internal load balancer annotation is added, ${describePorts(component.ports)} may get a public address${whoConnects(component.allowedSources)}.`
      : `${component.name} has exposure ${component.exposure}, but its LoadBalancer is internet-facing: ${describePorts(component.ports)} gets a public address${whoConnects(component.allowedSources)}.`;
  return componentFinding('EXP016', component, order, {
    raised: false,
    detail,
    vars: { internal: internalLoadBalancerWay(platform) },
  });
};

const clientIpBehindIngress: Check = (context, component, order, recommendation) => {
  if (!component.preserveClientIp || recommendation?.entryPoint !== 'ingress') {
    return NO_DRAFTS;
  }
  const className = context.ingress?.className ?? context.topology.environment.ingressController ?? 'ingress';
  return componentFinding('EXP017', component, order, {
    raised: false,
    detail: `${component.name} asks to keep the client IP but is routed through the ${className} Ingress: its pods see the controller\'s address, and the client\'s only in forwarded headers.`,
    vars: { className },
  });
};

/** The bundled Traefik of k3s is itself a ServiceLB LoadBalancer on these ports. */
const K3S_TRAEFIK_PORTS = ['80/TCP', '443/TCP'];

const serviceLbPortClash: Check = (context, component, order, recommendation) => {
  if (recommendation?.serviceType !== 'LoadBalancer') {
    return NO_DRAFTS;
  }
  const clash = serviceLbClashes(context).get(component.name);
  if (clash === undefined) {
    return NO_DRAFTS;
  }
  const { taken, holder } = clash;
  return componentFinding('EXP018', component, order, {
    raised: false,
    detail: `${component.name} is a LoadBalancer on k3s ServiceLB, which binds ports on every node: ${taken.join(', ')} already ${taken.length === 1 ? 'belongs' : 'belong'} to ${holder}, so ${component.name} would stay <pending>.`,
    vars: { ports: taken.join(', '), holder },
  });
};

/**
 * An HTTPS backend port behind the Ingress: judged on the rendered Service, which must carry what
 * the class reads to speak HTTPS to it (routing/backend-protocol.ts), or the class has no such
 * setting the plan knows.
 */
const unreachableHttpsBackend: Check = (context, component, order, recommendation) => {
  const className = context.ingress?.className;
  if (recommendation?.entryPoint !== 'ingress' || className === undefined || component.ports.length === 0) {
    return NO_DRAFTS;
  }
  const port = ingressBackendPort(component);
  if (backendProtocol(port) !== 'HTTPS') {
    return NO_DRAFTS;
  }
  const settings = backendProtocolSettings(className, port);
  const service = findObject(context, 'Service', component.name);
  const fix = settings.ok
    ? Object.entries(settings.serviceAnnotations)
        .filter(([key, value]) => annotation(service, key) !== value)
        .map(([key, value]) => `set the Service annotation ${key}: ${value}`)
        .join('; ')
    : settings.missing;
  if (fix === '') {
    return NO_DRAFTS;
  }
  return componentFinding('EXP021', component, order, {
    raised: false,
    detail: `${component.name} serves HTTPS on port ${port.name ?? port.port}, but the ${className} Ingress is not told to: it would send plain HTTP and get a TLS error back.`,
    vars: { fix },
  });
};

/**
 * A WebSocket backend behind an L7 entry point whose limit would end its connections, judged on
 * the rendered objects: the Ingress must carry the class's timeout (routing/websocket.ts), and a
 * Gateway of a class whose limit lives in a provider object the plan does not render is flagged.
 */
const websocketCutByEntryPoint: Check = (context, component, order, recommendation) => {
  if (recommendation?.entryPoint !== 'ingress' || component.ports.length === 0) {
    return NO_DRAFTS;
  }
  const port = ingressBackendPort(component);
  if (!speaksWebSocket(port)) {
    return NO_DRAFTS;
  }
  const cut = websocketLimitLeft(context, component, port);
  if (cut === undefined) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP028', component, order, {
    raised: cut.fixed,
    detail: `${component.name} serves WebSockets on port ${port.name ?? port.port}, and ${cut.where} ends them after ${cut.limit}.`,
    vars: { fix: cut.fix },
  });
};

function websocketLimitLeft(
  context: Context,
  component: Component,
  port: PortSpec,
): { where: string; limit: string; fixed: boolean; fix: string } | undefined {
  const gateway = context.manifests.find((object) => object.kind === 'Gateway');
  if (gateway !== undefined) {
    const field = specField(gateway, 'gatewayClassName');
    const className = typeof field === 'string' ? field : '';
    const limit = gatewayWebsocketLimit(className);
    return limit === undefined ? undefined : { where: `the Gateway (class ${className})`, ...limit };
  }
  const className = context.ingress?.className;
  if (className === undefined) {
    return undefined;
  }
  const ingress = findObject(context, 'Ingress', context.topology.name);
  const wanted = websocketIngressAnnotations(className, [component], () => port);
  const missing = Object.entries(wanted).filter(([key, value]) => annotation(ingress, key) !== value);
  if (missing.length === 0) {
    return undefined;
  }
  return {
    where: `the ${className} Ingress`,
    limit: isAlbClass(className) ? 'the ALB idle timeout (60 s by default)' : 'the proxy timeouts (60 s by default)',
    fixed: false,
    fix: missing.map(([key, value]) => `set the Ingress annotation ${key}: ${value}`).join('; '),
  };
}

/** A public HTTP component given its own entry point because another already asked for its route. */
const separateEntryForTakenRoute: Check = (context, component, order, recommendation) => {
  const holder = context.routeTakenBy.get(component.name);
  if (holder === undefined || recommendation === undefined || recommendation.entryPoint === 'ingress') {
    return NO_DRAFTS;
  }
  const monthly =
    context.monthlyByComponent === undefined ? undefined : (context.monthlyByComponent.get(component.name) ?? 0);
  const saving =
    monthly === undefined
      ? 'what its own entry point costs'
      : monthly > 0
        ? `${formatUsd(monthly)}/mo`
        : 'one more address or node port (no money: entry points cost nothing here)';
  return componentFinding('EXP022', component, order, {
    raised: false,
    detail: `${component.name} asks for ${askedRoute(component)}, which ${holder} already has, so it is not moved under another path: it gets its own ${recommendation.entryPoint === 'node-port' ? 'NodePort' : 'load balancer'}. A host of its own would let it share the one entry point and save ${saving}.`,
    vars: { saving, holder },
  });
};

/**
 * EXP023: a port that looks like metrics, admin or cluster traffic (ports.ts) published on the
 * component's own load balancer or node ports because the user set its exposure to inherit.
 * Judged on the rendered Service: behind the shared Ingress only the routed port is reachable.
 */
const publishedNonPublicPort: Check = (context, component, order) => {
  const service = findObject(context, 'Service', component.name);
  const spec = asRecord(service?.spec);
  const type = spec?.type;
  if (type !== 'LoadBalancer' && type !== 'NodePort') {
    return NO_DRAFTS;
  }
  const rendered = new Set(
    (Array.isArray(spec?.ports) ? (spec.ports as unknown[]) : []).map((port) => asRecord(port)?.port),
  );
  // A port that shares its container port with a traffic port cannot be kept in-cluster: the
  // rationale says so (sharedContainerPortRationale), and this finding's remedy would not hold.
  const published = publishedNonPublicPorts(component).filter(
    ({ port, sharesWith }) => sharesWith === undefined && rendered.has(port.port),
  );
  if (published.length === 0) {
    return NO_DRAFTS;
  }
  const ports = published.map(({ port }) => describeOnePort(port)).join(', ');
  const where = type === 'LoadBalancer' ? 'its LoadBalancer' : 'a node port on every node';
  return componentFinding('EXP023', component, order, {
    raised: false,
    detail: `${component.name} publishes ${published.map(({ port, reason }) => `${describeOnePort(port)} (${reason})`).join('; ')} on ${where}, with exposure ${component.exposure}, because the port says exposure "inherit": whoever reaches the entry point reaches it too.`,
    vars: { ports, service: internalServiceName(component.name) },
  });
};

/** EXP029: a component others depend on, for which the manifests hold no Service with a port. */
const dependencyWithoutService: Check = (context, component, order) => {
  const callers = (context.callers.get(component.name) ?? []).map((other) => other.name);
  if (callers.length === 0) {
    return NO_DRAFTS;
  }
  const service = findObject(context, 'Service', component.name);
  const ports = service === undefined ? undefined : specField(service, 'ports');
  if (Array.isArray(ports) && ports.length > 0) {
    return NO_DRAFTS;
  }
  const named = callers.join(', ');
  return componentFinding('EXP029', component, order, {
    raised: false,
    detail: `${named} ${callers.length === 1 ? 'depends' : 'depend'} on ${component.name}, but ${component.name} has no ports, so the plan renders no Service for it: ${component.name}.${context.topology.namespace}.svc does not resolve, and nothing is there to connect to.`,
    vars: { callers: named },
  });
};

/**
 * EXP030: a public component routed over TLS whose Ingress class still answers plain HTTP on port
 * 80 with the application, judged on the rendered Ingress. GKE Ingress needs a FrontendConfig with
 * redirectToHttps (https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration);
 * the internal one (gce-internal) has no redirect and needs plain HTTP turned off
 * (kubernetes.io/ingress.allow-http "false", routing/gke-https-redirect.ts);
 * an ALB needs ssl-redirect (the plan writes it). Traefik reads spec.tls for certificates only: its
 * routers serve TLS, and ignore plain HTTP, only with router.tls "true" on the Ingress
 * (https://doc.traefik.io/traefik/reference/routing-configuration/http/tls/overview/; the plan
 * writes it, routing/traefik-ingresses.ts); without it the application is served on port 80 too.
 * NGINX redirects by default once the Ingress has TLS (ssl-redirect, true by default:
 * https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect).
 * Any other class (haproxy, kong, istio, a class of yours) has a default the plan cannot cite:
 * it cannot tell whether port 80 redirects or serves the application, so it says so.
 */
const tlsIngressServesPlainHttp: Check = (context, component, order, recommendation) => {
  if (component.exposure !== 'public' || recommendation?.entryPoint !== 'ingress') {
    return NO_DRAFTS;
  }
  const ingressObject = findIngress(context, component);
  if (ingressObject === undefined || !ingressTlsCovers(ingressObject, component.host)) {
    return NO_DRAFTS;
  }
  const host = component.host ?? 'its host';
  if (isGceInternalIngress(ingressObject)) {
    if (gkeRefusesPlainHttp(ingressObject)) {
      return NO_DRAFTS;
    }
    return componentFinding('EXP030', component, order, {
      raised: false,
      detail: `The internal GKE Ingress (gce-internal) has a certificate for ${component.name} on ${host} but does not turn plain HTTP off, and it cannot redirect it: GKE's FrontendConfig redirectToHttps works for the external Application Load Balancer only (the controller refuses it on gce-internal). As written, the controller either serves ${component.name} over plain HTTP too (with a shared regional static IP) or refuses to set up the load balancer at all ("gce-internal Ingress class must be configured with a static-ip to use both HTTP and HTTPS").`,
      vars: {
        fix: `gce-internal has no redirect, so turn plain HTTP off instead: set the Ingress annotation kubernetes.io/ingress.allow-http: "false" (the plan writes it on the gce-internal Ingress it renders), so the internal load balancer listens on HTTPS only; clients must use https://${component.host ?? '<host>'}.`,
      },
    });
  }
  if (isGceIngress(ingressObject)) {
    if (gkeRedirectsToHttps(ingressObject, context.frontendConfigs, context.topology.namespace)) {
      return NO_DRAFTS;
    }
    return componentFinding('EXP030', component, order, {
      raised: false,
      detail: `The GKE Ingress serves ${component.name} on ${host} over HTTPS and, through its HTTP forwarding rule, over plain HTTP too: no FrontendConfig with redirectToHttps is named on it.`,
      vars: {
        fix: `apply a FrontendConfig (apiVersion networking.gke.io/v1beta1) with spec.redirectToHttps.enabled: true and name it on the Ingress with the annotation networking.gke.io/v1beta1.FrontendConfig: <its name> (GKE 1.17.13-gke.2600 or later); or drop plain HTTP with kubernetes.io/ingress.allow-http: "false".`,
      },
    });
  }
  if (isTraefikIngress(ingressObject)) {
    if (annotation(ingressObject, TRAEFIK_ROUTER_TLS) === 'true') {
      return NO_DRAFTS;
    }
    return componentFinding('EXP030', component, order, {
      raised: false,
      detail: `Traefik loads the certificate for ${component.name} on ${host} from the Ingress's tls entry, but the Ingress ${ingressObject.metadata.name} has no ${TRAEFIK_ROUTER_TLS}: "true", so its routers are plain HTTP routers on every entry point, and port 80 serves the application in clear text unless Traefik's web entry point redirects.`,
      vars: {
        fix: `set the Ingress annotation ${TRAEFIK_ROUTER_TLS}: "true" (on an Ingress of the hosts with TLS only: it applies to all its routes), so plain HTTP gets a 404; and for a redirect, ${TRAEFIK_HTTPS_REDIRECT}.`,
      },
    });
  }
  if (isAlbIngress(ingressObject)) {
    if (
      !albListensHttps(ingressObject.metadata.annotations) ||
      annotation(ingressObject, ALB_SSL_REDIRECT_ANNOTATION) !== undefined
    ) {
      return NO_DRAFTS;
    }
    return componentFinding('EXP030', component, order, {
      raised: false,
      detail: `The ALB serves ${component.name} on ${host} on its HTTPS listener and on its HTTP listener too: the Ingress has no ${ALB_SSL_REDIRECT_ANNOTATION}.`,
      vars: {
        fix: `set the Ingress annotation ${ALB_SSL_REDIRECT_ANNOTATION}: '443', which turns every HTTP listener into a redirect to 443.`,
      },
    });
  }
  const className = ingressClassOf(ingressObject);
  if (isNginxClass(className)) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP030', component, order, {
    raised: false,
    detail: `The Ingress ${ingressObject.metadata.name} of class ${className || '(none named)'} has a certificate for ${component.name} on ${host}, but the plan does not know whether that controller redirects plain HTTP once an Ingress has TLS: it may serve ${component.name} on port 80 in clear text too.`,
    vars: {
      fix: `check what the ${className || 'cluster default'} controller does with plain HTTP for a host that has TLS (request http://${component.host ?? '<host>'}/ through it: a 301 or 308 to https is the redirect) and turn its HTTPS redirect on where it is off (HAProxy: ssl-redirect; Kong: konghq.com/protocols "https" and konghq.com/https-redirect-status-code; others: their own setting).`,
    },
  });
};

const AWS_HEALTHCHECK_PORT_ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-port';

/**
 * EXP031: UDP ports on an AWS NLB (rendered Service of the AWS Load Balancer Controller) whose
 * health check, TCP on the traffic port by default (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/;
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html),
 * reaches no TCP listener: no health-check port annotation, and no TCP port of the same number.
 */
const udpWithoutHealthCheck: Check = (context, component, order) => {
  const service = findObject(context, 'Service', component.name);
  if (
    service === undefined ||
    specField(service, 'type') !== 'LoadBalancer' ||
    annotation(service, 'service.beta.kubernetes.io/aws-load-balancer-type') !== 'external' ||
    annotation(service, AWS_HEALTHCHECK_PORT_ANNOTATION) !== undefined
  ) {
    return NO_DRAFTS;
  }
  const rendered = renderedPorts(service);
  const tcpPorts = new Set(rendered.filter((port) => port.protocol !== 'UDP').map((port) => port.port));
  const udp = rendered.filter((port) => port.protocol === 'UDP' && !tcpPorts.has(port.port));
  if (udp.length === 0) {
    return NO_DRAFTS;
  }
  const described = udp.map((port) => `${port.port}/UDP`).join(', ');
  const tcp = component.ports.find((port) => port.protocol === 'TCP');
  return componentFinding('EXP031', component, order, {
    raised: false,
    detail: `${component.name}'s NLB health-checks its UDP target group${udp.length === 1 ? '' : 's'} (${described}) over TCP on the same port${udp.length === 1 ? '' : 's'}, where the pods listen over UDP only: every target is marked unhealthy.`,
    vars: {
      ports:
        tcp === undefined
          ? `${component.name} has no TCP port yet: add one for the check.`
          : `Its TCP port ${describePort(tcp)} will do if it answers only while the UDP service works.`,
    },
  });
};

/**
 * EXP038: Service ports of one number on an NLB of the AWS Load Balancer Controller that it does not
 * all serve (routing/l4-listeners.ts): without aws-load-balancer-enable-tcp-udp-listener "true" only
 * the first one's listener is built; with it, a group that is not one TCP and one UDP port fails the
 * Service, and two targetPorts become one.
 */
const sharedPortNumberDropped: Check = (context, component, order) => {
  const service = findObject(context, 'Service', component.name);
  if (
    service === undefined ||
    specField(service, 'type') !== 'LoadBalancer' ||
    annotation(service, 'service.beta.kubernetes.io/aws-load-balancer-type') !== 'external'
  ) {
    return NO_DRAFTS;
  }
  const shared = sharedPortNumbers(servicePortsWithTargets(service));
  if (shared.length === 0) {
    return NO_DRAFTS;
  }
  const merging = annotation(service, AWS_TCP_UDP_LISTENER) === 'true';
  const broken = merging ? shared.filter((group) => group.unmergeable !== undefined) : shared;
  if (broken.length === 0) {
    return NO_DRAFTS;
  }
  const described = broken.map((group) => {
    const [first, ...others] = group.ports;
    const refused = !isTcpUdpPair(group.ports);
    return merging
      ? `${group.ports.map(label).join(' and ')} on ${group.port}: ${group.unmergeable ?? ''}${refused ? ', so the controller builds no load balancer for the Service at all' : ''}`
      : `${others.map(label).join(' and ')} ${others.length === 1 ? 'is' : 'are'} not served (on ${group.port} only ${first === undefined ? 'the first port' : label(first)} gets a listener)`;
  });
  const mergeable = broken.every((group) => group.unmergeable === undefined);
  return componentFinding('EXP038', component, order, {
    raised: false,
    detail: merging
      ? `${component.name}'s Service asks for TCP_UDP listeners (${AWS_TCP_UDP_LISTENER}), but ${described.join('; ')}.`
      : `${component.name}'s NLB has one listener per port number, and its Service does not set ${AWS_TCP_UDP_LISTENER} "true": ${described.join('; ')}.`,
    vars: {
      fix: mergeable
        ? `set service.beta.kubernetes.io/aws-load-balancer-enable-tcp-udp-listener: "true" on the Service (AWS Load Balancer Controller ${AWS_TCP_UDP_MIN_CONTROLLER} or later), which the plan writes when every shared number is one TCP and one UDP port with one targetPort.`
        : 'give each shared port number one TCP and one UDP port with the same targetPort (one container port serving both protocols), or publish the others on numbers of their own; the plan then writes aws-load-balancer-enable-tcp-udp-listener "true" and the NLB opens one TCP_UDP listener per shared number.',
    },
  });
};

/** The Service's ports as the AWS Load Balancer Controller reads them for listeners: number, protocol, targetPort, name. */
function servicePortsWithTargets(service: KubeObject): ServicePortLike[] {
  const ports = specField(service, 'ports');
  return (Array.isArray(ports) ? ports : []).flatMap((entry) => {
    const port = asRecord(entry);
    if (typeof port?.port !== 'number') {
      return [];
    }
    const read: ServicePortLike = {
      port: port.port,
      protocol: typeof port.protocol === 'string' ? port.protocol : 'TCP',
    };
    if (typeof port.targetPort === 'number' || typeof port.targetPort === 'string') {
      read.targetPort = port.targetPort;
    }
    if (typeof port.name === 'string') {
      read.name = port.name;
    }
    return [read];
  });
}

/** EXP032: externalTrafficPolicy Local rendered on a load balancer that targets pods, where it does nothing. */
const localPolicyOnPodTargets: Check = (context, component, order) => {
  const service = findObject(context, 'Service', component.name);
  if (
    service === undefined ||
    specField(service, 'type') !== 'LoadBalancer' ||
    specField(service, 'externalTrafficPolicy') !== 'Local' ||
    !targetsPods(service)
  ) {
    return NO_DRAFTS;
  }
  return componentFinding('EXP032', component, order, {
    raised: false,
    detail: `${component.name}'s LoadBalancer sends to pod IPs (aws-load-balancer-nlb-target-type ip), yet its Service sets externalTrafficPolicy Local: the NLB does not go through the nodes, so the policy neither keeps the client IP nor makes the NLB health-check every node.`,
    vars: {
      keep: 'client IP preservation: service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: preserve_client_ip.enabled=true, which the plan writes when preserveClientIp or allowedSources asks for it',
    },
  });
};

/**
 * EXP033: an IPv6 range in the rendered loadBalancerSourceRanges of a load balancer that gets no
 * IPv6 address: on AWS without aws-load-balancer-ip-address-type dualstack
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/),
 * elsewhere without a dual-stack ipFamilyPolicy (https://kubernetes.io/docs/concepts/services-networking/dual-stack/).
 */
const ipv6SourcesOnSingleStack: Check = (context, component, order) => {
  const service = findObject(context, 'Service', component.name);
  if (service === undefined || specField(service, 'type') !== 'LoadBalancer') {
    return NO_DRAFTS;
  }
  const ipv6 = sourceRanges(component, service).filter((range) => range.includes(':') && !isWholeAddressSpace(range));
  const { platform } = context.topology.environment;
  if (ipv6.length === 0 || servesIpv6(service, platform)) {
    return NO_DRAFTS;
  }
  const fix =
    platform === 'aws'
      ? 'set service.beta.kubernetes.io/aws-load-balancer-ip-address-type: dualstack on its Service (the subnets of the NLB need IPv6 CIDRs); or, if the VPC has no IPv6, remove the IPv6 ranges from allowedSources: no IPv6 client can reach it.'
      : 'on a dual-stack cluster set spec.ipFamilyPolicy: PreferDualStack (ipFamilies [IPv4, IPv6]) on its Service so the load balancer gets an IPv6 address too; on a single-stack IPv4 cluster remove the IPv6 ranges from allowedSources: no IPv6 client can reach it.';
  return componentFinding('EXP033', component, order, {
    raised: false,
    detail: `${component.name} admits ${ipv6.join(', ')} in loadBalancerSourceRanges, but its Service asks for no IPv6 address${platform === 'aws' ? ' (no aws-load-balancer-ip-address-type: dualstack)' : ' (no dual-stack ipFamilyPolicy)'}: those clients cannot reach it.`,
    vars: { fix },
  });
};

/**
 * EXP035: a LoadBalancer Service that narrows its sources, keeps its node ports, and whose pods admit
 * a node's address: a host that reaches a node on the node port connects past allowedSources, since
 * loadBalancerSourceRanges filter only the load balancer's traffic. Judged on the rendered Service and
 * the policies that select the pods (blocksBeyondSources). Not on kind and minikube, whose nodes are
 * containers or a VM on the local machine.
 */
const nodePortsBypassSources: Check = (context, component, order) => {
  const service = findObject(context, 'Service', component.name);
  const { platform } = context.topology.environment;
  if (service === undefined || specField(service, 'type') !== 'LoadBalancer' || !nodesMayBeOnTheInternet(platform)) {
    return NO_DRAFTS;
  }
  // Without allocation only the node ports a port pins are opened (the Service API's rule).
  const allocated = specField(service, 'allocateLoadBalancerNodePorts') !== false;
  const nodePorts = renderedNodePorts(service, allocated);
  const ranges = sourceRanges(component, service).filter((range) => !isWholeAddressSpace(range));
  if (nodePorts.length === 0 || ranges.length === 0) {
    return NO_DRAFTS;
  }
  const beyond = blocksBeyondSources(component, context.networkPolicyIndex);
  if (beyond !== null && beyond.length === 0) {
    return NO_DRAFTS;
  }
  // With Local, kube-proxy keeps the client's address on the node-port path; with Cluster it SNATs to the node's.
  const from =
    specField(service, 'externalTrafficPolicy') === 'Local'
      ? "from the client's own address (externalTrafficPolicy Local)"
      : "from that node's address";
  const pods =
    beyond === null
      ? `${from}, and no NetworkPolicy selects ${component.name}'s pods`
      : `${from}, which its NetworkPolicy admits (${beyond.join(', ')})`;
  return componentFinding('EXP035', component, order, {
    raised: false,
    detail: `${component.name}'s LoadBalancer Service also opens ${nodePorts.join(', ')} on every node, and its loadBalancerSourceRanges (${ranges.join(', ')}) filter only what comes through the load balancer: a connection to a node's address on ${nodePorts.length === 1 ? 'that port' : 'those ports'} reaches the pods ${pods}, so any host that reaches a node connects past allowedSources.`,
    vars: { ports: nodePorts.join(', '), fix: nodePortBypassFix(platform, service, allocated) },
  });
};

/** The node ports a rendered Service opens: each port's pinned one, or with allocation one Kubernetes assigns. */
function renderedNodePorts(service: KubeObject, allocated: boolean): string[] {
  return renderedPorts(service).flatMap(({ port, protocol, nodePort }) => {
    if (nodePort !== undefined) {
      return [`node port ${nodePort} (${port}/${protocol})`];
    }
    return allocated ? [`a node port for ${port}/${protocol}`] : [];
  });
}

const NODE_PORT_ALLOCATION_DOCS =
  'https://kubernetes.io/docs/concepts/services-networking/service/#load-balancer-nodeport-allocation';

function nodePortBypassFix(platform: Platform, service: KubeObject, allocated: boolean): string {
  if (platform === 'aws' && targetsPods(service)) {
    return allocated
      ? `its NLB sends to pod addresses (aws-load-balancer-nlb-target-type ip), not to the node ports, so set spec.allocateLoadBalancerNodePorts: false on its Service, as the plan renders it, and no node port is opened (${NODE_PORT_ALLOCATION_DOCS}); until then allow the node port range in the nodes' security group only from the hosts that need it.`
      : "its NLB sends to pod addresses (aws-load-balancer-nlb-target-type ip) and uses no node port: remove the pinned nodePort from the component's ports, and the Service opens none.";
  }
  if (platform === 'digitalocean') {
    return 'DigitalOcean load balancers forward to the node ports, so they stay: in the cloud firewall of the worker nodes, allow the node port range only from the load balancer (a DigitalOcean firewall rule can name a load balancer as its source).';
  }
  return `in the nodes' firewall or security group, allow the node port range only from the load balancer; if the load balancer reaches the pods without the node ports (it sends to pod addresses, or to its own address on the nodes), set spec.allocateLoadBalancerNodePorts: false on its Service instead (${NODE_PORT_ALLOCATION_DOCS}).`;
}

/** Every check of a component with pods, in the order their findings are listed; made once, not per component. */
const COMPONENT_CHECKS: readonly Check[] = [
  dataStorePublic,
  dataStoreOutside,
  nodePortEveryNode,
  loadBalancerSources,
  plainHttp,
  privateTlsDropped,
  tlsOnPassThroughPorts,
  tlsOnSharedGatewayListeners,
  albHostWithoutCertificate,
  unprovisionableLoadBalancer,
  localTrafficPolicy,
  dynamicBandNodePort,
  sensitivePorts,
  networkPolicyCoverage,
  networkPolicyBroaderThanItLooks,
  internetFacingNonPublic,
  clientIpBehindIngress,
  serviceLbPortClash,
  routedSourcesIgnored,
  proxyMisjudgedSources,
  unreachableHttpsBackend,
  separateEntryForTakenRoute,
  publishedNonPublicPort,
  websocketCutByEntryPoint,
  dependencyWithoutService,
  tlsIngressServesPlainHttp,
  udpWithoutHealthCheck,
  localPolicyOnPodTargets,
  ipv6SourcesOnSingleStack,
  nodePortsBypassSources,
  sharedPortNumberDropped,
];

/**
 * EXP029 for an ExternalName dependency without ports when egress is restricted: the callers' egress
 * policies can only admit an external name's ports, so with none listed they admit nothing to it.
 * Judged on the manifests: the ExternalName Service has no ports and an Egress policy selects a caller.
 */
function externalDependencyWithoutPorts(context: Context, component: Component, order: number): readonly Draft[] {
  const service = findObject(context, 'Service', component.name);
  const ports = service === undefined ? undefined : specField(service, 'ports');
  if (Array.isArray(ports) && ports.length > 0) {
    return NO_DRAFTS;
  }
  const callers = (context.callers.get(component.name) ?? []).filter(
    (other) => policiesSelecting(context.networkPolicyIndex, other.labels, 'Egress').length > 0,
  );
  if (callers.length === 0) {
    return NO_DRAFTS;
  }
  const named = callers.map((caller) => caller.name).join(', ');
  return componentFinding('EXP029', component, order, {
    raised: false,
    detail: `${named} ${callers.length === 1 ? 'depends' : 'depend'} on ${component.name} (${component.externalName ?? 'an external name'}), but ${component.name} has no ports and egress is restricted: the egress policies of ${named} admit connections to an external name on its ports only, so none to ${component.name} is admitted.`,
    vars: { callers: named },
  });
}

function externalNameFindings(context: Context, component: Component, order: number): readonly Draft[] {
  const externalName = component.externalName ?? 'the external host';
  const serviceName = `${component.name}.${context.topology.namespace}.svc.cluster.local`;
  return [
    ...externalDependencyWithoutPorts(context, component, order),
    ...componentFinding('EXP010', component, order, {
      raised: false,
      detail: `${serviceName} is a CNAME for ${externalName}: clients that connect to ${component.name} send ${serviceName} as Host and SNI, and ${externalName}\'s certificate does not name it.`,
      vars: { externalName },
    }),
    ...componentFinding('EXP011', component, order, {
      raised: false,
      detail: `Every in-cluster client of ${component.name} follows the Service\'s externalName (${externalName}); changing that one field redirects all of them.`,
      vars: {},
    }),
  ];
}

/** Whether a LoadBalancer Service gets an address here: the same answer the recommender and the cost use. */
export function canProvisionLoadBalancer(environment: Environment): boolean {
  return loadBalancerSupport(environment) !== 'none';
}

function loadBalancerFix(environment: Environment, component: string, namespace: string): string {
  switch (environment.platform) {
    case 'kind':
      return 'run cloud-provider-kind, or MetalLB with a pool from the kind Docker network and loadBalancerProvider metallb; or use a NodePort with extraPortMappings.';
    case 'minikube':
      return `run \`minikube tunnel\` while testing, or use a NodePort (\`minikube service ${component} -n ${namespace} --url\`).`;
    case 'k3s':
      return "re-enable k3s's bundled ServiceLB (do not start the server with --disable servicelb) or install MetalLB, and set loadBalancerProvider accordingly.";
    case 'bare-metal':
    case 'aws':
    case 'gcp':
    case 'azure':
    case 'digitalocean':
    case 'other-cloud':
      // Clouds never get here (their controller provisions); the bare-metal advice is the general one.
      return 'install MetalLB or kube-vip with an address pool and set loadBalancerProvider, or use a NodePort behind an external L4 load balancer.';
  }
}

/** The Ingress that routes the component: the shared one, or one of its own (a Traefik source restriction). */
function findIngress(context: Context, component: Component): KubeObject | undefined {
  return context.ingressByService.get(component.name) ?? findObject(context, 'Ingress', context.topology.name);
}

/** Whether a rendered LoadBalancer Service's targets are pod IPs (the AWS NLB in ip mode). */
function targetsPods(service: KubeObject | undefined): boolean {
  return annotation(service, 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type') === 'ip';
}

function servesIpv6(service: KubeObject, platform: Platform): boolean {
  if (platform === 'aws') {
    return (
      annotation(service, 'service.beta.kubernetes.io/aws-load-balancer-ip-address-type')?.startsWith('dualstack') ===
      true
    );
  }
  const policy = specField(service, 'ipFamilyPolicy');
  const families = specField(service, 'ipFamilies');
  return (
    policy === 'PreferDualStack' ||
    policy === 'RequireDualStack' ||
    (Array.isArray(families) && families.includes('IPv6'))
  );
}

function renderedPorts(service: KubeObject): { port: number; protocol: string; nodePort?: number }[] {
  const ports = specField(service, 'ports');
  return (Array.isArray(ports) ? ports : []).flatMap((entry) => {
    const port = asRecord(entry);
    if (typeof port?.port !== 'number') {
      return [];
    }
    const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
    return [
      typeof port.nodePort === 'number'
        ? { port: port.port, protocol, nodePort: port.nodePort }
        : { port: port.port, protocol },
    ];
  });
}

function findObject(context: Context, kind: string, name: string): KubeObject | undefined {
  return context.objects.get(kind)?.get(name);
}

function sensitivePort(port: PortSpec): { service: string; dataStore: boolean } | undefined {
  // A Service port 2222 in front of container port 22 is still SSH.
  return (
    SENSITIVE_PORTS.get(port.port) ??
    (typeof port.targetPort === 'number' ? SENSITIVE_PORTS.get(port.targetPort) : undefined)
  );
}

function planOutcome(recommendation: Recommendation | undefined): string {
  if (recommendation === undefined || recommendation.entryPoint === 'none') {
    return 'The plan keeps it in-cluster only (ClusterIP); the requested exposure was not granted.';
  }
  return `The plan exposes it through ${describeEntryPoint(recommendation)}.`;
}

function describeEntryPoint(recommendation: Recommendation): string {
  switch (recommendation.entryPoint) {
    case 'ingress':
      return 'the Ingress';
    case 'load-balancer':
      return `a${recommendation.scheme === 'internal' ? 'n internal' : recommendation.scheme === 'internet-facing' ? 'n internet-facing' : ''} LoadBalancer`;
    case 'node-port':
      return 'node ports on every node';
    case 'none':
      return 'no outside entry point';
  }
}

function describePort(port: PortSpec): string {
  return `${port.port}/${port.protocol}${port.name === undefined ? '' : ` (${port.name})`}`;
}

function describePorts(ports: PortSpec[]): string {
  if (ports.length === 0) {
    return 'no ports';
  }
  return `port${ports.length === 1 ? '' : 's'} ${ports.map(describePort).join(', ')}`;
}

function describeSources(sources: string[]): string {
  return sources.length === 0 ? 'none (any address)' : sources.join(', ');
}

/** Who may connect to a public address, after "gets a public address". */
function whoConnects(sources: string[]): string {
  return sources.length === 0
    ? ' that any client can connect to (no allowedSources)'
    : `, limited only by ${sources.join(', ')}`;
}

function describeLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

function portForwardVars(component: Component): Record<string, string> {
  const port = component.ports.find((candidate) => candidate.protocol === 'TCP') ?? component.ports[0];
  const number = port?.port ?? 0;
  // Unprivileged users cannot listen below 1024 on their own machine.
  return { port: String(number), localPort: String(number >= 1024 ? number : number + 10000) };
}

const serviceLbClashesByPlan = new WeakMap<Context, ReadonlyMap<string, { taken: string[]; holder: string }>>();

/**
 * On k3s ServiceLB, the node ports each LoadBalancer component asks for that an ingress controller
 * or an earlier LoadBalancer (input order, the order the Services are applied) already holds, and
 * who holds them. One pass over the components, once per plan: asked per component it is quadratic.
 */
function serviceLbClashes(context: Context): ReadonlyMap<string, { taken: string[]; holder: string }> {
  const known = serviceLbClashesByPlan.get(context);
  if (known !== undefined) {
    return known;
  }
  const clashes = new Map<string, { taken: string[]; holder: string }>();
  const { environment } = context.topology;
  const serviceLb = environment.platform === 'k3s' && (environment.loadBalancerProvider ?? 'servicelb') === 'servicelb';
  if (serviceLb) {
    // Who holds each port on the nodes so far.
    const holders = new Map<string, string>();
    if (environment.ingressController !== undefined && environment.ingressController !== 'none') {
      K3S_TRAEFIK_PORTS.forEach((port) => holders.set(port, `the ${environment.ingressController} ingress controller`));
    }
    for (const component of context.topology.components) {
      if (context.recommendations.get(component.name)?.serviceType !== 'LoadBalancer') {
        continue;
      }
      const taken = component.ports.map((port) => `${port.port}/${port.protocol}`).filter((port) => holders.has(port));
      if (taken.length > 0) {
        clashes.set(component.name, {
          taken,
          holder: [...new Set(taken.map((port) => holders.get(port)))].join(' and '),
        });
      }
      component.ports.forEach((port) => holders.set(`${port.port}/${port.protocol}`, component.name));
    }
  }
  serviceLbClashesByPlan.set(context, clashes);
  return clashes;
}

/** Each component's cost items summed as a reduce over its items would, in the order of the plan's cost. */
function monthlyByComponent(cost: CostBreakdown): ReadonlyMap<string, number> {
  const monthly = new Map<string, number>();
  for (const item of cost.items) {
    if (item.component !== undefined) {
      monthly.set(item.component, (monthly.get(item.component) ?? 0) + item.monthly);
    }
  }
  return monthly;
}

function severityOf(draft: Draft): Severity {
  const entry = FINDING_CATALOG[draft.id];
  return draft.raised && entry.raised !== undefined ? entry.raised.severity : entry.severity;
}

function toFinding(draft: Draft, namespace: string): Finding {
  const entry = FINDING_CATALOG[draft.id];
  const vars: Record<string, string> = { namespace, ...draft.vars };
  if (draft.component !== undefined) {
    vars.component = draft.component;
  }
  return {
    id: draft.id,
    severity: severityOf(draft),
    ...(draft.component === undefined ? {} : { component: draft.component }),
    title: entry.title,
    detail: draft.detail,
    remediation: fillTemplate(entry.remediation, vars),
  };
}
