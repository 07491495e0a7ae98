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
import { cidrsOverlap, parseCidr, PRIVATE_VPC_RANGES } from './cidr.js';
import { loadBalancerSupport } from './cost.js';
import { publishedPorts } from './ports.js';
import { dependentsByComponent } from './topology-lookups.js';
import { internalGkeIngress, isGceClass, isGceInternalClass } from './routing/classes.js';
import type { NetworkPolicyPeer } from './routing/gateway-classes.js';
import { indexNetworkPolicies, policiesSelecting, type NetworkPolicyIndex } from './findings/manifest-reading.js';
import { VERIFICATION_PROBE_LABELS } from './verification-patterns.js';
import type {
  Component,
  IngressPlan,
  KubeObject,
  NetworkPolicyCoverage,
  PartlyCoveredComponent,
  PortSpec,
  Recommendation,
  Topology,
} from './types.js';

/**
 * NetworkPolicies that follow the topology (the original design: "default-deny for the namespace, then allow
 * what the topology says"). Ingress always; egress only with `environment.egress: restrict` (absent or
 * "open": egress stays open, so DNS and calls to the outside keep working without the plan having
 * to know every destination).
 *
 *   - `default-deny-ingress`: every pod of the plan (workers included) refuses connections not allowed below.
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
 *   - With egress restricted: `default-deny-egress`, scoped like the ingress one, then
 *     `egress-<component>` for every component with pods (workers included): DNS, its dependsOn
 *     targets on their ports, its ExternalName targets' ports (egressPolicy).
 * Policies are in component order; names are fixed by component names, so they are stable.
 *
 * The default deny selects every pod of the namespace only when the topology says the namespace is
 * its own (`environment.ownsNamespace: true`); otherwise only the plan's pods (defaultDenyScope).
 * Every ipBlock that admits outside clients excepts the cluster's pod ranges when
 * `environment.podCidr` gives them (podExcepts), and node addresses (AWS NLB health checks, an entry
 * point on the nodes) are admitted from `environment.nodeCidr`, or every private range without it.
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
  const controller = entryPointPeers(topology, ingress, routed, gatewayPeers);
  const callers = callersByComponent(topology, byComponent);

  const policies: KubeObject[] = defaultDenies(topology, byComponent, gatewayPeers);
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
          rules.map((rule) => ({ from: withPodExcepts(topology, rule.from), ports: rule.ports })),
        ),
      );
    }
  }
  if (egressRestricted(topology)) {
    const byName = componentsByName(topology);
    for (const component of componentsWithPods(topology, byComponent)) {
      policies.push(egressPolicy(topology, component, byComponent, byName));
    }
    if (topology.environment.ownsNamespace === true) {
      policies.push(probeEgressPolicy(topology));
    }
  }
  return policies;
}

/**
 * `egress.verification-probes` (egress restricted in a namespace the topology owns): the
 * namespace-wide default-deny-egress selects the plan's own verification test pods too, which then
 * could neither resolve a name (the must-succeed nslookup checks would fail a correct plan) nor
 * reach the Service they probe (an isolation probe would time out on its own egress deny and pass
 * even with no ingress policy at all). Pods with the probe labels (verification-patterns.ts) may
 * reach DNS and this namespace's pods, on any port: no more than that, so whether they get in
 * stays the targets' ingress policies' decision, which is what the probes test. Not rendered in a
 * shared namespace, where the default deny selects only the plan's pods, not the test pods.
 */
function probeEgressPolicy(topology: Topology): KubeObject {
  return networkPolicy(topology, PROBE_EGRESS_POLICY, topology.name, {
    podSelector: { matchLabels: { ...VERIFICATION_PROBE_LABELS } },
    policyTypes: ['Egress'],
    egress: [DNS_RULE, { to: [{ podSelector: {} }] }],
  });
}

/** A name no component's policy can take: component names are DNS labels, without a dot. */
export const PROBE_EGRESS_POLICY = 'egress.verification-probes';

/**
 * Who reaches the routed components from the shared L7 entry point, or null where no Kubernetes
 * NetworkPolicy can name it (Cilium's node proxy: the plan says what to write instead).
 *   - Gateway API: the data plane of the Gateway's class (gateway-classes.ts);
 *   - Ingress: the controller of the class (ingressControllerPeers).
 * Where the entry point runs on the nodes (entryPointOnNodes), the node addresses are admitted beside it.
 */
