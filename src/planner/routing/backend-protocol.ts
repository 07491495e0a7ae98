import type { PortSpec } from '../types.js';
import { isAlbClass, isGceClass } from './classes.js';

/**
 * How an L7 entry point must talk to a routed component's backend port, and what each Ingress
 * class reads to do so. The Ingress class itself cannot tell: every controller speaks plain HTTP/1.1
 * to its backends unless the Service (or the Ingress) says otherwise, so a pod that only serves TLS
 * answers the controller's cleartext request with a handshake error and the client gets a 502.
 */

/** The protocol the backend port serves. Gateway API helpers reuse it (BackendTLSPolicy when 'HTTPS'). */
export type BackendProtocol = 'HTTP' | 'HTTPS';

const TLS_APP_PROTOCOLS = new Set(['https', 'wss', 'kubernetes.io/wss']);
const TLS_NAME_PREFIXES = ['https', 'wss'];

/**
 * HTTPS when the port says so: its appProtocol (`https`, `wss`), or without one, a name starting
 * with `https` or `wss`. A port number alone (443, 8443) is not taken as proof: many apps serve
 * plain HTTP there behind a proxy, and guessing wrong the other way breaks a working backend.
 */
export function backendProtocol(port: PortSpec): BackendProtocol {
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol !== undefined) {
    return TLS_APP_PROTOCOLS.has(appProtocol) ? 'HTTPS' : 'HTTP';
  }
  const name = port.name?.toLowerCase();
  return name !== undefined && TLS_NAME_PREFIXES.some((prefix) => name.startsWith(prefix)) ? 'HTTPS' : 'HTTP';
}

export const ALB_BACKEND_PROTOCOL_ANNOTATION = 'alb.ingress.kubernetes.io/backend-protocol';
export const ALB_HEALTHCHECK_PROTOCOL_ANNOTATION = 'alb.ingress.kubernetes.io/healthcheck-protocol';
export const GCE_APP_PROTOCOLS_ANNOTATION = 'cloud.google.com/app-protocols';
export const TRAEFIK_SERVERS_SCHEME_ANNOTATION = 'traefik.ingress.kubernetes.io/service.serversscheme';

export function isTraefikClass(className: string): boolean {
  return className.toLowerCase() === 'traefik';
}

/**
 * What the routed component's Service must carry for an HTTPS backend: either the annotations,
 * or (where the plan cannot write them) the reason and what to set instead.
 */
export type BackendProtocolSettings =
  { ok: true; serviceAnnotations: Record<string, string>; note?: string } | { ok: false; missing: string };

/**
 * One entry per class the planner can cite:
 * - ALB: `alb.ingress.kubernetes.io/backend-protocol: HTTPS`, location `Ingress,Service`, and
 *   "annotations applied to Service have higher priority over annotations applied to Ingress", so
 *   on the shared Ingress it goes on the one Service that needs it; the health check follows it
 *   (its own default is HTTP). https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/225f44568848eb25f13e304a5f1cc68c0cd9415d/docs/guide/ingress/annotations.md
 * - GKE (gce): `cloud.google.com/app-protocols`, a JSON map keyed by Service port NAME only
 *   (ingress-gce does not read spec.ports[].appProtocol), values HTTP, HTTPS or HTTP2.
 *   https://github.com/kubernetes/ingress-gce/blob/acbcf5d66dd9d31297a2a52a2d7d83d4c1a94539/pkg/annotations/service.go
 * - Traefik: `traefik.ingress.kubernetes.io/service.serversscheme: https` on the Service.
 *   https://github.com/traefik/traefik/blob/fd5a576df2e8aeb0bfc8a96b6ef6e60a61f7ec0a/pkg/provider/kubernetes/ingress/kubernetes.go
 * Any other class (nginx, haproxy, istio, a class of the user's) has its own setting the plan
 * cannot cite, so it writes none and a finding names what to set.
 */
export function backendProtocolSettings(className: string, port: PortSpec): BackendProtocolSettings {
  if (backendProtocol(port) === 'HTTP') {
    return { ok: true, serviceAnnotations: {} };
  }
  if (isAlbClass(className)) {
    return {
      ok: true,
      serviceAnnotations: {
        [ALB_BACKEND_PROTOCOL_ANNOTATION]: 'HTTPS',
        [ALB_HEALTHCHECK_PROTOCOL_ANNOTATION]: 'HTTPS',
      },
    };
  }
  if (isGceClass(className)) {
    return port.name === undefined
      ? {
          ok: false,
          missing: `GKE Ingress reads the backend protocol only from the Service annotation ${GCE_APP_PROTOCOLS_ANNOTATION}, keyed by port name, and port ${port.port} has none: name the port (e.g. "https") so the plan can write {"https":"HTTPS"}`,
        }
      : { ok: true, serviceAnnotations: { [GCE_APP_PROTOCOLS_ANNOTATION]: JSON.stringify({ [port.name]: 'HTTPS' }) } };
  }
  if (isTraefikClass(className)) {
    return {
      ok: true,
      serviceAnnotations: { [TRAEFIK_SERVERS_SCHEME_ANNOTATION]: 'https' },
      note: `Traefik verifies the backend certificate: with a self-signed one, add a ServersTransport (traefik.io/v1alpha1, spec.insecureSkipVerify or spec.rootCAs) and point the Service annotation traefik.ingress.kubernetes.io/service.serverstransport at it`,
    };
  }
  return {
    ok: false,
    missing: `the plan knows no backend-protocol setting of the "${className}" class: set the backend-protocol setting your controller documents (on the Service or the Ingress) to HTTPS, or serve plain HTTP on the routed port`,
  };
}

/** The annotations that must be on the Service for its HTTPS port to be reached over HTTPS; empty when none are needed or none can be written. */
export function backendServiceAnnotations(className: string, port: PortSpec): Record<string, string> {
  const settings = backendProtocolSettings(className, port);
  return settings.ok ? settings.serviceAnnotations : {};
}
