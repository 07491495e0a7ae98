import { ingressIsPublic, ingressServesTls, objectMetadata } from '../manifest-conventions.js';
import type { Component, IngressPlan, KubeObject, Topology } from '../types.js';
import { isGceClass } from './classes.js';

/**
 * GKE's Ingress makes an HTTP forwarding rule beside the HTTPS one and passes plain HTTP to the
 * application unless a FrontendConfig with redirectToHttps is named on the Ingress (GKE
 * 1.17.13-gke.2600+; 301 by default):
 * https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#https_redirect
 * The plan writes one for its public GKE Ingress whenever that Ingress serves TLS, so tls: true
 * means HTTPS only, as it does behind the ALB (ssl-redirect). The internal Application Load
 * Balancer (gce-internal) is left alone: its redirect is configured differently, and EXP030 says so.
 */
export const GKE_FRONTEND_CONFIG_ANNOTATION = 'networking.gke.io/v1beta1.FrontendConfig';

export function gkeHttpsRedirectName(topology: Topology): string {
  return `${topology.name}-https-redirect`;
}

/** Whether the plan's GKE Ingress gets the redirecting FrontendConfig. */
export function redirectsGkeIngress(ingress: IngressPlan | null, routed: Component[]): boolean {
  return ingress !== null && isGceClass(ingress.className) && ingressIsPublic(routed) && ingressServesTls(routed);
}

/** The annotation naming the FrontendConfig, for the Ingress that gets one. */
export function gkeHttpsRedirectAnnotations(
  topology: Topology,
  ingress: IngressPlan,
  routed: Component[],
): Record<string, string> {
  return redirectsGkeIngress(ingress, routed)
    ? { [GKE_FRONTEND_CONFIG_ANNOTATION]: gkeHttpsRedirectName(topology) }
    : {};
}

export function renderGkeHttpsRedirect(topology: Topology): KubeObject {
  return {
    apiVersion: 'networking.gke.io/v1beta1',
    kind: 'FrontendConfig',
    metadata: objectMetadata(topology, gkeHttpsRedirectName(topology), topology.name, {}),
    spec: { redirectToHttps: { enabled: true } },
  };
}
