import {
  formatMonthly,
  formatUsd,
  loadBalancerMonthly,
  loadBalancersMonthly,
  serviceForwardingRules,
  loadBalancerSupport,
  roundCents,
  type LoadBalancerSupport,
} from './cost.js';
import { classifyPort } from './http.js';
import { grpcRoutingNotes, isPublicL7, routedTrafficNoun, speaksOnlyGrpc } from './routing/grpc.js';
import { askedRoute, takenRoutes } from './routing/ingress.js';
import { websocketIngressNote } from './routing/websocket.js';
import { retiringController } from './routing/gateway-classes.js';
import {
  defaultIngressClass,
  INGRESS_CONTROLLER_PORTS,
  ingressInstallStep,
  ingressLoadBalancerLayer,
  ingressForwardingRules,
  isAlbClass,
  namedIngressController,
} from './routing/classes.js';
import { backendProtocol, backendProtocolSettings } from './routing/backend-protocol.js';
import {
  canMarkLoadBalancerInternal,
  clientAddressReachesPods,
  headlessServiceName,
  ingressBackendPort,
  renderedScheme,
  tlsSecretName,
} from './manifest-conventions.js';
import type { PricingTable } from './pricing.js';
import { KIND_LISTEN_ADDRESS } from './kind-node-ports.js';
import { isTraefikClass, routedSourcesNote } from './routing/sources.js';
import { TRAEFIK_HTTPS_REDIRECT, TRAEFIK_ROUTER_TLS } from './routing/traefik-ingresses.js';
import { routingApi } from './routing/gateway-plan.js';
import {
  albCertifiedHostFor,
  albCertifiedHosts,
  albHostsWithoutCertificate,
  l4TlsAlternativeClause,
  l4TlsNote,
  loneTlsReason,
  routedCertificateNote,
} from './routing/l4-tls.js';
import { awsTcpUdpNote, doLoadBalancerTypeNote } from './routing/l4-listeners.js';
import {
  needsOwnLoadBalancerForSources,
  ownLoadBalancerForSourcesRationale,
  sharedIngressWithoutSources,
} from './routing/own-lb-sources.js';
import { getsHeadlessService, isDataStore, isLocalPlatform } from './rules.js';
import { internalPortsRationale, internalServiceOf, publishedTopology, sharedContainerPortRationale } from './ports.js';
import {
  type Alternative,
  type Component,
  type IngressPlan,
  type LoadBalancerScheme,
  type Platform,
  type Recommendation,
  selectorServiceRecommendation,
  type ServiceChoice,
  type ServiceType,
  type Topology,
} from './types.js';

export type Recommendations = { recommendations: Recommendation[]; ingress: IngressPlan | null };

const PLATFORM_LABELS: Record<Platform, string> = {
  aws: 'AWS',
  gcp: 'GKE',
  azure: 'AKS',
  digitalocean: 'DigitalOcean',
  'other-cloud': 'this cloud',
  'bare-metal': 'bare metal',
  kind: 'kind',
  minikube: 'minikube',
  k3s: 'k3s',
};

/** Everything one component's decision needs to know about the others and the cluster. */
type Context = {
  topology: Topology;
  platform: Platform;
  label: string;
  support: LoadBalancerSupport;
  local: boolean;
  /** The IngressClass the cluster runs, if any. */
  controller: string | undefined;
  /** The class the plan's Ingress uses (the named one, else the cloud default to install). */
  ingressClass: string;
  /** Whether public HTTP components go behind the shared Ingress. */
  useIngress: boolean;
  /** Public HTTP components that could share an Ingress, in input order (the host-less ones that lost their route excluded). */
  publicHttp: string[];
  /** Public HTTP components whose host and path an earlier one already has, each with that one's name. */
  routeTakenBy: ReadonlyMap<string, string>;
  /** Public HTTP components that get a load balancer of their own so their allowedSources hold (routing/own-lb-sources.ts). */
  ownLbForSources: ReadonlySet<string>;
  /** Whether the shared Ingress gets a tls entry: it routes every public HTTP component, and one wants TLS. */
  ingressTls: boolean;
  /**
   * On the shared ALB, the hosts certificate-arn names certificates for (undefined when it names
   * none) and the routed components whose host none of them was given for (routing/l4-tls.ts).
   */
  albCertificates: { certified: string[] | undefined; left: ReadonlySet<string> };
  /** Each component with ports kept in-cluster (ports.ts), as it is, before the published view. */
  fullComponents: ReadonlyMap<string, Component>;
  pricing: PricingTable;
};

/** A component's Service and entry point: the combinations a Recommendation allows, scheme left to recommendOne. */
type Decision = (
  | { serviceType: 'ClusterIP'; entryPoint: 'none' | 'ingress' }
  | { serviceType: 'NodePort'; entryPoint: 'node-port' }
  | { serviceType: 'LoadBalancer'; entryPoint: 'load-balancer'; scheme?: LoadBalancerScheme }
) & {
  rationale: string[];
  alternatives: Alternative[];
};

function asksTls(component: Component): boolean {
  return component.tls === true;
}

function httpEvidence(component: Component): string {
  return component.ports.map((port) => classifyPort(port, component.role).reason).join('; ');
}

/** The first port an Ingress cannot carry, and why. */
function nonHttpEvidence(component: Component): string {
  const port = component.ports.find((candidate) => !classifyPort(candidate, component.role).http) ?? component.ports[0];
  if (port === undefined) {
    throw new Error(`component ${component.name} has no port to say why an Ingress cannot carry it`);
  }
  return `port ${port.name ?? port.port}: ${classifyPort(port, component.role).reason}`;
}

function sourcesSentence(component: Component, enforcedBy: string): string {
  return component.allowedSources.length > 0
    ? `${enforcedBy} limits it to allowedSources ${component.allowedSources.join(', ')}`
    : `no allowedSources given: list the VPN/partner CIDRs so ${enforcedBy} can limit who connects`;
}

/**
 * Who reaches a NodePort component, as the plan renders it. The plan renders no firewall, so this
 * never credits one. The pods see the client's address only with externalTrafficPolicy Local
 * (preserveClientIp: clientAddressReachesPods), and only then does the component's NetworkPolicy
 * admit just its allowedSources; otherwise it admits every address (network-policies.ts
 * outsidePeers), nothing rendered holds allowedSources, and EXP003 says so as high. Local is not
 * rendered for allowedSources alone: nodes without a ready pod would drop the connections the user
 * expects on every node (docs/planner.md, "Stated intent is never dropped silently"). On kind the
 * mapping listens on this machine's loopback only (kind-node-ports.ts), with or without a pool;
 * minikube's node is a container or a VM on this machine.
 */
