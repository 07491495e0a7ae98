import { isAlbClass, isGceClass } from '../routing/classes.js';
import { isTraefikClass } from '../routing/sources.js';
import { GKE_FRONTEND_CONFIG_ANNOTATION } from '../routing/gke-https-redirect.js';
import { loadBalancerTerminatesTls } from '../routing/l4-tls.js';
import type { Component, KubeObject } from '../types.js';

/**
 * Reading the rendered objects. The checks judge what the manifests do, not what the plan meant
 * (a Service without its source ranges, a NetworkPolicy that selects no pod), and the manifests
 * are untyped JSON here: every reader checks the shape it reads.
 */

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** A path of an Ingress rule, as far as the checks read it. */
type IngressPath = { path?: string; backend?: { service?: { name?: string } } };

/** Whether a NetworkPolicy object selects pods with these labels in this namespace for ingress (or egress). */
export function networkPolicySelects(
  object: KubeObject,
  labels: Record<string, string>,
  namespace: string,
  direction: 'Ingress' | 'Egress' = 'Ingress',
): boolean {
  if (object.kind !== 'NetworkPolicy' || (object.metadata.namespace ?? namespace) !== namespace) {
    return false;
  }
  const spec = asRecord(object.spec);
  if (spec === undefined) {
    return false;
  }
  const policyTypes: unknown = spec.policyTypes;
  // Left out, policyTypes always includes Ingress, and Egress when the policy has egress rules (the API server defaults it so).
  const types = Array.isArray(policyTypes)
    ? (policyTypes as unknown[])
    : ['Ingress', ...(Array.isArray(spec.egress) ? ['Egress'] : [])];
  if (!types.includes(direction)) {
    return false;
  }
  const selector = asRecord(spec.podSelector);
  return selector !== undefined && labelSelectorMatches(selector, labels);
}

/**
 * The NetworkPolicies of one namespace, indexed so that finding the ones that select a component
 * does not test every policy against every component (2,000 components and their policies made
 * that millions of selector matches per plan). A policy whose podSelector has matchLabels only is
 * filed under each of its label pairs: it can only select pods that carry them. Any other (`{}`,
 * matchExpressions) is tested for every component.
 */
export type NetworkPolicyIndex = {
  namespace: string;
  /** Label key, then value, to the positions of the policies filed under that pair (no "key=value" string made per look-up). */
  byLabel: Map<string, Map<string, number[]>>;
  scanned: number[];
  policies: KubeObject[];
  /**
   * What policiesSelecting found, per direction and per labels object: the rationale notes, the
   * plan's coverage and the findings each ask for every component's policies, and a plan asks them
   * all of one index. Keyed by the labels object itself: a plan's objects are never mutated.
   */
  selecting: Record<'Ingress' | 'Egress', WeakMap<Record<string, string>, readonly KubeObject[]>>;
};

export function indexNetworkPolicies(objects: KubeObject[], namespace: string): NetworkPolicyIndex {
  const policies = objects.filter(
    (object) => object.kind === 'NetworkPolicy' && (object.metadata.namespace ?? namespace) === namespace,
  );
  const byLabel = new Map<string, Map<string, number[]>>();
  const scanned: number[] = [];
  policies.forEach((policy, index) => {
    const selector = asRecord(asRecord(policy.spec)?.podSelector);
    const matchLabels = asRecord(selector?.matchLabels) ?? {};
    const pairs = Object.entries(matchLabels);
    if (selector === undefined || selector.matchExpressions !== undefined || pairs.length === 0) {
      scanned.push(index);
      return;
    }
    for (const [key, value] of pairs) {
      let byValue = byLabel.get(key);
      if (byValue === undefined) {
        byValue = new Map();
        byLabel.set(key, byValue);
      }
      const list = byValue.get(String(value));
      if (list === undefined) {
        byValue.set(String(value), [index]);
      } else {
        list.push(index);
      }
    }
  });
  return { namespace, byLabel, scanned, policies, selecting: { Ingress: new WeakMap(), Egress: new WeakMap() } };
}

