import {
  asRecord,
  indexNetworkPolicies,
  labelSelectorMatches,
  policiesSelecting,
  type NetworkPolicyIndex,
} from '../planner/findings/manifest-reading.js';
import type { Component, KubeObject, PlanResult, PortSpec } from '../planner/types.js';

/**
 * Whether a component's dependsOn call gets through, read from the NetworkPolicies among the
 * plan's manifests (not from what the plan meant): the target's ingress policies must admit the
 * caller's pods, and, where egress is restricted, the caller's egress policies must let the call
 * out. Ports are the dependency's Service ports whose pod ports both sides admit.
 */
export type Reach =
  /** Policies select the pods on both ends and admit these ports. */
  | { kind: 'allowed'; ports: string[] }
  /** No policy selects the target's pods for ingress: every port is open to every pod. */
  | { kind: 'unrestricted'; ports: string[] }
  /** A policy selects the pods, and no rule admits the call. */
  | { kind: 'blocked'; why: 'ingress' | 'egress' }
  /** The dependency has no ports (a worker): there is nothing to call. */
  | { kind: 'no-ports' };

type Direction = 'Ingress' | 'Egress';

/** The namespace's policies, indexed once per plan (a plan reads them for every dependsOn edge). */
const indexes = new WeakMap<KubeObject[], NetworkPolicyIndex>();

function policyIndex(plan: PlanResult): NetworkPolicyIndex {
  let index = indexes.get(plan.manifests);
  if (index === undefined) {
    index = indexNetworkPolicies(plan.manifests, plan.topology.namespace);
    indexes.set(plan.manifests, index);
  }
  return index;
}

export function dependencyReach(plan: PlanResult, caller: Component, target: Component): Reach {
  if (target.ports.length === 0) {
    return { kind: 'no-ports' };
  }
  const index = policyIndex(plan);
  const outside = target.externalName !== undefined;
  // An ExternalName target has no pods: only the caller's egress can stand in the way.
  const ingressPolicies = outside ? [] : policiesSelecting(index, target.labels, 'Ingress');
  const ingress =
    ingressPolicies.length === 0
      ? target.ports
      : admittedPorts(ingressPolicies, 'Ingress', target.ports, (peer) => podPeerMatches(peer, caller, plan), outside);
  if (ingress.length === 0) {
    return { kind: 'blocked', why: 'ingress' };
  }
  const egressPolicies = policiesSelecting(index, caller.labels, 'Egress');
  const ports =
    egressPolicies.length === 0
      ? ingress
      : admittedPorts(
          egressPolicies,
          'Egress',
          ingress,
          (peer) => (outside ? 'ipBlock' in peer : podPeerMatches(peer, target, plan)),
          outside,
        );
  if (ports.length === 0) {
    return { kind: 'blocked', why: 'egress' };
  }
  const names = ports.map((port) => `${port.port}/${port.protocol}`);
  return ingressPolicies.length === 0 && !outside
    ? { kind: 'unrestricted', ports: names }
    : { kind: 'allowed', ports: names };
}

/**
 * The ports of `ports` that some rule of the policies admits for a peer `matches`. A rule without
 * peers admits everyone, one without ports every port (the NetworkPolicy API's rules).
 * Pod peers see the pods' ports (targetPort); an ipBlock to an ExternalName's host sees its port.
 */
function admittedPorts(
  policies: readonly KubeObject[],
  direction: Direction,
  ports: PortSpec[],
  matches: (peer: Record<string, unknown>) => boolean,
  outside: boolean,
): PortSpec[] {
  const rules = policies.flatMap((policy) => {
    const list = asRecord(policy.spec)?.[direction === 'Ingress' ? 'ingress' : 'egress'];
    return Array.isArray(list) ? list.map((rule) => asRecord(rule) ?? {}) : [];
  });
  return ports.filter((port) =>
    rules.some((rule) => {
      const peers = rule[direction === 'Ingress' ? 'from' : 'to'];
      const peerAdmits =
        !Array.isArray(peers) || peers.length === 0 || peers.some((peer) => matches(asRecord(peer) ?? {}));
      const rulePorts = rule.ports;
      const portAdmits =
        !Array.isArray(rulePorts) ||
        rulePorts.length === 0 ||
        rulePorts.some((rulePort) => policyPortMatches(asRecord(rulePort) ?? {}, port, outside));
      return peerAdmits && portAdmits;
    }),
  );
}

function policyPortMatches(rulePort: Record<string, unknown>, port: PortSpec, outside: boolean): boolean {
  const protocol = typeof rulePort.protocol === 'string' ? rulePort.protocol : 'TCP';
  if (protocol !== port.protocol) {
    return false;
  }
  if (rulePort.port === undefined) {
    return true;
  }
  const seen = outside ? port.port : port.targetPort;
  if (typeof rulePort.port === 'number' && typeof seen === 'number') {
    const end = typeof rulePort.endPort === 'number' ? rulePort.endPort : rulePort.port;
    return seen >= rulePort.port && seen <= end;
  }
  return rulePort.port === seen;
}

/** A peer that names pods of the plan's own namespace by labels these pods carry. */
function podPeerMatches(peer: Record<string, unknown>, pods: Component, plan: PlanResult): boolean {
  const podSelector = asRecord(peer.podSelector);
  if (podSelector === undefined) {
    return false;
  }
  const namespaceSelector = asRecord(peer.namespaceSelector);
  if (
    namespaceSelector !== undefined &&
    !labelSelectorMatches(namespaceSelector, { 'kubernetes.io/metadata.name': plan.topology.namespace })
  ) {
    return false;
  }
  return labelSelectorMatches(podSelector, pods.labels);
}
