import { classifyPort, isPublicHttp } from '../http.js';
import { isDataStore } from '../rules.js';
import type { Component, PortSpec, Topology } from '../types.js';
import { backendProtocol, isTraefikClass, TRAEFIK_SERVERS_SCHEME_ANNOTATION } from './backend-protocol.js';
import { defaultIngressClass, isAlbClass, isGceClass, namedIngressController } from './classes.js';
import { chosenGatewayImplementation } from './gateway-class-choice.js';
import { GATEWAY_CATALOG, implementationsSupporting, type GatewayImplementation } from './gateway-classes.js';

/**
 * gRPC through the shared L7 entry point, where its class can carry it. gRPC is HTTP/2 end to end:
 * the proxy must speak HTTP/2 to the backend, and a gRPC server without TLS accepts only HTTP/2
 * cleartext with prior knowledge (h2c). Each class, as documented:
 * - ALB (Ingress class alb, and the AWS Load Balancer Controller's ALB Gateway):
 *   `alb.ingress.kubernetes.io/backend-protocol-version: GRPC`, location Ingress,Service
 *   (https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/ingress/annotations.md#backend-protocol-version);
 *   its health check then defaults to path /AWS.ALB/healthcheck with success code 12. The ALB
 *   carries gRPC on an HTTPS listener only ("The only supported listener protocol is HTTPS",
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-protocol-version),
 *   and the controller finds that listener's ACM certificate by host: so a gRPC component goes
 *   through the ALB only with `tls: true` and a `host`. Without them the plan does not switch TLS on
 *   by itself (that would redirect every other routed component to HTTPS too): it gets an NLB.
 * - Traefik: `traefik.ingress.kubernetes.io/service.serversscheme: h2c` on the Service
 *   (https://doc.traefik.io/traefik/expose/overview: "Traefik Proxy supports gRPC applications
 *   without requiring specific configuration", the backend scheme h2c or https).
 * - GKE Ingress (gce): never. Its load balancer speaks HTTP/2 to a backend only over TLS
 *   (cloud.google.com/app-protocols HTTP2, https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-http2),
 *   so a cleartext gRPC server is unreachable: L4 with that reason.
 * - The AWS ALB Gateway: a GRPCRoute's target group gets protocol version GRPC by itself
 *   (https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/pkg/gateway/model/model_build_target_group.go),
 *   and the same HTTPS-listener rule holds.
 * - Gateway API: a GRPCRoute (standard channel since v1.1.0) where the implementation serves it
 *   (gateway-classes.ts `supports`); on a plain HTTP listener the spec requires h2c with prior
 *   knowledge, and implementations pick HTTP/2 to the backend for GRPCRoute
 *   (https://gateway-api.sigs.k8s.io/reference/spec/#grpcroute).
 * Any other class: L4, naming the class, since the plan cannot cite its setting.
 */

export const ALB_BACKEND_PROTOCOL_VERSION_ANNOTATION = 'alb.ingress.kubernetes.io/backend-protocol-version';

/** Whether the port speaks gRPC (http.ts classifyPort is the one home of the rule). */
export function isGrpcPort(port: PortSpec, component: Component): boolean {
  return classifyPort(port, component.role).grpc;
}

/** A component whose every port speaks gRPC: the only kind the L7 entry point can carry whole. */
export function speaksOnlyGrpc(component: Component): boolean {
  return component.ports.length > 0 && component.ports.every((port) => isGrpcPort(port, component));
}

/** What the routed components carry, for sentences about them: "public HTTP", "public gRPC" or both. */
export function routedTrafficNoun(components: Component[]): string {
  const grpc = components.filter(speaksOnlyGrpc).length;
  return grpc === 0 ? 'public HTTP' : grpc === components.length ? 'public gRPC' : 'public HTTP and gRPC';
}

function hasGrpcPort(component: Component): boolean {
  return component.ports.some((port) => isGrpcPort(port, component));
}

/** What carrying a gRPC component through L7 takes, or why its class cannot. */
export type GrpcL7Support =
  | { ok: true; kind: 'ingress' | 'gateway'; serviceAnnotations: Record<string, string>; note: string }
  | { ok: false; reason: string };

/** The routing API, the same rule as gateway-plan.ts routingApi (kept there, read from the catalog here to avoid a cycle). */
function routesThroughGateway(topology: Topology): boolean {
  return (topology.environment.routing ?? GATEWAY_CATALOG[topology.environment.platform].routing) === 'gateway-api';
}