/** The policies of the index that select pods with these labels for the direction, in manifest order. */
export function policiesSelecting(
  index: NetworkPolicyIndex,
  labels: Record<string, string>,
  direction: 'Ingress' | 'Egress' = 'Ingress',
): readonly KubeObject[] {
  const known = index.selecting[direction].get(labels);
  if (known !== undefined) {
    return known;
  }
  // Plain loops: this runs for every component, and each policy has a place to be tested once in.
  // Every list is in manifest order already, so merging them keeps that order without a sort (the
  // copy and the sort per component were a twentieth of a plan's allocations at 1,000 components).
  let candidates: readonly number[] = index.scanned;
  for (const key in labels) {
    const value = labels[key];
    const filed = value === undefined ? undefined : index.byLabel.get(key)?.get(value);
    if (filed !== undefined) {
      candidates = candidates.length === 0 ? filed : mergeAscending(candidates, filed);
    }
  }
  const selecting: KubeObject[] = [];
  let previous = -1;
  for (const position of candidates) {
    if (position === previous) {
      continue;
    }
    previous = position;
    const policy = index.policies[position];
    if (policy === undefined) {
      throw new Error(`network policy index holds position ${position} past its ${index.policies.length} policies`);
    }
    if (networkPolicySelects(policy, labels, index.namespace, direction)) {
      selecting.push(policy);
    }
  }
  index.selecting[direction].set(labels, selecting);
  return selecting;
}

/** Two ascending lists of positions as one ascending list (a position in both appears twice). */
function mergeAscending(first: readonly number[], second: readonly number[]): number[] {
  const merged: number[] = [];
  let j = 0;
  for (const a of first) {
    for (let b = second[j]; b !== undefined && b < a; b = second[++j]) {
      merged.push(b);
    }
    merged.push(a);
  }
  for (let b = second[j]; b !== undefined; b = second[++j]) {
    merged.push(b);
  }
  return merged;
}

/** The values of a long `In` / `NotIn` list as a set, made once per list: a default deny lists every component. */
const valueSets = new WeakMap<unknown[], ReadonlySet<unknown>>();
const SCAN_AT_MOST = 16;

function listHas(list: unknown[], value: unknown): boolean {
  if (list.length <= SCAN_AT_MOST) {
    return list.includes(value);
  }
  let set = valueSets.get(list);
  if (set === undefined) {
    set = new Set(list);
    valueSets.set(list, set);
  }
  return set.has(value);
}

export function labelSelectorMatches(selector: Record<string, unknown>, labels: Record<string, string>): boolean {
  const matchLabels = asRecord(selector.matchLabels) ?? {};
  const labelsMatch = Object.keys(matchLabels).every((key) => labels[key] === matchLabels[key]);
  const expressions: unknown[] = Array.isArray(selector.matchExpressions)
    ? (selector.matchExpressions as unknown[])
    : [];
  return (
    labelsMatch &&
    expressions.every((expression) => {
      const { key, operator, values } = asRecord(expression) ?? {};
      if (typeof key !== 'string') {
        return false;
      }
      const list: unknown[] = Array.isArray(values) ? (values as unknown[]) : [];
      switch (operator) {
        case 'In':
          return key in labels && listHas(list, labels[key]);
        case 'NotIn':
          return !(key in labels) || !listHas(list, labels[key]);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          return false;
      }
    })
  );
}

export function sourceRanges(component: Component, service: KubeObject | undefined): string[] {
  if (service === undefined) {
    return component.allowedSources;
  }
  const fromSpec = specField(service, 'loadBalancerSourceRanges');
  const ranges = Array.isArray(fromSpec) ? fromSpec.filter((range): range is string => typeof range === 'string') : [];
  const fromAnnotation = annotation(service, SOURCE_RANGES_ANNOTATION);
  if (fromAnnotation !== undefined) {
    ranges.push(
      ...fromAnnotation
        .split(',')
        .map((range) => range.trim())
        .filter((range) => range !== ''),
    );
  }
  return ranges;
}

export function isWholeAddressSpace(cidr: string): boolean {
  return cidr.trim().endsWith('/0');
}

export function ingressTlsCovers(ingressObject: KubeObject, host: string | undefined): boolean {
  const tls = asRecord(ingressObject.spec)?.tls;
  if (!Array.isArray(tls)) {
    return false;
  }
  const covered = tlsHostsOf(tls);
  if (covered.everyHost) {
    return true;
  }
  if (host === undefined) {
    return false;
  }
  // A wildcard covers exactly one label, as in certificates and Ingress rules.
  const dot = host.indexOf('.');
  return covered.exact.has(host) || (dot > 0 && covered.wildcardParents.has(host.slice(dot + 1)));
}

type TlsHosts = { everyHost: boolean; exact: ReadonlySet<string>; wildcardParents: ReadonlySet<string> };

/**
 * The hosts an Ingress's tls entries cover, read once per tls list: the shared Ingress has an
 * entry per TLS host, and a scan of them per component is quadratic in the topology.
 */
