import { cidrsOverlap } from '../cidr.js';
import { classifyPort, speaksTls } from '../http.js';
import type { Component, Environment, Finding, KubeObject, PlanResult, PortSpec } from '../types.js';
import { renderVerificationScript } from '../verification-script.js';

/**
 * "Every stated intent of the user holds in the output, or a finding says loudly that it does
 * not": checked on random topologies against the RENDERED objects, read here independently of
 * how the planner decided. A plan that looks safer than what it renders fails intent.spec.ts.
 *
 * Per component, for what reaches it from outside the cluster (a LoadBalancer or NodePort Service
 * selecting its pods, an Ingress rule or a Gateway route to a Service that does):
 *   - a port with `exposure: "internal"` is never published, and an internal component not at all;
 *   - a private or node component is routed by no Ingress or Gateway route, and its load balancer
 *     asks for an internal address (internalLoadBalancer), or a `high` finding says it may face
 *     the internet;
 *   - `allowedSources` hold on each way in (load balancer source ranges, an ALB source-ip
 *     condition, a Traefik IPAllowList, an Envoy Gateway SecurityPolicy on the very route; on a
 *     NodePort, externalTrafficPolicy Local with NetworkPolicies that admit no address beyond them,
 *     or on kind a mapping that listens on this machine's loopback only), or a `high` finding on the
 *     component speaks of allowedSources. A list checked inside an in-cluster proxy holds only if
 *     the proxy sees the client: not where the address it sees may be a pod's or a node's and
 *     allowedSources can hold that address (see proxyMaySeeCluster);
 *   - on kind, a component that is not public has each node port mapped on a loopback address only
 *     (kind binds a mapping without listenAddress to every interface of the machine), or a `high`
 *     finding on it speaks of listenAddress;
 *   - `tls: true` holds on each routed way in (the Ingress's tls entry, an HTTPS listener the
 *     route attaches to; an existing Gateway's listeners are its owner's and not judged) and on
 *     each port of its own load balancer or node ports (a certificate annotation in front of an
 *     HTTP port, or a port that speaks TLS itself), or a `high` finding on the component speaks of
 *     TLS (and of that port); on an ALB whose Ingress names certificates (certificate-arn) the
 *     host must also be one a named certificate was given for (the controller then discovers none);
 *   - on an ALB, a route's requests reach it: no earlier rule of the Ingress takes its host and path
 *     (the controller keeps the order of spec.rules, albShadowedRoutes).
 */

export type Service = KubeObject & { spec: { type?: string; selector?: Record<string, string>; ports: ServicePort[] } };
type ServicePort = { name?: string; port: number; targetPort?: number | string; protocol?: string; nodePort?: number };
/** An Ingress route also keeps its rule's host and path, which an ALB rule spends match evaluations on. */
type Route = { service: Service; servicePort: ServicePort | undefined; via: KubeObject; host?: string; path?: string };

/** The parts of a rendered object's spec this file reads; anything else is ignored. */
type Ref = { kind?: string; name?: string; sectionName?: string };
type PolicyPort = { port?: number | string; endPort?: number; protocol?: string };
type PolicyPeer = { ipBlock?: { cidr?: string }; podSelector?: unknown; namespaceSelector?: unknown };
type LabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};
type ObjectSpec = {
  podSelector?: LabelSelector;
  ingress?: { from?: PolicyPeer[]; ports?: PolicyPort[] }[];
  externalTrafficPolicy?: string;
  rules?: {
    host?: string;
    http?: {
      paths?: { path?: string; backend: { service: { name: string; port: { name?: string; number?: number } } } }[];
    };
    backendRefs?: { name: string; port?: number }[];
    filters?: { type?: string; extensionRef?: { name?: string } }[];
  }[];
  tls?: { hosts?: string[] }[];
  parentRefs?: Ref[];
  listeners?: { name?: string; protocol?: string; hostname?: string }[];
  targetRefs?: Ref[];
  authorization?: { defaultAction?: string; rules?: { principal?: { clientCIDRs?: unknown } }[] };
  ipAllowList?: { sourceRange?: unknown };
  loadBalancerSourceRanges?: unknown;
};
export const spec = (object: KubeObject): ObjectSpec => object.spec ?? {};

