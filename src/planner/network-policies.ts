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
import { parseCidr } from './cidr.js';
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
 *
 * The default deny selects every pod of the namespace only when the topology says the namespace is
 * its own (`environment.ownsNamespace: true`); otherwise only the plan's pods (defaultDenySelector).
 * Every ipBlock that admits outside clients excepts the cluster's pod ranges when
 * `environment.podCidr` gives them (podExcepts), and AWS NLB health checks are admitted from
 * `environment.nodeCidr` instead of every private range when it is given.
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
        : [
            ...ingressControllerPeers(topology, ingress.className, ingressIsPublic(routed)),
            ...(controllerMayRunOnNodes(topology) ? (topology.environment.nodeCidr ?? []) : []).map((cidr) => ({
              ipBlock: { cidr },
            })),
          ];
  const callers = callersByComponent(topology, byComponent);

  const policies: KubeObject[] = defaultDenyIngress(topology, byComponent);
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
    rules.push(...allowFromRules(component));
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
      policies.push(
        allowPolicy(
          topology,
          component,
          rules.map((rule) => withPodExcepts(topology, rule)),
        ),
      );
    }
  }
  return policies;
}

type Peer =
  | NetworkPolicyPeer
  | { podSelector: { matchLabels: Record<string, string> } }
  | { namespaceSelector: { matchLabels?: Record<string, string> } }
  | { ipBlock: { cidr: string; except?: string[] } };

type PolicyPort = { port: number | string; protocol: string };

type IngressRule = { from: Peer[]; ports: PolicyPort[] };

type LabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In'; values: string[] }[];
};

/**
 * The components whose pods the plan's Services select. A worker without ports has no Service:
 * nothing in the topology connects to it and the plan cannot name its pods' ports, so in a shared
 * namespace the scoped default deny leaves it alone (with ownsNamespace it is denied with the rest).
 */
function componentsWithPods(topology: Topology, byComponent: Map<string, Recommendation>): Component[] {
  return topology.components.filter(
    (component) => component.ports.length > 0 && hasSelectorService(byComponent.get(component.name)),
  );
}

/**
 * What the default deny selects:
 *   - the namespace belongs to the topology (environment.ownsNamespace): every pod, `{}`;
 *   - otherwise the plan's pods only. The plan's object labels (part-of) are on the objects it
 *     renders, not on the user's pods, so the selector is built from the components' own pod
 *     selectors (their `labels`, which the user's workloads carry). When every component selects
 *     by one label of the same key (the default `app: <name>`), one policy selects them all with
 *     `<key> In [values]`: a pod it matches is a pod one of the plan's Services sends traffic to.
 *     Otherwise the union of several multi-label selectors is not one label selector, and `key In`
 *     on part of them could catch other workloads' pods, so there is one policy per component,
 *     `default-deny-ingress-<component>`, selecting exactly its labels.
 * No component with a Service of pods (only ExternalName dependencies, workers) and a shared
 * namespace: no default deny.
 */
export function defaultDenySelectors(
  topology: Topology,
  byComponent: Map<string, Recommendation>,
): { name: string; labelsName: string; podSelector: LabelSelector }[] {
  if (topology.environment.ownsNamespace === true) {
    return [{ name: 'default-deny-ingress', labelsName: topology.name, podSelector: {} }];
  }
  const withPods = componentsWithPods(topology, byComponent);
  const keys = new Set(withPods.flatMap((component) => Object.keys(component.labels)));
  const singleKey = withPods.every((component) => Object.keys(component.labels).length === 1) && keys.size === 1;
  if (singleKey) {
    const [key] = [...keys];
    const values = [...new Set(withPods.map((component) => component.labels[key]))];
    return [
      {
        name: 'default-deny-ingress',
        labelsName: topology.name,
        podSelector: { matchExpressions: [{ key, operator: 'In', values }] },
      },
    ];
  }
  return withPods.map((component) => ({
    name: `default-deny-ingress-${component.name}`,
    labelsName: component.name,
    podSelector: { matchLabels: { ...component.labels } },
  }));
}

function defaultDenyIngress(topology: Topology, byComponent: Map<string, Recommendation>): KubeObject[] {
  return defaultDenySelectors(topology, byComponent).map(({ name, labelsName, podSelector }) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace: topology.namespace,
      labels: objectLabels(topology, labelsName),
    },
    spec: { podSelector, policyTypes: ['Ingress'] },
  }));
}

/**
 * The pod ranges (environment.podCidr) strictly inside an admitted block, as its `except`: on
 * network plugins that keep pod source addresses (AWS VPC CNI, Calico, Cilium), a block such as
 * 0.0.0.0/0 or 10.0.0.0/8 also matches every pod of the cluster, which the caller rules were meant
 * to narrow. A pod range equal to or larger than the block cannot be excepted (the API server
 * wants an except strictly inside its cidr). A pod range that overlaps the node (VPC) range is
 * never excepted: pods then share addresses with the nodes and load balancers (AWS VPC CNI), and
 * excepting it would cut the load balancer off; on AWS without nodeCidr that is assumed.
 */
