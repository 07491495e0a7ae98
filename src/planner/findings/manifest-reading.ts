import { isAlbClass, isGceClass } from '../routing/classes.js';
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
  byLabel: Map<string, number[]>;
  scanned: number[];
  policies: KubeObject[];
};

export function indexNetworkPolicies(objects: KubeObject[], namespace: string): NetworkPolicyIndex {
  const policies = objects.filter(
    (object) => object.kind === 'NetworkPolicy' && (object.metadata.namespace ?? namespace) === namespace,
  );
  const byLabel = new Map<string, number[]>();
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
      const slot = `${key}\u0000${String(value)}`;
      const list = byLabel.get(slot);
      if (list === undefined) {
        byLabel.set(slot, [index]);
      } else {
        list.push(index);
      }
    }
  });
  return { namespace, byLabel, scanned, policies };
}

/** The policies of the index that select pods with these labels for the direction, in manifest order. */
export function policiesSelecting(
  index: NetworkPolicyIndex,
  labels: Record<string, string>,
  direction: 'Ingress' | 'Egress' = 'Ingress',
): KubeObject[] {
  const candidates = new Set(index.scanned);
  for (const [key, value] of Object.entries(labels)) {
    for (const position of index.byLabel.get(`${key}\u0000${value}`) ?? []) {
      candidates.add(position);
    }
  }
  return [...candidates]
    .sort((a, b) => a - b)
    .map((position) => index.policies[position])
    .filter((policy) => networkPolicySelects(policy, labels, index.namespace, direction));
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
  const labelsMatch = Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
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
export function isAlbIngress(ingressObject: KubeObject): boolean {
  const className = asRecord(ingressObject.spec)?.ingressClassName;
  return isAlbClass(
    typeof className === 'string' ? className : (annotation(ingressObject, 'kubernetes.io/ingress.class') ?? ''),
  );
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

export function objectKey(kind: string, name: string): string {
  return `${kind}/${name}`;
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
  const ports = specField(service, 'ports');
  const port = Array.isArray(ports) ? asRecord(ports[portIndex]) : undefined;
  if (port === undefined || typeof port.port !== 'number') {
    return false;
  }
  return loadBalancerTerminatesTls(service.metadata.annotations, {
    port: port.port,
    ...(typeof port.name === 'string' ? { name: port.name } : {}),
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
 * The sourceRange of each IPAllowList Middleware an Ingress's router.middlewares annotation names
 * (<namespace>-<name>@kubernetescrd) that is among the manifests. Traefik applies them in turn, so
 * a client passes only if every list admits it. None when it names none.
 */
export function traefikAllowLists(
  ingressObject: KubeObject | undefined,
  manifests: KubeObject[],
  namespace: string,
): string[][] {
  const references = (annotation(ingressObject, 'traefik.ingress.kubernetes.io/router.middlewares') ?? '')
    .split(',')
    .map((reference) => reference.trim())
    .filter((reference) => reference.endsWith('@kubernetescrd'));
  return manifests
    .filter(
      (object) =>
        object.kind === 'Middleware' &&
        object.apiVersion === 'traefik.io/v1alpha1' &&
        references.includes(`${object.metadata.namespace ?? namespace}-${object.metadata.name}@kubernetescrd`),
    )
    .map((object) => {
      const ranges = asRecord(asRecord(object.spec)?.ipAllowList)?.sourceRange;
      return Array.isArray(ranges) ? ranges.filter((range): range is string => typeof range === 'string') : [];
    });
}

/**
 * The clientCIDRs each Envoy Gateway SecurityPolicy admits on an HTTPRoute of this name, for the
 * policies that deny by default (https://gateway.envoyproxy.io/docs/tasks/security/restrict-ip-access/):
 * a policy that allows by default restricts nothing, so it yields no list.
 */
export function envoyRouteAllowLists(manifests: KubeObject[], routeName: string): string[][] {
  return manifests
    .filter((object) => object.kind === 'SecurityPolicy' && object.apiVersion === 'gateway.envoyproxy.io/v1alpha1')
    .filter((object) => {
      const targets = asRecord(object.spec)?.targetRefs;
      return (
        Array.isArray(targets) &&
        targets.some((target) => {
          const ref = asRecord(target);
          return ref?.kind === 'HTTPRoute' && ref.name === routeName;
        })
      );
    })
    .flatMap((object) => {
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
export function routeMiddlewareAllowLists(manifests: KubeObject[], routeName: string, namespace: string): string[][] {
  const routes = manifests.filter((object) => object.kind === 'HTTPRoute' && object.metadata.name === routeName);
  return routes.flatMap((route) => {
    const routeNamespace = route.metadata.namespace ?? namespace;
    const rules = asRecord(route.spec)?.rules;
    const names = (Array.isArray(rules) ? rules : [])
      .map((rule) => asRecord(rule))
      .filter((rule) => Array.isArray(rule?.backendRefs) && Array.isArray(rule.filters))
      .flatMap((rule) => (rule?.filters as unknown[]).map((filter) => asRecord(asRecord(filter)?.extensionRef)))
      .filter((ref) => ref?.group === 'traefik.io' && ref.kind === 'Middleware' && typeof ref.name === 'string')
      .map((ref) => ref?.name as string);
    return manifests
      .filter(
        (object) =>
          object.kind === 'Middleware' &&
          object.apiVersion === 'traefik.io/v1alpha1' &&
          names.includes(object.metadata.name) &&
          (object.metadata.namespace ?? namespace) === routeNamespace,
      )
      .map((object) => {
        const ranges = asRecord(asRecord(object.spec)?.ipAllowList)?.sourceRange;
        return Array.isArray(ranges) ? ranges.filter((range): range is string => typeof range === 'string') : [];
      });
  });
}
