import {
  ANYWHERE,
  clientAddressReachesPods,
  hasSelectorService,
  ingressBackendPort,
  ingressIsPublic,
  objectLabels,
  recommendationsByComponent,
  routedComponents,
  toCidr,
} from './manifest-conventions.js';
import { publishedPorts } from './ports.js';
import type { NetworkPolicyPeer } from './routing/gateway-classes.js';
import type { Component, IngressPlan, KubeObject, PortSpec, Recommendation, Topology } from './types.js';

/**
 * NetworkPolicies that follow the topology (the original design: "default-deny for the namespace, then allow
 * what the topology says"). Ingress direction only: egress stays open, so DNS and calls to the
 * outside keep working without the plan having to know every destination.
 *
 *   - `default-deny-ingress`: every pod in the namespace refuses connections not allowed below.
 *   - `allow-<component>` for each component whose pods back a Service (not ExternalName: no pods),
 *     admitting exactly, on the pods' own ports (target ports, which is what a policy sees):
 *       · its callers, the components whose dependsOn lists it (pods selected by their labels);
 *       · its own pods, when it has a headless Service (StatefulSet peers replicate and gossip);
 *       · the ingress controller (or the Gateway's data plane), on the one port the Ingress routes to, when it routes it;
 *       · outside clients, when its Service is NodePort or LoadBalancer, on its published ports only
 *         (the ports kept in-cluster on `<component>-internal`, ports.ts, are for the callers above).
 *   - A component nothing may reach (no callers, no entry point) gets NO allow policy: the default
 *     deny already covers it, and an empty allow policy would only add an object to read.
 *   - Components without ports (workers) get none either: nothing connects to them.
 * Policies are in component order; names are fixed by component names, so they are stable.
 */
export function renderNetworkPolicies(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  gatewayPeers?: NetworkPolicyPeer[] | null,
): KubeObject[] {
  const byComponent = recommendationsByComponent(recommendations);
  const routed = routedComponents(topology, recommendations, ingress);
  const routedNames = new Set(routed.map((component) => component.name));
  // Gateway API: the data plane of the Gateway's class (gateway-classes.ts), on the backend port
  // only; null where no Kubernetes NetworkPolicy can select it (the plan says what to write instead).
  const controller =
    gatewayPeers !== undefined
      ? gatewayPeers
      : ingress === null
        ? null
        : ingressControllerPeers(topology, ingress.className, ingressIsPublic(routed));
  const callers = callersByComponent(topology, byComponent);

  const policies: KubeObject[] = [defaultDenyIngress(topology)];
  for (const component of topology.components) {
    const recommendation = byComponent.get(component.name);
    if (recommendation === undefined || !hasSelectorService(recommendation) || component.ports.length === 0) {
      continue;
    }
    const rules: IngressRule[] = [];
    const componentCallers = callers.get(component.name) ?? [];
    const podPeers: Peer[] = componentCallers.map((caller) => podPeer(caller));
    if (recommendation.headless && !componentCallers.includes(component)) {
      podPeers.push(podPeer(component));
    }
    if (podPeers.length > 0) {
      rules.push({ from: podPeers, ports: policyPorts(component.ports) });
    }
    if (controller !== null && routedNames.has(component.name)) {
      rules.push({ from: controller, ports: policyPorts([ingressBackendPort(component)]) });
    }
    const serviceType = recommendation.serviceType;
    if (serviceType === 'NodePort' || serviceType === 'LoadBalancer') {
      // Published ports only: a port kept in-cluster (ports.ts) is admitted from the callers above, never from outside.
      const published = policyPorts(publishedPorts(component));
      const from = outsidePeers(topology, component, serviceType);
      rules.push({ from, ports: published });
      const healthChecks = nlbHealthCheckPeers(topology, component, serviceType, from);
      if (healthChecks.length > 0) {
        rules.push({ from: healthChecks, ports: published });
      }
    }
    if (rules.length > 0) {
      policies.push(allowPolicy(topology, component, rules));
    }
  }
  return policies;
}

type Peer =
  | NetworkPolicyPeer
  | { podSelector: { matchLabels: Record<string, string> } }
  | { namespaceSelector: { matchLabels?: Record<string, string> } }
  | { ipBlock: { cidr: string } };

type PolicyPort = { port: number | string; protocol: string };

type IngressRule = { from: Peer[]; ports: PolicyPort[] };

function defaultDenyIngress(topology: Topology): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'default-deny-ingress',
      namespace: topology.namespace,
      labels: objectLabels(topology, topology.name),
    },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}

function allowPolicy(topology: Topology, component: Component, rules: IngressRule[]): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: `allow-${component.name}`,
      namespace: topology.namespace,
      labels: objectLabels(topology, component.name),
    },
    spec: { podSelector: { matchLabels: { ...component.labels } }, policyTypes: ['Ingress'], ingress: rules },
  };
}

function podPeer(component: Component): Peer {
  return { podSelector: { matchLabels: { ...component.labels } } };
}

