import { toCidr, objectMetadata } from '../manifest-conventions.js';
import { componentsByName } from '../topology-lookups.js';
import type { Component, KubeObject, Topology, VerificationStep } from '../types.js';
import type { ExtensionRef } from './gateway-api.js';
import type { GatewayImplementation } from './gateway-classes.js';
import { grpcRouteStep } from '../grpc-probe.js';
import { ROUTE_STATUS } from '../verification-patterns.js';
import { speaksOnlyGrpc } from './grpc.js';
import { sourceHosts } from './sources.js';
import { proxyClientAddress, proxyMisjudgesSources, proxySourcesConsequence } from './proxy-client-address.js';
import { allowListMiddlewareName, renderAllowList } from './traefik-ingresses.js';

/**
 * allowedSources on a component routed through a Gateway (environment.routing gateway-api). The
 * Gateway API has no standard source filter, so only an implementation's own policy can hold them:
 * Envoy Gateway's SecurityPolicy (gateway.envoyproxy.io/v1alpha1) attached to the component's
 * route, an HTTPRoute or a GRPCRoute, denying by default and allowing the listed clientCIDRs:
 * https://gateway.envoyproxy.io/docs/tasks/security/restrict-ip-access/ ("can be linked to a
 * Gateway, HTTPRoute or GRPCRoute resource"). A policy whose targetRef names a route kind the
 * plan did not write attaches to nothing. Envoy must see the client address for that
 * (externalTrafficPolicy Local on its Service, set through the EnvoyProxy resource). Other
 * implementations the catalog proposes get no policy from the plan: the rationale says the
 * sources are not enforced and EXP020 says how to get them.
 */

export const ENVOY_SECURITY_POLICY_API = 'gateway.envoyproxy.io/v1alpha1';

export function securityPolicyName(component: Component): string {
  return `${component.name}-allowed-sources`;
}

function isEnvoyGateway(implementation: GatewayImplementation): boolean {
  return implementation.id === 'envoy-gateway';
}

/** Traefik's Gateway provider takes a Middleware as an ExtensionRef filter of an HTTPRoute rule. */
function isTraefikGateway(implementation: GatewayImplementation): boolean {
  return implementation.className === 'traefik';
}

/** The kind of the route that carries a component's traffic on the Gateway: a GRPCRoute for gRPC, else an HTTPRoute. */
export function gatewayRouteKind(component: Component): 'HTTPRoute' | 'GRPCRoute' {
  return speaksOnlyGrpc(component) ? 'GRPCRoute' : 'HTTPRoute';
}

/**
 * Traefik's IPAllowList Middleware holds the sources only as an ExtensionRef filter of an HTTPRoute
 * rule (https://doc.traefik.io/traefik/routing/providers/kubernetes-gateway/ documents Middlewares
 * as HTTPRoute filters); the plan writes none on a GRPCRoute.
 */
function traefikFilters(implementation: GatewayImplementation, component: Component): boolean {
  return isTraefikGateway(implementation) && gatewayRouteKind(component) === 'HTTPRoute';
}

/** Whether the plan writes a policy that holds this component's allowedSources on the Gateway's route. */
function holdsSources(implementation: GatewayImplementation, component: Component): boolean {
  return (
    component.allowedSources.length > 0 && (isEnvoyGateway(implementation) || traefikFilters(implementation, component))
  );
}

/**
 * The ExtensionRef filters a component's backend rule carries: with Traefik, its IPAllowList
 * Middleware (the same object an Ingress would reference, routing/traefik-ingresses.ts), per
 * https://doc.traefik.io/traefik/routing/providers/kubernetes-gateway/ (Middlewares as HTTPRoute
 * filters; the Middleware must be in the route's namespace). Spread into the rule.
 */
export function sourceFilterRefs(
  implementation: GatewayImplementation,
  component: Component,
): { extensionRefs?: ExtensionRef[] } {
  return isTraefikGateway(implementation) && holdsSources(implementation, component)
    ? { extensionRefs: [{ group: 'traefik.io', kind: 'Middleware', name: allowListMiddlewareName(component) }] }
    : {};
}

/** The objects that limit routed components to their allowedSources, where the implementation has one. */
export function renderGatewaySourcePolicies(
  topology: Topology,
  implementation: GatewayImplementation,
  routed: Component[],
): KubeObject[] {
  const held = routed.filter((component) => holdsSources(implementation, component));
  if (isTraefikGateway(implementation)) {
    return held.map((component) => renderAllowList(topology, component));
  }
  return held.map((component) => ({
    apiVersion: ENVOY_SECURITY_POLICY_API,
    kind: 'SecurityPolicy',
    metadata: objectMetadata(topology, securityPolicyName(component), component.name, {}),
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: gatewayRouteKind(component), name: component.name }],
      authorization: {
        defaultAction: 'Deny',
        rules: [{ action: 'Allow', principal: { clientCIDRs: component.allowedSources.map(toCidr) } }],
      },
    },
  }));
}

