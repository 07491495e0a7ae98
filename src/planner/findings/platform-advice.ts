import { isGceClass } from '../routing/classes.js';
import type { Environment, Platform } from '../types.js';

/**
 * Advice that names objects and annotations of the component's own platform only: a remediation
 * that quotes another provider's annotation does not apply to the rendered objects
 * (platform-advice.spec.ts checks it on every golden fixture).
 */

/**
 * Whether the platform runs the class's controller without an install: GKE Ingress (gce and
 * gce-internal) through the HttpLoadBalancing add-on, on by default
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/ingress). Nothing else counts: the AKS
 * application routing add-on must be enabled (`az aks approuting enable`,
 * https://learn.microsoft.com/en-us/azure/aks/app-routing), minikube's ingress is an addon to
 * enable, and k3s's bundled Traefik can be disabled, so there the topology's ingressController
 * says whether it runs.
 */
export function builtInIngressClass(platform: Platform, className: string): boolean {
  return platform === 'gcp' && (isGceClass(className) || className.toLowerCase() === 'gce-internal');
}

/** How to make a LoadBalancer Service internal on this platform (the annotations manifests.ts writes). */
export function internalLoadBalancerWay(platform: Platform): string {
  switch (platform) {
    case 'aws':
      return 'service.beta.kubernetes.io/aws-load-balancer-scheme: internal';
    case 'gcp':
      return 'networking.gke.io/load-balancer-type: "Internal"';
    case 'azure':
      return 'service.beta.kubernetes.io/azure-load-balancer-internal: "true"';
    case 'digitalocean':
      return 'service.beta.kubernetes.io/do-loadbalancer-network: INTERNAL, on DOKS 1.28.10-do.0 or later, set when the Service is created';
    case 'other-cloud':
      return "your provider's internal load balancer annotation, which the planner cannot know";
    case 'bare-metal':
    case 'kind':
    case 'minikube':
    case 'k3s':
      return 'give it an address from a private pool: with MetalLB an IPAddressPool on a private range, named by the metallb.io/address-pool annotation';
  }
}

/** Who enforces loadBalancerSourceRanges here (routing/own-lb-sources.ts cites each provider). */
export function sourceRangeEnforcement(environment: Environment): string {
  switch (environment.platform) {
    case 'aws':
      return 'the AWS Load Balancer Controller writes them to the NLB security group, and ignores them when client IP preservation is off (ip targets), so use a security group there.';
    case 'gcp':
      return 'GKE writes them to VPC firewall rules for the passthrough load balancer.';
    case 'azure':
      return "AKS writes them to the cluster's network security group.";
    case 'digitalocean':
      return 'the DigitalOcean cloud controller (v0.1.52 and later) writes them to the load balancer firewall.';
    case 'other-cloud':
      return "your provider's documentation says whether its load balancers honour them; where they do not, use its firewall.";
    case 'bare-metal':
    case 'kind':
    case 'minikube':
    case 'k3s':
      return 'with MetalLB, kube-vip or ServiceLB addresses, kube-proxy filters by source on the nodes.';
  }
}

/** Where to move from a retiring Ingress controller (EXP015): the AKS-managed choices only on AKS. */
export function controllerMove(platform: Platform): string {
  return platform === 'azure'
    ? 'Gateway API (environment.routing "gateway-api": the application routing add-on\'s own Gateway API implementation, class approuting-istio, or Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric, Traefik) or another Ingress controller (Application Gateway for Containers, Traefik, HAProxy, F5 NGINX Ingress Controller)'
    : 'Gateway API (environment.routing "gateway-api": Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric, Traefik) or another Ingress controller (Traefik, HAProxy, F5 NGINX Ingress Controller)';
}
