import type { Environment, Platform } from '../types.js';
import { retiringController } from './gateway-classes.js';

/** The layer of the load balancer in front: L7 terminates HTTP itself (AWS ALB, GKE Ingress), L4 passes connections. */
export type LoadBalancerLayer = 'L4' | 'L7';

/** The IngressClass the cluster already runs, or undefined: "none" (or nothing) means no controller. */
export function namedIngressController(environment: Environment): string | undefined {
  const name = environment.ingressController?.trim();
  return name === undefined || name === '' || name.toLowerCase() === 'none' ? undefined : name;
}

/**
 * The IngressClass to install on a cloud that names none: the one the provider manages where there
 * is one, else Traefik. Never a retiring controller (gateway-classes.ts, RETIRING_INGRESS_CONTROLLERS):
 * not ingress-nginx, retired in March 2026, and on AKS not the NGINX application routing add-on,
 * supported until November 2026 only; AKS gets Traefik on the cluster load balancer (AKS_INGRESS_DEFAULT).
 */
export function defaultIngressClass(platform: Platform): string {
  return defaultIngress(platform).className;
}

/** What installing (or enabling) that default class takes, in one sentence without its cost. */
export function ingressInstallStep(platform: Platform): string {
  return defaultIngress(platform).installStep;
}

type DefaultIngress = { className: string; installStep: string };

const TRAEFIK_DEFAULT: DefaultIngress = {
  className: 'traefik',
  installStep:
    'install Traefik (Helm chart traefik/traefik, IngressClass traefik); its LoadBalancer Service is the one load balancer in front',
};

/** The default class and its install step decided together, so that the two never name different controllers. */
function defaultIngress(platform: Platform): DefaultIngress {
  switch (platform) {
    case 'aws':
      return {
        className: 'alb',
        installStep:
          'install the AWS Load Balancer Controller (Helm chart eks/aws-load-balancer-controller, with an IAM role for its service account); it turns the Ingress into one internet-facing Application Load Balancer',
      };
    case 'gcp':
      return {
        className: 'gce',
        installStep:
          'nothing to install on most clusters: GKE Ingress (class gce) is on by default through the HttpLoadBalancing add-on (re-enable it if it was turned off); it turns the Ingress into one external Application Load Balancer',
      };
    case 'azure':
    case 'digitalocean':
    case 'other-cloud':
    case 'bare-metal':
    case 'kind':
    case 'minikube':
    case 'k3s':
      return TRAEFIK_DEFAULT;
  }
}

/** Whether the class's controller is itself an L7 load balancer the cloud bills as such. */
export function ingressLoadBalancerLayer(platform: Platform, className: string): LoadBalancerLayer {
  return (platform === 'aws' && isAlbClass(className)) || (platform === 'gcp' && isGceClass(className)) ? 'L7' : 'L4';
}

/** Whether the class is served by a retired or retiring controller (ingress-nginx, the AKS NGINX add-on). */
export function isRetiringIngressClass(className: string): boolean {
  return retiringController(className) !== undefined;
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
  return isGceClass(className) && servesTls ? 2 : 1;
}

/** GKE Ingress: the class is named by annotation only (see ingressClassSettings). */
export function isGceClass(className: string): boolean {
  return className.toLowerCase() === 'gce';
}

/** GKE Ingress for the internal Application Load Balancer, named by environment.ingressController. */
export function isGceInternalClass(className: string): boolean {
  return className.toLowerCase() === 'gce-internal';
}

/** A GKE Ingress served by the internal Application Load Balancer: class gce-internal, or gce rendered for non-public routes (ingressClassSettings). */
export function internalGkeIngress(className: string, isPublic: boolean): boolean {
  return isGceInternalClass(className) || (isGceClass(className) && !isPublic);
}

/** The AWS Load Balancer Controller's ALB. */
export function isAlbClass(className: string): boolean {
  return className.toLowerCase() === 'alb';
}

export const ALB_LISTEN_PORTS_ANNOTATION = 'alb.ingress.kubernetes.io/listen-ports';
export const ALB_SSL_REDIRECT_ANNOTATION = 'alb.ingress.kubernetes.io/ssl-redirect';

/**
 * What an ALB Ingress with TLS needs (kubernetes-sigs/aws-load-balancer-controller,
 * docs/guide/ingress/annotations.md): listen-ports defaults to HTTP 80 alone unless a
 * certificate-arn is given, so without it the ALB never listens on 443; ssl-redirect then turns
 * every HTTP listener into a redirect to 443. Certificates come from ACM, discovered by the
 * hosts of the Ingress (spec.tls and the rules): the Secret a tls entry names is ignored.
 */
export function albTlsAnnotations(): Record<string, string> {
  return {
    [ALB_LISTEN_PORTS_ANNOTATION]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    [ALB_SSL_REDIRECT_ANNOTATION]: '443',
  };
}

/** Whether an ALB Ingress's listen-ports annotation opens an HTTPS listener; absent means HTTP 80 only. */
export function albListensHttps(annotations: Record<string, string> | undefined): boolean {
  const value = annotations?.[ALB_LISTEN_PORTS_ANNOTATION];
  if (value === undefined) {
    return false;
  }
  try {
    const listeners: unknown = JSON.parse(value);
    return (
      Array.isArray(listeners) &&
      listeners.some((listener) => typeof listener === 'object' && listener !== null && 'HTTPS' in (listener as object))
    );
  } catch {
    return false;
  }
}

/** How an Ingress names its class, and the annotations its class reads on it. */
export type IngressClassSettings = { classField: { ingressClassName?: string }; annotations: Record<string, string> };

export function ingressClassSettings(className: string, isPublic: boolean, servesTls: boolean): IngressClassSettings {
  if (isGceClass(className) || isGceInternalClass(className)) {
    // GKE's controller reads only the annotation; with spec.ingressClassName set (and no
    // annotation) it ignores the Ingress. The API server refuses both at once. A cluster that
    // names gce-internal keeps it: the user chose the internal load balancer.
    const internal = isGceInternalClass(className) || !isPublic;
    return { classField: {}, annotations: { 'kubernetes.io/ingress.class': internal ? 'gce-internal' : 'gce' } };
  }
  if (isAlbClass(className)) {
    // The AWS Load Balancer Controller makes an internal ALB unless told otherwise, and
    // registers nodes (instance targets) unless told ip; ip matches the NetworkPolicy. With
    // TLS it must also be told to listen on 443 (its default is HTTP 80 alone); spec.tls keeps
    // its hosts, by which the controller finds the ACM certificate (the Secret name is ignored).
    return {
      classField: { ingressClassName: className },
      annotations: {
        'alb.ingress.kubernetes.io/scheme': isPublic ? 'internet-facing' : 'internal',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        ...(servesTls ? albTlsAnnotations() : {}),
      },
    };
  }
  return { classField: { ingressClassName: className }, annotations: {} };
}
