import { objectMetadata } from '../manifest-conventions.js';
import type { Component, KubeObject, PortSpec, Topology } from '../types.js';

/**
 * WebSockets behind GKE Ingress. Its backend service timeout is 30 s by default, and "this is a
 * fixed timeout, not an idle timeout": for a WebSocket it is the longest a connection may live
 * (https://cloud.google.com/load-balancing/docs/backend-service). A BackendConfig
 * (cloud.google.com/v1, spec.timeoutSec) referenced by the Service annotation
 * cloud.google.com/backend-config raises it per Service
 * (https://github.com/kubernetes/ingress-gce/blob/acbcf5d66dd9d31297a2a52a2d7d83d4c1a94539/pkg/annotations/service.go).
 */

const WEBSOCKET_APP_PROTOCOLS = new Set(['ws', 'wss', 'kubernetes.io/ws', 'kubernetes.io/wss']);

/** A WebSocket port: appProtocol ws/wss (or kubernetes.io/ws, kubernetes.io/wss), or without one a name starting with `ws`. */
export function speaksWebSocket(port: PortSpec): boolean {
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol !== undefined) {
    return WEBSOCKET_APP_PROTOCOLS.has(appProtocol);
  }
  return port.name?.toLowerCase().startsWith('ws') ?? false;
}

/** One hour: long enough for a browser session's socket, short enough that a dead client is let go. */
export const GKE_WEBSOCKET_TIMEOUT_SECONDS = 3600;

export const GKE_BACKEND_CONFIG_ANNOTATION = 'cloud.google.com/backend-config';

export function websocketBackendConfigName(component: Component): string {
  return `${component.name}-websocket`;
}

/** The Service annotation that applies the component's BackendConfig to every port of its Service. */
export function websocketServiceAnnotations(component: Component): Record<string, string> {
  return { [GKE_BACKEND_CONFIG_ANNOTATION]: JSON.stringify({ default: websocketBackendConfigName(component) }) };
}

export function renderWebsocketBackendConfig(topology: Topology, component: Component): KubeObject {
  return {
    apiVersion: 'cloud.google.com/v1',
    kind: 'BackendConfig',
    metadata: objectMetadata(topology, websocketBackendConfigName(component), component.name, {}),
    spec: { timeoutSec: GKE_WEBSOCKET_TIMEOUT_SECONDS },
  };
}

// ---------------------------------------------------------------------------------------------
// Idle limits of the other classes
// ---------------------------------------------------------------------------------------------

/**
 * The ALB closes a connection, WebSockets included, after 60 s with no data either way, by
 * default; the load balancer attribute idle_timeout.timeout_seconds (1 to 4000) raises it
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout),
 * written on an Ingress as alb.ingress.kubernetes.io/load-balancer-attributes, MergeBehavior
 * Exclusive: it is one setting of the whole ALB, so every route of the IngressGroup gets it
 * (https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/ingress/annotations.md#load-balancer-attributes).
 * The plan's Ingress forms an implicit IngressGroup of its own (it sets no group.name), so the
 * ALB is the plan's alone: a longer idle limit only lets idle keep-alive connections of the other
 * routes live longer, which costs nothing.
 */
export const ALB_LOAD_BALANCER_ATTRIBUTES_ANNOTATION = 'alb.ingress.kubernetes.io/load-balancer-attributes';
export const ALB_DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

/**
 * ingress-nginx (and the AKS application routing add-on, a managed ingress-nginx) closes a
 * WebSocket that sends nothing for 60 s: proxy-read-timeout and proxy-send-timeout, 60 s by
 * default, raised per Ingress with these annotations
 * (https://kubernetes.github.io/ingress-nginx/user-guide/miscellaneous/#websockets).
 */
export const NGINX_PROXY_READ_TIMEOUT_ANNOTATION = 'nginx.ingress.kubernetes.io/proxy-read-timeout';
export const NGINX_PROXY_SEND_TIMEOUT_ANNOTATION = 'nginx.ingress.kubernetes.io/proxy-send-timeout';
export const NGINX_DEFAULT_PROXY_TIMEOUT_SECONDS = 60;
const NGINX_CLASSES = new Set(['nginx', 'ingress-nginx', 'webapprouting.kubernetes.azure.com']);

/** The idle limit given to WebSockets where the plan raises one: the same hour as on GKE. */
export const WEBSOCKET_IDLE_TIMEOUT_SECONDS = GKE_WEBSOCKET_TIMEOUT_SECONDS;

export function isNginxClass(className: string): boolean {
  return NGINX_CLASSES.has(className.trim().toLowerCase());
}

