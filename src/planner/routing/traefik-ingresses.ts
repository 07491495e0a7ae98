import { ingressServesTls, objectMetadata, toCidr } from '../manifest-conventions.js';
import type { Component, IngressPlan, KubeObject, Topology } from '../types.js';
import { renderIngress } from './ingress.js';
import { isTraefikClass, sourcesEnforcedAtL7 } from './sources.js';

/**
 * The Ingress objects of a plan on Traefik, which reads two things per Ingress rather than per
 * route: its router annotations apply to every route of the Ingress that carries them
 * (https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/ingress/).
 *
 * - allowedSources: per restricted component an IPAllowList Middleware and an Ingress of its own
 *   that references it (router.middlewares; see sources.ts). Same controller, same load balancer:
 *   the cost and the NetworkPolicies do not change.
 * - TLS: Traefik's Ingress provider reads `spec.tls` for certificates only. A router serves TLS
 *   only when `traefik.ingress.kubernetes.io/router.tls: "true"` says so (loadRouter in
 *   https://github.com/traefik/traefik/blob/master/pkg/provider/kubernetes/ingress/kubernetes.go),
 *   and a router without entry points listens on all of them, so without the annotation the
 *   application is served in clear on the `web` entry point (port 80) too. A router with TLS
 *   ignores plain HTTP requests (a 404 there: https://doc.traefik.io/traefik/reference/routing-configuration/http/tls/overview/).
 *   So every Ingress that routes a host with TLS carries the annotation; when the shared Ingress
 *   would also route hosts without TLS, the TLS hosts move to a second shared Ingress,
 *   `<topology>.tls` (a dot: no component name, a DNS-1035 label, can make that name).
 */

export const TRAEFIK_ROUTER_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';
export const TRAEFIK_ROUTER_TLS = 'traefik.ingress.kubernetes.io/router.tls';

/**
 * How to have plain HTTP redirected rather than answered 404: an entry point's setting, not an
 * Ingress's (https://doc.traefik.io/traefik/reference/install-configuration/entrypoints/).
 */
export const TRAEFIK_HTTPS_REDIRECT =
  "set Traefik's web entry point to redirect to websecure (static configuration entryPoints.web.http.redirections.entryPoint.to=websecure, scheme https; in the Helm chart ports.web.redirections.entryPoint)";

export function allowListMiddlewareName(component: Component): string {
  return `${component.name}-allowed-sources`;
}

/** How an Ingress names a Middleware of the Kubernetes CRD provider: <namespace>-<name>@kubernetescrd. */
export function middlewareReference(namespace: string, name: string): string {
  return `${namespace}-${name}@kubernetescrd`;
}

function restrictedByTraefik(className: string, component: Component): boolean {
  return isTraefikClass(className) && sourcesEnforcedAtL7(className, component);
}

/** How the routed components share out among a plan's Ingress objects (see the file's comment). */
type IngressGroups = {
  /** On the shared Ingress, named after the topology. */
  shared: Component[];
  /** On Traefik, the hosts with TLS when the shared Ingress also routes hosts without: `<topology>.tls`. */
  sharedTls: Component[];
  /** Each on an Ingress of its own: Traefik limits it to allowedSources. */
  own: Component[];
};

function ingressGroups(className: string, routed: Component[]): IngressGroups {
  const own: Component[] = [];
  const rest: Component[] = [];
  for (const component of routed) {
    (restrictedByTraefik(className, component) ? own : rest).push(component);
  }
  if (!isTraefikClass(className)) {
    return { shared: rest, sharedTls: [], own };
  }
  // renderIngress gives a host a tls entry when any of its components wants TLS: the same test.
  const tlsHosts = new Set(rest.filter((component) => component.tls === true).map((component) => component.host));
  const plain = rest.filter((component) => !tlsHosts.has(component.host));
  if (tlsHosts.size === 0 || plain.length === 0) {
    return { shared: rest, sharedTls: [], own };
  }
  return { shared: plain, sharedTls: rest.filter((component) => tlsHosts.has(component.host)), own };
}

/**
 * The routed components Traefik serves over HTTPS only: those whose Ingress has a tls entry, and
 * so router.tls (a 404 for plain HTTP). Empty for other classes.
 */
export function traefikHttpsOnly(className: string, routed: Component[]): Set<string> {
  if (!isTraefikClass(className)) {
    return new Set();
  }
  const { shared, sharedTls, own } = ingressGroups(className, routed);
  return new Set(
    [
      ...(ingressServesTls(shared) ? shared : []),
      ...sharedTls,
      ...own.filter((component) => component.tls === true),
    ].map((component) => component.name),
  );
}

function sharedTlsIngressName(topology: Topology): string {
  return `${topology.name}.tls`;
}

/** The name of the Ingress that routes the component among the `routed` ones (see ingressGroups). */
export function routingIngressName(
  topology: Topology,
  className: string,
  component: Component,
  routed: Component[],
): string {
  if (restrictedByTraefik(className, component)) {
    return ownIngressName(topology, component);
  }
  return ingressGroups(className, routed).sharedTls.includes(component)
    ? sharedTlsIngressName(topology)
    : topology.name;
}

function ownIngressName(topology: Topology, component: Component): string {
  return `${topology.name}-${component.name}`;
}

export function renderAllowList(topology: Topology, component: Component): KubeObject {
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'Middleware',
    metadata: objectMetadata(topology, allowListMiddlewareName(component), component.name, {}),
    spec: { ipAllowList: { sourceRange: component.allowedSources.map(toCidr) } },
  };
}

/** An Ingress for some of the routed components, under its own name, with what Traefik must read on it. */
function renderTraefikIngress(
  topology: Topology,
  ingress: IngressPlan,
  components: Component[],
  name: string,
  labelsName: string,
  extraAnnotations: Record<string, string>,
): KubeObject {
  const base = renderIngress(topology, ingress, components);
  // renderIngress writes a tls entry exactly when one of the components wants TLS.
  const servesTls = ingressServesTls(components);
  return {
    ...base,
    metadata: objectMetadata(topology, name, labelsName, {
      ...base.metadata.annotations,
      ...extraAnnotations,
      ...(servesTls ? { [TRAEFIK_ROUTER_TLS]: 'true' } : {}),
    }),
  };
}

/**
 * The Ingress objects of a plan: the shared Ingress, on Traefik the shared one of the TLS hosts
 * when there are both, then for each component Traefik restricts its Middleware and its own Ingress.
 */
export function renderRoutedIngresses(topology: Topology, ingress: IngressPlan, routed: Component[]): KubeObject[] {
  const { shared, sharedTls, own } = ingressGroups(ingress.className, routed);
  const traefik = isTraefikClass(ingress.className);
  const sharedIngresses = [
    { components: shared, name: topology.name },
    { components: sharedTls, name: sharedTlsIngressName(topology) },
  ]
    .filter((group) => group.components.length > 0)
    .map((group) =>
      traefik
        ? renderTraefikIngress(topology, ingress, group.components, group.name, topology.name, {})
        : renderIngress(topology, ingress, group.components),
    );
  return [
    ...sharedIngresses,
    ...own.flatMap((component) => [
      renderAllowList(topology, component),
      renderTraefikIngress(topology, ingress, [component], ownIngressName(topology, component), component.name, {
        [TRAEFIK_ROUTER_MIDDLEWARES]: middlewareReference(topology.namespace, allowListMiddlewareName(component)),
      }),
    ]),
  ];
}
