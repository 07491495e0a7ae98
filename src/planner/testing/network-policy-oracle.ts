import ipaddr from 'ipaddr.js';
import type { Component, KubeObject, PlanResult, PortSpec } from '../types.js';

/**
 * "Who must reach them", checked on random topologies against the RENDERED NetworkPolicies, read
 * here with Kubernetes' own rules (https://kubernetes.io/docs/concepts/services-networking/network-policies/)
 * and independently of how the planner wrote them. A pod stands for each component with pods,
 * carrying exactly its labels, in the topology's namespace. Per component:
 *   - the plan's coverage tells the truth: a component it counts as covered or partly covered is
 *     isolated for ingress by some policy, one it counts as not covered is not; and a covered one
 *     admits no address block that can hold the cluster's pods (one that overlaps
 *     environment.podCidr without excepting it, or, without podCidr, any private range);
 *   - an internal component, and a port kept in-cluster, admits only its callers (dependsOn), its
 *     own pods, and the allowFrom entries (that namespace, those pod labels, those ports): no
 *     address block, no other namespace, no other component;
 *   - every caller reaches every port of what it depends on (ingress, and egress when restricted);
 *   - a GKE Ingress's proxies (never pods) reach the port each routed component's Service sends to;
 *   - with egress restricted, each component is isolated for egress and reaches only DNS in
 *     kube-system, its dependsOn targets, and any address on its ExternalName targets' ports.
 */

type Selector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};
type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } };
type PolicyPort = { port?: number | string; endPort?: number; protocol?: string };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: PolicyPort[] };
type PolicySpec = { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
type Pod = { namespace: string; labels: Record<string, string> };

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Private IPv4 ranges and IPv6 unique local addresses: where a cluster's pods may be addressed. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map((cidr) =>
  ipaddr.parseCIDR(cidr),
);

function selectorMatches(selector: Selector, labels: Record<string, string>): boolean {
  const has = (key: string): boolean => Object.hasOwn(labels, key);
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => has(key) && labels[key] === value) &&
    (selector.matchExpressions ?? []).every((expression) => {
      const value = has(expression.key) ? labels[expression.key] : undefined;
      switch (expression.operator) {
        case 'In':
          return value !== undefined && (expression.values ?? []).includes(value);
        case 'NotIn':
          return value === undefined || !(expression.values ?? []).includes(value);
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        default:
          return false;
      }
    })
  );
}

function peerMatchesPod(peer: Peer, policyNamespace: string, pod: Pod): boolean {
  if (peer.ipBlock !== undefined) {
    return false;
  }
  const namespaceMatches =
    peer.namespaceSelector === undefined
      ? pod.namespace === policyNamespace
      : selectorMatches(peer.namespaceSelector, { [NAMESPACE_NAME_LABEL]: pod.namespace });
  return namespaceMatches && (peer.podSelector === undefined || selectorMatches(peer.podSelector, pod.labels));
}

/** The container port a component port reaches: what a NetworkPolicy port names. */
function containerPort(port: PortSpec): number | string {
  return port.targetPort ?? port.port;
}

function ruleAdmitsPort(rule: Rule, port: PortSpec): boolean {
  const ports = rule.ports ?? [];
  if (ports.length === 0) {
    return true;
  }
  const target = containerPort(port);
  return ports.some(
    (entry) =>
      (entry.protocol ?? 'TCP') === port.protocol &&
      (entry.port === undefined ||
        entry.port === target ||
        (typeof entry.port === 'number' &&
          entry.endPort !== undefined &&
          typeof target === 'number' &&
          target >= entry.port &&
          target <= entry.endPort)),
  );
}

function overlaps(a: [ipaddr.IPv4 | ipaddr.IPv6, number], b: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  if (a[0].kind() !== b[0].kind()) {
    return false;
  }
  // Two CIDRs overlap when the shorter prefix holds the other's address.
  return a[1] <= b[1] ? b[0].match(a) : a[0].match(b);
}

/** Whether `inner` lies within `outer`. */
function within(inner: [ipaddr.IPv4 | ipaddr.IPv6, number], outer: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  return inner[0].kind() === outer[0].kind() && inner[1] >= outer[1] && inner[0].match(outer);
}

/** Whether the block can hold a pod's address: it overlaps a pod range it does not except (or a private range, pod ranges unknown). */
function blockHoldsPods(block: { cidr: string; except?: string[] }, podCidrs: readonly string[] | undefined): boolean {
  const range = ipaddr.parseCIDR(block.cidr);
  const excepted = (block.except ?? []).map((cidr) => ipaddr.parseCIDR(cidr));
  const podRanges = podCidrs === undefined ? PRIVATE_RANGES : podCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  return podRanges.some(
    (pods) => overlaps(range, pods) && !excepted.some((except) => within(pods, except) || within(range, except)),
  );
}

