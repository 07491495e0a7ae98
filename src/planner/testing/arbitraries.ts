import fc from 'fast-check';
import { headlessServiceName } from '../manifest-conventions.js';
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
  type Component,
  type Environment,
  type IngressPlan,
  type LoadBalancerScheme,
  type PortSpec,
  type Recommendation,
  type Topology,
} from '../types.js';
import { buildIngressPlan, buildRecommendation } from './builders.js';
import { at } from './items.js';

/*
 * The planner's fast-check generators, in one place:
 *   - topology INPUTS (the JSON a user sends), valid and invalid, for validation and plan();
 *   - consistent NORMALIZED (Topology, Recommendation[], IngressPlan | null) triples, for the renderer;
 *   - text the text-safety rule refuses, for every string field.
 */

const APP_PROTOCOLS = ['http', 'https', 'grpc', 'kubernetes.io/h2c', 'mqtt'];

// ---------------------------------------------------------------------------------------------
// Topology inputs
// ---------------------------------------------------------------------------------------------

/**
 * fast-check generators of topology INPUTS (the JSON a user sends): valid ones, with every
 * feature of the contract in play, and invalid ones, each made from a valid one by one known
 * mistake so a test can say which problem must be reported.
 */

const INPUT_CIDRS = ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.0/24', '2001:db8::/32', '0.0.0.0/0'];
const INPUT_INGRESS_CLASSES = ['nginx', 'traefik', 'alb', 'gce', 'gce-internal', 'none'];

type InputComponentDraft = {
  role: (typeof ROLES)[number];
  workload: (typeof WORKLOADS)[number];
  exposure: (typeof EXPOSURES)[number];
  replicas: number;
  ports: {
    port: number;
    protocol: 'TCP' | 'UDP';
    appProtocol?: string;
    pinNodePort: boolean;
    targetPort?: number;
    /** The port's name before its index: `metrics` and `gossip` exercise per-port exposure's heuristic. */
    kind?: 'p' | 'metrics' | 'gossip';
    exposure?: 'inherit' | 'internal';
    /** Send to the first port's container port: two Service ports on one socket. */
    sharesFirstTarget?: boolean;
  }[];
  external: boolean;
  host: boolean;
  /** A path under the host: "/admin" costs an ALB rule two path-pattern values, "/" one. */
  path: '/' | '/admin' | undefined;
  tls: boolean;
  preserveClientIp: boolean;
  sources: string[];
  dependencyPicks: number[];
};

const inputComponentDraft: fc.Arbitrary<InputComponentDraft> = fc.record({
  role: fc.constantFrom(...ROLES),
  workload: fc.constantFrom(...WORKLOADS),
  exposure: fc.constantFrom(...EXPOSURES),
  replicas: fc.integer({ min: 0, max: 5 }),
  ports: fc.uniqueArray(
    fc.record(
      {
        // Well-known numbers as often as any: 80 beside 443 (an L4 TLS listener moves the HTTP port
        // to 443), 53 over TCP and UDP (one NLB listener per number).
        port: fc.oneof(fc.constantFrom(80, 443, 53, 8080), fc.integer({ min: 1, max: 65535 })),
        protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
        appProtocol: fc.constantFrom(...APP_PROTOCOLS),
        pinNodePort: fc.boolean(),
        targetPort: fc.integer({ min: 1, max: 65535 }),
        kind: fc.constantFrom('p' as const, 'metrics' as const, 'gossip' as const),
        exposure: fc.constantFrom('inherit' as const, 'internal' as const),
        sharesFirstTarget: fc.boolean(),
      },
      { requiredKeys: ['port', 'protocol', 'pinNodePort'] },
    ),
    { maxLength: 3, selector: (port) => `${port.port}/${port.protocol}` },
  ),
  external: fc.boolean(),
  host: fc.boolean(),
  path: fc.option(fc.constantFrom('/' as const, '/admin' as const), { nil: undefined }),
  tls: fc.boolean(),
  preserveClientIp: fc.boolean(),
  sources: fc.subarray(INPUT_CIDRS),
  dependencyPicks: fc.array(fc.nat(), { maxLength: 3 }),
});

