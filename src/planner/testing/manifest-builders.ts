import fc from 'fast-check';
import type {
  Component,
  Environment,
  IngressPlan,
  KubeObject,
  LoadBalancerScheme,
  PortSpec,
  Recommendation,
  Topology,
} from '../types.js';
import { headlessServiceName } from '../manifest-conventions.js';
import { renderManifests } from '../manifests.js';
import { NODE_PORT_RANGE, getsHeadlessService } from '../rules.js';
import { MAX_STATEFULSET_NAME_LENGTH } from '../topology/index.js';
import {
  EGRESS_MODES,
  EXPOSURES,
  LOAD_BALANCER_PROVIDERS,
  PLATFORMS,
  PROTOCOLS,
  ROLES,
  STAGES,
  WORKLOADS,
} from '../types.js';
import { buildRecommendation } from './builders.js';
import { validateManifests } from './kube-validation.js';

/**
 * Normalized topologies and recommendations built by hand, for the manifest renderer's tests:
 * they do not go through topology validation or the recommender, so the renderer is tested on
 * exactly the values each test states.
 */

export function buildPort(overrides: Partial<PortSpec> = {}): PortSpec {
  return { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', ...overrides };
}

export function buildComponent(overrides: Partial<Component> & { name: string }): Component {
  return {
    role: 'api',
    workload: 'Deployment',
    replicas: 2,
    ports: [buildPort()],
    exposure: 'internal',
    allowedSources: [],
    dependsOn: [],
    preserveClientIp: false,
    labels: { app: overrides.name },
    ...overrides,
  };
}

export function buildTopology(
  components: Component[],
  environment: Partial<Environment> = {},
  name = 'shop',
): Topology {
  return {
    name,
    namespace: 'production',
    environment: { platform: 'aws', stage: 'production', ...environment },
    components,
  };
}

export function buildIngressPlan(components: string[], className = 'nginx'): IngressPlan {
  return { className, controllerPresent: true, components };
}

// ---------------------------------------------------------------------------------------------
// fast-check: consistent (Topology, Recommendation[], IngressPlan | null) triples
// ---------------------------------------------------------------------------------------------

export type ManifestInput = { topology: Topology; recommendations: Recommendation[]; ingress: IngressPlan | null };

const dnsLabel = (maxTail: number) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${maxTail}}[a-z0-9])?$`));
/** Short names mostly, and names at the 63-character limit often enough to reach the length rules. */
const componentName = fc.oneof(
  { weight: 3, arbitrary: dnsLabel(20) },
  { weight: 1, arbitrary: dnsLabel(20).map((name) => `${name}${'x'.repeat(63 - name.length)}`) },
);
const CIDRS = ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.0/24', '2001:db8::/32', '0.0.0.0/0', '198.51.100.7'];
const APP_PROTOCOLS = ['http', 'https', 'grpc', 'kubernetes.io/h2c', 'mqtt'];
const INGRESS_CLASSES = [
  'nginx',
  'traefik',
  'alb',
  'gce',
  'haproxy',
  'istio',
  'webapprouting.kubernetes.azure.com',
  'contour',
];
const PORT_NAMES = ['http', 'https', 'grpc', 'metrics', 'admin', 'a-very-long-port-name-over-15'];
const TARGET_PORT_NAMES = ['web', 'api', 'http-alt'];

type PortDraft = {
  port: number;
  protocol: (typeof PROTOCOLS)[number];
  target: number | string | null;
  appProtocol: string | null;
  pin: boolean;
  named: boolean;
};

const portDraft: fc.Arbitrary<PortDraft> = fc.record({
  port: fc.integer({ min: 1, max: 65535 }),
  protocol: fc.constantFrom(...PROTOCOLS),
  target: fc.option(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(...TARGET_PORT_NAMES)), { nil: null }),
  appProtocol: fc.option(fc.constantFrom(...APP_PROTOCOLS), { nil: null }),
  pin: fc.boolean(),
  named: fc.boolean(),
});

const componentDraft = fc.record({
  role: fc.constantFrom(...ROLES),
  workload: fc.constantFrom(...WORKLOADS),
  exposure: fc.constantFrom(...EXPOSURES),
  replicas: fc.integer({ min: 0, max: 5 }),
  ports: fc.uniqueArray(portDraft, { maxLength: 4, selector: (port) => `${port.port}/${port.protocol}` }),
  external: fc.integer({ min: 0, max: 4 }).map((roll) => roll === 0),
  serviceType: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const),
  scheme: fc.constantFrom<LoadBalancerScheme>('internet-facing', 'internal'),
  routed: fc.boolean(),
  host: fc.option(fc.constantFrom('shop.example.com', 'api.example.com', '*.apps.example.com'), { nil: undefined }),
  path: fc.option(fc.constantFrom('/', '/api', '/a'), { nil: undefined }),
  tls: fc.boolean(),
  preserveClientIp: fc.boolean(),
  sources: fc.subarray(CIDRS),
  extraLabel: fc.option(fc.tuple(fc.constantFrom('tier', 'example.com/team'), dnsLabel(8)), { nil: undefined }),
  dependencyPicks: fc.array(fc.nat(), { maxLength: 3 }),
});

/**
 * Random but consistent inputs: valid DNS names (up to 63 characters, to reach the length
 * limits), unique ports per protocol, names on every port when there are several, nodePorts
 * unique and in range, ExternalName only with a DNS name. Routed components often ask for the same
 * host and path; as in plan() (routing/ingress.ts, takenRoutes), only the first with a route is
 * routed, and a later one keeps its drafted Service type.
 */
export const manifestInput: fc.Arbitrary<ManifestInput> = fc
  .record({
    name: dnsLabel(61),
    platform: fc.constantFrom(...PLATFORMS),
    stage: fc.constantFrom(...STAGES),
    egress: fc.option(fc.constantFrom(...EGRESS_MODES), { nil: undefined }),
    provider: fc.option(fc.constantFrom(...LOAD_BALANCER_PROVIDERS), { nil: undefined }),
    addressPool: fc.option(dnsLabel(10), { nil: undefined }),
    ingressClass: fc.option(fc.constantFrom(...INGRESS_CLASSES), { nil: null }),
    names: fc.uniqueArray(componentName, { minLength: 1, maxLength: 10 }),
    drafts: fc.array(componentDraft, { minLength: 10, maxLength: 10 }),
  })
  .map(({ name, platform, stage, egress, provider, addressPool, ingressClass, names, drafts }) => {
    let nextNodePort = NODE_PORT_RANGE.min;
    const components: Component[] = [];
    const recommendations: Recommendation[] = [];
    const routed: string[] = [];
    const takenRoutes = new Set<string>();
    names.forEach((componentName, index) => {
      const draft = drafts[index];
      const ports: PortSpec[] = draft.ports.map((port, portIndex) => ({
        ...(draft.ports.length > 1 || port.named
          ? { name: `${PORT_NAMES[portIndex % PORT_NAMES.length]}-${portIndex}` }
          : {}),
        port: port.port,
        targetPort: port.target ?? port.port,
        protocol: port.protocol,
        ...(port.appProtocol === null ? {} : { appProtocol: port.appProtocol }),
        ...(port.pin ? { nodePort: nextNodePort++ } : {}),
      }));
      const external = draft.external && draft.role !== 'worker';
      // What validation lets through: a StatefulSet leaves room for "-headless" in its name, and
      // no other component may be named after its headless Service.
      const workload =
        draft.workload === 'StatefulSet' &&
        (componentName.length > MAX_STATEFULSET_NAME_LENGTH || names.includes(headlessServiceName(componentName)))
          ? 'Deployment'
          : draft.workload;
      const route = `${draft.host ?? ''}${draft.path ?? '/'}`;
      const isRouted =
        !external && ingressClass !== null && draft.routed && ports.length > 0 && !takenRoutes.has(route);
      if (isRouted) {
        routed.push(componentName);
        takenRoutes.add(route);
      }
      components.push({
        name: componentName,
        role: draft.role,
        workload,
        replicas: draft.replicas,
        ports,
        exposure: external ? 'internal' : draft.exposure,
        allowedSources: external || draft.exposure === 'internal' ? [] : draft.sources,
        ...(external ? { externalName: `${componentName.slice(0, 40)}.corp.example.com` } : {}),
        dependsOn: [...new Set(draft.dependencyPicks.map((pick) => names[pick % names.length]))].filter(
          (d) => d !== componentName,
        ),
        ...(isRouted && draft.host !== undefined ? { host: draft.host } : {}),
        ...(isRouted && draft.path !== undefined ? { path: draft.path } : {}),
        ...(isRouted ? { tls: draft.tls } : {}),
        preserveClientIp: draft.preserveClientIp,
        labels: {
          app: componentName,
          ...(draft.extraLabel === undefined ? {} : { [draft.extraLabel[0]]: draft.extraLabel[1] }),
        },
      });
      const component = components[components.length - 1];
      const headless = getsHeadlessService(component);
      const choice: Partial<Recommendation> = external
        ? { serviceType: 'ExternalName' }
        : ports.length === 0
          ? { serviceType: null }
          : isRouted
            ? { serviceType: 'ClusterIP', headless, entryPoint: 'ingress' }
            : draft.serviceType === 'LoadBalancer'
              ? { serviceType: 'LoadBalancer', headless, scheme: draft.scheme }
              : { serviceType: draft.serviceType, headless };
      recommendations.push(buildRecommendation(componentName, { ...choice, rationale: [] }));
    });
    const environment: Environment = {
      platform,
      stage,
      ...(ingressClass === null ? {} : { ingressController: ingressClass }),
      ...(provider === undefined ? {} : { loadBalancerProvider: provider }),
      ...(addressPool === undefined ? {} : { addressPool }),
      ...(egress === undefined ? {} : { egress }),
    };
    return {
      topology: { name, namespace: 'prop', environment, components },
      recommendations,
      ingress: ingressClass === null || routed.length === 0 ? null : buildIngressPlan(routed, ingressClass),
    };
  });

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
