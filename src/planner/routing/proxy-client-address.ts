import { cidrsOverlap, PRIVATE_VPC_RANGES } from '../cidr.js';
import { loadBalancerSupport } from '../cost.js';
import { toCidr } from '../manifest-conventions.js';
import type { Component, Topology } from '../types.js';

/**
 * allowedSources held inside an in-cluster L7 proxy (a Traefik IPAllowList, an Envoy Gateway
 * SecurityPolicy) are judged on the address the proxy sees, and the plan does not render the
 * proxy's own Service (k3s bundles Traefik; its Helm chart or Envoy Gateway makes it):
 *  - k3s ServiceLB (klipper-lb) masquerades every connection it forwards
 *    (`iptables -t nat -I POSTROUTING -d ${dest_ip}/32 -p ${DEST_PROTO} -j MASQUERADE`, file
 *    `entry`, start_proxy, https://github.com/k3s-io/klipper-lb commit 75a20be), so the proxy sees
 *    the svclb pod's address, in the pod range, whatever externalTrafficPolicy says;
 *  - DigitalOcean's load balancers proxy connections even with externalTrafficPolicy Local
 *    (manifest-conventions.ts, clientAddressReachesPods): the proxy sees a VPC address;
 *  - elsewhere Traefik's Service keeps the default externalTrafficPolicy Cluster (its Helm chart
 *    sets none), under which kube-proxy replaces the client address with a node's (on overlay
 *    networks the node's address in the pod range):
 *    https://kubernetes.io/docs/tutorials/services/source-ip/#source-ip-for-services-with-type-loadbalancer;
 *    Envoy Gateway gives the Envoy Service externalTrafficPolicy Local unless an EnvoyProxy says
 *    otherwise (DefaultKubernetesServiceExternalTrafficPolicy, api/v1alpha1/kubernetes_helpers.go,
 *    https://github.com/envoyproxy/gateway since v1.0.0, commit 1e57665; Local before that too,
 *    internal/infrastructure/kubernetes/resource/resource.go), so Envoy sees the client there.
 * When allowedSources hold the address the proxy sees instead, every client passes (fail-open);
 * otherwise every client is refused. The ranges are environment.podCidr and environment.nodeCidr
 * where declared; an undeclared one may be any private range (RFC 1918, 100.64.0.0/10, IPv6 unique
 * local fc00::/7), as the NetworkPolicies judge it (network-policies.ts, holdsPods).
 */

export type Proxy = 'Traefik' | 'Envoy';

const UNDECLARED_RANGES: readonly string[] = [...PRIVATE_VPC_RANGES, 'fc00::/7'];

export type ProxyClientAddress = {
  /** The path in front of the proxy replaces the client address whatever the proxy's Service says. */
  alwaysReplaced: boolean;
  /** The allowedSources that may hold the address the proxy sees instead: non-empty means every client passes. */
  admitting: string[];
  /** Why the proxy may not see the client address, as a clause. */
  why: string;
  /** Where the address it sees comes from, as a clause. */
  seen: string;
  /** The proxy, as named in the clauses. */
  proxy: Proxy;
};

type Ranges = { ranges: readonly string[]; field: string; declared: string[] | undefined };

function declaredOr(declared: string[] | undefined, field: string): Ranges {
  return { ranges: declared ?? UNDECLARED_RANGES, field, declared };
}

/** The ranges in words: the declared ones by field, any private range for the ones not given. */
function rangesText(parts: Ranges[]): string {
  const declared = parts.flatMap((part) =>
    part.declared === undefined ? [] : [`${part.field} ${part.declared.join(', ')}`],
  );
  const missing = parts.filter((part) => part.declared === undefined).map((part) => part.field);
  return [...declared, ...(missing.length === 0 ? [] : [`${missing.join(' and ')} not given: any private range`])].join(
    ', ',
  );
}

/** How the proxy sees this component's clients; the plan never renders that proxy's Service. */
export function proxyClientAddress(topology: Topology, proxy: Proxy, component: Component): ProxyClientAddress {
  const { platform, loadBalancerProvider, podCidr, nodeCidr } = topology.environment;
  const support = loadBalancerSupport(topology.environment);
  const pods = declaredOr(podCidr, 'environment.podCidr');
  const nodes = declaredOr(nodeCidr, 'environment.nodeCidr');
  const serviceLb =
    support === 'pool' && (loadBalancerProvider ?? (platform === 'k3s' ? 'servicelb' : 'none')) === 'servicelb';
  const proxying = support === 'cloud' && platform === 'digitalocean';
  const seen = serviceLb
    ? {
        why: `k3s ServiceLB (klipper-lb) masquerades every connection it forwards to ${proxy}, whatever externalTrafficPolicy says`,
        from: `the svclb pod's address, in the pod range (${rangesText([pods])})`,
        ranges: pods.ranges,
      }
    : proxying
      ? {
          why: `DigitalOcean's load balancer proxies every connection to ${proxy}, even with externalTrafficPolicy Local (only PROXY protocol carries the client address)`,
          from: `the load balancer's VPC address (${rangesText([nodes])})`,
          ranges: nodes.ranges,
        }
      : proxy === 'Envoy'
        ? null
        : {
            why: `unless ${proxy}'s own Service (which the plan does not render) sets externalTrafficPolicy: Local, kube-proxy replaces the client address`,
            from: `a node's address, or the node's address in the pod range (${rangesText([nodes, pods])})`,
            ranges: [...new Set([...nodes.ranges, ...pods.ranges])],
          };
  if (seen === null) {
    return { alwaysReplaced: false, admitting: [], why: '', seen: '', proxy };
  }
  const admitting = component.allowedSources.filter((source) =>
    seen.ranges.some((range) => cidrsOverlap(toCidr(source), range)),
  );
  return { alwaysReplaced: serviceLb || proxying, admitting, why: seen.why, seen: seen.from, proxy };
}

/** Whether the plan must say loudly that allowedSources held in the proxy may not hold (EXP040). */
export function proxyMisjudgesSources(verdict: ProxyClientAddress): boolean {
  return verdict.alwaysReplaced || verdict.admitting.length > 0;
}

/** What a client outside allowedSources meets, and why, as a clause for the rationale and EXP040. */
export function proxySourcesConsequence(component: Component, verdict: ProxyClientAddress): string {
  const judged = `${verdict.why}, so ${verdict.proxy} judges ${verdict.seen}`;
  return verdict.admitting.length > 0
    ? `${judged}, which ${verdict.admitting.join(', ')} can hold: EVERY client passes, and allowedSources are NOT enforced`
    : `${judged}, which allowedSources ${component.allowedSources.join(', ')} do not hold: every client, allowed or not, is refused with 403`;
}