/**
 * Kubernetes' rule: a Service sends to every pod that carries each label of its selector, and a
 * component's pods carry at least its labels; a Service without a selector sends to no pod.
 */
export function selects(service: Pick<Service, 'spec'>, component: Pick<Component, 'labels'>): boolean {
  const selector = Object.entries(service.spec.selector ?? {});
  return (
    selector.length > 0 &&
    selector.every(([key, value]) => Object.hasOwn(component.labels, key) && component.labels[key] === value)
  );
}

/** The component port a Service port sends to: same protocol, and its targetPort is the container port or its name. */
function componentPort(component: Component, servicePort: ServicePort): PortSpec | undefined {
  return component.ports.find(
    (port) =>
      port.protocol === (servicePort.protocol ?? 'TCP') &&
      (servicePort.targetPort === (port.targetPort ?? port.port) ||
        (port.name !== undefined && servicePort.targetPort === port.name)),
  );
}

/** Every Ingress rule path and Gateway route backend, with the Service and Service port it sends to. */
function routesOf(manifests: KubeObject[], services: Map<string, Service>): Route[] {
  const routes: Route[] = [];
  for (const object of manifests) {
    if (object.kind === 'Ingress') {
      for (const rule of spec(object).rules ?? []) {
        for (const path of rule.http?.paths ?? []) {
          const service = services.get(path.backend.service.name);
          const port = path.backend.service.port;
          if (service !== undefined) {
            const servicePort = service.spec.ports.find((p) =>
              port.name ? p.name === port.name : p.port === port.number,
            );
            routes.push({
              service,
              servicePort,
              via: object,
              ...(rule.host === undefined ? {} : { host: rule.host }),
              ...(path.path === undefined ? {} : { path: path.path }),
            });
          }
        }
      }
    } else if (object.kind.endsWith('Route')) {
      for (const rule of spec(object).rules ?? []) {
        for (const ref of rule.backendRefs ?? []) {
          const service = services.get(ref.name);
          if (service !== undefined) {
            routes.push({ service, servicePort: service.spec.ports.find((p) => p.port === ref.port), via: object });
          }
        }
      }
    }
  }
  return routes;
}

/** Where a cluster's pods and nodes may be addressed when the topology does not say: private IPv4 and IPv6 unique local. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];

const asCidr = (source: string): string =>
  source.includes('/') ? source : `${source}/${source.includes(':') ? 128 : 32}`;

/**
 * Whether an in-cluster proxy of this kind may judge a pod's or node's address instead of the
 * client's, none of the proxy's own Service being among the manifests: on k3s ServiceLB
 * (klipper-lb masquerades every connection) and DigitalOcean (its load balancer proxies) any proxy;
 * elsewhere Traefik, whose Service keeps externalTrafficPolicy Cluster unless told otherwise (kube-proxy
 * SNATs to a node), but not Envoy Gateway, whose Service is Local by default.
 */
function proxyMaySeeCluster(environment: Environment, proxy: 'Traefik' | 'Envoy'): boolean {
  const serviceLb = environment.platform === 'k3s' && (environment.loadBalancerProvider ?? 'servicelb') === 'servicelb';
  return serviceLb || environment.platform === 'digitalocean' || proxy === 'Traefik';
}

/** Whether allowedSources can hold a pod's or a node's address: the declared ranges, else any private one. */
function sourcesHoldCluster(environment: Environment, component: Component): boolean {
  const ranges = [...(environment.podCidr ?? PRIVATE), ...(environment.nodeCidr ?? PRIVATE)];
  return component.allowedSources.some((source) => ranges.some((range) => cidrsOverlap(asCidr(source), range)));
}

/**
 * Whether the ALB can create the rule with its source-ip values: three values per condition and five
 * per rule (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html),
 * one spent on a host and, for a Prefix path, one on "/" ("/*") or two on any other ("/a" and "/a/*",
 * aws-load-balancer-controller buildPathPatternsForPrefixPathType). A rule it cannot create serves nobody.
 */
function albRuleFits(route: Route, values: unknown): boolean {
  const count = Array.isArray(values) ? values.length : Infinity;
  const spent = (route.host === undefined ? 0 : 1) + ((route.path ?? '/') === '/' ? 1 : 2);
  return count <= 3 && spent + count <= 5;
}

