import { objectMetadata, toCidr } from '../manifest-conventions.js';
import type { Component, IngressPlan, KubeObject, Topology } from '../types.js';
import { renderIngress } from './ingress.js';
import { isTraefikClass, sourcesEnforcedAtL7 } from './sources.js';

/**
 * allowedSources behind a shared Traefik: per restricted component an IPAllowList Middleware and
 * an Ingress of its own that references it, because router.middlewares applies to every route of
 * the Ingress that carries it (see sources.ts). Same controller, same load balancer: the cost and
 * the NetworkPolicies do not change.
 */

export const TRAEFIK_ROUTER_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';

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

/** The name of the Ingress that routes the component: the topology's, or its own when Traefik restricts it. */
export function routingIngressName(topology: Topology, className: string, component: Component): string {
  return restrictedByTraefik(className, component) ? `${topology.name}-${component.name}` : topology.name;
}

export function renderAllowList(topology: Topology, component: Component): KubeObject {
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'Middleware',
    metadata: objectMetadata(topology, allowListMiddlewareName(component), component.name, {}),
    spec: { ipAllowList: { sourceRange: component.allowedSources.map(toCidr) } },
  };
}

function renderOwnIngress(topology: Topology, ingress: IngressPlan, component: Component): KubeObject {
  const base = renderIngress(topology, ingress, [component]);
  return {
    ...base,
    metadata: {
      ...objectMetadata(topology, routingIngressName(topology, ingress.className, component), component.name, {
        ...base.metadata.annotations,
        [TRAEFIK_ROUTER_MIDDLEWARES]: middlewareReference(topology.namespace, allowListMiddlewareName(component)),
      }),
    },
  };
}

/**
 * The Ingress objects of a plan: the shared Ingress for the components without a per-route
 * restriction, then for each component Traefik restricts its Middleware and its own Ingress.
 */
export function renderRoutedIngresses(topology: Topology, ingress: IngressPlan, routed: Component[]): KubeObject[] {
  const own = routed.filter((component) => restrictedByTraefik(ingress.className, component));
  const shared = routed.filter((component) => !own.includes(component));
  return [
    ...(shared.length === 0 ? [] : [renderIngress(topology, ingress, shared)]),
    ...own.flatMap((component) => [
      renderAllowList(topology, component),
      renderOwnIngress(topology, ingress, component),
    ]),
  ];
}