export const validTopologyInput: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    platform: fc.constantFrom(...PLATFORMS),
    stage: fc.constantFrom('production', 'staging', 'development'),
    ingressController: fc.option(fc.constantFrom(...INPUT_INGRESS_CLASSES), { nil: undefined }),
    routing: fc.option(fc.constantFrom('ingress', 'gateway-api'), { nil: undefined }),
    egress: fc.option(fc.constantFrom('open', 'restrict'), { nil: undefined }),
    loadBalancerProvider: fc.option(fc.constantFrom('metallb', 'kube-vip', 'none'), { nil: undefined }),
    drafts: fc.array(inputComponentDraft, { minLength: 1, maxLength: 12 }),
  })
  .map(({ platform, stage, ingressController, routing, egress, loadBalancerProvider, drafts }) => {
    let nextNodePort = NODE_PORT_RANGE.min;
    const names = drafts.map((_, index) => `c${index}`);
    const components = drafts.map((draft, index) => {
      const name = names[index];
      // An external dependency is reached by DNS name only: internal, no host routing.
      const external = draft.external && draft.role !== 'worker';
      const first = draft.ports[0];
      const targetOf = (port: InputComponentDraft['ports'][number], portIndex: number): number | undefined =>
        port.sharesFirstTarget === true && portIndex > 0 && first !== undefined
          ? (first.targetPort ?? first.port)
          : port.targetPort;
      const containerPorts = draft.ports.map(
        (port, portIndex) => `${port.protocol}/${targetOf(port, portIndex) ?? port.port}`,
      );
      const ports = draft.ports.map((port, portIndex) => ({
        name: `${port.kind ?? 'p'}${portIndex}`,
        // Never on the first port: every port internal on a public component is refused (a problem,
        // not a plan); nor internal on a port that shares its container port with another, which
        // may be published (refused too).
        ...(port.exposure === undefined ||
        portIndex === 0 ||
        (port.exposure === 'internal' && containerPorts.filter((key) => key === containerPorts[portIndex]).length > 1)
          ? {}
          : { exposure: port.exposure }),
        port: port.port,
        ...(targetOf(port, portIndex) === undefined ? {} : { targetPort: targetOf(port, portIndex) }),
        protocol: port.protocol,
        ...(port.appProtocol === undefined ? {} : { appProtocol: port.appProtocol }),
        ...(port.pinNodePort && !external ? { nodePort: nextNodePort++ } : {}),
      }));
      const dependsOn = [...new Set(draft.dependencyPicks.map((pick) => at(names, pick % names.length)))].filter(
        (dependency) => dependency !== name,
      );
      const exposed = !external && draft.exposure !== 'internal';
      return {
        name,
        role: draft.role,
        workload: draft.workload,
        replicas: draft.replicas,
        ports,
        exposure: external ? 'internal' : draft.exposure,
        ...(exposed && draft.sources.length > 0 ? { allowedSources: draft.sources } : {}),
        ...(external ? { externalName: `${name}.corp.example.com` } : {}),
        dependsOn,
        ...(draft.host && !external
          ? { host: `${name}.example.com`, tls: draft.tls, ...(draft.path === undefined ? {} : { path: draft.path }) }
          : {}),
        preserveClientIp: draft.preserveClientIp,
      };
    });
    return {
      name: 'random',
      namespace: 'prop',
      environment: {
        platform,
        stage,
        ...(ingressController === undefined ? {} : { ingressController }),
        ...(routing === undefined ? {} : { routing }),
        ...(egress === undefined ? {} : { egress }),
        ...(loadBalancerProvider === undefined || platform !== 'bare-metal' ? {} : { loadBalancerProvider }),
      },
      components,
    };
  });

/** One known mistake applied to a valid input, and the path its problem must be reported at. */
export type Mutation = { describe: string; path: string; apply: (input: Record<string, unknown>) => void };

type MutableComponent = { name: string; ports: Record<string, unknown>[]; dependsOn: string[] };
const componentsOf = (input: Record<string, unknown>) => input.components as MutableComponent[];