function entryPointPeers(
  topology: Topology,
  ingress: IngressPlan | null,
  routed: Component[],
  gatewayPeers: NetworkPolicyPeer[] | null | undefined,
): Peer[] | null {
  const peers: Peer[] | null =
    gatewayPeers !== undefined
      ? gatewayPeers
      : ingress === null
        ? null
        : ingressControllerPeers(topology, ingress.className, ingressIsPublic(routed));
  if (peers === null || !entryPointOnNodes(topology)) {
    return peers;
  }
  const admitted = new Set(peers.map((peer) => ('ipBlock' in peer ? peer.ipBlock.cidr : '')));
  return [
    ...peers,
    ...vpcRanges(topology)
      .filter((cidr) => !admitted.has(cidr))
      .map((cidr) => ({ ipBlock: { cidr } })),
  ];
}

export function egressRestricted(topology: Topology): boolean {
  return topology.environment.egress === 'restrict';
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
  matchExpressions?: { key: string; operator: 'In' | 'NotIn'; values: string[] }[];
};

/**
 * The components that have pods: every one but ExternalName dependencies (outside the cluster).
 * Workers without ports count: they have no Service and nothing connects to them, but their pods
 * run in the namespace, so the default deny selects them too, and with egress restricted they get
 * their egress policy.
 */
export function componentsWithPods(topology: Topology, byComponent: Map<string, Recommendation>): Component[] {
  return topology.components.filter((component) => !isOutsideCluster(component, byComponent.get(component.name)));
}

/** The components by name, built once: the egress rules look their targets up per component. */
function componentsByName(topology: Topology): Map<string, Component> {
  return new Map(topology.components.map((component) => [component.name, component]));
}

function isOutsideCluster(component: Component, recommendation: Recommendation | undefined): boolean {
  return component.externalName !== undefined || recommendation?.serviceType === 'ExternalName';
}

/**
 * The Gateway's proxies, where they run in the topology's own namespace (GEP-1762 data planes:
 * AKS application routing, Istio, NGINX Gateway Fabric deploy them beside the Gateway), as the one
 * label the Gateway's peer selects them by. With environment.ownsNamespace the default deny selects
 * every pod of the namespace, and nothing would admit traffic into (or, with egress restricted,
 * out of) those proxies: every route behind them would be cut off. They are the entry point, not a
 * component of the topology, so the namespace-wide deny leaves them out (`<label> NotIn [value]`
 * still selects every pod without that label) and the note says so.
 */
function gatewayProxiesHere(topology: Topology, gatewayPeers?: NetworkPolicyPeer[] | null): [string, string][] {
  return (gatewayPeers ?? []).flatMap((peer) => {
    if (!('podSelector' in peer) || !('namespaceSelector' in peer)) {
      return [];
    }
    const namespace = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
    const labels = Object.entries(peer.podSelector.matchLabels ?? {});
    const only = labels.length === 1 ? labels[0] : undefined;
    return namespace === topology.namespace && only !== undefined ? [only] : [];
  });
}

type DefaultDenyScope = {
  /** Appended to default-deny-<direction>: absent for the one policy selecting all, the component for one per component. */
  component?: string;
  labelsName: string;
  podSelector: LabelSelector;
};

/**
 * What the default deny selects:
 *   - the namespace belongs to the topology (environment.ownsNamespace): every pod, `{}`;
 *   - otherwise the plan's pods only, workers included. The plan's object labels (part-of) are on
 *     the objects it renders, not on the user's pods, so the selector is built from the components'
 *     own pod selectors (their `labels`, which the user's workloads carry). When every component
 *     selects by one label of the same key (the default `app: <name>`), one policy selects them all
 *     with `<key> In [values]`: a pod it matches is a pod of one of the plan's components.
 *     Otherwise the union of several multi-label selectors is not one label selector, and `key In`
 *     on part of them could catch other workloads' pods, so there is one policy per component,
 *     `default-deny-<direction>-<component>`, selecting exactly its labels.
 * No component with pods (only ExternalName dependencies) and a shared namespace: no default deny.
 */