export function podExcepts(topology: Topology, cidr: string): string[] {
  const [network, prefix] = parseCidr(cidr);
  return [
    ...new Set(
      exceptablePodCidrs(topology).filter((podCidr) => {
        const [address, podPrefix] = parseCidr(podCidr);
        return address.kind() === network.kind() && podPrefix > prefix && address.match(network, prefix);
      }),
    ),
  ];
}

/** environment.podCidr without the ranges pods share with nodes (see podExcepts). */
export function exceptablePodCidrs(topology: Topology): string[] {
  const { podCidr, nodeCidr, platform } = topology.environment;
  if (podCidr === undefined || (nodeCidr === undefined && platform === 'aws')) {
    return [];
  }
  return podCidr.filter((pods) => !(nodeCidr ?? []).some((nodes) => cidrsOverlap(pods, nodes)));
}

function cidrsOverlap(a: string, b: string): boolean {
  const [first, firstPrefix] = parseCidr(a);
  const [second, secondPrefix] = parseCidr(b);
  if (first.kind() !== second.kind()) {
    return false;
  }
  const prefix = Math.min(firstPrefix, secondPrefix);
  return first.match(second, prefix);
}

/**
 * Whether an admitted block holds pod addresses: it overlaps environment.podCidr when given; else
 * it is all addresses or overlaps a private range, where pod addresses come from.
 */
function holdsPods(topology: Topology, cidr: string): boolean {
  const podCidr = topology.environment.podCidr;
  if (podCidr !== undefined) {
    return podCidr.some((pods) => cidrsOverlap(pods, cidr));
  }
  return (
    (ANYWHERE as readonly string[]).includes(cidr) || PRIVATE_VPC_RANGES.some((range) => cidrsOverlap(cidr, range))
  );
}