function nodePortSourcesSentence(component: Component, ctx: Context): string {
  const sources = component.allowedSources.join(', ');
  const onKind = `the kind mapping listens on ${KIND_LISTEN_ADDRESS}, so only this machine connects`;
  if (component.allowedSources.length === 0) {
    return isLocalPlatform(ctx.platform)
      ? `no allowedSources given: ${ctx.platform === 'kind' ? onKind : "anything that reaches minikube's node connects"}`
      : 'no allowedSources given: any host that reaches a node connects; list the ones that need it in allowedSources and set preserveClientIp, so its NetworkPolicy admits only them, or allow only them in a firewall in front of the nodes';
  }
  if (clientAddressReachesPods(ctx.topology, component, 'NodePort')) {
    const policy = `externalTrafficPolicy Local (preserveClientIp) keeps the client address, so its NetworkPolicy admits only allowedSources ${sources} from outside the cluster`;
    return ctx.platform === 'kind' ? `${policy}; ${onKind}` : policy;
  }
  const everyAddress = 'its NetworkPolicy admits every address, since the pods see a node address after kube-proxy';
  if (ctx.platform === 'kind') {
    return `allowedSources ${sources} do not reach it: ${onKind} (${everyAddress}); to admit them, give its mapping this machine's address on their network as listenAddress and allow only them in this machine's firewall`;
  }
  if (ctx.platform === 'minikube') {
    return `nothing the plan renders limits it to allowedSources ${sources} (${everyAddress}), but minikube's node is a container or a VM on this machine, usually on a network only this machine reaches; if that network is bridged to others, allow only them in a firewall (the plan renders none)`;
  }
  return `nothing the plan renders limits it to allowedSources ${sources}: ${everyAddress} (externalTrafficPolicy Cluster), and the plan renders no firewall; set preserveClientIp so the NetworkPolicy admits only them (then nodes without a ready pod drop the connection), or allow only them in a firewall in front of the nodes (EXP003)`;
}

/** Priced as rendered (see renderedScheme): on other-cloud an "internal" one is priced internet-facing, as the cost is. */
function lbMonthly(ctx: Context, scheme: LoadBalancerScheme, component: Component): number {
  return ctx.support === 'none'
    ? 0
    : loadBalancerMonthly(
        ctx.platform,
        renderedScheme(ctx.platform, scheme),
        'L4',
        ctx.pricing,
        Math.max(1, component.ports.length),
        serviceForwardingRules(component.ports),
      );
}

/** The controller's load balancer, priced as the cost breakdown will: with TLS a GKE Ingress takes a second rule. */
function ingressMonthly(ctx: Context, servesTls: boolean): number {
  return ctx.support === 'none'
    ? 0
    : loadBalancerMonthly(
        ctx.platform,
        'internet-facing',
        ingressLoadBalancerLayer(ctx.platform, ctx.ingressClass),
        ctx.pricing,
        INGRESS_CONTROLLER_PORTS,
        ingressForwardingRules(ctx.ingressClass, servesTls),
      );
}

/** What the public HTTP components would cost with a load balancer each, priced together (AKS shares one, GCP tiers rules). */
/**
 * What every public HTTP component would pay for a load balancer of its own and the noun for
 * their traffic: the same for the whole plan, and said in the rationale of each of them, so
 * worked out once per plan (per component, that is quadratic in the topology).
 */
const separateMonthlyByPlan = new WeakMap<Context, number>();
const sharedNounByPlan = new WeakMap<Context, string>();

function separateLoadBalancersMonthly(ctx: Context): number {
  let monthly = separateMonthlyByPlan.get(ctx);
  if (monthly === undefined) {
    monthly = separateLoadBalancersMonthlyOnce(ctx);
    separateMonthlyByPlan.set(ctx, monthly);
  }
  return monthly;
}

function separateLoadBalancersMonthlyOnce(ctx: Context): number {
  const ports = new Map(ctx.topology.components.map((component) => [component.name, component.ports.length]));
  return ctx.support === 'none'
    ? 0
    : loadBalancersMonthly(
        ctx.platform,
        ctx.publicHttp.map((component) => ({
          component,
          scheme: 'internet-facing',
          layer: 'L4',
          ports: Math.max(1, ports.get(component) ?? 1),
        })),
        ctx.pricing,
      );
}

/** "public HTTP", "public gRPC" or both, for the components that share the L7 entry point. */
function sharedTrafficNoun(ctx: Context): string {
  let noun = sharedNounByPlan.get(ctx);
  if (noun === undefined) {
    const shared = new Set(ctx.publicHttp);
    noun = routedTrafficNoun(ctx.topology.components.filter((component) => shared.has(component.name)));
    sharedNounByPlan.set(ctx, noun);
  }
  return noun;
}

/** How a local cluster's entry point on the node is reached from the machine, for that platform only. */
function reachingTheNode(platform: Platform, ports: string): string {
  return platform === 'minikube' ? '`minikube tunnel` or the node IP' : `extraPortMappings to ${ports}`;
}

/** "a" or "an" before a provider's product name ("an Azure Standard Load Balancer"). */
function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

function providerProduct(ctx: Context): string {
  return ctx.pricing.providers[ctx.platform].product;
}

/** How a LoadBalancer Service gets its address where the operator runs the pool. */
function poolSentence(ctx: Context): string {
  const { loadBalancerProvider, addressPool } = ctx.topology.environment;
  const provider = loadBalancerProvider ?? (ctx.platform === 'k3s' ? 'servicelb' : 'none');
  switch (provider) {
    case 'metallb':
      return addressPool === undefined
        ? 'MetalLB assigns its address from the default pool (name one with environment.addressPool)'
        : `MetalLB assigns its address from the pool "${addressPool}" (environment.addressPool)`;
    case 'kube-vip':
      return addressPool === undefined
        ? 'kube-vip assigns and announces its address from the configured range'
        : `kube-vip assigns and announces its address from the range "${addressPool}" (environment.addressPool)`;
    case 'servicelb':
      return "k3s ServiceLB (klipper-lb) binds the port on every node's IP, so two LoadBalancer Services cannot share a port";
    case 'none':
      return 'nothing assigns it an address';
  }
}

function noProviderFix(ctx: Context): string {
  return ctx.platform === 'k3s'
    ? 're-enable ServiceLB or install MetalLB (environment.loadBalancerProvider)'
    : 'install MetalLB or kube-vip (environment.loadBalancerProvider)';
}

/**
 * On kind and minikube a pool (MetalLB, kube-vip) hands out addresses of the cluster's Docker or
 * VM network: real addresses, but only the machine running the cluster routes to them.
 */
function localPoolNote(ctx: Context, decision: Decision): string[] {
  const usesPoolAddress = decision.serviceType === 'LoadBalancer' || decision.entryPoint === 'ingress';
  return ctx.local && ctx.support === 'pool' && usesPoolAddress
    ? [
        `on ${ctx.label} the pool's addresses come from the cluster's Docker or VM network: reachable from the machine that runs the cluster (on Linux; Docker Desktop on macOS and Windows does not route them to the host), not from other hosts`,
      ]
    : [];
}

/** What the ALB does with a routed component's plain HTTP once TLS is on: its own listener, or the redirect others asked for. */
const ALB_HTTPS_LISTENER = 'the ALB listens on 443 (listen-ports) and redirects HTTP to HTTPS (ssl-redirect)';
const ALB_REDIRECT_FOR_OTHERS =
  'another routed component wants TLS, so the ALB redirects every HTTP request to HTTPS (ssl-redirect applies to all its rules)';

function albListener(component: Component): string {
  return component.tls === true ? ALB_HTTPS_LISTENER : ALB_REDIRECT_FOR_OTHERS;
}

/**
 * The AWS Load Balancer Controller ignores the tls Secret: it finds ACM certificates by the hosts
 * of the Ingress, and once TLS is on it redirects every HTTP request to HTTPS (see albTlsAnnotations).
 */