export const MUTATIONS: Mutation[] = [
  {
    describe: 'unknown platform',
    path: 'environment.platform',
    apply: (input) => ((input.environment as Record<string, unknown>).platform = 'mars'),
  },
  { describe: 'topology name not a DNS label', path: 'name', apply: (input) => (input.name = 'Not_A_Label') },
  {
    describe: 'component name not a DNS label',
    path: 'components[0].name',
    apply: (input) => (at(componentsOf(input), 0).name = '9lives'),
  },
  {
    describe: 'port out of range',
    path: 'components[0].ports[0].port',
    apply: (input) => (at(componentsOf(input), 0).ports = [{ name: 'http', port: 70000 }]),
  },
  {
    describe: 'nodePort out of range',
    path: 'components[0].ports[0].nodePort',
    apply: (input) => (at(componentsOf(input), 0).ports = [{ name: 'http', port: 80, nodePort: 80 }]),
  },
  {
    describe: 'dependsOn an unknown component',
    path: 'components[0].dependsOn[0]',
    apply: (input) => (at(componentsOf(input), 0).dependsOn = ['no-such-component']),
  },
  {
    describe: 'duplicate component name',
    path: 'components[1].name',
    apply: (input) => {
      const components = componentsOf(input);
      components.splice(1, components.length - 1, { ...at(components, 0), dependsOn: [] });
    },
  },
  { describe: 'no components', path: 'components', apply: (input) => (input.components = []) },
];

export const invalidTopologyInput: fc.Arbitrary<{ input: Record<string, unknown>; mutation: Mutation }> = fc
  .tuple(validTopologyInput, fc.constantFrom(...MUTATIONS))
  .map(([input, mutation]) => {
    const copy = structuredClone(input);
    mutation.apply(copy);
    return { input: copy, mutation };
  });

// ---------------------------------------------------------------------------------------------
// Normalized (Topology, Recommendation[], IngressPlan | null) triples for the renderer
// ---------------------------------------------------------------------------------------------

export type ManifestInput = { topology: Topology; recommendations: Recommendation[]; ingress: IngressPlan | null };

const dnsLabel = (maxTail: number) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${maxTail}}[a-z0-9])?$`));
/** Short names mostly, and names at the 63-character limit often enough to reach the length rules. */
const componentName = fc.oneof(
  { weight: 3, arbitrary: dnsLabel(20) },
  { weight: 1, arbitrary: dnsLabel(20).map((name) => `${name}${'x'.repeat(63 - name.length)}`) },
);
const CIDRS = ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.0/24', '2001:db8::/32', '0.0.0.0/0', '198.51.100.7'];
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
      const draft = at(drafts, index);
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
        dependsOn: [...new Set(draft.dependencyPicks.map((pick) => at(names, pick % names.length)))].filter(
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
      const component = at(components, -1);
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
      ingress:
        ingressClass === null || routed.length === 0 ? null : buildIngressPlan(routed, { className: ingressClass }),
    };
  });

// ---------------------------------------------------------------------------------------------
// Text the text-safety rule refuses
// ---------------------------------------------------------------------------------------------

/** Every code unit text-safety.ts refuses on its own, NUL and surrogates aside: C0, DEL, C1, U+2028, U+2029. */
export const CONTROL_CODE_UNITS: readonly number[] = [
  ...Array.from({ length: 0x20 }, (_, unit) => unit),
  ...Array.from({ length: 0x21 }, (_, offset) => 0x7f + offset),
  0x2028,
  0x2029,
];

/** One character the rule refuses: NUL, a lone high or low surrogate, or another control character. */
export const refusedCharacter: fc.Arbitrary<string> = fc.oneof(
  fc.constant('\u0000'),
  fc.integer({ min: 0xd800, max: 0xdbff }).map((unit) => String.fromCharCode(unit)),
  fc.integer({ min: 0xdc00, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom(...CONTROL_CODE_UNITS).map((unit) => String.fromCharCode(unit)),
);

/**
 * Random text with at least one refused character in it, anywhere. A letter follows the refused
 * character, so that a high surrogate is never completed into a pair by what comes after it.
 */
export function textWith(refused: fc.Arbitrary<string> = refusedCharacter): fc.Arbitrary<string> {
  return fc
    .tuple(fc.string({ maxLength: 12 }), refused, fc.string({ unit: 'binary', maxLength: 12 }))
    .map(([before, character, after]) => `${before}${character}x${after}`);
}