/**
 * A rationale line for a component with allowedSources routed through the plan's Gateway, of the
 * class the plan chose (environment.gatewayClassName, else the platform's default).
 */
export function gatewaySourcesNote(
  topology: Topology,
  implementation: GatewayImplementation,
  component: Component,
): string[] {
  if (component.allowedSources.length === 0) {
    return [];
  }
  const sources = component.allowedSources.join(', ');
  const route = `${component.name}'s ${gatewayRouteKind(component)}`;
  if (holdsSources(implementation, component)) {
    const traefik = isTraefikGateway(implementation);
    const verdict = proxyClientAddress(topology, traefik ? 'Traefik' : 'Envoy', component);
    if (proxyMisjudgesSources(verdict)) {
      const policy = traefik
        ? `an IPAllowList Middleware (${allowListMiddlewareName(component)}) that ${route} references as an ExtensionRef filter`
        : `an Envoy Gateway SecurityPolicy (${securityPolicyName(component)}) on ${route}`;
      return [
        `allowedSources ${sources} are checked on the Gateway by ${policy}, but ${proxySourcesConsequence(component, verdict)} (finding EXP040 says how to fix it)`,
      ];
    }
    return traefik
      ? [
          `allowedSources ${sources} hold on the Gateway through an IPAllowList Middleware (${allowListMiddlewareName(component)}) that ${route} references as an ExtensionRef filter, so other clients get 403 and the other routes stay open; Traefik must see the client address (externalTrafficPolicy Local on its Service; k3s: a HelmChartConfig), and IPAllowList needs Traefik v2.11 or later`,
        ]
      : [
          `allowedSources ${sources} hold on the Gateway through an Envoy Gateway SecurityPolicy (${securityPolicyName(component)}) on ${route}: default Deny, Allow for those clientCIDRs, so other clients get 403 and the other routes stay open; Envoy sees the client address because Envoy Gateway gives its Service externalTrafficPolicy Local, its default (keep it so in any EnvoyProxy resource: with Cluster, kube-proxy replaces the client address with a node's)`,
        ];
  }
  const why = isTraefikGateway(implementation)
    ? `Traefik takes its IPAllowList Middleware as a filter of an HTTPRoute, and ${component.name} is routed by a GRPCRoute`
    : `the plan writes no source policy for class ${implementation.className} (${implementation.product})`;
  return [
    `allowedSources ${sources} are NOT enforced on the Gateway: ${why}, so anyone who reaches the Gateway reaches ${component.name} (finding EXP020 says how to restrict it)`,
  ];
}

function certificateSource(topology: Topology, component: Component, sharedGateway: boolean): string {
  if (sharedGateway) {
    return `the shared Gateway's owner provides the certificate for ${component.host ?? ''}`;
  }
  return topology.environment.platform === 'aws'
    ? `the ALB serves an AWS Certificate Manager certificate for ${component.host ?? ''}`
    : `the HTTPS listener serves the Secret ${component.name}-tls`;
}

/**
 * A request through the Gateway for a component's route (for a GRPCRoute, the gRPC call of
 * grpc-probe.ts): https with the host as TLS name where
 * the Gateway serves it on an HTTPS listener (a tls: true component with a host), http otherwise;
 * with allowedSources, what a client outside them must get. None for the redirect routes.
 */
export function gatewayRouteRequest(topology: Topology, route: string, sharedGateway: boolean): VerificationStep[] {
  const component = componentsByName(topology).get(route);
  if (component === undefined) {
    return [];
  }
  const path = component.path ?? '/';
  const curl = "curl -sS -m 5 -o /dev/null -w '%{http_code}\\n'";
  const https = component.tls === true && component.host !== undefined;
  const command = https
    ? `${curl} --connect-to ${component.host}:443:<gateway-address>:443 https://${component.host}${path}`
    : component.host === undefined
      ? `${curl} http://<gateway-address>${path}`
      : `${curl} -H 'Host: ${component.host}' http://<gateway-address>${path}`;
  const address = sharedGateway
    ? '<gateway-address> is the address of the shared Gateway'
    : '<gateway-address> is the address `kubectl get gateway` shows';
  const runFrom = sourceHosts(component);
  const sources =
    runFrom === undefined
      ? ''
      : ` Run it from ${runFrom}; from any other address the answer must be 403 if the Gateway enforces them (EXP020 says when it does not, EXP040 when the proxy sees another address than the client's).`;
  const where = runFrom === undefined ? {} : { runFrom };
  if (speaksOnlyGrpc(component)) {
    // A GRPCRoute: a GET proves nothing there, the same gRPC call as through an Ingress does.
    return [{ ...grpcRouteStep(component, '<gateway-address>', `${address}.${sources}`), ...where }];
  }
  return [
    {
      component: component.name,
      command,
      expect: `The status ${component.name} returns for ${path}${https ? `, with no certificate error (${certificateSource(topology, component, sharedGateway)})` : ''}; ${address}.${sources}`,
      expectOutput: ROUTE_STATUS,
      ...where,
    },
  ];
}
