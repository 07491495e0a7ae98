import { ingressIsPublic, ingressServesTls, objectMetadata } from '../manifest-conventions.js';
import type { Component, IngressPlan, KubeObject, Topology } from '../types.js';
import { internalGkeIngress, isGceClass } from './classes.js';

/**
 * GKE's Ingress makes an HTTP forwarding rule beside the HTTPS one and passes plain HTTP to the
 * application unless a FrontendConfig with redirectToHttps is named on the Ingress (GKE
 * 1.17.13-gke.2600+; 301 by default):
 * https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#https_redirect
 * The plan writes one for its public GKE Ingress whenever that Ingress serves TLS, so tls: true
 * means HTTPS only, as it does behind the ALB (ssl-redirect).
 *
 * The internal Application Load Balancer (class gce-internal) has no such redirect: the feature table
 * of that page lists HTTP-to-HTTPS redirects for external Ingress only, and the controller refuses a
 * FrontendConfig redirect on it ("cannot enable HTTPS Redirects with L7 ILB", kubernetes/ingress-gce
 * pkg/loadbalancers/url_maps.go). It also refuses to configure the frontend of a gce-internal Ingress
 * that serves HTTPS while plain HTTP is allowed, unless a shared regional static IP is named
 * (pkg/loadbalancers/l7.go). So a gce-internal Ingress that serves TLS gets
 * `kubernetes.io/ingress.allow-http: "false"`, as GKE's own internal Ingress example does
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balance-ingress): HTTPS only.
 */
export const GKE_FRONTEND_CONFIG_ANNOTATION = 'networking.gke.io/v1beta1.FrontendConfig';
export const GKE_ALLOW_HTTP_ANNOTATION = 'kubernetes.io/ingress.allow-http';

export function gkeHttpsRedirectName(topology: Topology): string {
  return `${topology.name}-https-redirect`;
}

/** Whether the plan's GKE Ingress gets the redirecting FrontendConfig: the external one, serving TLS. */
export function redirectsGkeIngress(ingress: IngressPlan | null, routed: Component[]): boolean {
  return ingress !== null && isGceClass(ingress.className) && ingressIsPublic(routed) && ingressServesTls(routed);
}

/** Whether the plan's Ingress is GKE's internal one serving TLS, which can only turn plain HTTP off. */
export function closesGkeInternalHttp(ingress: IngressPlan | null, routed: Component[]): boolean {
  if (ingress === null || !ingressServesTls(routed)) {
    return false;
  }
  return internalGkeIngress(ingress.className, ingressIsPublic(routed));
}

/** The annotations that keep a TLS GKE Ingress from serving the application over plain HTTP. */
export function gkeHttpsRedirectAnnotations(
  topology: Topology,
  ingress: IngressPlan,
  routed: Component[],
): Record<string, string> {
  if (redirectsGkeIngress(ingress, routed)) {
    return { [GKE_FRONTEND_CONFIG_ANNOTATION]: gkeHttpsRedirectName(topology) };
  }
  return closesGkeInternalHttp(ingress, routed) ? { [GKE_ALLOW_HTTP_ANNOTATION]: 'false' } : {};
}

export function renderGkeHttpsRedirect(topology: Topology): KubeObject {
  return {
    apiVersion: 'networking.gke.io/v1beta1',
    kind: 'FrontendConfig',
    metadata: objectMetadata(topology, gkeHttpsRedirectName(topology), topology.name, {}),
    spec: { redirectToHttps: { enabled: true } },
  };
}