function albTlsNote(component: Component, ctx: Context): string[] {
  if (!isAlbClass(ctx.ingressClass) || !ctx.ingressTls) {
    return [];
  }
  const host = component.host ?? 'the name clients use';
  const certified = ctx.albCertificates.certified;
  if (ctx.albCertificates.left.has(component.name) && certified !== undefined) {
    // certificate-arn turns the controller's discovery off for every host of the Ingress.
    const named = certified.join(', ');
    return [
      `${albListener(component)}, but it has NO certificate for ${host}: alb.ingress.kubernetes.io/certificate-arn names the certificates given for ${named}, and once an Ingress names any, the AWS Load Balancer Controller discovers none by host, so ${host} is served with a certificate for another name and clients that check it refuse the connection (unless that certificate also covers ${host}); name a certificate for each TLS host or none (finding EXP039)`,
    ];
  }
  if (certified !== undefined && component.certificate === undefined) {
    // Served by a certificate another component named: discovery by host is off for this Ingress.
    return [albNamedCertificateNote(component, certified)];
  }
  return component.tls === true
    ? [
        component.certificate === undefined
          ? `${ALB_HTTPS_LISTENER}; it terminates TLS for ${host} with a certificate from AWS Certificate Manager, which the AWS Load Balancer Controller finds by the host in spec.tls: request or import one for ${host} in ACM (or name it in certificate), because the Secret ${tlsSecretName(component)} the tls entry names is ignored by the ALB (it is kept for other controllers)`
          : `${ALB_HTTPS_LISTENER}; it terminates TLS for ${host} with the ACM certificate ${component.certificate}, named in alb.ingress.kubernetes.io/certificate-arn rather than discovered by host (the Secret ${tlsSecretName(component)} the tls entry names is ignored by the ALB and kept for other controllers)`,
      ]
    : [
        `${ALB_REDIRECT_FOR_OTHERS}: ${component.name} is served over HTTPS too and needs an AWS Certificate Manager certificate for ${host}`,
      ];
}

/**
 * A component that names no certificate on an ALB whose Ingress names some (certificate-arn), and
 * is not left without one (albHostsWithoutCertificate): a certificate given for its host, or for a
 * wildcard one label above it, serves it; a host-less one is served one of the named certificates.
 */
function albNamedCertificateNote(component: Component, certified: readonly string[]): string {
  const listener = albListener(component);
  const noDiscovery =
    'once an Ingress names any certificate in alb.ingress.kubernetes.io/certificate-arn, the AWS Load Balancer Controller discovers none by host';
  const host = component.host;
  if (host === undefined) {
    return `${listener}; ${component.name} has no host, so clients reach it by a name of their own and the ALB serves it one of the certificates named for ${certified.join(', ')} (${noDiscovery}): use one of those names`;
  }
  const covering = albCertifiedHostFor(certified, host) ?? host;
  return `${listener}; it terminates TLS for ${host} with the certificate named for ${covering} in alb.ingress.kubernetes.io/certificate-arn (given on another component; ${noDiscovery}), not with a Secret: the ALB ignores tls Secrets`;
}

/**
 * Traefik serves a TLS route over HTTPS only, with router.tls on its Ingress
 * (routing/traefik-ingresses.ts): plain HTTP gets a 404, and a redirect is the entry point's to set.
 */
function traefikTlsNote(component: Component, ctx: Context): string[] {
  return isTraefikClass(ctx.ingressClass) && component.tls === true
    ? [
        `Traefik serves ${component.host ?? component.name} over HTTPS only (${TRAEFIK_ROUTER_TLS} on its Ingress), so plain HTTP on port 80 answers 404 instead of the application; to redirect it, ${TRAEFIK_HTTPS_REDIRECT}`,
      ]
    : [];
}

/** The ACM sentence for the install note of an ALB the plan asks to install. */
function albInstallNote(ctx: Context): string {
  return isAlbClass(ctx.ingressClass) && ctx.ingressTls
    ? `; it serves HTTPS with certificates from AWS Certificate Manager, ${ctx.albCertificates.certified === undefined ? 'named in certificate-arn where the topology gives them and otherwise found by the hosts in the Ingress (spec.tls)' : 'the ones named in certificate-arn alone (naming any turns off its discovery by host)'}, not with the tls Secrets, which the ALB ignores`
    : '';
}

/** What the class is told so it speaks HTTPS to an HTTPS backend port, or that it cannot be (EXP021). */
function httpsBackendNote(component: Component, className: string): string[] {
  const port = ingressBackendPort(component);
  if (backendProtocol(port) !== 'HTTPS') {
    return [];
  }
  const settings = backendProtocolSettings(className, port);
  if (!settings.ok) {
    return [`port ${port.name ?? port.port} serves HTTPS, and ${settings.missing} (EXP021)`];
  }
  const annotations = Object.entries(settings.serviceAnnotations)
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ');
  return [
    `port ${port.name ?? port.port} serves HTTPS, so the Service tells the ${className} controller to reach it over HTTPS (${annotations})${settings.note === undefined ? '' : `; ${settings.note}`}`,
  ];
}

function retiredNginxNote(className: string): string[] {
  const controller = retiringController(className);
  return controller === undefined
    ? []
    : [
        `the cluster's "${className}" controller (${controller.product}) is used as given, but it is retiring: ${controller.source.text} (${controller.source.source}); plan a move to Gateway API (environment.routing "gateway-api") or another maintained controller`,
      ];
}

function pendingLoadBalancer(ctx: Context, why: string): Alternative {
  return {
    serviceType: 'LoadBalancer',
    entryPoint: 'load-balancer',
    reason: `a LoadBalancer would stay <pending>: ${why}; $0.00/mo`,
    monthlyCost: 0,
  };
}

function localTunnel(platform: Platform): string {
  return platform === 'minikube' ? 'unless `minikube tunnel` runs' : 'unless cloud-provider-kind runs';
}

function localNodePortHow(ctx: Context, component: Component): string {
  return ctx.platform === 'minikube'
    ? `\`minikube service ${component.name} --url\` prints its address`
    : `the plan's kind cluster config maps the node port with extraPortMappings to the same port on ${KIND_LISTEN_ADDRESS} of this machine`;
}

// ─── exposure: public ────────────────────────────────────────────────────────────────────────────

/** The public road, and how a gRPC port on it is carried (routing/grpc.ts). */
function publicDecision(component: Component, ctx: Context): Decision {
  const decision = publicRoad(component, ctx);
  const grpcNotes = grpcRoutingNotes(ctx.topology, component, decision.entryPoint === 'ingress');
  return grpcNotes.length === 0 ? decision : { ...decision, rationale: [...decision.rationale, ...grpcNotes] };
}

function publicRoad(component: Component, ctx: Context): Decision {
  const http = isPublicL7(ctx.topology, component);
  const holder = ctx.routeTakenBy.get(component.name);
  if (http && holder !== undefined) {
    return ownEntryPointForTakenRoute(component, ctx, holder);
  }
  if (http && ctx.ownLbForSources.has(component.name)) {
    return ownLoadBalancerForSources(component, ctx);
  }
  if (http && ctx.useIngress) {
    return behindIngress(component, ctx);
  }
  switch (ctx.support) {
    case 'cloud':
      return http
        ? withTakenRouteNote(singleHttpOnCloud(component, ctx), component, ctx)
        : publicL4OnCloud(component, ctx);
    case 'pool':
      return publicFromPool(component, ctx, http);
    case 'none':
      return ctx.local ? publicOnLocal(component, ctx, http) : publicWithoutProvider(component, ctx, http);
  }
}