const ALB_NEEDS_HTTPS = `the ALB carries gRPC on an HTTPS listener only, and the AWS Load Balancer Controller finds that listener's certificate in ACM by host: give the component a host and tls: true to route it through the ALB`;

function albGrpc(component: Component, kind: 'ingress' | 'gateway', via: string): GrpcL7Support {
  if (component.tls !== true || component.host === undefined) {
    return { ok: false, reason: ALB_NEEDS_HTTPS };
  }
  return {
    ok: true,
    kind,
    serviceAnnotations: kind === 'ingress' ? { [ALB_BACKEND_PROTOCOL_VERSION_ANNOTATION]: 'GRPC' } : {},
    note:
      kind === 'ingress'
        ? `gRPC through the ${via}: the Service says ${ALB_BACKEND_PROTOCOL_VERSION_ANNOTATION}: GRPC, so the ALB's target group speaks gRPC (HTTP/2) to the pods and health-checks them with gRPC (path /AWS.ALB/healthcheck, success code 12 by default: set alb.ingress.kubernetes.io/healthcheck-path to your health method); clients connect over TLS on 443, the only listener the ALB carries gRPC on`
        : `gRPC through the ${via}: a GRPCRoute on the HTTPS listener of ${component.host}, the only listener the ALB carries gRPC on; the AWS Load Balancer Controller gives a GRPCRoute's target group protocol version GRPC by itself`,
  };
}

function gatewayGrpc(topology: Topology, component: Component, implementation: GatewayImplementation): GrpcL7Support {
  const { platform } = topology.environment;
  if (!implementation.supports.includes('GRPCRoute')) {
    const others = implementationsSupporting(platform, 'GRPCRoute').map((candidate) => candidate.className);
    return {
      ok: false,
      reason: `the Gateway class ${implementation.className} (${implementation.product}) serves no GRPCRoute${others.length === 0 ? '' : `; ${others.join(', ')} would`}`,
    };
  }
  if (platform === 'aws' && implementation.id === GATEWAY_CATALOG.aws.default.id) {
    return albGrpc(component, 'gateway', `Gateway (class ${implementation.className})`);
  }
  return {
    ok: true,
    kind: 'gateway',
    serviceAnnotations: {},
    note: `gRPC through the Gateway (class ${implementation.className}): a GRPCRoute, which the implementation forwards as HTTP/2 (h2c to a cleartext port); set appProtocol kubernetes.io/h2c on the port if your implementation asks for it`,
  };
}

function ingressGrpc(component: Component, className: string): GrpcL7Support {
  if (isAlbClass(className)) {
    return albGrpc(component, 'ingress', 'ALB');
  }
  if (isGceClass(className)) {
    return {
      ok: false,
      reason: `GKE Ingress (class gce) speaks HTTP/2 to a backend only over TLS (cloud.google.com/app-protocols HTTP2) and cannot reach a cleartext (h2c) gRPC server`,
    };
  }
  if (isTraefikClass(className)) {
    const port = component.ports[0];
    if (port === undefined) {
      throw new Error(`gRPC component ${component.name} has no port for Traefik to reach`);
    }
    const scheme = backendProtocol(port) === 'HTTPS' ? 'https' : 'h2c';
    return {
      ok: true,
      kind: 'ingress',
      serviceAnnotations: { [TRAEFIK_SERVERS_SCHEME_ANNOTATION]: scheme },
      note: `gRPC through Traefik: the Service says ${TRAEFIK_SERVERS_SCHEME_ANNOTATION}: ${scheme}, so Traefik speaks HTTP/2 to the pods (${scheme === 'h2c' ? 'cleartext, with prior knowledge' : 'over TLS'})`,
    };
  }
  return {
    ok: false,
    reason: `the plan knows no gRPC (HTTP/2 backend) setting of the "${className}" class`,
  };
}

/**
 * Whether a public gRPC component can go through the plan's L7 entry point (Ingress or Gateway),
 * and how. Only a component whose every port speaks gRPC: the entry point routes one port per
 * component, so a mixed one keeps its own load balancer.
 */