/** The annotations the shared Ingress carries so its class keeps WebSockets open; empty when no routed backend speaks WebSocket. */
export function websocketIngressAnnotations(
  className: string,
  routed: readonly Component[],
  backendPort: (component: Component) => PortSpec,
): Record<string, string> {
  if (!routed.some((component) => speaksWebSocket(backendPort(component)))) {
    return {};
  }
  if (className.toLowerCase() === 'alb') {
    return {
      [ALB_LOAD_BALANCER_ATTRIBUTES_ANNOTATION]: `idle_timeout.timeout_seconds=${WEBSOCKET_IDLE_TIMEOUT_SECONDS}`,
    };
  }
  if (isNginxClass(className)) {
    return {
      [NGINX_PROXY_READ_TIMEOUT_ANNOTATION]: String(WEBSOCKET_IDLE_TIMEOUT_SECONDS),
      [NGINX_PROXY_SEND_TIMEOUT_ANNOTATION]: String(WEBSOCKET_IDLE_TIMEOUT_SECONDS),
    };
  }
  return {};
}

/** What the rationale of a WebSocket component behind the Ingress says about its class's limit. */
export function websocketIngressNote(className: string, component: Component, port: PortSpec): string[] {
  if (!speaksWebSocket(port)) {
    return [];
  }
  if (className.toLowerCase() === 'gce') {
    return [
      `a WebSocket port behind GKE Ingress: its backend timeout (30 s by default) is a fixed limit on each connection, not an idle one, so the BackendConfig ${websocketBackendConfigName(component)} raises it to ${GKE_WEBSOCKET_TIMEOUT_SECONDS} s (cloud.google.com/backend-config on the Service)`,
    ];
  }
  if (className.toLowerCase() === 'alb') {
    return [
      `a WebSocket port behind the ALB, which closes a connection idle for ${ALB_DEFAULT_IDLE_TIMEOUT_SECONDS} s by default: the Ingress raises the ALB's idle timeout to ${WEBSOCKET_IDLE_TIMEOUT_SECONDS} s (${ALB_LOAD_BALANCER_ATTRIBUTES_ANNOTATION}: idle_timeout.timeout_seconds=${WEBSOCKET_IDLE_TIMEOUT_SECONDS}), a setting of the whole ALB and so of every route on it; keep the client pinging within that hour`,
    ];
  }
  if (isNginxClass(className)) {
    return [
      `a WebSocket port behind NGINX, which closes a socket silent for ${NGINX_DEFAULT_PROXY_TIMEOUT_SECONDS} s by default: the Ingress raises proxy-read-timeout and proxy-send-timeout to ${WEBSOCKET_IDLE_TIMEOUT_SECONDS} s for its routes`,
    ];
  }
  return [];
}

/**
 * Gateway classes whose load balancer limits WebSockets and whose setting lives in a
 * provider-specific object the plan does not render (EXP028 says what to write):
 * - GKE Gateway: the backend service timeout, 30 s and fixed per connection, raised by a
 *   GCPBackendPolicy (networking.gke.io/v1) spec.default.timeoutSec targeting the Service
 *   (https://googlecloudplatform.github.io/gke-gateway-api/);
 * - the AWS Load Balancer Controller's ALB Gateway: the ALB's 60 s idle timeout, raised by the
 *   attribute idle_timeout.timeout_seconds in a LoadBalancerConfiguration (gateway.k8s.aws/v1beta1)
 *   attached to the Gateway
 *   (https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/gateway/loadbalancerconfig.md).
 * Other implementations (Envoy Gateway, Traefik, Istio, Cilium, NGINX Gateway Fabric) document no
 * default that ends an active WebSocket, so none is flagged.
 */
export type GatewayWebsocketLimit = { limit: string; fixed: boolean; fix: string };

export function gatewayWebsocketLimit(gatewayClassName: string): GatewayWebsocketLimit | undefined {
  if (gatewayClassName.startsWith('gke-l7-')) {
    return {
      limit: 'a 30 s backend service timeout, a fixed limit on each connection, not an idle one',
      fixed: true,
      fix: `apply a GCPBackendPolicy (networking.gke.io/v1) whose targetRef is the Service and spec.default.timeoutSec is ${WEBSOCKET_IDLE_TIMEOUT_SECONDS}`,
    };
  }
  if (gatewayClassName === 'aws-alb-gateway-class') {
    return {
      limit: `the ALB's ${ALB_DEFAULT_IDLE_TIMEOUT_SECONDS} s idle timeout`,
      fixed: false,
      fix: `attach a LoadBalancerConfiguration (gateway.k8s.aws/v1beta1) to the Gateway with the load balancer attribute idle_timeout.timeout_seconds=${WEBSOCKET_IDLE_TIMEOUT_SECONDS}, or have the client ping within ${ALB_DEFAULT_IDLE_TIMEOUT_SECONDS} s`,
    };
  }
  return undefined;
}
