import {
  backendPortReference,
  ingressBackendPort,
  ingressIsPublic,
  ingressServesTls,
  objectMetadata,
  tlsSecretName,
} from '../manifest-conventions.js';
import type { Component, IngressPlan, KubeObject, Topology } from '../types.js';
import { ingressClassSettings } from './classes.js';
import { gkeHttpsRedirectAnnotations } from './gke-https-redirect.js';
import { routedPath } from './ingress-path.js';
import { albCertificateAnnotations } from './l4-tls.js';
import { sourceConditionAnnotations } from './sources.js';
import { websocketIngressAnnotations } from './websocket.js';

/**
 * The shared Ingress (networking.k8s.io/v1) of a plan: its routes, its TLS entries, and what its
 * class needs on it (classes.ts).
 */

type IngressPath = {
  path: string;
  pathType: 'Prefix';
  backend: { service: { name: string; port: { name: string } | { number: number } } };
};

/** The route (host and path) a component asks for: its own path, else "/". */
export function askedRoute(component: Component): string {
  return `${component.host ?? ''}${component.path ?? '/'}`;
}

/**
 * Public HTTP components whose route an earlier one already asked for. Each keeps the route it
 * asked for or none: moving one under `/<component>` to share a load balancer breaks it, because
 * controllers pass the prefix on (an SPA or a socket.io app then 404s). Such a component gets its
 * own entry point instead; it shares the Ingress only when its host or path differs.
 */
export function takenRoutes(components: Component[]): Map<string, string> {
  const holders = new Map<string, string>();
  const takenBy = new Map<string, string>();
  for (const component of components) {
    const route = askedRoute(component);
    const holder = holders.get(route);
    if (holder === undefined) {
      holders.set(route, component.name);
    } else {
      takenBy.set(component.name, holder);
    }
  }
  return takenBy;
}

/**
 * The order of an Ingress's rules, by host: exact hosts first, then wildcard hosts, the longer
 * (narrower) first, then the host-less rule last; otherwise the order hosts first appear in.
 *
 * The AWS Load Balancer Controller turns spec.rules into listener rules in the order they are
 * listed, sorting paths only within one rule, and gives them priorities in that order
 * (buildListenerRules, pkg/ingress/model_build_listener_rules.go l.19-75 and sortIngressPaths
 * l.82-97, kubernetes-sigs/aws-load-balancer-controller at 225f445). A host-less rule becomes a
 * condition on the path alone, so listed before a host's rule it takes that host's requests (a
 * host-less "/" takes every request); an ALB host-header "*.example.com" matches any name ending
 * in .example.com (a "*" there matches dots too), so a broader wildcard listed first takes the
 * narrower one's and the exact hosts' requests. The order is the same for every class: NGINX,
 * Traefik and GKE prefer the host that matches over the host-less rule whatever the order
 * (the Ingress API's own rule), so for them it changes nothing but the text.
 */
function hostRank(host: string): [number, number] {
  if (host === '') {
    return [2, 0];
  }
  return host.startsWith('*') ? [1, -host.length] : [0, 0];
}

/**
 * One Ingress for the routed components: one rule per distinct host (ordered by hostRank; a
 * component without a host joins the host-less rule), one path per component (the one it
 * asked for, see takenRoutes), backend = the component's Service and its first HTTP port. TLS: one entry per host that any of its
 * components wants TLS for, with the Secret `<component>-tls` of the first such component (the
 * plan does not issue certificates; cert-manager or the user creates that Secret).
 */
export function renderIngress(topology: Topology, ingress: IngressPlan, routed: Component[]): KubeObject {
  const rules = new Map<string, IngressPath[]>();
  const tls = new Map<string, string>();
  for (const component of routed) {
    const hostKey = component.host ?? '';
    const hostPaths = rules.get(hostKey) ?? [];
    hostPaths.push({
      path: routedPath(component),
      pathType: 'Prefix',
      backend: { service: { name: component.name, port: backendPortReference(ingressBackendPort(component)) } },
    });
    rules.set(hostKey, hostPaths);
    if (component.tls === true && !tls.has(hostKey)) {
      tls.set(hostKey, tlsSecretName(component));
    }
  }

  const { classField, annotations } = ingressClassSettings(
    ingress.className,
    ingressIsPublic(routed),
    ingressServesTls(routed),
  );

  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: objectMetadata(topology, topology.name, topology.name, {
      ...annotations,
      ...sourceConditionAnnotations(ingress.className, routed),
      ...websocketIngressAnnotations(ingress.className, routed, ingressBackendPort),
      ...albCertificateAnnotations(ingress.className, routed),
      ...gkeHttpsRedirectAnnotations(topology, ingress, routed),
    }),
    spec: {
      ...classField,
      rules: [...rules]
        // Array.prototype.sort is stable: hosts of one rank keep the order they first appear in.
        .sort(([a], [b]) => {
          const [rankA, widthA] = hostRank(a);
          const [rankB, widthB] = hostRank(b);
          return rankA - rankB || widthA - widthB;
        })
        .map(([host, paths]) => ({ ...(host === '' ? {} : { host }), http: { paths } })),
      ...(tls.size === 0
        ? {}
        : { tls: [...tls].map(([host, secretName]) => ({ ...(host === '' ? {} : { hosts: [host] }), secretName })) }),
    },
  };
}