type Policy = { namespace: string; spec: PolicySpec };

/** Google Front Ends, where a GKE external Application Load Balancer's requests and health checks come from. */
const GOOGLE_FRONT_ENDS = ['130.211.0.0/22', '35.191.0.0/16'];

type IngressSpec = {
  rules?: {
    http?: { paths?: { backend?: { service?: { name?: string; port?: { name?: string; number?: number } } } }[] };
  }[];
};
type ServiceSpec = {
  selector?: Record<string, string>;
  ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[];
};

/**
 * The addresses a GKE Ingress's proxies connect from, which are never pods: Google's front ends
 * for the external Application Load Balancer (class gce), the region's proxy-only subnet for the
 * internal one (gce-internal: https://cloud.google.com/kubernetes-engine/docs/concepts/ingress-ilb),
 * whose range no plan knows, so only a block of every address is sure to hold it. Undefined for
 * other classes, whose proxies may be pods.
 */
function gkeProxyRanges(ingress: KubeObject): string[] | undefined {
  const className = (ingress.metadata.annotations?.['kubernetes.io/ingress.class'] ?? '').toLowerCase();
  return className === 'gce' ? GOOGLE_FRONT_ENDS : className === 'gce-internal' ? ['0.0.0.0/0'] : undefined;
}

/** Components a GKE Ingress routes to, each with the port its Service sends to and where the proxies come from. */
function gkeRoutedPorts(
  manifests: KubeObject[],
  components: Component[],
): { component: Component; port: PortSpec; ranges: string[]; ingress: string }[] {
  const services = new Map(
    manifests.filter((object) => object.kind === 'Service').map((object) => [object.metadata.name, object]),
  );
  return manifests.flatMap((ingress) => {
    const ranges = ingress.kind === 'Ingress' ? gkeProxyRanges(ingress) : undefined;
    if (ranges === undefined) {
      return [];
    }
    return (
      ((ingress.spec ?? {}) as IngressSpec).rules?.flatMap((rule) =>
        (rule.http?.paths ?? []).flatMap((path) => {
          const backend = path.backend?.service;
          const service = services.get(backend?.name ?? '');
          const spec = (service?.spec ?? {}) as ServiceSpec;
          const servicePort = (spec.ports ?? []).find((entry) =>
            backend?.port?.name !== undefined ? entry.name === backend.port.name : entry.port === backend?.port?.number,
          );
          const selector = Object.entries(spec.selector ?? {});
          if (servicePort === undefined || selector.length === 0) {
            return [];
          }
          return components.flatMap((component) => {
            const port = selector.every(([key, value]) => component.labels[key] === value)
              ? component.ports.find(
                  (candidate) =>
                    candidate.protocol === (servicePort.protocol ?? 'TCP') &&
                    (servicePort.targetPort === containerPort(candidate) ||
                      (candidate.name !== undefined && servicePort.targetPort === candidate.name)),
                )
              : undefined;
            return port === undefined ? [] : [{ component, port, ranges, ingress: ingress.metadata.name }];
          });
        }),
      ) ?? []
    );
  });
}

function policiesOf(manifests: KubeObject[], namespace: string): Policy[] {
  return manifests
    .filter((object) => object.kind === 'NetworkPolicy')
    .map((object) => ({
      namespace: typeof object.metadata.namespace === 'string' ? object.metadata.namespace : namespace,
      spec: (object.spec ?? { podSelector: {} }) as PolicySpec,
    }));
}

function appliesTo(policy: Policy, direction: 'Ingress' | 'Egress', pod: Pod): boolean {
  const types =
    policy.spec.policyTypes ??
    (direction === 'Ingress' ? ['Ingress'] : policy.spec.egress === undefined ? [] : ['Egress']);
  return (
    types.includes(direction) &&
    policy.namespace === pod.namespace &&
    selectorMatches(policy.spec.podSelector, pod.labels)
  );
}

/** Every rule of every policy that isolates the pod in that direction; undefined when none does (all traffic allowed). */
function rulesFor(
  policies: Policy[],
  direction: 'Ingress' | 'Egress',
  pod: Pod,
): (Rule & { namespace: string })[] | undefined {
  const selecting = policies.filter((policy) => appliesTo(policy, direction, pod));
  if (selecting.length === 0) {
    return undefined;
  }
  return selecting.flatMap((policy) =>
    (direction === 'Ingress' ? (policy.spec.ingress ?? []) : (policy.spec.egress ?? [])).map((rule) => ({
      ...rule,
      namespace: policy.namespace,
    })),
  );
}

