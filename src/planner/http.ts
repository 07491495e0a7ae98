import { isDataStore } from './rules.js';
import type { Component, PortSpec, Role } from './types.js';

/**
 * "Does this port speak HTTP?" decides whether a public component can share an Ingress (L7) or
 * needs a load balancer of its own (L4). The evidence, strongest first:
 *   1. appProtocol, when given (the Kubernetes field made for exactly this);
 *   2. the protocol: UDP and SCTP are never HTTP;
 *   3. the port name, Istio-style prefixes (`http`, `https`, `http2`, `h2c`, `web`, `ws`) mean HTTP,
 *      `grpc`, `tcp`, `udp`, `tls`, `mqtt`, … mean not;
 *   4. well-known port numbers (80, 443, 8080… are HTTP; 5432, 6379, 1883, 50051… are not), named
 *      port or not;
 *   5. the role, for an UNNAMED port only: a frontend, api or gateway port with no other clue is
 *      taken as HTTP. A name that matches neither list (`turn-tcp`, `sip`, `game`) is a clue in
 *      itself: someone named the protocol, and it is not one of the HTTP names, so such a port is
 *      not HTTP whatever the role (a TURN port on a gateway must not be put behind an Ingress).
 * gRPC counts as not HTTP: routing it through L7 needs class-specific settings, so the result says
 * `grpc: true` and routing/grpc.ts decides, per class, whether it goes through L7 or gets an L4 load
 * balancer. A gRPC port: appProtocol `grpc`, or without one a name starting with `grpc`, or port
 * 50051 (gRPC's customary port). `appProtocol: kubernetes.io/h2c` (and `h2c`) stays HTTP, as before.
 */
export type PortClass = { http: boolean; grpc: boolean; reason: string };

const HTTP_APP_PROTOCOLS = new Set([
  'http',
  'https',
  'http2',
  'h2c',
  'kubernetes.io/h2c',
  'kubernetes.io/ws',
  'kubernetes.io/wss',
  'ws',
  'wss',
]);
const HTTP_NAME_PREFIXES = ['https', 'http2', 'http', 'h2c', 'web', 'ws'];
const NON_HTTP_NAME_PREFIXES = [
  'grpc',
  'tcp',
  'udp',
  'tls',
  'mqtt',
  'amqp',
  'smtp',
  'dns',
  'ssh',
  'sql',
  'postgres',
  'mysql',
  'redis',
  'mongo',
  'kafka',
  'nats',
  'metrics-tcp',
];
const HTTP_PORTS = new Set([80, 443, 3000, 4200, 5000, 8000, 8008, 8080, 8081, 8443, 8888]);
const NON_HTTP_PORTS = new Set([
  22, 25, 53, 465, 587, 1433, 1521, 1883, 2181, 3306, 4222, 5432, 5672, 6379, 8883, 9042, 9092, 11211, 15672, 27017,
  50051,
]);
const HTTP_ROLES: ReadonlySet<Role> = new Set(['frontend', 'api', 'gateway']);

const GRPC_PORT = 50051;

export function classifyPort(port: PortSpec, role: Role): PortClass {
  const verdict = classifyHttp(port, role);
  return { http: verdict.http, grpc: !verdict.http && speaksGrpc(port), reason: verdict.reason };
}

/** gRPC by the port's own words: appProtocol `grpc`; without one, a `grpc` name prefix or port 50051. */
function speaksGrpc(port: PortSpec): boolean {
  if (port.protocol !== 'TCP') {
    return false;
  }
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol !== undefined) {
    return appProtocol === 'grpc';
  }
  return (port.name?.toLowerCase().startsWith('grpc') ?? false) || port.port === GRPC_PORT;
}

function classifyHttp(port: PortSpec, role: Role): Omit<PortClass, 'grpc'> {
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol !== undefined) {
    return HTTP_APP_PROTOCOLS.has(appProtocol)
      ? { http: true, reason: `appProtocol ${port.appProtocol}` }
      : { http: false, reason: `appProtocol ${port.appProtocol} is not HTTP` };
  }
  if (port.protocol !== 'TCP') {
    return { http: false, reason: `${port.protocol} is never HTTP` };
  }
  const name = port.name?.toLowerCase();
  if (name !== undefined) {
    if (HTTP_NAME_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      return { http: true, reason: `port name "${port.name}"` };
    }
    if (NON_HTTP_NAME_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      return { http: false, reason: `port name "${port.name}" is not HTTP` };
    }
  }
  if (HTTP_PORTS.has(port.port)) {
    return { http: true, reason: `port ${port.port} is a well-known HTTP port` };
  }
  if (NON_HTTP_PORTS.has(port.port)) {
    return { http: false, reason: `port ${port.port} is a well-known non-HTTP port` };
  }
  if (name !== undefined) {
    return { http: false, reason: `port name "${port.name}" names no HTTP protocol` };
  }
  if (HTTP_ROLES.has(role)) {
    return { http: true, reason: `a ${role} port with no other clue is taken as HTTP` };
  }
  return { http: false, reason: `port ${port.port} gives no sign of HTTP` };
}

/** The ports of a component that speak HTTP, in input order. */
export function httpPorts(component: Component): PortSpec[] {
  return component.ports.filter((port) => classifyPort(port, component.role).http);
}

/** A component is routable through an Ingress only when every one of its ports is HTTP. */
export function speaksOnlyHttp(component: Component): boolean {
  return component.ports.length > 0 && component.ports.every((port) => classifyPort(port, component.role).http);
}

/** Public components that an Ingress could carry: HTTP on every port, and allowed out at all. */
export function isPublicHttp(component: Component): boolean {
  return (
    component.exposure === 'public' &&
    component.externalName === undefined &&
    !isDataStore(component.role) &&
    speaksOnlyHttp(component)
  );
}

/** TLS on the wire, judged from the port alone. */
export function speaksTls(port: PortSpec): boolean {
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol !== undefined) {
    return (
      appProtocol === 'https' || appProtocol === 'wss' || appProtocol === 'kubernetes.io/wss' || appProtocol === 'tls'
    );
  }
  const name = port.name?.toLowerCase();
  if (name !== undefined && (name.startsWith('https') || name.startsWith('tls') || name.startsWith('wss'))) {
    return true;
  }
  return port.port === 443 || port.port === 8443;
}
