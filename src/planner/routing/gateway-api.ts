import { MANAGED_BY, objectLabels, tlsSecretName } from '../manifest-conventions.js';
import type { Component, KubeObject, Topology } from '../types.js';
import {
  CURRENT_GATEWAY_API,
  kindChannel,
  type GatewayApiVersion,
  type GatewayImplementation,
  type RouteKind,
} from './gateway-classes.js';

/**
 * Gateway API objects from a small neutral description: which Gateway (one the plan creates, or
 * an existing one routes attach to), which routes to which Services, which backends speak TLS.
 * The plan decides what to route where; this file only writes the objects, deterministically:
 * keys in the order apiVersion, kind, metadata, spec, and everything in the order given.
 */

export type NamespacedName = { name: string; namespace: string };

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

// ---------------------------------------------------------------------------------------------
// Description
// ---------------------------------------------------------------------------------------------

export type HttpListener = { protocol: 'HTTP'; name: string; port: number; hostname?: string };
/** `certificateRefs` empty: the implementation finds the certificate itself (AWS: ACM), so the listener has no tls block. */
export type HttpsListener = {
  protocol: 'HTTPS';
  name: string;
  port: number;
  hostname: string;
  certificateRefs: NamespacedName[];
};
/** TLS passed through to the backend untouched, chosen by SNI. */
export type TlsPassthroughListener = { protocol: 'TLS'; name: string; port: number; hostname: string };
export type L4Listener = { protocol: 'TCP' | 'UDP'; name: string; port: number };
export type ListenerSpec = HttpListener | HttpsListener | TlsPassthroughListener | L4Listener;

/** Which namespaces' routes may attach: the Gateway's own, any, or the named ones. */
export type RouteNamespaces = { from: 'Same' } | { from: 'All' } | { from: 'Selector'; namespaces: string[] };

/**
 * spec.infrastructure (GatewayInfrastructure, apis/v1/gateway_types.go): annotations the
 * implementation SHOULD put on what it creates for the Gateway (its LoadBalancer Service), and the
 * implementation's own parameters object.
 */
export type GatewayInfrastructure = {
  annotations?: Record<string, string>;
  parametersRef?: { group: string; kind: string; name: string };
};

export type GatewaySpec = {
  name: string;
  namespace: string;
  className: string;
  listeners: ListenerSpec[];
  allowedRoutes: RouteNamespaces;
  annotations?: Record<string, string>;
  infrastructure?: GatewayInfrastructure;
};

/**
 * A route's parent: the Gateway, and the listener when the route must attach to that one only
 * (sectionName), or the listeners on one port (port: Extended support, conformance feature
 * HTTPRouteParentRefPort; https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/shared_types.go).
 */
export type ParentRef = { name: string; namespace: string; sectionName?: string; port?: number };
/** A Service and its port number: Gateway API backendRefs take numbers, never port names. */
export type BackendRef = { name: string; namespace: string; port: number };
export type PathMatch = { type: 'PathPrefix' | 'Exact'; value: string };

/** An implementation-specific filter object a rule references (a Traefik Middleware, say). */
export type ExtensionRef = { group: string; kind: string; name: string };

export type HttpRouteRule =
  | { matches: PathMatch[]; backends: BackendRef[]; extensionRefs?: ExtensionRef[] }
  /** Answer with a 301 to the same URL over https: the rule for the plain HTTP listener of a TLS host. */
  | { matches: PathMatch[]; redirectToHttps: true };

type RouteBase = {
  name: string;
  namespace: string;
  /** The component the route serves: its labels name it. */
  component: string;
  parents: ParentRef[];
};

export type HttpRouteSpec = RouteBase & { kind: 'HTTPRoute'; hostnames: string[]; rules: HttpRouteRule[] };
/** Every method of every gRPC service to the backends: the planner knows no gRPC service names. */
export type GrpcRouteSpec = RouteBase & { kind: 'GRPCRoute'; hostnames: string[]; backends: BackendRef[] };
/** At least one hostname: SNI is what a passthrough listener routes on. */
export type TlsRouteSpec = RouteBase & { kind: 'TLSRoute'; hostnames: string[]; backends: BackendRef[] };
/** Pin the listener (sectionName): without it the route attaches to every TCP or UDP listener. */
export type L4RouteSpec = RouteBase & { kind: 'TCPRoute' | 'UDPRoute'; backends: BackendRef[] };
export type RouteSpec = HttpRouteSpec | GrpcRouteSpec | TlsRouteSpec | L4RouteSpec;