export function grpcL7Support(topology: Topology, component: Component): GrpcL7Support {
  if (!speaksOnlyGrpc(component)) {
    return {
      ok: false,
      reason: `not every port speaks gRPC, and the shared entry point routes one port per component`,
    };
  }
  const { environment } = topology;
  if (routesThroughGateway(topology)) {
    return gatewayGrpc(topology, component, chosenGatewayImplementation(topology, true).implementation);
  }
  return ingressGrpc(component, namedIngressController(environment) ?? defaultIngressClass(environment.platform));
}

/** A public, non-store gRPC component the L7 entry point can carry. */
export function isPublicGrpcRoutable(topology: Topology, component: Component): boolean {
  return (
    component.exposure === 'public' &&
    component.externalName === undefined &&
    !isDataStore(component.role) &&
    speaksOnlyGrpc(component) &&
    grpcL7Support(topology, component).ok
  );
}

const H2C_APP_PROTOCOLS = new Set(['h2c', 'kubernetes.io/h2c']);

/** A port that asks for cleartext HTTP/2 with prior knowledge: appProtocol h2c, or without one a name starting with h2c. */
export function speaksH2c(port: PortSpec): boolean {
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol !== undefined) {
    return H2C_APP_PROTOCOLS.has(appProtocol);
  }
  return port.name?.toLowerCase().startsWith('h2c') ?? false;
}

/**
 * Why the plan's L7 entry point cannot reach an h2c backend, or undefined where it can (as far as
 * the plan knows). GKE: its Ingress speaks HTTP/2 to backends over TLS only, and GKE Gateway
 * reports HTTPRouteBackendProtocolH2C unsupported (gateway-classes.ts limits).
 */
function h2cUnreachable(topology: Topology): string | undefined {
  const { environment } = topology;
  if (routesThroughGateway(topology)) {
    const implementation = chosenGatewayImplementation(topology, true).implementation;
    return implementation.controllerName === 'networking.gke.io/gateway'
      ? `GKE Gateway (class ${implementation.className}) cannot reach a cleartext HTTP/2 (h2c) backend: its conformance report lists HTTPRouteBackendProtocolH2C as unsupported`
      : undefined;
  }
  const className = namedIngressController(environment) ?? defaultIngressClass(environment.platform);
  return isGceClass(className)
    ? `GKE Ingress (class gce) speaks HTTP/2 to a backend only over TLS (cloud.google.com/app-protocols HTTP2) and cannot reach a cleartext HTTP/2 (h2c) port`
    : undefined;
}

function h2cBlocked(topology: Topology, component: Component): string | undefined {
  return component.ports.some(speaksH2c) ? h2cUnreachable(topology) : undefined;
}

/** Public components the shared L7 entry point can carry: HTTP (but no h2c where the class cannot reach it), or gRPC where the class can. */
export function isPublicL7(topology: Topology, component: Component): boolean {
  return (
    (isPublicHttp(component) && h2cBlocked(topology, component) === undefined) ||
    isPublicGrpcRoutable(topology, component)
  );
}

/** The sentence a public component with a gRPC port gets: how its gRPC is carried, or why through L4. */
export function grpcRoutingNotes(topology: Topology, component: Component, routedThroughL7: boolean): string[] {
  if (component.exposure !== 'public' || isDataStore(component.role)) {
    return [];
  }
  const h2c = isPublicHttp(component) ? h2cBlocked(topology, component) : undefined;
  if (h2c !== undefined) {
    return [`its h2c port gets an L4 load balancer, which passes HTTP/2 through untouched: ${h2c}`];
  }
  if (!hasGrpcPort(component)) {
    return [];
  }
  const support = grpcL7Support(topology, component);
  if (routedThroughL7) {
    return support.ok ? [support.note] : [];
  }
  return support.ok
    ? [
        `its gRPC could also go through the shared L7 entry point (${support.kind === 'gateway' ? 'a GRPCRoute' : 'the Ingress'}), but nothing else shares one with it, so one L4 load balancer is the simpler way in; it passes HTTP/2 through untouched`,
      ]
    : [`gRPC gets an L4 load balancer, which passes HTTP/2 through untouched: ${support.reason}`];
}

/** The Service annotations the Ingress class needs to reach a routed gRPC component; empty otherwise. */
export function grpcServiceAnnotations(topology: Topology, component: Component): Record<string, string> {
  if (!speaksOnlyGrpc(component)) {
    return {};
  }
  const support = grpcL7Support(topology, component);
  return support.ok && support.kind === 'ingress' ? support.serviceAnnotations : {};
}
