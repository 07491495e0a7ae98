import {
  awsPreservesClientIp,
  headlessServiceName,
  ingressBackendPort,
  loadBalancerSendsToPods,
  METALLB_ADDRESS_POOL_ANNOTATION,
  objectMetadata,
  recommendationsByComponent,
  routedComponents,
  toCidr,
  trafficPolicyApplies,
} from './manifest-conventions.js';
import { plannedNodePorts, withPlannedNodePorts } from './kind-node-ports.js';
import { renderNetworkPolicies } from './network-policies.js';
import { internalPorts, internalServiceName, publishedView } from './ports.js';
import { backendServiceAnnotations } from './routing/backend-protocol.js';
import { isGceClass, isGceInternalClass } from './routing/classes.js';
import { redirectsGkeIngress, renderGkeHttpsRedirect } from './routing/gke-https-redirect.js';
import { grpcServiceAnnotations } from './routing/grpc.js';
import type { GatewayWiring } from './routing/gateway-plan.js';
import { renderRoutedIngresses } from './routing/traefik-ingresses.js';
import { DO_LOADBALANCER_TYPE, DO_REGIONAL, l4TlsAnnotations, withL4TlsPort } from './routing/l4-tls.js';
import { awsTcpUdpAnnotations } from './routing/l4-listeners.js';
import { renderWebsocketBackendConfig, speaksWebSocket, websocketServiceAnnotations } from './routing/websocket.js';
import type {
  Component,
  IngressPlan,
  KubeObject,
  LoadBalancerRecommendation,
  PortSpec,
  Recommendation,
  Topology,
} from './types.js';

/**
 * The Kubernetes objects a plan applies, in this order (the same input always gives the same
 * objects in the same order, keys in the order apiVersion, kind, metadata, spec):
 *   1. one v1 Service per component that gets one, in component order;
 *   2. the headless Services (`<component>-headless`), in component order;
 *   2b. the ClusterIP Services of the ports kept in-cluster (`<component>-internal`, ports.ts), in component order;
 *   3. the BackendConfigs (`<component>-websocket`) of WebSocket backends behind GKE Ingress, then
 *      the FrontendConfig (`<topology>-https-redirect`) of a public GKE Ingress that serves TLS;
 *   4. the Ingress, named after the topology, when the plan routes anything through one (see
 *      routing/ingress.ts), or with Gateway API its objects (routing/gateway-plan.ts);
 *   5. the NetworkPolicies: `default-deny-ingress`, then `allow-<component>` in component order
 *      (see network-policies.ts).
 * Services come first so `kubectl apply -f -` creates what the Ingress points at before it.
 */
export function renderManifests(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  gateway: GatewayWiring | null = null,
  /** What renderNetworkPolicies gives for these arguments, when the caller has it (plan.ts renders it once). */
  networkPolicies: KubeObject[] = renderNetworkPolicies(
    topology,
    recommendations,
    ingress,
    gateway === null ? undefined : gateway.peers,
  ),
): KubeObject[] {
  const byComponent = recommendationsByComponent(recommendations);
  const routed = routedComponents(topology, recommendations, ingress);
  const routedNames = new Set(routed.map((c) => c.name));
  const services: KubeObject[] = [];
  const headlessServices: KubeObject[] = [];
  const internalServices: KubeObject[] = [];
  // On kind every NodePort port is pinned, so the cluster's extraPortMappings can name it (kind-node-ports.ts).
  const nodePortPins = plannedNodePorts(topology, recommendations);
  for (const component of topology.components) {
    const recommendation = byComponent.get(component.name);
    if (recommendation === undefined) {
      continue;
    }
    // The Ingress class's Service annotations (backend protocol, NEGs…) only where an Ingress routes:
    // behind a Gateway they are another controller's, and the Gateway's own objects say the same.
    const routedBy =
      gateway === null && ingress !== null && routedNames.has(component.name) ? ingress.className : undefined;
    // The Service publishes the published ports only; the headless one keeps every port, for peers.
    const published = withPlannedNodePorts(publishedView(component), nodePortPins);
    const service = renderService(topology, published, recommendation, routedBy);
    if (service !== null) {
      services.push(service);
    }
    if (recommendation.headless) {
      headlessServices.push(renderHeadlessService(topology, component));
    }
    if (service !== null && recommendation.serviceType !== 'ExternalName' && internalPorts(component).length > 0) {
      internalServices.push(renderInternalService(topology, component));
    }
  }

  // With Gateway API the Gateway and its routes take the Ingress's place, for the same components.
  const l7Objects =
    gateway !== null
      ? gateway.objects
      : ingress !== null && routed.length > 0
        ? renderRoutedIngresses(topology, ingress, routed)
        : [];
  // BackendConfigs serve GKE's Ingress only.
  const backendConfigs =
    gateway !== null
      ? []
      : routed
          .filter((component) => gkeWebSocket(ingress, component))
          .map((component) => renderWebsocketBackendConfig(topology, component));
  // GKE's Ingress passes plain HTTP on unless a FrontendConfig redirects it (routing/gke-https-redirect.ts).
  const frontendConfigs =
    gateway === null && redirectsGkeIngress(ingress, routed) ? [renderGkeHttpsRedirect(topology)] : [];
  return [
    ...services,
    ...headlessServices,
    ...internalServices,
    ...backendConfigs,
    ...frontendConfigs,
    ...l7Objects,
    ...networkPolicies,
  ];
}