/** The roads a component sharing the L7 entry point (Ingress or Gateway) did not take: an entry point of its own. */
function ownEntryPointRoads(component: Component, ctx: Context, lbCost: number): Alternative[] {
  return ctx.support === 'none'
    ? [
        {
          serviceType: 'NodePort',
          entryPoint: 'node-port',
          reason: `its own NodePort: one more port open on every node, and TLS and routing repeated in the application; $0.00/mo`,
          monthlyCost: 0,
        },
      ]
    : [
        {
          serviceType: 'LoadBalancer',
          entryPoint: 'load-balancer',
          reason:
            ctx.support === 'cloud'
              ? `its own internet-facing ${providerProduct(ctx)}: ${formatMonthly(lbCost)}, and TLS and routing repeated per Service${l4TlsAlternativeClause(ctx.platform, component)}`
              : `its own LoadBalancer: one more address (${poolSentence(ctx)}), and TLS and routing repeated in the application; ${formatMonthly(lbCost)}`,
          monthlyCost: lbCost,
        },
      ];
}

function behindIngress(component: Component, ctx: Context): Decision {
  if (routingApi(ctx.topology) === 'gateway-api') {
    return behindGateway(component, ctx);
  }
  const count = ctx.publicHttp.length;
  const traffic = speaksOnlyGrpc(component) ? 'gRPC' : 'HTTP';
  const rationale = [
    `public ${traffic} on ${ctx.label}: every port speaks ${traffic} (${httpEvidence(component)}), so it is a ClusterIP Service behind the one shared Ingress (class ${ctx.ingressClass})`,
  ];
  const lbCost = lbMonthly(ctx, 'internet-facing', component);
  switch (ctx.support) {
    case 'cloud':
      if (ctx.controller !== undefined) {
        rationale.push(
          `the cluster's ${ctx.controller} controller already sits behind its own load balancer (counted once in the plan's cost); this component adds none of its own (a dedicated ${providerProduct(ctx)} would be ${formatMonthly(lbCost)})`,
        );
      } else {
        rationale.push(
          count === 1
            ? `${loneTlsReason(ctx.platform, component, providerProduct(ctx))}: the Ingress terminates TLS, and its load balancer (${formatUsd(ingressMonthly(ctx, ctx.ingressTls))}/mo) costs about what the L4 one would (${formatUsd(separateLoadBalancersMonthly(ctx))}/mo)`
            : `${count} ${sharedTrafficNoun(ctx)} components share it: ${sharedVersusSeparate(ingressMonthly(ctx, ctx.ingressTls), separateLoadBalancersMonthly(ctx), count)}`,
          `no ingress controller is named, so the plan uses class ${ctx.ingressClass}: ${ingressInstallStep(ctx.platform)}`,
        );
      }
      break;
    case 'pool':
      rationale.push(
        `the ${ctx.ingressClass} controller's own LoadBalancer Service takes the one address: ${poolSentence(ctx)}`,
      );
      break;
    case 'none':
      rationale.push(
        ctx.local
          ? `on ${ctx.label} the ${ctx.ingressClass} controller is reached on the node (${reachingTheNode(ctx.platform, "the controller's ports")})`
          : `with no LoadBalancer provider the ${ctx.ingressClass} controller itself is exposed on a NodePort or hostNetwork: point DNS (or an external L4 balancer such as HAProxy with keepalived) at the node addresses`,
      );
      break;
  }
  rationale.push(
    ...retiredNginxNote(ctx.ingressClass),
    ...albTlsNote(component, ctx),
    ...traefikTlsNote(component, ctx),
    ...routedSourcesNote(ctx.topology, ctx.ingressClass, component),
    ...httpsBackendNote(component, ctx.ingressClass),
    ...websocketIngressNote(ctx.ingressClass, component, ingressBackendPort(component)),
  );
  return {
    serviceType: 'ClusterIP',
    entryPoint: 'ingress',
    rationale,
    alternatives: ownEntryPointRoads(component, ctx, lbCost),
  };
}

/**
 * The same road with Gateway API routing: the plan renders a Gateway and routes, no Ingress, so
 * nothing here may speak of an Ingress class, its controller or its annotations. The Gateway's
 * class, price, route kind and how its allowedSources hold are added by routing/gateway-plan.ts
 * (withRoutingApi), which knows the implementation; its backend protocol, WebSocket limits and
 * source policies are judged there and by the findings on the rendered objects.
 */
function behindGateway(component: Component, ctx: Context): Decision {
  const count = ctx.publicHttp.length;
  const traffic = speaksOnlyGrpc(component) ? 'gRPC' : 'HTTP';
  const rationale = [
    `public ${traffic} on ${ctx.label}: every port speaks ${traffic} (${httpEvidence(component)}), so it is a ClusterIP Service behind the plan's shared Gateway (environment.routing gateway-api)`,
  ];
  const lbCost = lbMonthly(ctx, 'internet-facing', component);
  switch (ctx.support) {
    case 'cloud':
      rationale.push(
        count === 1
          ? `${loneTlsReason(ctx.platform, component, providerProduct(ctx))}: the Gateway terminates TLS`
          : `${count} ${sharedTrafficNoun(ctx)} components share the Gateway's one load balancer instead of ${withArticle(providerProduct(ctx))} each (${formatUsd(separateLoadBalancersMonthly(ctx))}/mo for ${count})`,
      );
      break;
    case 'pool':
      rationale.push(`the Gateway's data plane takes the one address: ${poolSentence(ctx)}`);
      break;
    case 'none':
      rationale.push(
        ctx.local
          ? `on ${ctx.label} the Gateway's data plane is reached on the node (${reachingTheNode(ctx.platform, 'its ports')})`
          : `with no LoadBalancer provider the Gateway's data plane is exposed on a NodePort or hostNetwork: point DNS (or an external L4 balancer such as HAProxy with keepalived) at the node addresses`,
      );
      break;
  }
  if (backendProtocol(ingressBackendPort(component)) === 'HTTPS') {
    rationale.push(
      `port ${ingressBackendPort(component).name ?? ingressBackendPort(component).port} serves HTTPS: the Gateway must speak TLS to it, through a BackendTLSPolicy where its class supports one (said below when it does not)`,
    );
  }
  return {
    serviceType: 'ClusterIP',
    entryPoint: 'ingress',
    rationale,
    alternatives: ownEntryPointRoads(component, ctx, lbCost),
  };
}

function ownEntryPointForTakenRoute(component: Component, ctx: Context, holder: string): Decision {
  const route = component.host === undefined ? `host-less ${component.path ?? '/'}` : askedRoute(component);
  const why = `public HTTP (${httpEvidence(component)}) asking for ${route}, which ${holder} already has: the plan never routes a component under a path it did not ask for (the controller would pass that prefix on, and an SPA or a socket.io app would 404), so ${component.name} gets its own entry point`;
  const hostFix = `give ${component.name} a host of its own (host), or a path it serves under (path), and it shares the one entry point (EXP022)`;
  const sharedEntry: Alternative = {
    serviceType: 'ClusterIP',
    entryPoint: 'ingress',
    reason: `behind the shared Ingress: only once it has a host of its own or a path it serves under, since its route is taken; no load balancer of its own, $0.00/mo`,
    monthlyCost: 0,
  };
  const nodePort: Alternative = {
    serviceType: 'NodePort',
    entryPoint: 'node-port',
    reason: `NodePort: every node opens the port and clients must know node addresses; $0.00/mo`,
    monthlyCost: 0,
  };
  switch (ctx.support) {
    case 'cloud': {
      const lbCost = lbMonthly(ctx, 'internet-facing', component);
      return {
        serviceType: 'LoadBalancer',
        entryPoint: 'load-balancer',
        scheme: 'internet-facing',
        rationale: [`${why}: an internet-facing ${providerProduct(ctx)} (${formatUsd(lbCost)}/mo)`, hostFix],
        alternatives: [sharedEntry, nodePort],
      };
    }
    case 'pool':
      return {
        serviceType: 'LoadBalancer',
        entryPoint: 'load-balancer',
        scheme: 'internet-facing',
        rationale: [`${why}: a LoadBalancer Service; ${poolSentence(ctx)}`, hostFix],
        alternatives: [sharedEntry, nodePort],
      };
    case 'none': {
      const decision = ctx.local ? publicOnLocal(component, ctx, false) : publicWithoutProvider(component, ctx, false);
      return {
        ...decision,
        rationale: [`${why}`, ...decision.rationale, hostFix],
        alternatives: [...decision.alternatives, sharedEntry],
      };
    }
  }
}

