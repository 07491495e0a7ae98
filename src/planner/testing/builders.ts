import { renderManifests } from '../manifests.js';
import {
  selectorServiceRecommendation,
  type Component,
  type Environment,
  type IngressPlan,
  type KubeObject,
  type PortSpec,
  type Recommendation,
  type Topology,
} from '../types.js';
import { validateManifests } from './kube-validation.js';

/**
 * The planner's test builders, in one place: NORMALIZED topologies (every default filled, as
 * validation returns them), so unit tests of the recommender, cost, renderer, findings or
 * verification need neither validation nor JSON; the recommendations and Ingress plans those read;
 * hand-built Kubernetes objects for the checks; and helpers to read what was rendered. They stand
 * in for topology/, recommend.ts and manifests.ts on purpose: each spec pins down what its module
 * does with exactly the values the test states, whatever the other modules currently produce.
 * Each builder takes only what a test cares about; the rest is a plain, realistic default.
 */

export const NAMESPACE = 'production';

export function httpPort(overrides: Partial<PortSpec> = {}): PortSpec {
  return { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', ...overrides };
}

/** A port with no sign of HTTP: MQTT on 1883. */
export function tcpPort(overrides: Partial<PortSpec> = {}): PortSpec {
  return { name: 'mqtt', port: 1883, targetPort: 1883, protocol: 'TCP', ...overrides };
}

export function udpPort(overrides: Partial<PortSpec> = {}): PortSpec {
  return { name: 'turn-udp', port: 3478, targetPort: 3478, protocol: 'UDP', ...overrides };
}

/** An unnamed TCP port that sends to the same port number on the container. */
export function buildPort(overrides: Partial<PortSpec> = {}): PortSpec {
  const port = overrides.port ?? 80;
  return { port, targetPort: port, protocol: 'TCP', ...overrides };
}

/** An internal api Deployment of two replicas with one HTTP port, unless told otherwise. */
export function buildComponent(overrides: Partial<Component> = {}): Component {
  const name = overrides.name ?? 'web';
  return {
    name,
    role: 'api',
    workload: 'Deployment',
    replicas: 2,
    ports: [httpPort()],
    exposure: 'internal',
    allowedSources: [],
    dependsOn: [],
    preserveClientIp: false,
    labels: { app: name },
    ...overrides,
  };
}

/** The labels every object rendered for the shop topology carries, `name` being the component's (or the shop's). */
export function shopLabels(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'shop',
    'app.kubernetes.io/managed-by': 'exposure-planner',
    'backstage.io/kubernetes-id': 'shop',
  };
}

/** `web`, the shop's storefront: a public frontend on shop.example.com that asks for TLS. */
export function buildStorefront(overrides: Partial<Component> = {}): Component {
  return buildComponent({
    name: 'web',
    role: 'frontend',
    exposure: 'public',
    host: 'shop.example.com',
    tls: true,
    ...overrides,
  });
}

/**
 * A topology of exactly these components and this environment (on AWS unless told otherwise),
 * with no platform default filled in: what the renderer and the checks are tested on.
 */
export function topologyWith(components: Component[], environment: Partial<Environment> = {}, name = 'shop'): Topology {
  return {
    name,
    namespace: NAMESPACE,
    environment: { platform: 'aws', stage: 'production', ...environment },
    components,
  };
}

/**
 * Environment fields a test sets, where `undefined` means "take the default away" (k3s's Traefik,
 * say): the key is then left out of the built environment, as validation would leave it.
 */
export type EnvironmentOverrides = { [Key in keyof Environment]?: Environment[Key] | undefined };

export type TopologyOverrides = Partial<Omit<Topology, 'environment'>> & { environment?: EnvironmentOverrides };

/** The fields of `environment` that hold a value: an `undefined` override removes the key. */
function setFieldsOf(environment: EnvironmentOverrides): Partial<Environment> {
  return Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined));
}

/**
 * A topology on AWS by default. k3s gets the defaults validation fills in (Traefik, ServiceLB);
 * pass `ingressController: undefined` or `loadBalancerProvider: 'none'` to take them away.
 */
export function buildTopology(overrides: TopologyOverrides = {}): Topology {
  const platform = overrides.environment?.platform ?? 'aws';
  const platformDefaults: Partial<Environment> =
    platform === 'k3s' ? { ingressController: 'traefik', loadBalancerProvider: 'servicelb' } : {};
  return {
    name: 'shop',
    namespace: 'production',
    components: [buildComponent()],
    ...overrides,
    environment: { stage: 'production', ...setFieldsOf({ ...platformDefaults, ...overrides.environment }), platform },
  };
}

/**
 * A recommendation as a test states it: a ClusterIP reached from inside the cluster unless told
 * otherwise, the entry point the Service type gives (a ClusterIP may say `ingress`), and an
 * internet-facing LoadBalancer unless a scheme is given. The overrides are one variant's fields,
 * so a test cannot state what the planner can never return (a headless Service beside an
 * ExternalName, a scheme on a NodePort).
 */