/** A WebSocket backend behind GKE Ingress, whose 30 s backend timeout would end every socket (routing/websocket.ts). */
function gkeWebSocket(ingress: IngressPlan | null, component: Component): boolean {
  return ingress !== null && isGceClass(ingress.className) && speaksWebSocket(ingressBackendPort(component));
}

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

type ServicePortManifest = {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: string;
  appProtocol?: string;
  nodePort?: number;
};

function servicePort(port: PortSpec, withNodePort: boolean): ServicePortManifest {
  // Keys added in manifest order, the optional ones only when set. Not `...(x ? {} : { x })`:
  // conditional spreads take V8's slow path, and this runs for every port of every Service.
  const rendered = (port.name === undefined ? {} : { name: port.name }) as ServicePortManifest;
  rendered.port = port.port;
  rendered.targetPort = port.targetPort;
  rendered.protocol = port.protocol;
  if (port.appProtocol !== undefined) {
    rendered.appProtocol = port.appProtocol;
  }
  // Pinned only when asked: otherwise Kubernetes picks a free one, which never collides.
  if (withNodePort && port.nodePort !== undefined) {
    rendered.nodePort = port.nodePort;
  }
  return rendered;
}

function renderService(
  topology: Topology,
  component: Component,
  recommendation: Recommendation,
  /** The Ingress class routing this component, if any. */
  routedBy: string | undefined,
): KubeObject | null {
  const serviceType = recommendation.serviceType;
  if (serviceType === null) {
    return null;
  }
  if (serviceType === 'ExternalName') {
    // Without a DNS name there is nothing valid to point at; the plan's findings say why.
    if (component.externalName === undefined) {
      return null;
    }
    return unannotatedService(topology, component, component.name, {
      type: 'ExternalName',
      externalName: component.externalName,
      // Ports on an ExternalName Service are documentation only (DNS has no ports), kept when given.
      ...(component.ports.length === 0 ? {} : { ports: component.ports.map((port) => servicePort(port, false)) }),
    });
  }
  const reachableFromNodes = serviceType === 'NodePort' || serviceType === 'LoadBalancer';
  const sources = component.allowedSources.map(toCidr);
  const annotations = {
    ...(recommendation.serviceType === 'LoadBalancer'
      ? loadBalancerAnnotations(topology, component, recommendation)
      : {}),
    // GKE Ingress reaches a ClusterIP Service only through NEGs (container-native load balancing).
    // They are the default on recent VPC-native clusters; saying so keeps older ones working.
    // Ingress for the internal Application Load Balancer (gce-internal) works with NEGs only.
    ...(routedBy !== undefined && (isGceClass(routedBy) || isGceInternalClass(routedBy))
      ? { 'cloud.google.com/neg': '{"ingress": true}' }
      : {}),
    // How the class must talk to an HTTPS backend port (routing/backend-protocol.ts).
    ...(routedBy === undefined ? {} : backendServiceAnnotations(routedBy, ingressBackendPort(component))),
    // How the class must reach a gRPC backend (routing/grpc.ts).
    ...(routedBy === undefined ? {} : grpcServiceAnnotations(topology, component)),
    ...(routedBy !== undefined && isGceClass(routedBy) && speaksWebSocket(ingressBackendPort(component))
      ? websocketServiceAnnotations(component)
      : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMetadata(topology, component.name, component.name, annotations),
    spec: {
      type: serviceType,
      selector: { ...component.labels },
      ...(component.ports.length === 0
        ? {}
        : {
            // A load balancer that terminates TLS listens on 443 (routing/l4-tls.ts).
            ports: (serviceType === 'LoadBalancer'
              ? withL4TlsPort(topology.environment.platform, component)
              : component.ports
            ).map((port) => servicePort(port, reachableFromNodes)),
          }),
      // Local keeps the client's address but only sends to nodes running a ready pod: uneven
      // spread, and a node without one drops the traffic. Only when the client IP must be kept.
      ...(reachableFromNodes &&
      component.preserveClientIp &&
      trafficPolicyApplies(topology.environment.platform, serviceType)
        ? { externalTrafficPolicy: 'Local' }
        : {}),
      ...(serviceType === 'LoadBalancer' && sources.length > 0 ? { loadBalancerSourceRanges: sources } : {}),
      // A load balancer that sends to pod IPs uses no node port, and one left open on every node is a
      // way to the pods past loadBalancerSourceRanges (EXP035). The AWS Load Balancer Controller needs
      // node ports in instance mode only (https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2492).
      ...(serviceType === 'LoadBalancer' && loadBalancerSendsToPods(topology.environment.platform)
        ? { allocateLoadBalancerNodePorts: false }
        : {}),
    },
  };
}

/**
 * Provider annotations for a LoadBalancer Service. The scheme is always written out, never left
 * to a default: defaults differ between providers (the AWS Load Balancer Controller defaults to
 * internal since v2.2.0, the in-tree AWS, Azure and GKE controllers to internet-facing:
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/).
 */
export function loadBalancerAnnotations(
  topology: Topology,
  component: Component,
  recommendation: LoadBalancerRecommendation,
): Record<string, string> {
  const scheme = recommendation.scheme;
  const internal = scheme === 'internal';
  const { platform, loadBalancerProvider, addressPool } = topology.environment;
  const metalLb: Record<string, string> =
    loadBalancerProvider === 'metallb' && addressPool !== undefined
      ? { [METALLB_ADDRESS_POOL_ANNOTATION]: addressPool }
      : {};
  switch (platform) {
    case 'aws':
      return {
        // "external" hands the Service to the AWS Load Balancer Controller (an NLB), not to the
        // in-tree controller's Classic ELB; ip targets send straight to pods, skipping NodePorts.
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': scheme,
        // Off by default for ip targets, and without it the NLB ignores loadBalancerSourceRanges
        // and pods see the NLB's address. Trade-off: an internal NLB then drops "hairpin"
        // connections from a pod back to itself through the NLB.
        ...(awsPreservesClientIp(component)
          ? {
              'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true',
            }
          : {}),
        ...l4TlsAnnotations(platform, component),
        // A TCP and a UDP port of one number (DNS) need one TCP_UDP listener, or the NLB serves only
        // the first of them (routing/l4-listeners.ts).
        ...awsTcpUdpAnnotations(component),
      };
    case 'gcp':
      // Internal: an internal passthrough NLB. External: the backend-service-based external
      // passthrough NLB (GKE 1.25.5+), the one GKE documents for new Services.
      return internal
        ? { 'networking.gke.io/load-balancer-type': 'Internal' }
        : { 'cloud.google.com/l4-rbs': 'enabled' };
    case 'azure':
      return { 'service.beta.kubernetes.io/azure-load-balancer-internal': internal ? 'true' : 'false' };
    case 'digitalocean':
      // The CCM accepts EXTERNAL or INTERNAL (internal needs DOKS 1.28.10-do.0+ and cannot be
      // switched after creation); one size unit is the smallest load balancer, the price the plan quotes.
      // The type is written out like the scheme: the CCM's default since v0.1.61 is REGIONAL_NETWORK,
      // a pass-through load balancer with plain TCP/UDP rules that never reads the protocol, TLS
      // ports or certificate below; what the plan says of DigitalOcean load balancers is REGIONAL's
      // (routing/l4-listeners.ts).
      return {
        [DO_LOADBALANCER_TYPE]: DO_REGIONAL,
        'service.beta.kubernetes.io/do-loadbalancer-network': internal ? 'INTERNAL' : 'EXTERNAL',
        'service.beta.kubernetes.io/do-loadbalancer-size-unit': '1',
        ...l4TlsAnnotations(platform, component),
      };
    case 'other-cloud':
      // No portable annotation exists for an unknown provider: the scheme is the provider's default.
      return metalLb;
    case 'bare-metal':
    case 'kind':
    case 'minikube':
    case 'k3s':
      // MetalLB picks the pool per Service. kube-vip's cloud provider picks it per namespace (the
      // cidr-<namespace> / range-<namespace> keys of its ConfigMap), and k3s servicelb uses node
      // addresses: neither has a per-Service annotation to write.
      return metalLb;
  }
}

/** A Service of the component that needs no annotations: an ExternalName one, or one beside its main Service. */
function unannotatedService(
  topology: Topology,
  component: Component,
  name: string,
  spec: Record<string, unknown>,
): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: objectMetadata(topology, name, component.name, {}), spec };
}

/** Its name never clashes: validation refuses a component named after a StatefulSet's headless Service. */
function renderHeadlessService(topology: Topology, component: Component): KubeObject {
  return unannotatedService(topology, component, headlessServiceName(component.name), {
    type: 'ClusterIP',
    clusterIP: 'None',
    selector: { ...component.labels },
    ...(component.ports.length === 0 ? {} : { ports: component.ports.map((port) => servicePort(port, false)) }),
    // A StatefulSet's peers must find each other through these DNS records while they start
    // (cluster bootstrap, replica join) — that is, before they pass their readiness probes.
    // Clients use the main Service, which still lists ready pods only.
    publishNotReadyAddresses: true,
  });
}

/**
 * The ClusterIP Service of the ports a component that is not internal keeps in-cluster (ports.ts):
 * same pods, only reachable from inside the cluster. Its name never clashes: validation refuses a
 * component named after it.
 */
function renderInternalService(topology: Topology, component: Component): KubeObject {
  return unannotatedService(topology, component, internalServiceName(component.name), {
    type: 'ClusterIP',
    selector: { ...component.labels },
    ports: internalPorts(component).map((port) => servicePort(port, false)),
  });
}