function ownLoadBalancerForSources(component: Component, ctx: Context): Decision {
  const lbCost = lbMonthly(ctx, 'internet-facing', component);
  return {
    serviceType: 'LoadBalancer',
    entryPoint: 'load-balancer',
    scheme: 'internet-facing',
    rationale: [
      `public HTTP on ${ctx.label} (${httpEvidence(component)})`,
      ownLoadBalancerForSourcesRationale(ctx.topology, ctx.ingressClass, component, providerProduct(ctx), lbCost),
    ],
    alternatives: [
      sharedIngressWithoutSources(
        ctx.ingressClass,
        component,
        ctx.useIngress ? 0 : ingressMonthly(ctx, component.tls === true),
      ),
    ],
  };
}

/** Says why the one holding a route shares no Ingress with the components that asked for the same route. */
function withTakenRouteNote(decision: Decision, component: Component, ctx: Context): Decision {
  const others = [...ctx.routeTakenBy].filter(([, holder]) => holder === component.name).map(([name]) => name);
  return others.length === 0
    ? decision
    : {
        ...decision,
        rationale: [
          ...decision.rationale,
          `${others.join(', ')} also ${others.length === 1 ? 'asks' : 'ask'} for ${askedRoute(component)}, so ${others.length === 1 ? 'it gets' : 'they get'} an entry point of ${others.length === 1 ? 'its' : 'their'} own rather than sharing an Ingress under an invented path`,
        ],
      };
}

function singleHttpOnCloud(component: Component, ctx: Context): Decision {
  const lbCost = lbMonthly(ctx, 'internet-facing', component);
  const ingressCost = ingressMonthly(ctx, component.tls === true);
  return {
    serviceType: 'LoadBalancer',
    entryPoint: 'load-balancer',
    scheme: 'internet-facing',
    rationale: [
      `public HTTP on ${ctx.label} (${httpEvidence(component)}) with no ingress controller and no other public HTTP component: one internet-facing ${providerProduct(ctx)} (${formatUsd(lbCost)}/mo) is the simplest way in, while an Ingress would need a controller and its own load balancer (${formatUsd(ingressCost)}/mo) for this one component`,
    ],
    alternatives: [
      {
        serviceType: 'ClusterIP',
        entryPoint: 'ingress',
        reason: `an Ingress (class ${ctx.ingressClass}; ${ingressInstallStep(ctx.platform)}): its load balancer costs ${formatMonthly(ingressCost)} for this one component, but a second public HTTP component would share it; it also centralizes TLS and host/path routing`,
        monthlyCost: ingressCost,
      },
    ],
  };
}

function publicL4OnCloud(component: Component, ctx: Context): Decision {
  const lbCost = lbMonthly(ctx, 'internet-facing', component);
  const rationale = [
    `public and not HTTP (${nonHttpEvidence(component)}): an Ingress routes only HTTP, so it gets its own L4 load balancer, an internet-facing ${providerProduct(ctx)} (${formatUsd(lbCost)}/mo)`,
  ];
  if (component.allowedSources.length > 0) {
    rationale.push(`loadBalancerSourceRanges limit it to allowedSources ${component.allowedSources.join(', ')}`);
  }
  return {
    serviceType: 'LoadBalancer',
    entryPoint: 'load-balancer',
    scheme: 'internet-facing',
    rationale,
    alternatives: [
      {
        serviceType: 'NodePort',
        entryPoint: 'node-port',
        reason: `NodePort: no load balancer charge ($0.00/mo), but clients would need the nodes' public addresses and every node opens the port; managed node pools usually have neither public addresses nor stable ones`,
        monthlyCost: 0,
      },
    ],
  };
}

function publicFromPool(component: Component, ctx: Context, http: boolean): Decision {
  const lbCost = lbMonthly(ctx, 'internet-facing', component);
  const rationale = [
    `public on ${ctx.label}: a LoadBalancer Service; ${poolSentence(ctx)}${lbCost > 0 ? ` (${formatUsd(lbCost)}/mo)` : ''}`,
  ];
  const alternatives: Alternative[] = [];
  if (http) {
    rationale.push(
      `no ingress controller is named: with one (name it in environment.ingressController) every public HTTP component would share a single address`,
    );
    alternatives.push({
      serviceType: 'ClusterIP',
      entryPoint: 'ingress',
      reason: `behind an Ingress: needs an ingress controller installed first (${ingressInstallStep(ctx.platform)}); ${formatMonthly(ingressMonthly(ctx, component.tls === true))}`,
      monthlyCost: ingressMonthly(ctx, component.tls === true),
    });
  } else {
    rationale.push(`not HTTP (${nonHttpEvidence(component)}): an Ingress could not route it anyway`);
  }
  if (component.allowedSources.length > 0) {
    rationale.push(
      `loadBalancerSourceRanges (enforced by kube-proxy) limit it to allowedSources ${component.allowedSources.join(', ')}`,
    );
  }
  alternatives.push({
    serviceType: 'NodePort',
    entryPoint: 'node-port',
    reason: `NodePort: every node opens the port and clients must know node addresses, while a pool address can move between nodes; $0.00/mo`,
    monthlyCost: 0,
  });
  return {
    serviceType: 'LoadBalancer',
    entryPoint: 'load-balancer',
    scheme: 'internet-facing',
    rationale,
    alternatives,
  };
}

function publicWithoutProvider(component: Component, ctx: Context, http: boolean): Decision {
  const rationale = [
    `public on ${ctx.label} without a LoadBalancer provider: a NodePort, with an external L4 balancer (HAProxy with keepalived) in front of the node IPs`,
    ...(component.allowedSources.length > 0 ? [nodePortSourcesSentence(component, ctx)] : []),
  ];
  const alternatives: Alternative[] = [pendingLoadBalancer(ctx, `nothing assigns addresses; ${noProviderFix(ctx)}`)];
  if (http) {
    alternatives.push({
      serviceType: 'ClusterIP',
      entryPoint: 'ingress',
      reason: `behind an Ingress: install an ingress controller on NodePort or hostNetwork (e.g. Traefik) and name it in environment.ingressController, so every public HTTP component shares it; $0.00/mo`,
      monthlyCost: 0,
    });
  }
  return { serviceType: 'NodePort', entryPoint: 'node-port', rationale, alternatives };
}