/** Trust for an HTTPS backend: the system's CA bundle, or CA certificates in ConfigMaps beside the Service. */
export type BackendCa = { wellKnown: 'System' } | { configMaps: string[] };

export type BackendTlsPolicySpec = {
  namespace: string;
  component: string;
  service: string;
  /** The Service port's name, to limit the policy to that port; every port of the Service when absent. */
  portName?: string;
  /** The name the gateway sends as SNI and checks the certificate against. */
  hostname: string;
  ca: BackendCa;
};

/** Everything to render: `gateway` null when the routes attach to an existing Gateway. */
export type GatewayApiPlan = {
  gateway: GatewaySpec | null;
  routes: RouteSpec[];
  backendTlsPolicies: BackendTlsPolicySpec[];
};

// ---------------------------------------------------------------------------------------------
// Listener names and the Gateway the plan creates
// ---------------------------------------------------------------------------------------------

export const HTTP_LISTENER = 'http';

/** SectionName: a DNS-1123 subdomain of at most 253 characters. */
const SECTION_NAME_MAX = 253;

function sectionName(prefix: string, value: string): string {
  const name = `${prefix}-${value}`;
  return name.length <= SECTION_NAME_MAX ? name : name.slice(0, SECTION_NAME_MAX).replace(/[-.]+$/, '');
}

/** The HTTPS listener of a host: named after the host (a wildcard's `*` spelled out), so routes can pin it. */
export function httpsListenerName(hostname: string): string {
  return sectionName('https', hostname.replace(/^\*\./, 'wildcard.'));
}

export function passthroughListenerName(hostname: string): string {
  return sectionName('tls', hostname.replace(/^\*\./, 'wildcard.'));
}

export function l4ListenerName(component: Component, protocol: 'TCP' | 'UDP', port: number): string {
  return `${protocol.toLowerCase()}-${component.name}-${port}`;
}

export type PlannedGatewayInput = {
  name: string;
  namespace: string;
  implementation: Pick<GatewayImplementation, 'className' | 'listenerCertificates' | 'listenerPorts'>;
  /** An HTTP listener, for host-less routes, plain HTTP hosts and the redirect of TLS hosts. */
  http: boolean;
  /** Components with a host and `tls`: one HTTPS listener per distinct host, its certificate the `<component>-tls` Secret(s). */
  tlsComponents: Component[];
  passthrough: { hostname: string; port: number }[];
  l4: { component: Component; protocol: 'TCP' | 'UDP'; port: number }[];
  allowedRoutes: RouteNamespaces;
  annotations?: Record<string, string>;
};

/**
 * The Gateway the plan creates: HTTP on the class's HTTP port, HTTPS per TLS host (certificateRefs
 * to the `<component>-tls` Secrets in the Gateway's namespace, or none where the cloud supplies the
 * certificate), TLS passthrough per host, one TCP or UDP listener per published port.
 */
export function plannedGateway(input: PlannedGatewayInput): GatewaySpec {
  const { implementation } = input;
  const listeners: ListenerSpec[] = [];
  if (input.http) {
    listeners.push({ protocol: 'HTTP', name: HTTP_LISTENER, port: implementation.listenerPorts.http });
  }
  const secretsByHost = new Map<string, string[]>();
  for (const component of input.tlsComponents) {
    if (component.host === undefined) {
      continue;
    }
    const secrets = secretsByHost.get(component.host) ?? [];
    const secret = tlsSecretName(component);
    if (!secrets.includes(secret)) {
      secrets.push(secret);
    }
    secretsByHost.set(component.host, secrets);
  }
  for (const [hostname, secrets] of secretsByHost) {
    listeners.push({
      protocol: 'HTTPS',
      name: httpsListenerName(hostname),
      port: implementation.listenerPorts.https,
      hostname,
      certificateRefs:
        implementation.listenerCertificates === 'certificateRefs'
          ? secrets.map((name) => ({ name, namespace: input.namespace }))
          : [],
    });
  }
  for (const { hostname, port } of input.passthrough) {
    listeners.push({ protocol: 'TLS', name: passthroughListenerName(hostname), port, hostname });
  }
  for (const { component, protocol, port } of input.l4) {
    listeners.push({ protocol, name: l4ListenerName(component, protocol, port), port });
  }
  return {
    name: input.name,
    namespace: input.namespace,
    className: implementation.className,
    listeners,
    allowedRoutes: input.allowedRoutes,
    ...(input.annotations === undefined ? {} : { annotations: input.annotations }),
  };
}