/** Whether the route admits nothing beyond `within` (ranges all inside the allowed list), by the mechanism its kind has. */
function routeLimited(
  route: Route,
  manifests: KubeObject[],
  within: (ranges: unknown) => boolean,
  /** Whether a list the proxy of this kind checks admits every client instead (it judges a cluster address). */
  failsOpen: (proxy: 'Traefik' | 'Envoy') => boolean,
): boolean {
  const annotations = route.via.metadata.annotations ?? {};
  if (route.via.kind === 'Ingress') {
    const condition = annotations[`alb.ingress.kubernetes.io/conditions.${route.service.metadata.name}`];
    const middlewares = annotations['traefik.ingress.kubernetes.io/router.middlewares'] ?? '';
    const values =
      condition && (JSON.parse(condition) as { sourceIpConfig?: { values?: unknown } }[])[0]?.sourceIpConfig?.values;
    return (
      (values !== undefined && within(values) && albRuleFits(route, values)) ||
      (!failsOpen('Traefik') &&
        manifests.some(
          (object) =>
            object.kind === 'Middleware' &&
            middlewares.split(',').includes(`${object.metadata.namespace}-${object.metadata.name}@kubernetescrd`) &&
            within(spec(object).ipAllowList?.sourceRange),
        ))
    );
  }
  const policy = manifests.some(
    (object) =>
      object.kind === 'SecurityPolicy' &&
      spec(object).targetRefs?.some((ref) => ref.kind === route.via.kind && ref.name === route.via.metadata.name) &&
      spec(object).authorization?.defaultAction === 'Deny' &&
      within(spec(object).authorization?.rules?.[0]?.principal?.clientCIDRs),
  );
  const filter = (spec(route.via).rules ?? []).some((rule) =>
    (rule.filters ?? []).some(
      (f) =>
        f.type === 'ExtensionRef' &&
        manifests.some(
          (object) =>
            object.kind === 'Middleware' &&
            object.metadata.name === f.extensionRef?.name &&
            within(spec(object).ipAllowList?.sourceRange),
        ),
    ),
  );
  return (policy && !failsOpen('Envoy')) || (filter && !failsOpen('Traefik'));
}

/** Whether the route is served over TLS for the host: the Ingress's tls entry, or an HTTPS listener it attaches to. */
function routeServesTls(route: Route, manifests: KubeObject[], host: string): boolean {
  if (route.via.kind === 'Ingress') {
    return (spec(route.via).tls ?? []).some((entry) => entry.hosts?.includes(host));
  }
  return (spec(route.via).parentRefs ?? []).some((ref) => {
    const gateway = manifests.find((object) => object.kind === 'Gateway' && object.metadata.name === ref.name);
    if (gateway === undefined) {
      // An existing Gateway (environment.gateway): its listeners and certificates are its owner's,
      // as the rationale says, and not among the objects to read.
      return true;
    }
    return (spec(gateway).listeners ?? []).some(
      (listener) =>
        (ref.sectionName === undefined || listener.name === ref.sectionName) &&
        listener.protocol === 'HTTPS' &&
        (listener.hostname === undefined || listener.hostname === host),
    );
  });
}

/** Whether an Ingress is the AWS Load Balancer Controller's (class alb, by field or annotation). */
function isAlb(ingress: KubeObject): boolean {
  return (
    (ingress.spec as { ingressClassName?: string } | undefined)?.ingressClassName === 'alb' ||
    ingress.metadata.annotations?.['kubernetes.io/ingress.class'] === 'alb'
  );
}

/**
 * The certificates an ALB Ingress names, or undefined when it names none (the controller then
 * discovers them by the Ingress's hosts). It discovers nothing once one is named
 * (computeIngressListenPortConfigByPort, pkg/ingress/model_build_listener.go l.133-190,
 * kubernetes-sigs/aws-load-balancer-controller at 225f445).
 */
function albNamedCertificates(ingress: KubeObject): string[] | undefined {
  const value = ingress.metadata.annotations?.['alb.ingress.kubernetes.io/certificate-arn'];
  const arns = (value ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn !== '');
  return arns.length === 0 ? undefined : arns;
}

/**
 * Whether a host is one a named certificate was given for: a component of the topology with TLS,
 * that certificate, and that host, or a wildcard host one label above it (as a certificate for
 * *.example.com covers a.example.com).
 */