function publicOnLocal(component: Component, ctx: Context, http: boolean): Decision {
  const rationale = [
    `${ctx.label} is a local cluster: a NodePort reaches it (${localNodePortHow(ctx, component)}); a LoadBalancer would stay <pending> ${localTunnel(ctx.platform)}`,
    // Public on a local cluster is this machine (docs/planner.md): the plan's mapping says so, and how to go wider.
    ...(ctx.platform === 'kind'
      ? [
          `public here means this machine: its mapping listens on ${KIND_LISTEN_ADDRESS}; for other hosts, set the mapping's listenAddress to 0.0.0.0 (kind's default, every interface of this machine), and only this machine's firewall then limits who connects`,
        ]
      : []),
    ...(component.allowedSources.length > 0 ? [nodePortSourcesSentence(component, ctx)] : []),
  ];
  const alternatives: Alternative[] = [
    pendingLoadBalancer(ctx, `no cloud controller on ${ctx.label} ${localTunnel(ctx.platform)}`),
  ];
  if (http) {
    alternatives.push({
      serviceType: 'ClusterIP',
      entryPoint: 'ingress',
      reason: `behind an Ingress: install an ingress controller (e.g. Traefik) and name it in environment.ingressController; $0.00/mo`,
      monthlyCost: 0,
    });
  }
  return { serviceType: 'NodePort', entryPoint: 'node-port', rationale, alternatives };
}

// ─── exposure: private and node ──────────────────────────────────────────────────────────────────

function internalLoadBalancerOnCloud(component: Component, ctx: Context, why: string, benefit = ''): Decision {
  const lbCost = lbMonthly(ctx, 'internal', component);
  const rationale = canMarkLoadBalancerInternal(ctx.platform)
    ? [
        `${why}: an internal ${providerProduct(ctx)} (${formatUsd(lbCost)}/mo) keeps the address on the private network, with no public IP${benefit}`,
      ]
    : [
        `${why}: an internal load balancer${benefit}, but the planner knows no annotation that makes one internal on ${ctx.label}, so the Service carries none and gets your provider's default, usually internet-facing (priced so, public address included: ${formatUsd(lbCost)}/mo)`,
        `add your provider's internal load balancer annotation to the Service before applying it; until then its address may be public, which the security findings flag (EXP016)`,
      ];
  return {
    serviceType: 'LoadBalancer',
    entryPoint: 'load-balancer',
    scheme: 'internal',
    rationale: [...rationale, sourcesSentence(component, 'loadBalancerSourceRanges')],
    alternatives: [
      {
        serviceType: 'NodePort',
        entryPoint: 'node-port',
        reason: `NodePort: no load balancer charge ($0.00/mo), but the clients must track node IPs, every node opens the port, and only firewall rules restrict it`,
        monthlyCost: 0,
      },
    ],
  };
}

function privateDecision(component: Component, ctx: Context): Decision {
  const why = `private (VPN/partners) on ${ctx.label}`;
  switch (ctx.support) {
    case 'cloud': {
      const decision = internalLoadBalancerOnCloud(component, ctx, why);
      decision.rationale.push(
        `an internet-facing load balancer filtered by source ranges would also work, but its address would be on the internet with only a firewall rule keeping others out`,
      );
      return decision;
    }
    case 'pool':
      if (isDataStore(component.role)) {
        return {
          serviceType: 'NodePort',
          entryPoint: 'node-port',
          rationale: [
            `${why}, a ${component.role}: a NodePort on the node addresses rather than a pool address, because a pool is often announced to wider networks (even the internet) and a data store must stay where a firewall in front of the nodes can decide who connects`,
            nodePortSourcesSentence(component, ctx),
          ],
          alternatives: [
            {
              serviceType: 'LoadBalancer',
              entryPoint: 'load-balancer',
              reason: `a LoadBalancer from the pool (${poolSentence(ctx)}): one stable address, but only as private as the pool; ${formatMonthly(lbMonthly(ctx, 'internal', component))}`,
              monthlyCost: lbMonthly(ctx, 'internal', component),
            },
          ],
        };
      }
      return {
        serviceType: 'LoadBalancer',
        entryPoint: 'load-balancer',
        scheme: 'internal',
        rationale: [
          `${why}: a LoadBalancer Service; ${poolSentence(ctx)}; keep that address on the network the VPN routes to`,
          sourcesSentence(component, 'loadBalancerSourceRanges (enforced by kube-proxy)'),
        ],
        alternatives: [
          {
            serviceType: 'NodePort',
            entryPoint: 'node-port',
            reason: `NodePort: every node opens the port and the clients must track node IPs; $0.00/mo`,
            monthlyCost: 0,
          },
        ],
      };
    case 'none':
      return {
        serviceType: 'NodePort',
        entryPoint: 'node-port',
        rationale: [
          ctx.local
            ? `${why}: ${ctx.label} is a local cluster, so a NodePort on the node address is the way in (${localNodePortHow(ctx, component)})`
            : `${why} without a LoadBalancer provider: a NodePort on the node addresses the VPN routes to`,
          nodePortSourcesSentence(component, ctx),
        ],
        alternatives: [
          pendingLoadBalancer(
            ctx,
            ctx.local
              ? `no cloud controller on ${ctx.label} ${localTunnel(ctx.platform)}`
              : `nothing assigns addresses; ${noProviderFix(ctx)}`,
          ),
        ],
      };
  }
}

function nodeDecision(component: Component, ctx: Context): Decision {
  const why = `reached by a host outside the cluster (exposure node) on ${ctx.label}`;
  if (ctx.support === 'cloud') {
    return internalLoadBalancerOnCloud(component, ctx, why, ', one stable private address instead of every node IP');
  }
  const alternatives: Alternative[] =
    ctx.support === 'pool'
      ? [
          {
            serviceType: 'LoadBalancer',
            entryPoint: 'load-balancer',
            reason: `a LoadBalancer from the pool would give one stable address instead of node IPs (${poolSentence(ctx)}); ${formatMonthly(lbMonthly(ctx, 'internal', component))}`,
            monthlyCost: lbMonthly(ctx, 'internal', component),
          },
        ]
      : [];
  return {
    serviceType: 'NodePort',
    entryPoint: 'node-port',
    rationale: [
      ctx.local
        ? `${why}: ${ctx.label} is a local cluster, so a NodePort on the node address is the way in (${localNodePortHow(ctx, component)})`
        : `${why}: a NodePort on the node IPs`,
      nodePortSourcesSentence(component, ctx),
    ],
    alternatives,
  };
}

// ─── data stores and the rest ────────────────────────────────────────────────────────────────────

function dataStoreAskedPublic(component: Component, ctx: Context): Decision {
  const vmWay =
    ctx.support === 'cloud'
      ? 'an internal load balancer with source ranges (exposure private or node) for a VM'
      : 'a firewalled NodePort (exposure node) for a VM';
  const alternatives: Alternative[] =
    ctx.support === 'cloud'
      ? [
          {
            serviceType: 'LoadBalancer',
            entryPoint: 'load-balancer',
            reason: `for a VM outside the cluster, set exposure private: an internal load balancer limited to its address; ${formatMonthly(lbMonthly(ctx, 'internal', component))}`,
            monthlyCost: lbMonthly(ctx, 'internal', component),
          },
        ]
      : [
          {
            serviceType: 'NodePort',
            entryPoint: 'node-port',
            reason: `for a VM outside the cluster, set exposure node: a NodePort behind a firewall that admits only that VM; $0.00/mo`,
            monthlyCost: 0,
          },
        ];
  return {
    serviceType: 'ClusterIP',
    entryPoint: 'none',
    rationale: [
      `a ${component.role} asked to be public stays ClusterIP: a data store on the internet is found by scanners within hours and open to brute force and its own protocol's exploits, and nothing in it needs a browser`,
      `the safe ways in: \`kubectl port-forward svc/${component.name}\` for a person, a bastion or VPN for a team, ${vmWay}`,
    ],
    alternatives,
  };
}

