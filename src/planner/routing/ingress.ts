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
import { albCertificateAnnotations } from './l4-tls.js';
import { sourceConditionAnnotations } from './sources.js';

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
 * The path each routed component is served under, unique per host. A component's own `path`
 * wins when its host has not already given it to an earlier component; a component without one
 * gets "/". A route already taken (two host-less components both wanting "/", say) moves the
 * later component to `/<component>`, so every component stays reachable and no two routes clash
 * (controllers resolve duplicate routes each in their own way). Explicit paths are served first,
 * so a default never pushes a path the user asked for aside.
 */
export function assignIngressPaths(routed: Component[]): Map<string, string> {
  const taken = new Set<string>();
  const paths = new Map<string, string>();
  const claim = (component: Component, path: string): boolean => {
    const key = `${component.host ?? ''} ${path}`;
    if (taken.has(key)) {
      return false;
    }
    taken.add(key);
    paths.set(component.name, path);
    return true;
  };
  for (const component of routed) {
    if (component.path !== undefined) {
      claim(component, component.path);
    }
  }
  for (const component of routed) {
    if (paths.has(component.name) || (component.path === undefined && claim(component, '/'))) {
      continue;
    }
    for (
      let attempt = 1;
      !claim(component, attempt === 1 ? `/${component.name}` : `/${component.name}-${attempt}`);
      attempt++
    ) {
      // The next candidate is tried; component names are unique, so this ends at once in practice.
    }
  }
  return paths;
}

/**
 * One Ingress for the routed components: one rule per distinct host (in the order hosts first
 * appear; a component without a host joins the host-less rule), one path per component (see
 * assignIngressPaths), backend = the component's Service and its first HTTP port. TLS: one entry per host that any of its
 * components wants TLS for, with the Secret `<component>-tls` of the first such component (the
 * plan does not issue certificates; cert-manager or the user creates that Secret).
 */
export function renderIngress(topology: Topology, ingress: IngressPlan, routed: Component[]): KubeObject {
  const rules = new Map<string, IngressPath[]>();
  const tls = new Map<string, string>();
  const assignedPaths = assignIngressPaths(routed);
  for (const component of routed) {
    const hostKey = component.host ?? '';
    const hostPaths = rules.get(hostKey) ?? [];
    hostPaths.push({
      path: assignedPaths.get(component.name) ?? '/',
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
      ...albCertificateAnnotations(ingress.className, routed),
    }),
    spec: {
      ...classField,
      rules: [...rules].map(([host, paths]) => ({ ...(host === '' ? {} : { host }), http: { paths } })),
      ...(tls.size === 0
        ? {}
        : { tls: [...tls].map(([host, secretName]) => ({ ...(host === '' ? {} : { hosts: [host] }), secretName })) }),
    },
  };
}