function withPodExcepts(topology: Topology, rule: IngressRule): IngressRule {
  return {
    from: rule.from.map((peer) => {
      if (!('ipBlock' in peer)) {
        return peer;
      }
      const except = podExcepts(topology, peer.ipBlock.cidr);
      return except.length === 0 ? peer : { ipBlock: { cidr: peer.ipBlock.cidr, except } };
    }),
    ports: rule.ports,
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

/** The namespace label every namespace carries with its own name (Kubernetes 1.22 and later). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Callers outside the topology (components[].allowFrom): the namespace by its name label, narrowed
 * to podLabels when given (both selectors in ONE peer: pods with those labels in that namespace),
 * on the listed ports (by name or Service port number, validation keeps them among the
 * component's ports) or on every port of the component.
 */
function allowFromRules(component: Component): IngressRule[] {
  return (component.allowFrom ?? []).map((caller) => {
    const namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: caller.namespace } };
    const peer: Peer =
      caller.podLabels === undefined || Object.keys(caller.podLabels).length === 0
        ? { namespaceSelector }
        : { namespaceSelector, podSelector: { matchLabels: { ...caller.podLabels } } };
    const named = caller.ports;
    const ports =
      named === undefined
        ? component.ports
        : component.ports.filter(
            (port) => named.includes(port.port) || (port.name !== undefined && named.includes(port.name)),
          );
    return { from: [peer], ports: policyPorts(ports) };
  });
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

/**
 * Bare metal without a load-balancer provider: the ingress controller is reached on a NodePort or
 * runs on hostNetwork (the usual bare-metal setups). A hostNetwork pod connects from its node's
 * address, and whether a NetworkPolicy counts it as a pod of its namespace is left undefined
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicies-and-hostnetwork-pods):
 * the node range (environment.nodeCidr) is admitted beside the namespace, on the routed port.
 */
export function controllerMayRunOnNodes(topology: Topology): boolean {
  const provider = topology.environment.loadBalancerProvider;
  return topology.environment.platform === 'bare-metal' && (provider === undefined || provider === 'none');
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
  // The NLB's addresses are in the VPC's subnets: the VPC range (environment.nodeCidr) when known.
  return vpcRanges(topology)
    .filter((cidr) => !admitted.has(cidr))
    .map((cidr) => ({ ipBlock: { cidr } }));
}

/** Where node and VPC addresses come from: environment.nodeCidr when given, else every private range. */
export function vpcRanges(topology: Topology): readonly string[] {
  return topology.environment.nodeCidr ?? PRIVATE_VPC_RANGES;
}

/**
 * What the NetworkPolicies do that the user must know, as rationale lines per component (the plan
 * has no namespace-level place for notes): which pods the default deny selects, and where an
 * admitted ipBlock is broader than it looks (it also holds the cluster's pods) or was narrowed.
 * Read from the rendered policies, so the words cannot drift from the objects.
 */
export function networkPolicyNotes(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  gatewayPeers?: NetworkPolicyPeer[] | null,
): Map<string, string[]> {
  const byComponent = recommendationsByComponent(recommendations);
  const rendered = new Map(
    renderNetworkPolicies(topology, recommendations, ingress, gatewayPeers).map((object) => [
      object.metadata.name,
      object,
    ]),
  );
  const notes = new Map<string, string[]>();
  const scope = defaultDenyScopeNote(topology, byComponent);
  for (const component of componentsWithPods(topology, byComponent)) {
    const lines = [scope];
    const policy = rendered.get(`allow-${component.name}`);
    const rules = (policy?.spec as { ingress?: IngressRule[] } | undefined)?.ingress ?? [];
    const blocks = rules.flatMap((rule) =>
      rule.from.flatMap((peer) => ('ipBlock' in peer ? [peer.ipBlock as { cidr: string; except?: string[] }] : [])),
    );
    const broad = [
      ...new Set(
        blocks
          .filter((block) => block.except === undefined && holdsPods(topology, block.cidr))
          .map((block) => block.cidr),
      ),
    ];
    const narrowed = [...new Set(blocks.filter((block) => block.except !== undefined).map((block) => block.cidr))];
    if (broad.length > 0) {
      lines.push(broadBlocksNote(topology, broad));
    }
    if (
      ingress !== null &&
      gatewayPeers === undefined &&
      controllerMayRunOnNodes(topology) &&
      topology.environment.nodeCidr === undefined &&
      routedComponents(topology, recommendations, ingress).some((routed) => routed.name === component.name)
    ) {
      lines.push(
        "the ingress controller here (bare metal, no load-balancer provider) runs on hostNetwork or behind a NodePort; on hostNetwork it connects from node addresses, which its namespace peer may not match, and this policy then blocks the entry point: set environment.nodeCidr to the nodes' range so the plan admits it on the routed port",
      );
    }
    if (narrowed.length > 0) {
      lines.push(
        `its NetworkPolicy admits ${narrowed.join(', ')} minus the pod ranges of environment.podCidr inside it, so pods reach it only as the rules for callers say`,
      );
    }
    notes.set(component.name, lines);
  }
  if (topology.environment.ownsNamespace !== true) {
    for (const component of topology.components) {
      if (component.ports.length === 0 && component.externalName === undefined) {
        notes.set(component.name, [
          `no ports, so no Service: in the shared namespace ${topology.namespace} the plan's default deny does not select its pods (set environment.ownsNamespace to true to deny them too)`,
        ]);
      }
    }
  }
  return notes;
}

function defaultDenyScopeNote(topology: Topology, byComponent: Map<string, Recommendation>): string {
  if (topology.environment.ownsNamespace === true) {
    return `default-deny-ingress selects every pod of namespace ${topology.namespace} (environment.ownsNamespace: true): a pod there that the topology does not list accepts no connection`;
  }
  const selectors = defaultDenySelectors(topology, byComponent);
  const how =
    selectors.length === 1 && selectors[0].name === 'default-deny-ingress'
      ? `default-deny-ingress selects only this plan's pods (${describeScope(selectors[0].podSelector)})`
      : "each component's pods get their own default-deny-ingress-<component> (the components' label selectors have no one key in common to select them all)";
  return `${how}, not every pod of namespace ${topology.namespace}: environment.ownsNamespace is not true, so other workloads there keep their traffic; set it to true if the namespace holds only this topology`;
}

/** `app in web, api`, or with many components `app in the values of its 40 components`: the line is repeated per component. */
function describeScope(podSelector: LabelSelector): string {
  return (podSelector.matchExpressions ?? [])
    .map((expression) =>
      expression.values.length <= 6
        ? `${expression.key} in ${expression.values.join(', ')}`
        : `${expression.key} in the values of its ${expression.values.length} components`,
    )
    .join('');
}

function broadBlocksNote(topology: Topology, cidrs: string[]): string {
  const { podCidr, nodeCidr, platform } = topology.environment;
  const admits = `its NetworkPolicy admits ${cidrs.join(', ')}`;
  if (podCidr === undefined) {
    return `${admits}, which is broader than it looks: on network plugins that keep pod source addresses (AWS VPC CNI, Calico, Cilium) these blocks also hold the cluster's pods, so any pod can connect on those ports; set environment.podCidr (and environment.nodeCidr) so the plan can except them`;
  }
  if (nodeCidr === undefined && platform === 'aws') {
    return `${admits} without excepting environment.podCidr: on AWS the pods usually share the VPC's addresses with the load balancers (VPC CNI), and excepting them could cut the load balancer off; set environment.nodeCidr (the VPC CIDR) so the plan can tell them apart`;
  }
  return `${admits}, which also holds pod addresses the plan cannot except (a pod range that overlaps environment.nodeCidr, or is not inside the block): pods there can connect on those ports`;
}

/** The recommendations with networkPolicyNotes appended to each one's rationale. */
export function withNetworkPolicyNotes(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  gatewayPeers?: NetworkPolicyPeer[] | null,
): Recommendation[] {
  const notes = networkPolicyNotes(topology, recommendations, ingress, gatewayPeers);
  return recommendations.map((recommendation) => {
    const lines = notes.get(recommendation.component);
    return lines === undefined
      ? recommendation
      : { ...recommendation, rationale: [...recommendation.rationale, ...lines] };
  });
}