function dataStoreOutsideNote(component: Component): string[] {
  return isDataStore(component.role)
    ? [
        `a ${component.role} reached from outside the cluster, honoured the safe way: keep the allowed sources to the few hosts that need it (the security findings flag it)`,
      ]
    : [];
}

function headlessNote(component: Component, namespace: string): string[] {
  if (!getsHeadlessService(component)) {
    return [];
  }
  const service = headlessServiceName(component.name);
  return component.replicas > 1
    ? [
        `StatefulSet with ${component.replicas} replicas: also a headless Service ${service} (clusterIP: None), its governing Service (spec.serviceName), which gives each pod a stable DNS name (${component.name}-0.${service}.${namespace}.svc) for its peers`,
      ]
    : [
        `StatefulSet: also a headless Service ${service} (clusterIP: None), because spec.serviceName needs a governing Service even with ${component.replicas === 1 ? '1 replica' : `${component.replicas} replicas`}`,
      ];
}

function ignoredNodePortNote(component: Component, serviceType: ServiceType | null): string[] {
  if (serviceType === 'NodePort' || serviceType === 'LoadBalancer') {
    return [];
  }
  const pinned = component.ports.filter((port) => port.nodePort !== undefined);
  if (pinned.length === 0) {
    return [];
  }
  const list = pinned.map((port) => `${port.nodePort} (port ${port.name ?? port.port})`).join(', ');
  return [
    `the pinned nodePort ${list} is ignored: a ${serviceType ?? 'component without a'} Service opens no node port`,
  ];
}

/**
 * The roads a decision did not list itself, so that every row with a Service says why not
 * NodePort, LoadBalancer and (for in-cluster components) headless, each priced by the same formula
 * as the cost breakdown. The other routing API (Gateway API) is listed where routing is decided.
 */
/**
 * A scan, not a Set: a decision lists at most a few alternatives, and a Set per component was ~1.5 %
 * of a 1,000-component plan's allocations.
 */
function listsAlternative(decision: Decision, serviceType: Alternative['serviceType']): boolean {
  return decision.alternatives.some((alternative) => alternative.serviceType === serviceType);
}

function roadsNotTaken(component: Component, ctx: Context, decision: Decision): Alternative[] {
  const inCluster = decision.entryPoint === 'none';
  const roads: Alternative[] = [];
  if (decision.serviceType !== 'NodePort' && !listsAlternative(decision, 'NodePort')) {
    roads.push({
      serviceType: 'NodePort',
      entryPoint: 'node-port',
      reason: inCluster
        ? `NodePort: every node would open the port to whatever reaches the nodes, while only pods in the cluster call ${component.name}; $0.00/mo`
        : `NodePort: every node opens the port and clients must track node addresses; $0.00/mo`,
      monthlyCost: 0,
    });
  }
  if (decision.serviceType !== 'LoadBalancer' && !listsAlternative(decision, 'LoadBalancer')) {
    const scheme: LoadBalancerScheme = component.exposure === 'public' ? 'internet-facing' : 'internal';
    const lbCost = lbMonthly(ctx, scheme, component);
    roads.push(
      ctx.support === 'none'
        ? pendingLoadBalancer(ctx, ctx.local ? `no cloud controller on ${ctx.label}` : 'nothing assigns addresses')
        : {
            serviceType: 'LoadBalancer',
            entryPoint: 'load-balancer',
            reason: inCluster
              ? `an ${scheme} LoadBalancer: an address outside the cluster that no caller needs, since only pods call ${component.name}; ${formatMonthly(lbCost)}`
              : `its own ${scheme} LoadBalancer: ${formatMonthly(lbCost)}`,
            monthlyCost: lbCost,
          },
    );
  }
  if (inCluster && decision.serviceType === 'ClusterIP' && !getsHeadlessService(component)) {
    roads.push({
      serviceType: 'ClusterIP',
      entryPoint: 'none',
      reason: `headless (clusterIP: None): DNS would return every pod address and no virtual IP balances the connections, which only peers that must tell pods apart (a StatefulSet) need; $0.00/mo`,
      monthlyCost: 0,
    });
  }
  return roads;
}

function decide(component: Component, ctx: Context): Decision {
  if (component.exposure === 'public' && isDataStore(component.role)) {
    return dataStoreAskedPublic(component, ctx);
  }
  switch (component.exposure) {
    case 'internal':
      return {
        serviceType: 'ClusterIP',
        entryPoint: 'none',
        rationale: [
          `internal: only pods in the cluster call it, so a ClusterIP Service (one stable virtual IP and the DNS name ${component.name}.${ctx.topology.namespace}.svc)`,
        ],
        alternatives: [],
      };
    case 'public':
      return publicDecision(component, ctx);
    case 'private': {
      const decision = privateDecision(component, ctx);
      return { ...decision, rationale: [...decision.rationale, ...dataStoreOutsideNote(component)] };
    }
    case 'node': {
      const decision = nodeDecision(component, ctx);
      return { ...decision, rationale: [...decision.rationale, ...dataStoreOutsideNote(component)] };
    }
  }
}

function recommendOne(component: Component, ctx: Context): Recommendation {
  if (component.externalName !== undefined) {
    return {
      component: component.name,
      serviceType: 'ExternalName',
      headless: false,
      entryPoint: 'none',
      rationale: [
        ctx.topology.environment.egress === 'restrict'
          ? `runs outside the cluster at ${component.externalName}: an ExternalName Service gives pods a stable in-cluster name that resolves (CNAME) to it, with no selector and no proxying; its ports are what its callers' egress policies admit (environment.egress restrict)`
          : `runs outside the cluster at ${component.externalName}: an ExternalName Service gives pods a stable in-cluster name that resolves (CNAME) to it, with no selector, no proxying and no ports needed`,
        `ExternalName does not rewrite the HTTP Host header or TLS SNI: the outside service must accept the in-cluster name, or clients must call ${component.externalName} directly`,
        ...(component.exposure === 'internal'
          ? []
          : [`exposure ${component.exposure} does not apply: the component is not run by this cluster`]),
      ],
      alternatives: [
        {
          serviceType: 'ClusterIP',
          entryPoint: 'none',
          reason: `a selector-less ClusterIP Service with an EndpointSlice: needed when the dependency has only a fixed IP or a different port, at the cost of keeping the addresses by hand; $0.00/mo`,
          monthlyCost: 0,
        },
      ],
    };
  }
  if (component.ports.length === 0) {
    return {
      component: component.name,
      serviceType: null,
      headless: false,
      entryPoint: 'none',
      rationale: [
        'no ports: nothing connects to it (a worker that only calls out), so no Service at all',
        ...(component.workload === 'StatefulSet'
          ? [
              'a StatefulSet without ports gets no headless Service either: no governing Service is created, so leave spec.serviceName out (it is optional) or create that Service yourself if its pods need per-pod DNS names',
            ]
          : []),
        ...(component.exposure === 'internal'
          ? []
          : [`exposure ${component.exposure} is ignored: without ports there is nothing to expose`]),
      ],
      alternatives: [],
    };
  }
  const decision = decide(component, ctx);
  const headless = getsHeadlessService(component);
  // The component with every port: `component` is its published view, which leaves out the ports kept in-cluster.
  const full = ctx.fullComponents.get(component.name) ?? component;
  const rationale = [
    ...decision.rationale,
    ...(decision.serviceType === 'ClusterIP'
      ? routedCertificateNote(component, routingApi(ctx.topology) === 'ingress' && isAlbClass(ctx.ingressClass))
      : l4TlsNote(ctx.platform, component, decision.serviceType)),
    ...doLoadBalancerTypeNote(ctx.platform, decision.serviceType),
    ...awsTcpUdpNote(ctx.platform, component, decision.serviceType),
    ...localPoolNote(ctx, decision),
    ...headlessNote(component, ctx.topology.namespace),
    ...ignoredNodePortNote(component, decision.serviceType),
    ...internalPortsRationale(full, ctx.topology, decision.entryPoint !== 'none'),
    // Behind the shared Ingress or Gateway only the routed port is reachable: no port to speak of.
    ...(decision.serviceType === 'LoadBalancer' || decision.serviceType === 'NodePort'
      ? sharedContainerPortRationale(full)
      : []),
  ];
  const internalService = internalServiceOf(full);
  // Never offer what was chosen; prices are rounded to cents here, at the edge, like cost items.
  const alternatives = [
    ...decision.alternatives.filter(
      (alternative) =>
        alternative.serviceType !== decision.serviceType || alternative.entryPoint !== decision.entryPoint,
    ),
    ...roadsNotTaken(component, ctx, decision),
  ].map((alternative) => ({ ...alternative, monthlyCost: roundCents(alternative.monthlyCost) }));
  const choice: ServiceChoice =
    decision.serviceType === 'LoadBalancer'
      ? { serviceType: 'LoadBalancer', entryPoint: 'load-balancer', scheme: decision.scheme ?? 'internet-facing' }
      : decision;
  return selectorServiceRecommendation(component.name, choice, { headless, rationale, alternatives, internalService });
}