function namedCertificateCovers(components: Component[], arns: string[], host: string): boolean {
  const covers = (named: string): boolean => {
    if (named === host) {
      return true;
    }
    const suffix = named.slice(1);
    const label = host.slice(0, host.length - suffix.length);
    return named.startsWith('*.') && host.endsWith(suffix) && label !== '' && !label.includes('.');
  };
  return components.some(
    (other) =>
      other.tls === true &&
      other.certificate !== undefined &&
      arns.includes(other.certificate) &&
      other.host !== undefined &&
      covers(other.host),
  );
}

type IngressRule = { host?: string; http?: { paths?: { path?: string; backend: { service: { name: string } } }[] } };

/**
 * The routes of an ALB Ingress that an earlier rule takes: the controller makes one listener rule
 * per path, rule by rule in the order of spec.rules, sorting paths only within a rule
 * (buildListenerRules and sortIngressPaths, pkg/ingress/model_build_listener_rules.go l.19-97 at
 * 225f445). An earlier rule takes a later path when its host matches every host the later one
 * does (none: any host; an ALB "*" matches dots too) and its Prefix path covers the later path.
 */
function albShadowedRoutes(ingress: KubeObject): { service: string; route: string; by: string }[] {
  const rules = (spec(ingress).rules ?? []) as IngressRule[];
  const hostCovers = (earlier: string | undefined, later: string | undefined): boolean =>
    earlier === undefined ||
    earlier === later ||
    (earlier.startsWith('*') && later !== undefined && later.endsWith(earlier.slice(1)));
  const pathCovers = (earlier: string, later: string): boolean =>
    earlier === '/' || earlier === later || later.startsWith(`${earlier.replace(/\/$/, '')}/`);
  const shadowed: { service: string; route: string; by: string }[] = [];
  rules.forEach((rule, index) => {
    for (const path of rule.http?.paths ?? []) {
      const later = path.path ?? '/';
      const by = rules
        .slice(0, index)
        .filter((earlier) => hostCovers(earlier.host, rule.host))
        .flatMap((earlier) => earlier.http?.paths ?? [])
        .find((earlier) => pathCovers(earlier.path ?? '/', later));
      if (by !== undefined && by.backend.service.name !== path.backend.service.name) {
        shadowed.push({
          service: path.backend.service.name,
          route: `${rule.host ?? ''}${later}`,
          by: by.backend.service.name,
        });
      }
    }
  });
  return shadowed;
}

/**
 * Whether a LoadBalancer Service asks its provider for an address inside the network, by the
 * provider's own annotation: AWS Load Balancer Controller
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/),
 * GKE (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters),
 * AKS (https://learn.microsoft.com/en-us/azure/aks/internal-lb), DigitalOcean's cloud controller
 * (https://github.com/digitalocean/digitalocean-cloud-controller-manager/blob/master/docs/controllers/services/annotations.md).
 * On bare metal and local clusters the address comes from a local pool or the nodes: not judged
 * here. An unknown cloud has no portable annotation: never internal by the Service alone.
 */
function internalLoadBalancer(platform: string, service: Service): boolean {
  const annotations = service.metadata.annotations ?? {};
  switch (platform) {
    case 'aws':
      return annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'] === 'internal';
    case 'gcp':
      return annotations['networking.gke.io/load-balancer-type'] === 'Internal';
    case 'azure':
      return annotations['service.beta.kubernetes.io/azure-load-balancer-internal'] === 'true';
    case 'digitalocean':
      return annotations['service.beta.kubernetes.io/do-loadbalancer-network'] === 'INTERNAL';
    case 'other-cloud':
      return false;
    default:
      return true;
  }
}

/** Kubernetes' label selector: every matchLabels pair and every expression holds; an empty selector selects all. */
function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  const pairs = Object.entries(selector?.matchLabels ?? {});
  return (
    pairs.every(([key, value]) => labels[key] === value) &&
    (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const has = Object.hasOwn(labels, key);
      switch (operator) {
        case 'In':
          return has && values.includes(labels[key] ?? '');
        case 'NotIn':
          return !has || !values.includes(labels[key] ?? '');
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    })
  );
}