const tlsHostsByList = new WeakMap<unknown[], TlsHosts>();

function tlsHostsOf(tls: unknown[]): TlsHosts {
  const known = tlsHostsByList.get(tls);
  if (known !== undefined) {
    return known;
  }
  const exact = new Set<string>();
  const wildcardParents = new Set<string>();
  let everyHost = false;
  for (const entry of tls) {
    const hosts = asRecord(entry)?.hosts;
    if (!Array.isArray(hosts) || hosts.length === 0) {
      // A tls entry without hosts serves its certificate for every host the controller sees.
      everyHost = true;
      continue;
    }
    for (const pattern of hosts) {
      if (typeof pattern !== 'string') {
        continue;
      }
      if (pattern.startsWith('*.')) {
        wildcardParents.add(pattern.slice(2));
      } else {
        exact.add(pattern);
      }
    }
  }
  const covered = { everyHost, exact, wildcardParents };
  tlsHostsByList.set(tls, covered);
  return covered;
}

/** The class an Ingress object names, by field or by the older annotation. */
export function ingressClassOf(ingressObject: KubeObject): string {
  const className = asRecord(ingressObject.spec)?.ingressClassName;
  return typeof className === 'string' ? className : (annotation(ingressObject, 'kubernetes.io/ingress.class') ?? '');
}

export function isAlbIngress(ingressObject: KubeObject): boolean {
  return isAlbClass(ingressClassOf(ingressObject));
}

export function isTraefikIngress(ingressObject: KubeObject): boolean {
  return isTraefikClass(ingressClassOf(ingressObject));
}

/** GKE Ingress: named by the kubernetes.io/ingress.class annotation alone (gce or gce-internal). */
export function isGceIngress(ingressObject: KubeObject): boolean {
  const className = annotation(ingressObject, 'kubernetes.io/ingress.class') ?? '';
  return isGceClass(className) || className.toLowerCase() === 'gce-internal';
}

/** GKE Ingress for the internal Application Load Balancer, which has no HTTP-to-HTTPS redirect (routing/gke-https-redirect.ts). */
export function isGceInternalIngress(ingressObject: KubeObject): boolean {
  return (annotation(ingressObject, 'kubernetes.io/ingress.class') ?? '').toLowerCase() === 'gce-internal';
}

/** Whether a GKE Ingress turns plain HTTP off: its load balancer then has no HTTP forwarding rule. */
export function gkeRefusesPlainHttp(ingressObject: KubeObject): boolean {
  return annotation(ingressObject, 'kubernetes.io/ingress.allow-http') === 'false';
}

/**
 * Whether a GKE Ingress names a FrontendConfig among the manifests that redirects HTTP to HTTPS
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration),
 * or turns plain HTTP off (kubernetes.io/ingress.allow-http "false").
 */
export function gkeRedirectsToHttps(ingressObject: KubeObject, manifests: KubeObject[], namespace: string): boolean {
  if (gkeRefusesPlainHttp(ingressObject)) {
    return true;
  }
  const name = annotation(ingressObject, GKE_FRONTEND_CONFIG_ANNOTATION);
  const ingressNamespace = ingressObject.metadata.namespace ?? namespace;
  return manifests.some(
    (object) =>
      object.kind === 'FrontendConfig' &&
      object.apiVersion.startsWith('networking.gke.io/') &&
      object.metadata.name === name &&
      (object.metadata.namespace ?? namespace) === ingressNamespace &&
      asRecord(asRecord(object.spec)?.redirectToHttps)?.enabled === true,
  );
}

export function specField(object: KubeObject, field: string): unknown {
  return asRecord(object.spec)?.[field];
}