export function defaultDenyScope(
  topology: Topology,
  byComponent: Map<string, Recommendation>,
  gatewayPeers?: NetworkPolicyPeer[] | null,
): DefaultDenyScope[] {
  if (topology.environment.ownsNamespace === true) {
    const proxies = gatewayProxiesHere(topology, gatewayPeers);
    return [
      {
        labelsName: topology.name,
        podSelector:
          proxies.length === 0
            ? {}
            : { matchExpressions: proxies.map(([key, value]) => ({ key, operator: 'NotIn', values: [value] })) },
      },
    ];
  }
  const withPods = componentsWithPods(topology, byComponent);
  if (withPods.length === 0) {
    return [];
  }
  // Plain loops, not flatMap: these read every component twice a plan, and flatMap's array per
  // component made this 0.3 ms at 1,000 components, against 0.1 ms now.
  const keys = new Set<string>();
  let oneLabelEach = true;
  for (const component of withPods) {
    const own = Object.keys(component.labels);
    oneLabelEach &&= own.length === 1;
    for (const key of own) {
      keys.add(key);
    }
  }
  const key = keys.size === 1 ? [...keys][0] : undefined;
  if (key !== undefined && oneLabelEach) {
    // Each component has that one key and no other, so its one label value is the key's.
    const values = new Set<string>();
    for (const component of withPods) {
      for (const value of Object.values(component.labels)) {
        values.add(value);
      }
    }
    return [
      { labelsName: topology.name, podSelector: { matchExpressions: [{ key, operator: 'In', values: [...values] }] } },
    ];
  }
  return withPods.map((component) => ({
    component: component.name,
    labelsName: component.name,
    podSelector: { matchLabels: { ...component.labels } },
  }));
}

function defaultDenyName(direction: 'ingress' | 'egress', scope: DefaultDenyScope): string {
  return scope.component === undefined ? `default-deny-${direction}` : `default-deny-${direction}-${scope.component}`;
}

/** The default deny for ingress, and for egress when it is restricted, each over the same pods. */
function defaultDenies(
  topology: Topology,
  byComponent: Map<string, Recommendation>,
  gatewayPeers?: NetworkPolicyPeer[] | null,
): KubeObject[] {
  const scopes = defaultDenyScope(topology, byComponent, gatewayPeers);
  const directions: ('ingress' | 'egress')[] = egressRestricted(topology) ? ['ingress', 'egress'] : ['ingress'];
  return directions.flatMap((direction) =>
    scopes.map((scope) =>
      networkPolicy(topology, defaultDenyName(direction, scope), scope.labelsName, {
        podSelector: scope.podSelector,
        policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
      }),
    ),
  );
}

