import { formatMonthly } from '../cost.js';
import { classifyPort } from '../http.js';
import type { PricingTable } from '../pricing.js';
import { isDataStore } from '../rules.js';
import type { Alternative, Component, Recommendation, Topology } from '../types.js';
import { implementationForKind, kindChannel, type GatewayImplementation, type RouteKind } from './gateway-classes.js';

/**
 * TCPRoute and UDPRoute for a public non-HTTP component on a Gateway API plan: LISTED, priced,
 * among the component's alternatives, never rendered in place of its own load balancer.
 *
 * Why not rendered: the kinds are new to the standard channel (v1 since Gateway API v1.6.0,
 * 2026-06-29), and most classes are built for an older bundle that serves them only as
 * experimental v1alpha2 (gateway-classes.ts `kindChannel`). A cluster that installed only the
 * standard-channel CRDs would refuse such objects, and the component would be left with no way in
 * at all; its own LoadBalancer Service works on every cluster and costs about what a Gateway
 * listener costs. So the plan keeps the Service and says, per component, which route kind and
 * channel the Gateway road takes and what it would cost, for a user who runs those CRDs.
 * TLSRoute (TLS passthrough chosen by SNI) is not offered: the planner has no SNI host for a
 * non-HTTP port, and a TCPRoute passes TLS through untouched as well.
 */

type L4Road = { kinds: RouteKind[]; implementation: GatewayImplementation };

const ROUTE_KIND_OF: Record<string, RouteKind | undefined> = { TCP: 'TCPRoute', UDP: 'UDPRoute' };

/** The route kinds the component's ports need and the one implementation that serves all of them, or why none. */
function l4Road(topology: Topology, component: Component): L4Road | { none: string } {
  const kinds = [...new Set(component.ports.map((port) => ROUTE_KIND_OF[port.protocol]))];
  if (kinds.some((kind) => kind === undefined)) {
    return { none: 'SCTP has no Gateway API route kind' };
  }
  const routeKinds = kinds.filter((kind): kind is RouteKind => kind !== undefined);
  const { platform } = topology.environment;
  const implementations = routeKinds.map((kind) => implementationForKind(platform, kind, true));
  const first = implementations[0];
  if (first === undefined || implementations.some((candidate) => candidate?.id !== first.id)) {
    return { none: `the ${platform} Gateway class serves no ${routeKinds.join(' and ')}` };
  }
  return { kinds: routeKinds, implementation: first };
}

/** A public component on its own load balancer whose ports carry no HTTP: what a TCPRoute/UDPRoute could carry instead. */
function isPublicL4(component: Component, recommendation: Recommendation): boolean {
  return (
    component.exposure === 'public' &&
    recommendation.entryPoint === 'load-balancer' &&
    !isDataStore(component.role) &&
    component.ports.length > 0 &&
    component.ports.every((port) => !classifyPort(port, component.role).http)
  );
}

/**
 * The Gateway road for a public L4 component, priced with `gatewayMonthly(implementation, ports)`
 * (the same formula as the plan's Gateway): the listeners it would add, or null when the component
 * is not such a one or no class of the platform serves its route kinds.
 */
export function l4RouteAlternative(
  topology: Topology,
  component: Component,
  recommendation: Recommendation,
  gatewayMonthly: (implementation: GatewayImplementation, listenerPorts: number, pricing: PricingTable) => number,
  pricing: PricingTable,
): Alternative | null {
  if (!isPublicL4(component, recommendation)) {
    return null;
  }
  const road = l4Road(topology, component);
  if ('none' in road) {
    return null;
  }
  const { implementation, kinds } = road;
  const channels = kinds.map((kind) => {
    const { channel, apiVersion } = kindChannel(kind, implementation.gatewayApiBundle);
    return `${kind} ${apiVersion} (${channel} channel)`;
  });
  const experimental = kinds.some(
    (kind) => kindChannel(kind, implementation.gatewayApiBundle).channel === 'experimental',
  );
  const monthlyCost = gatewayMonthly(implementation, component.ports.length, pricing);
  return {
    serviceType: 'ClusterIP',
    entryPoint: 'ingress',
    reason: `a ${channels.join(' and ')} on a Gateway of class ${implementation.className} with one listener per port instead of its own load balancer: not rendered, because ${experimental ? `${implementation.className} reads the experimental-channel version, whose CRDs a cluster with the standard channel only refuses` : 'a cluster whose Gateway API CRDs predate v1.6.0 has no such kind'}, and its own load balancer works everywhere; priced as a Gateway of its own: ${formatMonthly(monthlyCost)}`,
    monthlyCost,
  };
}
