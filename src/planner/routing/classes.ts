import type { Environment, Platform } from '../types.js';

/** The layer of the load balancer in front: L7 terminates HTTP itself (AWS ALB, GKE Ingress), L4 passes connections. */
export type LoadBalancerLayer = 'L4' | 'L7';

/** The IngressClass the cluster already runs, or undefined: "none" (or nothing) means no controller. */
export function namedIngressController(environment: Environment): string | undefined {
  const name = environment.ingressController?.trim();
  return name === undefined || name === '' || name.toLowerCase() === 'none' ? undefined : name;
}

/**
 * The IngressClass to install on a cloud that names none: the one the provider manages where there
 * is one, else Traefik. Never ingress-nginx: the Kubernetes project retired it (no releases or
 * security fixes after March 2026).
 */
export function defaultIngressClass(platform: Platform): string {
  switch (platform) {
    case 'aws':
      return 'alb';
    case 'gcp':
      return 'gce';
    case 'azure':
      return 'webapprouting.kubernetes.azure.com';
    case 'digitalocean':
    case 'other-cloud':
    case 'bare-metal':
    case 'kind':
    case 'minikube':
    case 'k3s':
      return 'traefik';
  }
}

/** What installing (or enabling) that default class takes, in one sentence without its cost. */
export function ingressInstallStep(platform: Platform): string {
  switch (platform) {
    case 'aws':
      return 'install the AWS Load Balancer Controller (Helm chart eks/aws-load-balancer-controller, with an IAM role for its service account); it turns the Ingress into one internet-facing Application Load Balancer';
    case 'gcp':
      return 'nothing to install on most clusters: GKE Ingress (class gce) is on by default through the HttpLoadBalancing add-on (re-enable it if it was turned off); it turns the Ingress into one external Application Load Balancer';
    case 'azure':
      return 'enable the AKS application routing add-on (az aks approuting enable), whose managed controller serves IngressClass webapprouting.kubernetes.azure.com behind one public IP on the cluster load balancer';
    case 'digitalocean':
    case 'other-cloud':
    case 'bare-metal':
    case 'kind':
    case 'minikube':
    case 'k3s':
      return 'install Traefik (Helm chart traefik/traefik, IngressClass traefik); its LoadBalancer Service is the one load balancer in front';
  }
}

/** Whether the class's controller is itself an L7 load balancer the cloud bills as such. */
export function ingressLoadBalancerLayer(platform: Platform, className: string): LoadBalancerLayer {
  const name = className.toLowerCase();
  return (platform === 'aws' && name === 'alb') || (platform === 'gcp' && name === 'gce') ? 'L7' : 'L4';
}

/** The retired ingress-nginx answers to these class names. */
export function isRetiredIngressNginx(className: string): boolean {
  return ['nginx', 'ingress-nginx'].includes(className.toLowerCase());
}

/** Ports the controller's own load balancer listens on (80 and 443): each a rule where rules are billed. */
export const INGRESS_CONTROLLER_PORTS = 2;

/**
 * Forwarding rules the class's load balancer takes where rules are billed one by one (GCP). GKE
 * Ingress (class gce) makes an HTTP forwarding rule, and with a tls entry an HTTPS one beside it
 * (ingress-gce: the HTTP one goes only with kubernetes.io/ingress.allow-http "false", which the
 * plan does not set). Any other controller sits behind one L4 load balancer: one rule.
 */
export function ingressForwardingRules(className: string, servesTls: boolean): number {
  return className.toLowerCase() === 'gce' && servesTls ? 2 : 1;
}