export function buildRecommendation(component: string, overrides: Partial<Recommendation> = {}): Recommendation {
  const rationale = overrides.rationale ?? ['chosen by the test'];
  const alternatives = overrides.alternatives ?? [];
  const internalService = ('internalService' in overrides ? overrides.internalService : undefined) ?? null;
  const { serviceType } = overrides;
  // What every Service built from a selector carries, whatever its type.
  const fields = { headless: overrides.headless ?? false, rationale, alternatives, internalService };
  switch (serviceType) {
    case null:
      return { component, serviceType: null, headless: false, entryPoint: 'none', rationale, alternatives };
    case 'ExternalName':
      return { component, serviceType: 'ExternalName', headless: false, entryPoint: 'none', rationale, alternatives };
    case 'NodePort':
      return selectorServiceRecommendation(component, { serviceType, entryPoint: 'node-port' }, fields);
    case 'LoadBalancer':
      return selectorServiceRecommendation(
        component,
        { serviceType, entryPoint: 'load-balancer', scheme: overrides.scheme ?? 'internet-facing' },
        fields,
      );
    case 'ClusterIP':
    case undefined: {
      const entryPoint = overrides.entryPoint ?? 'none';
      if (entryPoint !== 'none' && entryPoint !== 'ingress') {
        throw new Error(`a ClusterIP is reached through no entry point or the Ingress, not ${entryPoint}`);
      }
      return selectorServiceRecommendation(component, { serviceType: 'ClusterIP', entryPoint }, fields);
    }
    default:
      throw new Error(`no such Service type: ${String(serviceType)}`);
  }
}

/** The Ingress plan routing `components`, through an nginx controller that is present unless told otherwise. */
export function buildIngressPlan(
  components: string[],
  overrides: Partial<Omit<IngressPlan, 'components'>> = {},
): IngressPlan {
  return { className: 'nginx', controllerPresent: true, components, ...overrides };
}

export function buildService(
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE, ...(annotations === undefined ? {} : { annotations }) },
    spec,
  };
}

export function buildNetworkPolicy(
  name: string,
  podSelector: Record<string, unknown>,
  extra: { namespace?: string; policyTypes?: string[] } = {},
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: extra.namespace ?? NAMESPACE },
    spec: { podSelector, policyTypes: extra.policyTypes ?? ['Ingress'] },
  };
}

export function buildIngress(tls: { hosts?: string[]; secretName: string }[] = [], name = 'shop'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    // With TLS, a Traefik Ingress needs router.tls, or port 80 serves the app too (EXP030).
    metadata: {
      name,
      namespace: NAMESPACE,
      ...(tls.length === 0 ? {} : { annotations: { 'traefik.ingress.kubernetes.io/router.tls': 'true' } }),
    },
    spec: { ingressClassName: 'traefik', rules: [], ...(tls.length === 0 ? {} : { tls }) },
  };
}

/**
 * What a correct manifests.ts renders for the security checks to read: one Service per component
 * (source ranges and traffic policy as the topology asks), the namespace's default deny and an allow
 * policy per component, and the Ingress with tls for the components that ask for it.
 */
export function renderSafeManifests(topology: Topology, recommendations: Recommendation[]): KubeObject[] {
  const objects: KubeObject[] = [];
  const tlsHosts: string[] = [];
  for (const component of topology.components) {
    const recommendation = recommendations.find((candidate) => candidate.component === component.name);
    const type = recommendation?.serviceType;
    if (type !== undefined && type !== null) {
      const external = type === 'NodePort' || type === 'LoadBalancer';
      objects.push(
        buildService(component.name, {
          type,
          ...(component.ports.length === 0
            ? {}
            : { ports: component.ports.map(({ name, port, protocol }) => ({ name, port, protocol })) }),
          ...(type === 'LoadBalancer' && component.allowedSources.length > 0
            ? { loadBalancerSourceRanges: component.allowedSources }
            : {}),
          ...(external ? { externalTrafficPolicy: component.preserveClientIp ? 'Local' : 'Cluster' } : {}),
        }),
      );
    }
    if (recommendation?.entryPoint === 'ingress' && component.tls === true && component.host !== undefined) {
      tlsHosts.push(component.host);
    }
  }
  objects.push(buildNetworkPolicy('default-deny-ingress', {}));
  for (const component of topology.components) {
    if (component.externalName === undefined) {
      objects.push(buildNetworkPolicy(`allow-${component.name}`, { matchLabels: component.labels }));
    }
  }
  if (recommendations.some((recommendation) => recommendation.entryPoint === 'ingress')) {
    objects.push(buildIngress(tlsHosts.length === 0 ? [] : [{ hosts: tlsHosts, secretName: 'shop-tls' }]));
  }
  return objects;
}

// ---------------------------------------------------------------------------------------------
// Reading what was rendered
// ---------------------------------------------------------------------------------------------

// Reading deep into rendered specs: the tests assert the shape, so they index freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export const specOf = (obj: KubeObject | undefined): Json => obj?.spec ?? {};
export const byName = (objects: KubeObject[], kind: string, name: string): KubeObject | undefined =>
  objects.find((obj) => obj.kind === kind && obj.metadata.name === name);
export const names = (objects: KubeObject[]) => objects.map((obj) => `${obj.kind}/${obj.metadata.name}`);

/** Render, and fail the test if anything rendered would be refused. */
export function render(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null = null,
): KubeObject[] {
  const objects = renderManifests(topology, recommendations, ingress);
  expect(validateManifests(objects)).toEqual([]);
  return objects;
}