/** Whether a NetworkPolicy rule's ports cover a container port (number or name); no ports: every port. */
function rulePortsCover(ports: PolicyPort[] | undefined, port: PortSpec): boolean {
  const target = port.targetPort ?? port.port;
  return (
    ports === undefined ||
    ports.length === 0 ||
    ports.some(
      (each) =>
        (each.protocol ?? 'TCP') === port.protocol &&
        (each.port === undefined ||
          each.port === port.name ||
          each.port === target ||
          (typeof each.port === 'number' &&
            typeof target === 'number' &&
            each.endPort !== undefined &&
            each.port <= target &&
            target <= each.endPort)),
    )
  );
}

/**
 * Whether a NodePort Service lets only allowedSources in from outside the cluster: the pods see the
 * client's own address only with externalTrafficPolicy Local (with Cluster, kube-proxy hands them a
 * node's), and then the NetworkPolicies selecting them must admit, on the ports the Service sends to,
 * no ipBlock beyond `allowed` and no rule without `from` (which admits every address). Pod and
 * namespace selectors name pods of the cluster, not outside clients. No policy selecting the pods
 * admits everyone (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 */
function nodePortLimited(
  service: Service,
  component: Component,
  manifests: KubeObject[],
  allowed: (cidr: string) => boolean,
): boolean {
  if (spec(service).externalTrafficPolicy !== 'Local') {
    return false;
  }
  const policies = manifests.filter(
    (object) =>
      object.kind === 'NetworkPolicy' &&
      object.metadata.namespace === service.metadata.namespace &&
      selectorMatches(spec(object).podSelector, component.labels),
  );
  const targets = service.spec.ports.flatMap((servicePort) => componentPort(component, servicePort) ?? []);
  return (
    policies.length > 0 &&
    policies.every((policy) =>
      (spec(policy).ingress ?? []).every(
        (rule) =>
          !targets.some((port) => rulePortsCover(rule.ports, port)) ||
          (rule.from !== undefined &&
            rule.from.length > 0 &&
            rule.from.every((peer) => peer.ipBlock === undefined || allowed(peer.ipBlock.cidr ?? ''))),
      ),
    )
  );
}

/**
 * kind's host-side binding of each node port the plan maps, keyed `<port>/<protocol>`, as the cluster
 * config in the verification steps writes it: its listenAddress, or 0.0.0.0 (every interface) where
 * it names none, kind's own default (generatePortMappings in
 * pkg/cluster/internal/providers/docker/provision.go, github.com/kubernetes-sigs/kind).
 */
function kindListenAddresses(result: PlanResult): Map<string, string> {
  const mapping = /\{containerPort: (\d+), hostPort: \d+(?:, listenAddress: "?([^",}]+)"?)?, protocol: (\w+)\}/g;
  const bound = new Map<string, string>();
  for (const step of result.verification) {
    for (const [, port, address, protocol] of step.expect.matchAll(mapping)) {
      bound.set(`${port}/${protocol}`, address ?? '0.0.0.0');
    }
  }
  return bound;
}

const isLoopback = (address: string): boolean => /^127\./.test(address) || address === '::1';