/** The pods' ports (a policy sees the target port, not the Service port), each once, in order. */
function policyPorts(ports: PortSpec[]): PolicyPort[] {
  const seen = new Set<string>();
  const result: PolicyPort[] = [];
  for (const port of ports) {
    const key = `${port.targetPort}/${port.protocol}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push({ port: port.targetPort, protocol: port.protocol });
    }
  }
  return result;
}

/** Components that call each one, in topology order; components outside the cluster have no pods to admit. */
function callersByComponent(topology: Topology, byComponent: Map<string, Recommendation>): Map<string, Component[]> {
  const callers = new Map<string, Component[]>();
  for (const caller of topology.components) {
    if (caller.externalName !== undefined || byComponent.get(caller.name)?.serviceType === 'ExternalName') {
      continue;
    }
    for (const callee of new Set(caller.dependsOn)) {
      const list = callers.get(callee);
      if (list === undefined) {
        callers.set(callee, [caller]);
      } else {
        list.push(caller);
      }
    }
  }
  return callers;
}

/** Where the common ingress controllers run by default: their pods are the peer to admit. */
const CONTROLLER_NAMESPACES: Record<string, string> = {
  nginx: 'ingress-nginx',
  'ingress-nginx': 'ingress-nginx',
  traefik: 'traefik',
  haproxy: 'haproxy-controller',
  istio: 'istio-system',
  webapprouting: 'app-routing-system',
  'webapprouting.kubernetes.azure.com': 'app-routing-system',
};

/**
 * Google Front Ends: the source of every request a GKE external Application Load Balancer sends
 * to pods (container-native load balancing), and of its health checks.
 */
const GOOGLE_FRONT_END_RANGES = ['130.211.0.0/22', '35.191.0.0/16'];

function ingressControllerPeers(topology: Topology, className: string, isPublic: boolean): Peer[] {
  const name = className.toLowerCase();
  if (name === 'alb') {
    // The ALB targets pods directly (target-type ip) from its own addresses inside the VPC, which
    // are not known when planning. Client CIDRs would not match either: the ALB is a proxy, so
    // pods never see the client. The ALB's security group is where sources are restricted.
    return ANYWHERE.map((cidr) => ({ ipBlock: { cidr } }));
  }
  if (name === 'gce') {
    // An external GKE Ingress reaches pods from Google's front ends only. An internal one comes
    // from the region's proxy-only subnet, whose range the plan does not know.
    return (isPublic ? GOOGLE_FRONT_END_RANGES : ANYWHERE).map((cidr) => ({ ipBlock: { cidr } }));
  }
  // k3s ships Traefik in kube-system; a Helm install of Traefik elsewhere uses its own namespace.
  const namespace =
    name === 'traefik' && topology.environment.platform === 'k3s' ? 'kube-system' : CONTROLLER_NAMESPACES[name];
  if (namespace === undefined) {
    // An unknown controller could run anywhere: admit pods of any namespace on the routed port
    // rather than break the route; narrow it to the controller's namespace once known.
    return [{ namespaceSelector: {} }];
  }
  return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } }];
}

/**
 * Who may connect from outside the cluster to a NodePort or LoadBalancer Service's pods. The
 * allowed sources when the pods see client addresses (see clientAddressReachesPods); otherwise
 * the pods only ever see node or load-balancer addresses, so the policy admits any address and
 * the source restriction lives where it can work: loadBalancerSourceRanges on the load balancer
 * (a NodePort has none: the security findings say so).
 */
function outsidePeers(topology: Topology, component: Component, serviceType: 'NodePort' | 'LoadBalancer'): Peer[] {
  const sources = [...new Set(component.allowedSources.map(toCidr))];
  const cidrs = clientAddressReachesPods(topology, component, serviceType) && sources.length > 0 ? sources : ANYWHERE;
  return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}

/**
 * The private IPv4 ranges a VPC's addresses come from: RFC 1918 and the RFC 6598 shared space
 * (100.64.0.0/10), which AWS accepts as a VPC CIDR and EKS uses for custom pod networking.
 */
export const PRIVATE_VPC_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] as const;

/**
 * An AWS NLB with ip targets health-checks each pod from its own private addresses in the VPC's
 * subnets, whichever client IPs it preserves. When the client rule admits only allowedSources,
 * those checks are dropped, every target turns unhealthy and the NLB serves nobody. The NLB's
 * addresses are not known when planning, so the ranges a VPC can use are admitted on the same
 * target ports. The price: any host in the VPC (or a peered network) can reach these ports on
 * the pods directly, as it could the NLB's own private address; loadBalancerSourceRanges still
 * filters what arrives through the NLB.
 */
function nlbHealthCheckPeers(
  topology: Topology,
  component: Component,
  serviceType: 'NodePort' | 'LoadBalancer',
  clientPeers: Peer[],
): Peer[] {
  if (
    topology.environment.platform !== 'aws' ||
    serviceType !== 'LoadBalancer' ||
    !clientAddressReachesPods(topology, component, serviceType)
  ) {
    return [];
  }
  const admitted = new Set(clientPeers.map((peer) => ('ipBlock' in peer ? peer.ipBlock.cidr : '')));
  if (ANYWHERE.some((cidr) => admitted.has(cidr))) {
    return [];
  }
  return PRIVATE_VPC_RANGES.filter((cidr) => !admitted.has(cidr)).map((cidr) => ({ ipBlock: { cidr } }));
}