export function annotation(object: KubeObject | undefined, key: string): string | undefined {
  return object?.metadata.annotations?.[key];
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Whether the rendered Service's load balancer terminates TLS for the component's port at this
 * index (Services list the component's ports in its order; a TLS listener may have moved the
 * number to 443): the AWS NLB TLS listener or the DigitalOcean HTTPS forwarding rule.
 */
export function loadBalancerServesTls(service: KubeObject | undefined, portIndex: number): boolean {
  if (service === undefined || specField(service, 'type') !== 'LoadBalancer') {
    return false;
  }
  const ports: unknown = specField(service, 'ports');
  const entries: unknown[] = Array.isArray(ports) ? ports : [];
  const port = asRecord(entries[portIndex]);
  if (port === undefined || typeof port.port !== 'number') {
    return false;
  }
  // The same number over UDP takes the NLB's listener for that port, or turns it into TCP_UDP: no TLS.
  const sharesUdp = entries.some((other) => {
    const read = asRecord(other);
    return read !== undefined && read !== port && read.port === port.port && read.protocol === 'UDP';
  });
  return loadBalancerTerminatesTls(service.metadata.annotations, {
    port: port.port,
    ...(typeof port.name === 'string' ? { name: port.name } : {}),
    ...(sharesUdp ? { sharesUdp } : {}),
  });
}

/**
 * The first Ingress (in manifest order) with a rule whose backend is each Service, by Service name:
 * one pass over the manifests, where a search per component would be quadratic.
 */
export function ingressesByService(manifests: KubeObject[]): ReadonlyMap<string, KubeObject> {
  const routing = new Map<string, KubeObject>();
  for (const object of manifests) {
    if (object.kind !== 'Ingress') {
      continue;
    }
    const rules = asRecord(object.spec)?.rules;
    if (!Array.isArray(rules)) {
      continue;
    }
    for (const rule of rules) {
      const paths = asRecord(asRecord(rule)?.http)?.paths;
      if (!Array.isArray(paths)) {
        continue;
      }
      for (const path of paths) {
        const name = (path as IngressPath | undefined)?.backend?.service?.name;
        if (typeof name === 'string' && !routing.has(name)) {
          routing.set(name, object);
        }
      }
    }
  }
  return routing;
}

/**
 * The objects the allow-list readers below look up per component, indexed once per plan (a scan of
 * every manifest per component is quadratic in the topology): Traefik Middlewares by the reference
 * an Ingress annotation spells (`<namespace>-<name>@kubernetescrd`) and by namespace and name,
 * Envoy Gateway SecurityPolicies by the kind and name of each route they target (an HTTPRoute or
 * a GRPCRoute), those routes by kind and name (routeKey). Each list keeps manifest order.
 */
export type AllowListIndex = {
  namespace: string;
  middlewaresByReference: ReadonlyMap<string, KubeObject[]>;
  middlewaresByName: ReadonlyMap<string, KubeObject[]>;
  /** Each Middleware's place in the manifests: what several keys find is put back in that order. */
  middlewareOrder: ReadonlyMap<KubeObject, number>;
  securityPoliciesByRoute: ReadonlyMap<string, KubeObject[]>;
  routesByKey: ReadonlyMap<string, KubeObject[]>;
};

/** The route kinds an Envoy Gateway SecurityPolicy can hold sources on, and the plan writes. */
const SOURCE_ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'];

function routeKey(kind: string, name: string): string {
  return `${kind}\u0000${name}`;
}

function appendTo(map: Map<string, KubeObject[]>, key: string, object: KubeObject): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [object]);
  } else if (list[list.length - 1] !== object) {
    list.push(object);
  }
}

export function indexAllowListObjects(manifests: KubeObject[], namespace: string): AllowListIndex {
  const middlewaresByReference = new Map<string, KubeObject[]>();
  const middlewaresByName = new Map<string, KubeObject[]>();
  const middlewareOrder = new Map<KubeObject, number>();
  const securityPoliciesByRoute = new Map<string, KubeObject[]>();
  const routesByKey = new Map<string, KubeObject[]>();
  for (const object of manifests) {
    if (object.kind === 'Middleware' && object.apiVersion === 'traefik.io/v1alpha1') {
      const objectNamespace = object.metadata.namespace ?? namespace;
      appendTo(middlewaresByReference, `${objectNamespace}-${object.metadata.name}@kubernetescrd`, object);
      appendTo(middlewaresByName, `${objectNamespace}\u0000${object.metadata.name}`, object);
      middlewareOrder.set(object, middlewareOrder.size);
    } else if (object.kind === 'SecurityPolicy' && object.apiVersion === 'gateway.envoyproxy.io/v1alpha1') {
      const targets = asRecord(object.spec)?.targetRefs;
      for (const target of Array.isArray(targets) ? (targets as unknown[]) : []) {
        const ref = asRecord(target);
        if (typeof ref?.kind === 'string' && SOURCE_ROUTE_KINDS.includes(ref.kind) && typeof ref.name === 'string') {
          // appendTo files a policy once per route, however many of its targetRefs name it.
          appendTo(securityPoliciesByRoute, routeKey(ref.kind, ref.name), object);
        }
      }
    } else if (SOURCE_ROUTE_KINDS.includes(object.kind)) {
      appendTo(routesByKey, routeKey(object.kind, object.metadata.name), object);
    }
  }
  return {
    namespace,
    middlewaresByReference,
    middlewaresByName,
    middlewareOrder,
    securityPoliciesByRoute,
    routesByKey,
  };
}