// ---------------------------------------------------------------------------------------------
// Renderers
// ---------------------------------------------------------------------------------------------

function metadata(
  topology: Topology,
  name: string,
  namespace: string,
  labelsName: string,
  annotations?: Record<string, string>,
): KubeObject['metadata'] {
  return {
    name,
    namespace,
    labels: objectLabels(topology, labelsName),
    ...(annotations === undefined || Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
}

function allowedRoutes(namespaces: RouteNamespaces): Record<string, unknown> {
  switch (namespaces.from) {
    case 'Same':
    case 'All':
      return { namespaces: { from: namespaces.from } };
    case 'Selector':
      return {
        namespaces: {
          from: 'Selector',
          selector: {
            matchExpressions: [
              { key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces.namespaces] },
            ],
          },
        },
      };
  }
}

function secretRef(ref: NamespacedName, gatewayNamespace: string): Record<string, string> {
  return ref.namespace === gatewayNamespace
    ? { kind: 'Secret', name: ref.name }
    : { kind: 'Secret', name: ref.name, namespace: ref.namespace };
}

function listener(spec: ListenerSpec, gateway: GatewaySpec): Record<string, unknown> {
  const routes = allowedRoutes(gateway.allowedRoutes);
  switch (spec.protocol) {
    case 'HTTP':
      return spec.hostname === undefined
        ? { name: spec.name, port: spec.port, protocol: 'HTTP', allowedRoutes: routes }
        : { name: spec.name, hostname: spec.hostname, port: spec.port, protocol: 'HTTP', allowedRoutes: routes };
    case 'HTTPS':
      // Without certificateRefs (AWS) the listener has no tls block at all: a Terminate block must
      // name a certificate (CRD validation), and the controller finds the ACM one by hostname.
      return {
        name: spec.name,
        hostname: spec.hostname,
        port: spec.port,
        protocol: 'HTTPS',
        ...(spec.certificateRefs.length === 0
          ? {}
          : {
              tls: {
                mode: 'Terminate',
                certificateRefs: spec.certificateRefs.map((ref) => secretRef(ref, gateway.namespace)),
              },
            }),
        allowedRoutes: routes,
      };
    case 'TLS':
      return {
        name: spec.name,
        hostname: spec.hostname,
        port: spec.port,
        protocol: 'TLS',
        tls: { mode: 'Passthrough' },
        allowedRoutes: routes,
      };
    case 'TCP':
    case 'UDP':
      return { name: spec.name, port: spec.port, protocol: spec.protocol, allowedRoutes: routes };
  }
}

export function renderGateway(topology: Topology, gateway: GatewaySpec): KubeObject {
  return {
    apiVersion: kindChannel('Gateway', CURRENT_GATEWAY_API.version).apiVersion,
    kind: 'Gateway',
    metadata: metadata(topology, gateway.name, gateway.namespace, topology.name, gateway.annotations),
    spec: {
      gatewayClassName: gateway.className,
      ...(gateway.infrastructure === undefined ? {} : { infrastructure: gateway.infrastructure }),
      listeners: gateway.listeners.map((spec) => listener(spec, gateway)),
    },
  };
}

/**
 * The GatewayClass for an implementation whose install does not create one (AWS, Envoy Gateway).
 * Cluster-scoped and shared by every plan on the cluster, so it carries no topology's labels:
 * deleting one application's objects by label must not take the class from the others.
 */
export function renderGatewayClass(
  implementation: Pick<GatewayImplementation, 'className' | 'controllerName'>,
): KubeObject {
  return {
    apiVersion: kindChannel('Gateway', CURRENT_GATEWAY_API.version).apiVersion,
    kind: 'GatewayClass',
    metadata: { name: implementation.className, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
    spec: { controllerName: implementation.controllerName },
  };
}

function parentRefs(route: RouteBase): Record<string, unknown>[] {
  return route.parents.map((parent) => ({
    name: parent.name,
    ...(parent.namespace === route.namespace ? {} : { namespace: parent.namespace }),
    ...(parent.sectionName === undefined ? {} : { sectionName: parent.sectionName }),
    ...(parent.port === undefined ? {} : { port: parent.port }),
  }));
}

function backendRefs(route: RouteBase, backends: BackendRef[]): Record<string, unknown>[] {
  return backends.map((backend) =>
    backend.namespace === route.namespace
      ? { name: backend.name, port: backend.port }
      : { name: backend.name, namespace: backend.namespace, port: backend.port },
  );
}

function httpRule(route: HttpRouteSpec, rule: HttpRouteRule): Record<string, unknown> {
  const matches = rule.matches.map((match) => ({ path: { type: match.type, value: match.value } }));
  const head = matches.length === 0 ? {} : { matches };
  if ('redirectToHttps' in rule) {
    return {
      ...head,
      filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
    };
  }
  const filters = (rule.extensionRefs ?? []).map((extensionRef) => ({ type: 'ExtensionRef', extensionRef }));
  return {
    ...head,
    ...(filters.length === 0 ? {} : { filters }),
    backendRefs: backendRefs(route, rule.backends),
  };
}

function routeMetadata(topology: Topology, route: RouteBase): KubeObject['metadata'] {
  return metadata(topology, route.name, route.namespace, route.component);
}

function hostnames(names: string[]): { hostnames?: string[] } {
  return names.length === 0 ? {} : { hostnames: [...names] };
}

/**
 * One route object. `bundle` is the Gateway API release the implementation is built for: it picks
 * TLSRoute, TCPRoute and UDPRoute's apiVersion (v1 from v1.5.0 / v1.6.0, else experimental v1alpha2).
 */
export function renderRoute(
  topology: Topology,
  route: RouteSpec,
  bundle: GatewayApiVersion = CURRENT_GATEWAY_API.version,
): KubeObject {
  const rules =
    route.kind === 'HTTPRoute'
      ? route.rules.map((rule) => httpRule(route, rule))
      : // One rule with every backend: TCPRoute and UDPRoute v1 allow no more.
        [{ backendRefs: backendRefs(route, route.backends) }];
  const named = 'hostnames' in route ? hostnames(route.hostnames) : {};
  return {
    apiVersion: kindChannel(route.kind, bundle).apiVersion,
    kind: route.kind,
    metadata: routeMetadata(topology, route),
    spec: { parentRefs: parentRefs(route), ...named, rules },
  };
}

function backendTlsPolicyName(spec: BackendTlsPolicySpec): string {
  return spec.portName === undefined ? `${spec.service}-backend-tls` : `${spec.service}-${spec.portName}-backend-tls`;
}

/**
 * How the gateway talks TLS to an HTTPS backend: which Service (and port), the name to send as SNI
 * and verify, and the CA to trust. Without it the gateway speaks plain HTTP to a TLS port.
 */
export function renderBackendTlsPolicy(
  topology: Topology,
  spec: BackendTlsPolicySpec,
  bundle: GatewayApiVersion = CURRENT_GATEWAY_API.version,
): KubeObject {
  const target = {
    group: '',
    kind: 'Service',
    name: spec.service,
    ...(spec.portName === undefined ? {} : { sectionName: spec.portName }),
  };
  const trust =
    'wellKnown' in spec.ca
      ? { wellKnownCACertificates: spec.ca.wellKnown }
      : { caCertificateRefs: spec.ca.configMaps.map((name) => ({ group: '', kind: 'ConfigMap', name })) };
  return {
    apiVersion: kindChannel('BackendTLSPolicy', bundle).apiVersion,
    kind: 'BackendTLSPolicy',
    metadata: metadata(topology, backendTlsPolicyName(spec), spec.namespace, spec.component),
    spec: { targetRefs: [target], validation: { ...trust, hostname: spec.hostname } },
  };
}

// ---------------------------------------------------------------------------------------------
// ReferenceGrants
// ---------------------------------------------------------------------------------------------

/** ReferenceGrant lists hold at most 16 entries (CRD validation). */
const REFERENCE_GRANT_MAX_ENTRIES = 16;

type GrantFrom = { group: string; kind: string; namespace: string };
type GrantTo = { group: string; kind: string; name: string };

/**
 * The ReferenceGrants a cross-namespace reference needs, in the namespace of what is referenced:
 * a route's backendRef to a Service elsewhere, and a Gateway's certificateRef to a Secret
 * elsewhere. A route attaching to a Gateway in another namespace needs none: that is the
 * Gateway listener's allowedRoutes to admit. One grant per (target namespace, source namespace),
 * named after the topology and the source namespace, in order of first reference; a list past 16
 * names continues in `<name>-2`, `<name>-3`….
 */
export function renderReferenceGrants(
  topology: Topology,
  gateway: GatewaySpec | null,
  routes: RouteSpec[],
): KubeObject[] {
  const grants = new Map<string, { namespace: string; fromNamespace: string; from: GrantFrom[]; to: GrantTo[] }>();
  const need = (namespace: string, from: GrantFrom, to: GrantTo): void => {
    const key = `${namespace}\u0000${from.namespace}`;
    const grant = grants.get(key) ?? { namespace, fromNamespace: from.namespace, from: [], to: [] };
    if (!grant.from.some((entry) => entry.kind === from.kind)) {
      grant.from.push(from);
    }
    if (!grant.to.some((entry) => entry.kind === to.kind && entry.name === to.name)) {
      grant.to.push(to);
    }
    grants.set(key, grant);
  };
  if (gateway !== null) {
    for (const spec of gateway.listeners) {
      if (spec.protocol !== 'HTTPS') {
        continue;
      }
      for (const ref of spec.certificateRefs) {
        if (ref.namespace !== gateway.namespace) {
          need(
            ref.namespace,
            { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gateway.namespace },
            { group: '', kind: 'Secret', name: ref.name },
          );
        }
      }
    }
  }
  for (const route of routes) {
    const backends = route.kind === 'HTTPRoute' ? route.rules.flatMap(ruleBackends) : route.backends;
    for (const backend of backends) {
      if (backend.namespace !== route.namespace) {
        need(
          backend.namespace,
          { group: GATEWAY_GROUP, kind: route.kind, namespace: route.namespace },
          { group: '', kind: 'Service', name: backend.name },
        );
      }
    }
  }
  const objects: KubeObject[] = [];
  for (const grant of grants.values()) {
    const baseName = `${topology.name}-from-${grant.fromNamespace}`;
    for (let start = 0; start < grant.to.length; start += REFERENCE_GRANT_MAX_ENTRIES) {
      const part = start / REFERENCE_GRANT_MAX_ENTRIES;
      objects.push({
        apiVersion: kindChannel('ReferenceGrant', CURRENT_GATEWAY_API.version).apiVersion,
        kind: 'ReferenceGrant',
        metadata: metadata(topology, part === 0 ? baseName : `${baseName}-${part + 1}`, grant.namespace, topology.name),
        spec: {
          from: grant.from.map((entry) => ({ ...entry })),
          to: grant.to.slice(start, start + REFERENCE_GRANT_MAX_ENTRIES).map((entry) => ({ ...entry })),
        },
      });
    }
  }
  return objects;
}

function ruleBackends(rule: HttpRouteRule): BackendRef[] {
  return 'backends' in rule ? rule.backends : [];
}

// ---------------------------------------------------------------------------------------------
// All of it
// ---------------------------------------------------------------------------------------------

/**
 * Every Gateway API object of a plan, in apply order: the Gateway, the routes in the order given,
 * the ReferenceGrants they need, then the BackendTLSPolicies. Route kinds the implementation is
 * built to read at an older apiVersion get that one (`bundle`, from the catalog).
 */
export function renderGatewayApi(
  topology: Topology,
  plan: GatewayApiPlan,
  bundle: GatewayApiVersion = CURRENT_GATEWAY_API.version,
): KubeObject[] {
  return [
    ...(plan.gateway === null ? [] : [renderGateway(topology, plan.gateway)]),
    ...plan.routes.map((route) => renderRoute(topology, route, bundle)),
    ...renderReferenceGrants(topology, plan.gateway, plan.routes),
    ...plan.backendTlsPolicies.map((spec) => renderBackendTlsPolicy(topology, spec, bundle)),
  ];
}

/** The route kinds a plan uses, each once, in order: what the plan says about channels and support. */
export function routeKindsUsed(plan: GatewayApiPlan): RouteKind[] {
  return [...new Set(plan.routes.map((route) => route.kind))];
}
