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