/** The sourceRange of an IPAllowList Middleware: the addresses it admits. */
function ipAllowListRanges(middleware: KubeObject): string[] {
  const ranges = asRecord(asRecord(middleware.spec)?.ipAllowList)?.sourceRange;
  return Array.isArray(ranges) ? ranges.filter((range): range is string => typeof range === 'string') : [];
}

/** The Middlewares filed under any of these keys, each once, in manifest order. */
function middlewaresUnder(index: AllowListIndex, map: ReadonlyMap<string, KubeObject[]>, keys: string[]): KubeObject[] {
  const found = new Set<KubeObject>();
  for (const key of keys) {
    for (const object of map.get(key) ?? []) {
      found.add(object);
    }
  }
  return [...found].sort((a, b) => (index.middlewareOrder.get(a) ?? 0) - (index.middlewareOrder.get(b) ?? 0));
}

/**
 * The sourceRange of each IPAllowList Middleware an Ingress's router.middlewares annotation names
 * (<namespace>-<name>@kubernetescrd) that is among the manifests. Traefik applies them in turn, so
 * a client passes only if every list admits it. None when it names none.
 */
export function traefikAllowLists(ingressObject: KubeObject | undefined, index: AllowListIndex): string[][] {
  const references = (annotation(ingressObject, 'traefik.ingress.kubernetes.io/router.middlewares') ?? '')
    .split(',')
    .map((reference) => reference.trim())
    .filter((reference) => reference.endsWith('@kubernetescrd'));
  return middlewaresUnder(index, index.middlewaresByReference, references).map(ipAllowListRanges);
}

/**
 * The clientCIDRs each Envoy Gateway SecurityPolicy admits on a route of this name among the
 * manifests (an HTTPRoute or a GRPCRoute), for the policies that deny by default
 * (https://gateway.envoyproxy.io/docs/tasks/security/restrict-ip-access/): a policy that allows by
 * default restricts nothing, and one whose targetRef names a route kind the plan did not write
 * attaches to nothing, so neither yields a list.
 */
export function envoyRouteAllowLists(index: AllowListIndex, routeName: string): string[][] {
  const policies = SOURCE_ROUTE_KINDS.map((kind) => routeKey(kind, routeName))
    .filter((key) => index.routesByKey.has(key))
    .flatMap((key) => index.securityPoliciesByRoute.get(key) ?? []);
  return policies.flatMap((object) => {
    const authorization = asRecord(asRecord(object.spec)?.authorization);
    if (authorization?.defaultAction !== 'Deny' || !Array.isArray(authorization.rules)) {
      return [];
    }
    return [
      authorization.rules.flatMap((rule) => {
        const entry = asRecord(rule);
        const cidrs = asRecord(entry?.principal)?.clientCIDRs;
        return entry?.action === 'Allow' && Array.isArray(cidrs)
          ? cidrs.filter((cidr): cidr is string => typeof cidr === 'string')
          : [];
      }),
    ];
  });
}

/**
 * The sourceRange of each Traefik IPAllowList Middleware an HTTPRoute of this name references as an
 * ExtensionRef filter on a rule that has backends (https://doc.traefik.io/traefik/routing/providers/kubernetes-gateway/);
 * the Middleware is looked up in the route's namespace. A client passes only if every one admits it.
 */
export function routeMiddlewareAllowLists(index: AllowListIndex, routeName: string): string[][] {
  return (index.routesByKey.get(routeKey('HTTPRoute', routeName)) ?? []).flatMap((route) => {
    const routeNamespace = route.metadata.namespace ?? index.namespace;
    const rules = asRecord(route.spec)?.rules;
    const names = (Array.isArray(rules) ? rules : [])
      .map((rule) => asRecord(rule))
      .filter((rule) => Array.isArray(rule?.backendRefs) && Array.isArray(rule.filters))
      .flatMap((rule) => (rule?.filters as unknown[]).map((filter) => asRecord(asRecord(filter)?.extensionRef)))
      .filter((ref) => ref?.group === 'traefik.io' && ref.kind === 'Middleware' && typeof ref.name === 'string')
      .map((ref) => `${routeNamespace}\u0000${ref?.name as string}`);
    return middlewaresUnder(index, index.middlewaresByName, names).map(ipAllowListRanges);
  });
}
