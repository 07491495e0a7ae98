import fc from 'fast-check';
import { NODE_PORT_RANGE } from '../rules.js';
import { EXPOSURES, PLATFORMS, ROLES, WORKLOADS } from '../types.js';

/**
 * fast-check generators of topology INPUTS (the JSON a user sends): valid ones, with every
 * feature of the contract in play, and invalid ones, each made from a valid one by one known
 * mistake so a test can say which problem must be reported.
 */

const CIDRS = ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.0/24', '2001:db8::/32', '0.0.0.0/0'];
const APP_PROTOCOLS = ['http', 'https', 'grpc', 'kubernetes.io/h2c', 'mqtt'];
const INGRESS_CLASSES = ['nginx', 'traefik', 'alb', 'gce', 'none'];

type ComponentDraft = {
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
  }[];
  external: boolean;
  host: boolean;
  tls: boolean;
  preserveClientIp: boolean;
  sources: string[];
  dependencyPicks: number[];
};

const componentDraft: fc.Arbitrary<ComponentDraft> = fc.record({
  role: fc.constantFrom(...ROLES),
  workload: fc.constantFrom(...WORKLOADS),
  exposure: fc.constantFrom(...EXPOSURES),
  replicas: fc.integer({ min: 0, max: 5 }),
  ports: fc.uniqueArray(
    fc.record(
      {
        port: fc.integer({ min: 1, max: 65535 }),
        protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
        appProtocol: fc.constantFrom(...APP_PROTOCOLS),
        pinNodePort: fc.boolean(),
        targetPort: fc.integer({ min: 1, max: 65535 }),
        kind: fc.constantFrom('p' as const, 'metrics' as const, 'gossip' as const),
        exposure: fc.constantFrom('inherit' as const, 'internal' as const),
      },
      { requiredKeys: ['port', 'protocol', 'pinNodePort'] },
    ),
    { maxLength: 3, selector: (port) => `${port.port}/${port.protocol}` },
  ),
  external: fc.boolean(),
  host: fc.boolean(),
  tls: fc.boolean(),
  preserveClientIp: fc.boolean(),
  sources: fc.subarray(CIDRS),
  dependencyPicks: fc.array(fc.nat(), { maxLength: 3 }),
});

export const validTopologyInput: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    platform: fc.constantFrom(...PLATFORMS),
    stage: fc.constantFrom('production', 'staging', 'development'),
    ingressController: fc.option(fc.constantFrom(...INGRESS_CLASSES), { nil: undefined }),
    routing: fc.option(fc.constantFrom('ingress', 'gateway-api'), { nil: undefined }),
    egress: fc.option(fc.constantFrom('open', 'restrict'), { nil: undefined }),
    loadBalancerProvider: fc.option(fc.constantFrom('metallb', 'kube-vip', 'none'), { nil: undefined }),
    drafts: fc.array(componentDraft, { minLength: 1, maxLength: 12 }),
  })
  .map(({ platform, stage, ingressController, routing, egress, loadBalancerProvider, drafts }) => {
    let nextNodePort = NODE_PORT_RANGE.min;
    const names = drafts.map((_, index) => `c${index}`);
    const components = drafts.map((draft, index) => {
      const name = names[index];
      // An external dependency is reached by DNS name only: internal, no host routing.
      const external = draft.external && draft.role !== 'worker';
      const ports = draft.ports.map((port, portIndex) => ({
        name: `${port.kind ?? 'p'}${portIndex}`,
        // Never on the first port: every port internal on a public component is refused (a problem, not a plan).
        ...(port.exposure === undefined || portIndex === 0 ? {} : { exposure: port.exposure }),
        port: port.port,
        ...(port.targetPort === undefined ? {} : { targetPort: port.targetPort }),
        protocol: port.protocol,
        ...(port.appProtocol === undefined ? {} : { appProtocol: port.appProtocol }),
        ...(port.pinNodePort && !external ? { nodePort: nextNodePort++ } : {}),
      }));
      const dependsOn = [...new Set(draft.dependencyPicks.map((pick) => names[pick % names.length]))].filter(
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
        ...(draft.host && !external ? { host: `${name}.example.com`, tls: draft.tls } : {}),
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
    apply: (input) => (componentsOf(input)[0].name = '9lives'),
  },
  {
    describe: 'port out of range',
    path: 'components[0].ports[0].port',
    apply: (input) => (componentsOf(input)[0].ports = [{ name: 'http', port: 70000 }]),
  },
  {
    describe: 'nodePort out of range',
    path: 'components[0].ports[0].nodePort',
    apply: (input) => (componentsOf(input)[0].ports = [{ name: 'http', port: 80, nodePort: 80 }]),
  },
  {
    describe: 'dependsOn an unknown component',
    path: 'components[0].dependsOn[0]',
    apply: (input) => (componentsOf(input)[0].dependsOn = ['no-such-component']),
  },
  {
    describe: 'duplicate component name',
    path: 'components[1].name',
    apply: (input) => {
      const components = componentsOf(input);
      components.splice(1, components.length - 1, { ...components[0], dependsOn: [] });
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