/**
 * Whether these public L7 components go through one shared entry point (an Ingress, or a Gateway).
 * On a cloud a second public HTTP component makes an Ingress pay for itself; elsewhere load
 * balancers are free, so an Ingress is used only when the cluster already runs a controller, or
 * the topology asks for Gateway API routing (routing/gateway-plan.ts then routes the same components).
 * On a cloud, tls: true also goes through the Ingress: the L4 Service the plan renders would
 * serve it in plain HTTP, and the L7 load balancer costs about the same (see asksTlsOnCloud).
 */
function sharesOneEntryPoint(environment: Topology['environment'], candidates: readonly Component[]): boolean {
  const support = loadBalancerSupport(environment);
  return (
    candidates.length > 0 &&
    (namedIngressController(environment) !== undefined ||
      (support === 'cloud' && (candidates.length >= 2 || candidates.some(asksTls))) ||
      (support !== 'cloud' && environment.routing === 'gateway-api'))
  );
}

/**
 * The public L7 components whose route (host and path) another already asked for, by the one
 * holding it: only where they would share one entry point. Where none is shared (bare metal
 * without a controller, say) each gets its own entry point whatever route it asks for, and no
 * route is taken (a host of its own would change nothing there). Recommendations and findings
 * (EXP022) read the same map.
 */
export function takenSharedRoutes(
  topology: Topology,
  publicL7: readonly Component[] = topology.components.filter((component) => isPublicL7(topology, component)),
): ReadonlyMap<string, string> {
  return sharesOneEntryPoint(topology.environment, publicL7) ? takenRoutes([...publicL7]) : new Map();
}

/**
 * One Recommendation per component, in input order, and the shared Ingress when public HTTP goes
 * through one. Pure and deterministic: prices come in with `pricing`.
 */
export function recommendAll(fullTopology: Topology, pricing: PricingTable): Recommendations {
  // Decided on the published ports only (ports.ts): a metrics or gossip port kept in-cluster
  // neither makes a public HTTP component L4 nor is priced on its load balancer.
  const topology = publishedTopology(fullTopology);
  const { environment } = topology;
  const { platform } = environment;
  const support = loadBalancerSupport(environment);
  const controller = namedIngressController(environment);
  const ingressClass = controller ?? defaultIngressClass(platform);
  // Public HTTP, and public gRPC where the class carries it (routing/grpc.ts).
  const publicL7 = topology.components.filter((component) => isPublicL7(topology, component));
  const routeTakenBy = takenSharedRoutes(topology, publicL7);
  const routesThroughIngress = (candidates: Component[]): boolean => sharesOneEntryPoint(environment, candidates);
  const routable = publicL7.filter((component) => !routeTakenBy.has(component.name));
  // Those the shared Ingress would route without their allowedSources holding get a load balancer
  // of their own where it can restrict them (routing/own-lb-sources.ts).
  const ownLbForSources = new Set(
    routesThroughIngress(routable)
      ? routable
          .filter((component) => needsOwnLoadBalancerForSources(topology, support, ingressClass, component))
          .map((component) => component.name)
      : [],
  );
  const publicHttpComponents = routable.filter((component) => !ownLbForSources.has(component.name));
  const publicHttp = publicHttpComponents.map((component) => component.name);
  const useIngress = routesThroughIngress(publicHttpComponents);
  const ctx: Context = {
    topology,
    platform,
    label: PLATFORM_LABELS[platform],
    support,
    local: isLocalPlatform(platform),
    controller,
    ingressClass,
    useIngress,
    publicHttp,
    routeTakenBy,
    ownLbForSources,
    ingressTls: useIngress && publicHttpComponents.some((component) => component.tls === true),
    albCertificates: {
      certified: useIngress ? albCertifiedHosts(ingressClass, publicHttpComponents) : undefined,
      left: new Set(
        useIngress
          ? albHostsWithoutCertificate(ingressClass, publicHttpComponents).map((component) => component.name)
          : [],
      ),
    },
    fullComponents: new Map(fullTopology.components.map((component) => [component.name, component])),
    pricing,
  };
  const recommendations = topology.components.map((component) => recommendOne(component, ctx));
  const routed = recommendations.filter((r) => r.entryPoint === 'ingress').map((r) => r.component);
  const ingress: IngressPlan | null =
    routed.length === 0
      ? null
      : {
          className: ctx.ingressClass,
          controllerPresent: controller !== undefined,
          ...(controller === undefined
            ? {
                install: `${ingressInstallStep(platform)}${albInstallNote(ctx)}: ${formatUsd(ingressMonthly(ctx, ctx.ingressTls))}/mo`,
              }
            : {}),
          components: routed,
        };
  return { recommendations, ingress };
}

/**
 * The shared controller's load balancer against one per component. Sharing usually saves money,
 * but not always: on GCP a minimum charge covers the first 5 forwarding rules of a scope, so a
 * few components pay the same either way, and the sentence must not claim a saving the bill will
 * not show.
 */
function sharedVersusSeparate(sharedMonthly: number, separateMonthly: number, count: number): string {
  const shared = `one load balancer for the controller (${formatUsd(sharedMonthly)}/mo)`;
  if (sharedMonthly < separateMonthly) {
    return `${shared} instead of ${count} (${formatUsd(separateMonthly)}/mo)`;
  }
  const compared = sharedMonthly === separateMonthly ? 'the same as' : 'more than';
  return `${shared}, ${compared} ${count} of their own would cost (${formatUsd(separateMonthly)}/mo): sharing buys one address and one place for TLS and routes here, not a lower bill`;
}