/** A NetworkPolicy in the plan's namespace, labelled like the objects of `labelsName` (a component, or the plan). */
function networkPolicy(
  topology: Topology,
  name: string,
  labelsName: string,
  spec: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: topology.namespace, labels: objectLabels(topology, labelsName) },
    spec,
  };
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
  const exceptable = exceptablePodCidrs(topology);
  // Without environment.podCidr (the usual case) there is nothing to except, from any block: no set
  // and no copy per admitted block.
  if (exceptable.length === 0) {
    return [];
  }
  const [network, prefix] = parseCidr(cidr);
  return [
    ...new Set(
      exceptable.filter((podCidr) => {
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

/**
 * Whether an admitted block holds pod addresses: it overlaps environment.podCidr when given; else
 * it is all addresses or overlaps a private range, where pod addresses come from.
 */
function holdsPods(topology: Topology, cidr: string): boolean {
  // Asked for every admitted block of every component (300 components with five blocks each at
  // 1,000 components, ~6,000 range overlaps), about the same few ranges: kept per environment.
  let known = podHoldingByEnvironment.get(topology.environment);
  if (known === undefined) {
    known = new Map();
    podHoldingByEnvironment.set(topology.environment, known);
  }
  let holds = known.get(cidr);
  if (holds === undefined) {
    holds = blockHoldsPods(topology, cidr);
    known.set(cidr, holds);
  }
  return holds;
}

/** holdsPods' answers per environment object (a plan's environment is never changed) and block. */
const podHoldingByEnvironment = new WeakMap<Topology['environment'], Map<string, boolean>>();

function blockHoldsPods(topology: Topology, cidr: string): boolean {
  const podCidr = topology.environment.podCidr;
  if (podCidr !== undefined) {
    return podCidr.some((pods) => cidrsOverlap(pods, cidr));
  }
  return (
    (ANYWHERE as readonly string[]).includes(cidr) || PRIVATE_VPC_RANGES.some((range) => cidrsOverlap(cidr, range))
  );
}

function withPodExcepts(topology: Topology, peers: Peer[]): Peer[] {
  return peers.map((peer) => {
    if (!('ipBlock' in peer)) {
      return peer;
    }
    const except = podExcepts(topology, peer.ipBlock.cidr);
    return except.length === 0 ? peer : { ipBlock: { cidr: peer.ipBlock.cidr, except } };
  });
}

function allowPolicy(topology: Topology, component: Component, rules: IngressRule[]): KubeObject {
  return networkPolicy(topology, `allow-${component.name}`, component.name, {
    podSelector: { matchLabels: { ...component.labels } },
    policyTypes: ['Ingress'],
    ingress: rules,
  });
}

type EgressRule = { to: Peer[]; ports: PolicyPort[] };

/**
 * Cluster DNS: the kube-dns pods (CoreDNS keeps the `k8s-app: kube-dns` label on EKS, GKE, AKS,
 * DOKS, k3s, kind and minikube) in kube-system, on 53 over UDP and TCP (TCP for answers that do not
 * fit a datagram). Pods reach it through the kube-dns Service, whose address the network plugin
 * translates to these pods before the policy is applied.
 */
const DNS_RULE: EgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

/**
 * `egress-<component>` (environment.egress restrict): the component's pods may open connections to
 *   - DNS (DNS_RULE), which every name lookup needs;
 *   - each dependsOn target with pods, selected by its labels, on the ports its allow policy admits
 *     callers on (all its target ports, the ones kept in-cluster included): the two policies of one
 *     connection name the same ports;
 *   - its own pods, when it has a headless Service (the peers its allow policy admits);
 *   - each ExternalName target, on that target's ports, to any address: the name resolves outside
 *     the cluster to addresses the plan cannot know, so the rule can only narrow the ports (minus
 *     the pod ranges of environment.podCidr, as for every broad block). A target without ports gets
 *     nothing (the rationale says so).
 * A dependency without ports (a worker) has nothing to connect to: EXP029 says so. Egress-only, so
 * that a worker (no Service, nothing to admit) gets it too.
 */
function egressPolicy(
  topology: Topology,
  component: Component,
  byComponent: Map<string, Recommendation>,
  byName: Map<string, Component>,
): KubeObject {
  const rules: EgressRule[] = [DNS_RULE];
  for (const dependency of new Set(component.dependsOn)) {
    const target = byName.get(dependency);
    if (target === undefined || target.ports.length === 0) {
      continue;
    }
    const recommendation = byComponent.get(target.name);
    if (isOutsideCluster(target, recommendation)) {
      rules.push({
        to: withPodExcepts(
          topology,
          ANYWHERE.map((cidr) => ({ ipBlock: { cidr } })),
        ),
        ports: externalPorts(target.ports),
      });
    } else if (hasSelectorService(recommendation)) {
      rules.push({ to: [podPeer(target)], ports: policyPorts(target.ports) });
    }
  }
  if (byComponent.get(component.name)?.headless === true && component.ports.length > 0) {
    rules.push({ to: [podPeer(component)], ports: policyPorts(component.ports) });
  }
  return networkPolicy(topology, `egress-${component.name}`, component.name, {
    podSelector: { matchLabels: { ...component.labels } },
    policyTypes: ['Egress'],
    egress: rules,
  });
}

/**
 * An ExternalName target's ports as its callers use them: the Service port, since the name is only
 * a DNS alias and the client connects to the external host on the port it was given (targetPort
 * means nothing for ExternalName), each once.
 */
function externalPorts(ports: PortSpec[]): PolicyPort[] {
  return policyPorts(ports.map((port) => ({ ...port, targetPort: port.port })));
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
  const hasPods = (caller: Component) =>
    caller.externalName === undefined && byComponent.get(caller.name)?.serviceType !== 'ExternalName';
  return new Map(
    Array.from(dependentsByComponent(topology), ([callee, dependents]) => [callee, dependents.filter(hasPods)]),
  );
}

/**
 * No load-balancer provider on a cluster the plan does not call a cloud (bare metal, kind and minikube
 * without MetalLB or kube-vip, k3s with its ServiceLB turned off): the ingress controller or the
 * Gateway's data plane is reached on a NodePort or runs on hostNetwork (the usual setups there; on
 * kind the controller's ports are mapped from the host to the node, on minikube the addon binds the
 * node). A hostNetwork pod connects from its node's address, and whether a NetworkPolicy counts it
 * as a pod of its namespace is left undefined
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicies-and-hostnetwork-pods):
 * the node range (environment.nodeCidr, or every private range without it) is admitted beside the
 * namespace, on the routed port, rather than break the plan's own entry point.
 */
export function entryPointOnNodes(topology: Topology): boolean {
  return loadBalancerSupport(topology.environment) === 'none';
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
  if (isGceClass(name) || isGceInternalClass(name)) {
    // An external GKE Ingress reaches pods from Google's front ends only. An internal one (class
    // gce-internal, named by the user or rendered for a non-public route) comes from the region's
    // proxy-only subnet (https://cloud.google.com/kubernetes-engine/docs/concepts/ingress-ilb),
    // whose range the plan does not know: no pod selector matches those proxies, so any address is
    // admitted and the component counts as partly covered (broaderThanItLooks, EXP034).
    return (internalGkeIngress(name, isPublic) ? ANYWHERE : GOOGLE_FRONT_END_RANGES).map((cidr) => ({
      ipBlock: { cidr },
    }));
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

/** An admitted block as the policy carries it. */
type Block = { cidr: string; except?: string[] };

/** The ipBlocks a rendered policy admits into the pods it selects, in rule order; it reads untyped JSON. */
function admittedBlocks(policy: KubeObject): Block[] {
  const spec = policy.spec as { ingress?: unknown } | undefined;
  const rules = Array.isArray(spec?.ingress) ? (spec.ingress as { from?: unknown }[]) : [];
  // Plain loops: this runs for every policy selecting every component, and most admit no block.
  const blocks: Block[] = [];
  for (const rule of rules) {
    for (const peer of Array.isArray(rule?.from) ? (rule.from as { ipBlock?: Block }[]) : []) {
      if (typeof peer?.ipBlock?.cidr === 'string') {
        blocks.push(peer.ipBlock);
      }
    }
  }
  return blocks;
}

/**
 * Why a component's NetworkPolicies admit more than they look like they do, read from the policies
 * that select its pods (rendered or applied: `policies` may be any manifests), or null when they do not:
 *   - a block that also holds the cluster's pods and excepts none of them (0.0.0.0/0 for a cloud
 *     load balancer, the private ranges for AWS NLB health checks): on network plugins that keep pod
 *     source addresses every pod of the cluster connects on those ports; environment.podCidr narrows it;
 *   - without environment.nodeCidr, a private range the component's allowedSources do not name: it
 *     stands in for the node or VPC addresses the plan was not given (AWS NLB health checks, an
 *     entry point on the nodes), and admits every host of those ranges; environment.nodeCidr narrows it.
 */
export function broaderThanItLooks(
  topology: Topology,
  component: Component,
  policies: KubeObject[] | NetworkPolicyIndex,
): PartlyCoveredComponent | null {
  const index = Array.isArray(policies) ? indexNetworkPolicies(policies, topology.namespace) : policies;
  const broad = broadBlocks(topology, component, index);
  return broad === null
    ? null
    : {
        component: component.name,
        cidrs: [...broad.cidrs],
        narrowWith: [...broad.narrowWith],
        reason: broad.reasons.join('; '),
      };
}

/**
 * The ipBlocks that the NetworkPolicies selecting the component admit besides its own allowedSources,
 * in the order the policies list them; null when no policy selects its pods, so nothing filters there.
 * A connection that reaches the pods from a node's address (through a node port, SNAT included) is
 * refused only when this is empty (EXP035): a node address falls in 0.0.0.0/0, in a private range
 * admitted for health checks, or in the node range.
 */
export function blocksBeyondSources(component: Component, index: NetworkPolicyIndex): string[] | null {
  const policies = policiesSelecting(index, component.labels);
  if (policies.length === 0) {
    return null;
  }
  const sources = new Set(component.allowedSources.map(toCidr));
  return unique(
    blocksAdmittedBy(policies)
      .map((block) => block.cidr)
      .filter((cidr) => !sources.has(toCidr(cidr))),
  );
}

/** Every ipBlock the policies admit, in their order. */
function blocksAdmittedBy(policies: readonly KubeObject[]): Block[] {
  const blocks: Block[] = [];
  for (const policy of policies) {
    blocks.push(...admittedBlocks(policy));
  }
  return blocks;
}

type BroadBlocks = { cidrs: string[]; narrowWith: string[]; reasons: string[] } | null;

/**
 * broadBlocks as found for one index, per labels object, with the environment and allowedSources it
 * was found for: the rationale notes, the plan's coverage and EXP034 each ask it for every
 * component, and a plan asks them all of one index (plan.ts).
 */
const broadBlocksFound = new WeakMap<
  NetworkPolicyIndex,
  WeakMap<
    Record<string, string>,
    { environment: Topology['environment']; allowedSources: string[]; found: BroadBlocks }
  >
>();

/** broaderThanItLooks with its reasons apart: each is one rationale line. Read-only: the result may be shared. */
function broadBlocks(topology: Topology, component: Component, index: NetworkPolicyIndex): BroadBlocks {
  let byLabels = broadBlocksFound.get(index);
  if (byLabels === undefined) {
    byLabels = new WeakMap();
    broadBlocksFound.set(index, byLabels);
  }
  const known = byLabels.get(component.labels);
  if (
    known !== undefined &&
    known.environment === topology.environment &&
    known.allowedSources === component.allowedSources
  ) {
    return known.found;
  }
  const found = findBroadBlocks(topology, component, index);
  byLabels.set(component.labels, {
    environment: topology.environment,
    allowedSources: component.allowedSources,
    found,
  });
  return found;
}

function findBroadBlocks(topology: Topology, component: Component, index: NetworkPolicyIndex): BroadBlocks {
  const blocks = blocksAdmittedBy(policiesSelecting(index, component.labels));
  // Most components' policies admit pods and namespaces only, no ipBlock: nothing to find, and
  // the sets and lists below were a tenth of the NetworkPolicy notes' allocations (1,000 components).
  if (blocks.length === 0) {
    return null;
  }
  const { podCidr, nodeCidr, platform } = topology.environment;
  const withPods = unique(
    blocks
      .filter((block) => (block.except ?? []).length === 0 && holdsPods(topology, block.cidr))
      .map((block) => block.cidr),
  );
  const sources = new Set(component.allowedSources.map(toCidr));
  const standIns =
    nodeCidr === undefined
      ? unique(
          blocks
            .map((block) => block.cidr)
            .filter((cidr) => (PRIVATE_VPC_RANGES as readonly string[]).includes(cidr) && !sources.has(cidr)),
        )
      : [];
  if (withPods.length === 0 && standIns.length === 0) {
    return null;
  }
  const narrowWith = new Set<string>();
  const reasons: string[] = [];
  if (withPods.length > 0) {
    reasons.push(broadBlocksNote(topology, withPods));
    if (podCidr === undefined) {
      narrowWith.add('environment.podCidr');
    }
    if (nodeCidr === undefined && platform === 'aws') {
      narrowWith.add('environment.nodeCidr');
    }
  }
  if (standIns.length > 0) {
    reasons.push(
      `its NetworkPolicy admits ${standIns.join(', ')}, every private range, where the plan means the node or VPC addresses (${platform === 'aws' ? 'AWS NLB health checks, ' : ''}an ingress controller or Gateway on the nodes): environment.nodeCidr is not given, so any host or pod in those ranges can connect on those ports; set it to the nodes' (VPC's) range so the plan admits that range only`,
    );
    narrowWith.add('environment.nodeCidr');
  }
  return {
    cidrs: unique([...withPods, ...standIns]),
    narrowWith: ['environment.podCidr', 'environment.nodeCidr'].filter((input) => narrowWith.has(input)),
    reasons,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * What the NetworkPolicies among the manifests cover, for the plan's `networkPolicyCoverage`: each
 * component with pods (ExternalName dependencies have none) is covered when a policy selects it for
 * ingress (the test EXP013 makes), partly covered when one of those admits a block broader than it
 * looks (broaderThanItLooks, EXP034), and not covered otherwise.
 */
export function networkPolicyCoverage(
  topology: Topology,
  recommendations: Recommendation[],
  manifests: KubeObject[],
  /** The NetworkPolicies among the manifests, indexed, when the caller has them (plan.ts). */
  index: NetworkPolicyIndex = indexNetworkPolicies(manifests, topology.namespace),
): NetworkPolicyCoverage {
  const byComponent = recommendationsByComponent(recommendations);
  const covered: string[] = [];
  const partlyCovered: PartlyCoveredComponent[] = [];
  const uncovered: string[] = [];
  const withPods = componentsWithPods(topology, byComponent);
  for (const component of withPods) {
    if (policiesSelecting(index, component.labels).length === 0) {
      uncovered.push(component.name);
      continue;
    }
    const broad = broaderThanItLooks(topology, component, index);
    if (broad === null) {
      covered.push(component.name);
    } else {
      partlyCovered.push(broad);
    }
  }
  const egress = egressRestricted(topology) ? 'restricted' : 'open';
  const counts = [
    `${covered.length} of ${withPods.length} ${withPods.length === 1 ? 'component' : 'components'} with pods fully covered by the plan's NetworkPolicies`,
    `${partlyCovered.length} partly covered${partlyCovered.length === 0 ? '' : ` (${nameList(partlyCovered.map((entry) => entry.component))}: ipBlocks broader than they look)`}`,
    `${uncovered.length} not selected by any${uncovered.length === 0 ? '' : ` (${nameList(uncovered)})`}`,
  ];
  const egressSentence =
    egress === 'restricted'
      ? `egress restricted (environment.egress restrict): each component connects only to DNS, its dependsOn targets and its ExternalName targets' ports${
          topology.environment.ownsNamespace === true
            ? `; the verification's test pods (${Object.entries(VERIFICATION_PROBE_LABELS)
                .map(([key, value]) => `${key}=${value}`)
                .join(
                  ', ',
                )}) connect to DNS and this namespace's pods through ${PROBE_EGRESS_POLICY}, and the pods' ingress policies decide whether they get in`
            : ''
        }`
      : 'egress open: the pods may connect anywhere (environment.egress "restrict" limits it)';
  return {
    defaultDeny: topology.environment.ownsNamespace === true ? 'namespace' : 'plan-pods',
    egress,
    covered,
    partlyCovered,
    uncovered,
    summary: `${counts.join(', ')}; ${egressSentence}.`,
  };
}

/** Names in a sentence, or their count past a few: the summary must stay short for 2,000 components. */
function nameList(names: string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.length} components`;
}

/**
 * What the NetworkPolicies do that the user must know, as rationale lines per component with pods
 * (the plan-wide counts are in networkPolicyCoverage): which pods the default deny selects, what
 * the egress policy admits when egress is restricted, why node addresses are admitted for an entry
 * point on the nodes, and where an admitted ipBlock is broader than it looks or was narrowed.
 * Read from the rendered policies, so the words cannot drift from the objects.
 */
export function networkPolicyNotes(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  gatewayPeers?: NetworkPolicyPeer[] | null,
  /** The policies renderNetworkPolicies gives for these arguments, indexed, when the caller has them (plan.ts renders them once). */
  index: NetworkPolicyIndex = indexNetworkPolicies(
    renderNetworkPolicies(topology, recommendations, ingress, gatewayPeers),
    topology.namespace,
  ),
): Map<string, string[]> {
  const byComponent = recommendationsByComponent(recommendations);
  const componentByName = componentsByName(topology);
  // Every rendered policy is in the topology's namespace, so the index holds them all.
  const byName = new Map(index.policies.map((object) => [object.metadata.name, object]));
  const routedList = routedComponents(topology, recommendations, ingress);
  const routed = new Set(routedList.map((component) => component.name));
  const viaInternalGke =
    gatewayPeers === undefined &&
    ingress !== null &&
    internalGkeIngress(ingress.className, ingressIsPublic(routedList));
  const entryPointAdmitted = gatewayPeers !== null && entryPointOnNodes(topology);
  const notes = new Map<string, string[]>();
  const scope = defaultDenyScopeNote(topology, byComponent, gatewayPeers);
  for (const component of componentsWithPods(topology, byComponent)) {
    const lines = [scope];
    if (egressRestricted(topology)) {
      lines.push(egressNote(component, byComponent, componentByName));
    }
    if (entryPointAdmitted && routed.has(component.name)) {
      lines.push(entryPointOnNodesNote(topology, gatewayPeers !== undefined));
    }
    if (viaInternalGke && routed.has(component.name)) {
      lines.push(
        "the internal GKE Ingress's proxies connect from the region's proxy-only subnet, which no pod selector matches and whose range the plan does not know, so its NetworkPolicy admits any address on the routed port: any host that can route to the pods, not only the load balancer, can connect on it (https://cloud.google.com/kubernetes-engine/docs/concepts/ingress-ilb)",
      );
    }
    lines.push(...(broadBlocks(topology, component, index)?.reasons ?? []));
    const policy = byName.get(`allow-${component.name}`);
    const admitted = policy === undefined ? [] : admittedBlocks(policy);
    // Most allow policies admit no ipBlock: then no filtered copies and no set per component.
    const narrowed =
      admitted.length === 0
        ? []
        : unique(admitted.filter((block) => (block.except ?? []).length > 0).map((block) => block.cidr));
    if (narrowed.length > 0) {
      lines.push(
        `its NetworkPolicy admits ${narrowed.join(', ')} minus the pod ranges of environment.podCidr inside it, so pods reach it only as the rules for callers say`,
      );
    }
    notes.set(component.name, lines);
  }
  return notes;
}

function entryPointOnNodesNote(topology: Topology, gateway: boolean): string {
  const { platform, nodeCidr } = topology.environment;
  const what = gateway ? "the Gateway's data plane" : 'the ingress controller';
  const nodes =
    nodeCidr === undefined
      ? `every private range (${PRIVATE_VPC_RANGES.join(', ')}), since environment.nodeCidr does not give the nodes' range`
      : `environment.nodeCidr (${nodeCidr.join(', ')})`;
  return `${what} here (${platform}, no load-balancer provider) is reached on a NodePort or runs on hostNetwork; on hostNetwork it connects from node addresses, which its namespace peer may not match, so this policy also admits the nodes on the routed port: ${nodes}`;
}

function egressNote(
  component: Component,
  byComponent: Map<string, Recommendation>,
  byName: Map<string, Component>,
): string {
  const inCluster: string[] = [];
  const external: string[] = [];
  const unreachable: string[] = [];
  for (const dependency of new Set(component.dependsOn)) {
    const target = byName.get(dependency);
    if (target === undefined) {
      continue;
    }
    const recommendation = byComponent.get(target.name);
    if (isOutsideCluster(target, recommendation)) {
      if (target.ports.length === 0) {
        unreachable.push(target.name);
      } else {
        external.push(
          `${target.name} (${externalPorts(target.ports)
            .map((port) => `${port.port}/${port.protocol}`)
            .join(', ')})`,
        );
      }
    } else if (target.ports.length > 0 && hasSelectorService(recommendation)) {
      inCluster.push(target.name);
    }
  }
  const admitted = [
    'DNS (the kube-dns pods in kube-system, UDP and TCP 53)',
    ...(inCluster.length === 0 ? [] : [`the pods of ${nameList(inCluster)} on their ports`]),
    ...(byComponent.get(component.name)?.headless === true && component.ports.length > 0
      ? ['its own pods (headless peers)']
      : []),
    ...(external.length === 0
      ? []
      : [
          `${external.join(', ')} at any address, on those ports only: an ExternalName resolves outside the cluster, to addresses the plan cannot know`,
        ]),
  ];
  const missing =
    unreachable.length === 0
      ? ''
      : `; ${unreachable.join(', ')} ${unreachable.length === 1 ? 'has' : 'have'} no ports, so no connection to ${unreachable.length === 1 ? 'it' : 'them'} is admitted: list the ports ${component.name} uses there`;
  return `egress is restricted (environment.egress restrict): egress-${component.name} admits only ${admitted.join('; ')}; every other outbound connection is refused${missing}`;
}

function defaultDenyScopeNote(
  topology: Topology,
  byComponent: Map<string, Recommendation>,
  gatewayPeers?: NetworkPolicyPeer[] | null,
): string {
  const denies = egressRestricted(topology) ? 'default-deny-ingress and default-deny-egress' : 'default-deny-ingress';
  if (topology.environment.ownsNamespace === true) {
    const proxies = gatewayProxiesHere(topology, gatewayPeers);
    const but =
      proxies.length === 0
        ? ''
        : ` but the Gateway's proxies (${proxies.map(([key, value]) => `${key}=${value}`).join(', ')}), which run here and must take connections from anywhere on the listener ports and reach the backends: they are the entry point, and no policy of the plan restricts them`;
    return `${denies} ${egressRestricted(topology) ? 'select' : 'selects'} every pod of namespace ${topology.namespace}${but} (environment.ownsNamespace: true): a pod there that the topology does not list accepts no connection`;
  }
  const scopes = defaultDenyScope(topology, byComponent);
  const workers = componentsWithPods(topology, byComponent).some((component) => component.ports.length === 0)
    ? ', workers included'
    : '';
  const onlyScope = scopes.length === 1 ? scopes[0] : undefined;
  const how =
    onlyScope !== undefined && onlyScope.component === undefined
      ? `${denies} ${egressRestricted(topology) ? 'select' : 'selects'} only this plan's pods (${describeScope(onlyScope.podSelector)}${workers})`
      : `each component's pods${workers} get their own ${egressRestricted(topology) ? 'default-deny-ingress-<component> and default-deny-egress-<component>' : 'default-deny-ingress-<component>'} (the components' label selectors have no one key in common to select them all)`;
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
    const nodes =
      platform === 'aws' && nodeCidr === undefined
        ? ' and environment.nodeCidr (the VPC range: on AWS the plan excepts pod ranges only once it can tell them from the nodes)'
        : '';
    return `${admits}, which is broader than it looks: on network plugins that keep pod source addresses (AWS VPC CNI, Calico, Cilium) these blocks also hold the cluster's pods, so any pod can connect on those ports; set environment.podCidr${nodes} so the plan can except them`;
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
  index?: NetworkPolicyIndex,
): Recommendation[] {
  const notes = networkPolicyNotes(topology, recommendations, ingress, gatewayPeers, index);
  return recommendations.map((recommendation) => {
    const lines = notes.get(recommendation.component);
    return lines === undefined
      ? recommendation
      : { ...recommendation, rationale: recommendation.rationale.concat(lines) };
  });
}