/** The broken intents of one plan, each a sentence naming the component; none for a plan that keeps its word. */
export function brokenIntents(result: PlanResult): string[] {
  const broken: string[] = [];
  const services = result.manifests.filter((object): object is Service => object.kind === 'Service');
  const byName = new Map(services.map((service) => [service.metadata.name, service]));
  const routes = routesOf(result.manifests, byName);
  const { platform } = result.topology.environment;
  const kindBound = platform === 'kind' ? kindListenAddresses(result) : new Map<string, string>();
  // The addresses a Service's node ports are bound on by kind, for the ports the config maps.
  const kindAddresses = (service: Service): string[] =>
    service.spec.ports.flatMap(
      (servicePort) => kindBound.get(`${servicePort.nodePort}/${servicePort.protocol ?? 'TCP'}`) ?? [],
    );
  // A high finding on the component that speaks of the intent (its title or detail names it, and
  // the port where one is given).
  const saysSo = (
    component: Component,
    intent: 'allowedSources' | 'TLS' | 'Internet-facing' | 'listenAddress',
    port = '',
  ): boolean =>
    result.findings.some(
      (finding: Finding) =>
        finding.component === component.name &&
        (finding.severity === 'high' || finding.severity === 'critical') &&
        `${finding.title} ${finding.detail}`.includes(intent) &&
        finding.detail.includes(port),
    );
  for (const component of result.topology.components) {
    // An ExternalName alias has no pods in the cluster for a Service to send to.
    if (component.externalName !== undefined) {
      continue;
    }
    const outward = services.filter(
      (service) =>
        selects(service, component) && (service.spec.type === 'LoadBalancer' || service.spec.type === 'NodePort'),
    );
    const routed = routes.filter((route) => selects(route.service, component));
    const published = [
      ...outward.flatMap((service) =>
        service.spec.ports.map((servicePort) => ({ servicePort, way: service.spec.type ?? '' })),
      ),
      ...routed.map((route) => ({ servicePort: route.servicePort, way: route.via.kind })),
    ];
    if (component.exposure === 'internal' && published.length > 0) {
      broken.push(`${component.name} is internal but published by ${published.map((p) => p.way).join(', ')}`);
    }
    if (component.exposure === 'private' || component.exposure === 'node') {
      for (const service of outward) {
        if (
          service.spec.type === 'LoadBalancer' &&
          !internalLoadBalancer(result.topology.environment.platform, service) &&
          !saysSo(component, 'Internet-facing')
        ) {
          broken.push(
            `${component.name} is ${component.exposure} but its LoadBalancer ${service.metadata.name} may face the internet`,
          );
        }
      }
      for (const route of routed) {
        broken.push(
          `${component.name} is ${component.exposure} but routed through the ${route.via.kind} ${route.via.metadata.name}`,
        );
      }
    }
    // kind is planned as this machine: a mapping on another address publishes the node port to every
    // network the machine is on.
    if (component.exposure !== 'public') {
      for (const service of outward) {
        const wide = kindAddresses(service).filter((address) => !isLoopback(address));
        if (wide.length > 0 && !saysSo(component, 'listenAddress')) {
          broken.push(`${component.name} is ${component.exposure} but kind maps its node ports on ${wide.join(', ')}`);
        }
      }
    }
    for (const { servicePort, way } of published) {
      const port = servicePort && componentPort(component, servicePort);
      if (port?.exposure === 'internal') {
        broken.push(`${component.name} keeps port ${port.port} internal but a ${way} publishes it`);
      }
    }
    if (component.allowedSources.length > 0) {
      const within = (ranges: unknown): boolean =>
        Array.isArray(ranges) &&
        ranges.length > 0 &&
        ranges.every((range: unknown) => typeof range === 'string' && component.allowedSources.includes(range));
      // An ipBlock of one address is written as a /32 (IPv6 /128) of the source the user gave.
      const allowed = (cidr: string): boolean =>
        component.allowedSources.includes(cidr) || component.allowedSources.includes(cidr.replace(/\/(32|128)$/, ''));
      for (const service of outward) {
        if (
          service.spec.type === 'LoadBalancer' &&
          !within(spec(service).loadBalancerSourceRanges) &&
          !saysSo(component, 'allowedSources')
        ) {
          broken.push(`${component.name}'s LoadBalancer admits more than allowedSources`);
        }
        // A NodePort holds them through the NetworkPolicy (Local only), or on kind by being mapped on this
        // machine's loopback alone; minikube's node is a container or a VM on this machine, whose network
        // other hosts do not reach (docs/planner.md): the plan can render nothing more there.
        const kindLocal =
          platform === 'kind' &&
          service.spec.ports.every((servicePort) => servicePort.nodePort !== undefined) &&
          kindAddresses(service).every(isLoopback);
        if (
          service.spec.type === 'NodePort' &&
          platform !== 'minikube' &&
          !kindLocal &&
          !nodePortLimited(service, component, result.manifests, allowed) &&
          !saysSo(component, 'allowedSources')
        ) {
          broken.push(`${component.name}'s NodePort admits more than allowedSources`);
        }
      }
      const environment = result.topology.environment;
      const failsOpen = (proxy: 'Traefik' | 'Envoy'): boolean =>
        proxyMaySeeCluster(environment, proxy) && sourcesHoldCluster(environment, component);
      for (const route of routed) {
        if (!routeLimited(route, result.manifests, within, failsOpen) && !saysSo(component, 'allowedSources')) {
          broken.push(
            `${component.name}'s ${route.via.kind} ${route.via.metadata.name} admits more than allowedSources`,
          );
        }
      }
    }
    if (component.tls === true && component.host !== undefined) {
      for (const route of routed) {
        if (!routeServesTls(route, result.manifests, component.host) && !saysSo(component, 'TLS')) {
          broken.push(`${component.name} asks for TLS but its ${route.via.kind} serves ${component.host} without it`);
        }
        const arns = route.via.kind === 'Ingress' && isAlb(route.via) ? albNamedCertificates(route.via) : undefined;
        if (
          arns !== undefined &&
          !namedCertificateCovers(result.topology.components, arns, component.host) &&
          !saysSo(component, 'TLS')
        ) {
          broken.push(
            `${component.name} asks for TLS but the ALB serves ${component.host} with a certificate named for another host`,
          );
        }
      }
      for (const service of outward) {
        const annotations = service.metadata.annotations ?? {};
        // DigitalOcean reads the certificate on a REGIONAL load balancer only (routing/l4-listeners.ts).
        const certificate =
          annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-cert'] ??
          (annotations['service.beta.kubernetes.io/do-loadbalancer-type'] === 'REGIONAL'
            ? annotations['service.beta.kubernetes.io/do-loadbalancer-certificate-id']
            : undefined);
        for (const servicePort of service.spec.ports) {
          const port = componentPort(component, servicePort);
          // A port that speaks TLS itself (an https appProtocol, say) is served over TLS by the pod;
          // a load balancer's certificate terminates TLS in front of an HTTP port only.
          const held =
            port === undefined ||
            speaksTls(port) ||
            (certificate !== undefined && classifyPort(port, component.role).http);
          const named = `${port?.port}/${port?.protocol}`;
          if (!held && !saysSo(component, 'TLS', named)) {
            broken.push(`${component.name} asks for TLS but its ${service.spec.type} passes ${named} in the clear`);
          }
        }
      }
    }
  }
  for (const ingress of result.manifests.filter((object) => object.kind === 'Ingress' && isAlb(object))) {
    for (const { service, route, by } of albShadowedRoutes(ingress)) {
      broken.push(`${service}'s route ${route} on the ALB ${ingress.metadata.name} is taken by ${by}'s earlier rule`);
    }
  }
  return broken;
}