function peersOf(rule: Rule, direction: 'Ingress' | 'Egress'): Peer[] {
  // A rule without from (to) admits every source (destination): the same as one empty peer.
  return (
    (direction === 'Ingress' ? rule.from : rule.to) ?? [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }]
  );
}

/** The breaches of one plan, each a sentence naming the component; none for a plan whose policies keep its word. */
export function networkPolicyBreaches(result: PlanResult): string[] {
  const breaches: string[] = [];
  const { topology, networkPolicyCoverage: coverage } = result;
  const namespace = topology.namespace;
  const policies = policiesOf(result.manifests, namespace);
  const withPods = topology.components.filter((component) => component.externalName === undefined);
  const byName = new Map(topology.components.map((component) => [component.name, component]));
  const podOf = (component: Component): Pod => ({ namespace, labels: component.labels });
  const componentsMatching = (peer: Peer, policyNamespace: string): Component[] =>
    withPods.filter((component) => peerMatchesPod(peer, policyNamespace, podOf(component)));
  // The ports of the component that send to the same container port: a policy cannot tell them apart.
  const sameSocketOf =
    (component: Component) =>
    (port: PortSpec): PortSpec[] =>
      component.ports.filter(
        (other) => other.protocol === port.protocol && containerPort(other) === containerPort(port),
      );
  const callersOf = (target: Component): Component[] =>
    withPods.filter((component) => component.dependsOn.includes(target.name));

  for (const target of withPods) {
    const pod = podOf(target);
    const ingress = rulesFor(policies, 'Ingress', pod);
    if (coverage !== null) {
      const counted =
        coverage.covered.includes(target.name) ||
        coverage.partlyCovered.some((entry) => entry.component === target.name);
      if (counted !== (ingress !== undefined)) {
        breaches.push(
          `${target.name} is counted as ${counted ? '' : 'not '}covered, but ${ingress === undefined ? 'no' : 'a'} policy isolates its pods`,
        );
      }
      if (coverage.covered.includes(target.name)) {
        for (const rule of ingress ?? []) {
          for (const peer of peersOf(rule, 'Ingress')) {
            if (peer.ipBlock !== undefined && blockHoldsPods(peer.ipBlock, topology.environment.podCidr)) {
              breaches.push(
                `${target.name} is counted as fully covered, but admits ${peer.ipBlock.cidr}, which can hold pods`,
              );
            }
          }
        }
      }
    }
    if (ingress === undefined) {
      continue;
    }
    const callers = callersOf(target);
    const sameSocketAs = sameSocketOf(target);
    // What may reach a port kept in the cluster: the callers, the component's own pods, allowFrom.
    const keptIn =
      target.exposure === 'internal' ? target.ports : target.ports.filter((port) => port.exposure === 'internal');
    for (const port of keptIn) {
      for (const rule of ingress.filter((candidate) => ruleAdmitsPort(candidate, port))) {
        for (const peer of peersOf(rule, 'Ingress')) {
          const at = `${target.name} keeps ${port.port}/${port.protocol} in the cluster, but`;
          if (peer.ipBlock !== undefined) {
            breaches.push(`${at} admits the address block ${peer.ipBlock.cidr}`);
            continue;
          }
          if (peer.namespaceSelector !== undefined) {
            const named = peer.namespaceSelector.matchLabels?.[NAMESPACE_NAME_LABEL];
            const entry = (target.allowFrom ?? []).find(
              (candidate) =>
                candidate.namespace === named &&
                Object.keys(peer.namespaceSelector?.matchLabels ?? {}).length === 1 &&
                (peer.namespaceSelector?.matchExpressions ?? []).length === 0 &&
                (candidate.ports === undefined ||
                  candidate.ports.some((listed) =>
                    sameSocketAs(port).some((same) => listed === same.port || listed === same.name),
                  )),
            );
            const podsAsked = entry?.podLabels ?? {};
            const podsSelected = peer.podSelector?.matchLabels ?? {};
            if (
              entry === undefined ||
              Object.entries(podsAsked).some(([key, value]) => podsSelected[key] !== value) ||
              (peer.podSelector?.matchExpressions ?? []).length > 0
            ) {
              breaches.push(
                `${at} admits pods of another namespace that allowFrom does not name (${JSON.stringify(peer)})`,
              );
            }
            continue;
          }
          const selected = componentsMatching(peer, rule.namespace);
          const strangers = selected.filter((component) => component !== target && !callers.includes(component));
          if (strangers.length > 0 || selected.length === 0) {
            breaches.push(
              `${at} admits ${strangers.length > 0 ? strangers.map((component) => component.name).join(', ') : `pods no component has (${JSON.stringify(peer)})`}`,
            );
          }
        }
      }
    }
  }

  // The L7 entry point reaches what it routes: a GKE Ingress's proxies are never pods, so a pod or
  // namespace selector cannot admit them and every request would get a 502.
  for (const { component, port, ranges, ingress } of gkeRoutedPorts(result.manifests, withPods)) {
    const rules = rulesFor(policies, 'Ingress', podOf(component));
    if (rules === undefined) {
      continue;
    }
    const blocks = rules
      .filter((rule) => ruleAdmitsPort(rule, port))
      .flatMap((rule) =>
        peersOf(rule, 'Ingress').flatMap((peer) => (peer.ipBlock === undefined ? [] : [peer.ipBlock])),
      );
    const missing = ranges.filter(
      (range) => !blocks.some((block) => within(ipaddr.parseCIDR(range), ipaddr.parseCIDR(block.cidr))),
    );
    if (missing.length > 0) {
      breaches.push(
        `${component.name} is routed by the GKE Ingress ${ingress}, but no policy admits its proxies (${missing.join(', ')}) on ${port.port}/${port.protocol}`,
      );
    }
  }

  const egressRestricted = topology.environment.egress === 'restrict';
  for (const caller of withPods) {
    const pod = podOf(caller);
    const egress = rulesFor(policies, 'Egress', pod);
    if (egressRestricted && egress === undefined) {
      breaches.push(`${caller.name} is not isolated for egress, though egress is restricted`);
    }
    for (const name of caller.dependsOn) {
      const target = byName.get(name);
      if (target === undefined || target.externalName !== undefined) {
        continue;
      }
      const ingress = rulesFor(policies, 'Ingress', podOf(target));
      for (const port of target.ports) {
        const admitted =
          ingress === undefined ||
          ingress.some(
            (rule) =>
              ruleAdmitsPort(rule, port) &&
              peersOf(rule, 'Ingress').some((peer) => peerMatchesPod(peer, rule.namespace, pod)),
          );
        if (!admitted) {
          breaches.push(
            `${caller.name} depends on ${target.name}, but no policy admits it on ${port.port}/${port.protocol}`,
          );
        }
        const leaves =
          egress === undefined ||
          egress.some(
            (rule) =>
              ruleAdmitsPort(rule, port) &&
              peersOf(rule, 'Egress').some((peer) => peerMatchesPod(peer, rule.namespace, podOf(target))),
          );
        if (!leaves) {
          breaches.push(
            `${caller.name} depends on ${target.name}, but its egress does not reach ${port.port}/${port.protocol}`,
          );
        }
      }
    }
    if (!egressRestricted || egress === undefined) {
      continue;
    }
    const externalPorts = caller.dependsOn.flatMap((name) => {
      const target = byName.get(name);
      return target?.externalName === undefined ? [] : target.ports;
    });
    for (const rule of egress) {
      for (const peer of peersOf(rule, 'Egress')) {
        const at = `${caller.name}'s egress`;
        if (peer.ipBlock !== undefined) {
          const toExternalOnly =
            (rule.ports ?? []).length > 0 &&
            (rule.ports ?? []).every((entry) =>
              externalPorts.some(
                (port) =>
                  (entry.protocol ?? 'TCP') === port.protocol &&
                  entry.port === port.port &&
                  entry.endPort === undefined,
              ),
            );
          if (!toExternalOnly) {
            breaches.push(`${at} admits the address block ${peer.ipBlock.cidr} beyond its ExternalName targets' ports`);
          }
          continue;
        }
        if (peer.namespaceSelector !== undefined) {
          const toDns =
            peer.namespaceSelector.matchLabels?.[NAMESPACE_NAME_LABEL] === 'kube-system' &&
            peer.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns' &&
            (rule.ports ?? []).length > 0 &&
            (rule.ports ?? []).every((entry) => entry.port === 53);
          if (!toDns) {
            breaches.push(`${at} admits another namespace beyond DNS (${JSON.stringify(peer)})`);
          }
          continue;
        }
        const selected = componentsMatching(peer, rule.namespace);
        const strangers = selected.filter(
          (component) => component !== caller && !caller.dependsOn.includes(component.name),
        );
        if (strangers.length > 0 || selected.length === 0) {
          breaches.push(
            `${at} admits ${strangers.length > 0 ? strangers.map((component) => component.name).join(', ') : `pods no component has (${JSON.stringify(peer)})`}`,
          );
        }
      }
    }
  }
  return breaches;
}