/**
 * Steps of the plan's verification that cannot fail, each a sentence: a verification that passes
 * whatever the cluster does makes a plan look proven that is not. kubectl exits 0 for an empty
 * address or a False condition and curl for any status code, so a step whose command prints a
 * value must say which value passes (expectOutput); an isolation probe must say which output
 * proves it ran and got no answer (else a name that never resolved passes as isolation); and
 * verify.sh must find every address a step needs (else the step is MANUAL and never judged). A
 * step whose expectation says it must run from a host in the allowed sources, inside the private
 * network or the VPC must say so in runFrom too: verify.sh, run elsewhere, would fail a correct plan.
 */
/** The clauses the step builders write where a step must run from a particular network. */
const LOCATION_BOUND = /\b[Rr]un(?: it)? from (?:a host (?:in|inside) |inside )/;

export function unjudgedSteps(result: PlanResult): string[] {
  const unjudged: string[] = [];
  for (const step of result.verification) {
    // The command that decides: the last of the step's commands, before the cleanup of a port-forward.
    const last =
      step.command
        .replace(/;\s*kill \$!\s*$/, '')
        .split('; ')
        .at(-1) ?? '';
    const printsValue = / -o jsonpath=| get endpointslices |-w '%\{http_code\}|nslookup /.test(last);
    if (step.mustFail === true && step.expectOutput === undefined) {
      unjudged.push(`${step.component}: the isolation probe passes on any failure: ${step.command}`);
    } else if (step.mustFail !== true && printsValue && step.expectOutput === undefined) {
      unjudged.push(`${step.component}: the step passes on exit status 0 whatever it prints: ${step.command}`);
    }
    if (step.runFrom === undefined && LOCATION_BOUND.test(step.expect)) {
      unjudged.push(
        `${step.component}: verify.sh runs a step from wherever it runs, which must run elsewhere: ${step.expect}`,
      );
    }
  }
  const manual = renderVerificationScript(result)
    .split('\n')
    .filter((line) => line.startsWith("  manual '"));
  for (const line of manual) {
    unjudged.push(`verify.sh cannot run a step: ${line}`);
  }
  return unjudged;
}
