import { formatMonthly, formatUsd, loadBalancerMonthly, roundCents } from './cost.js';
import { defaultIngressClass } from './routing/classes.js';
import { DEFAULT_PRICING, resolvePricing, type PricingTable } from './pricing.js';
import { recommendAll } from './recommend.js';
import { DATA_STORE_ROLES } from './rules.js';
import {
  buildComponent,
  buildStorefront,
  buildTopology,
  httpPort,
  tcpPort,
  udpPort,
  type EnvironmentOverrides,
} from './testing/builders.js';
import {
  CLOUD_PLATFORMS,
  EXPOSURES,
  ROLES,
  type Component,
  type EntryPoint,
  type LoadBalancerScheme,
  type Recommendation,
  type ServiceType,
  type Topology,
} from './types.js';
import { at } from './testing/items.js';
import { planOf, publicFrontend, withEnvironment, type Json } from './testing/topology-inputs.js';

const pricing: PricingTable = resolvePricing();

/** The scheme a recommendation carries, if any: only a LoadBalancer has the field. */
const schemeOf = (recommendation: Recommendation): LoadBalancerScheme | undefined =>
  'scheme' in recommendation ? recommendation.scheme : undefined;

/** The environments the decision table distinguishes, each with the fields that matter. */
const ENVIRONMENTS = {
  aws: { platform: 'aws' },
  gcp: { platform: 'gcp' },
  azure: { platform: 'azure' },
  digitalocean: { platform: 'digitalocean' },
  'other-cloud': { platform: 'other-cloud' },
  'bare-metal/metallb': { platform: 'bare-metal', loadBalancerProvider: 'metallb', addressPool: 'public-pool' },
  'bare-metal/kube-vip': { platform: 'bare-metal', loadBalancerProvider: 'kube-vip' },
  'bare-metal/none': { platform: 'bare-metal', loadBalancerProvider: 'none' },
  'bare-metal/absent': { platform: 'bare-metal' },
  kind: { platform: 'kind' },
  minikube: { platform: 'minikube' },
  'kind/metallb': { platform: 'kind', loadBalancerProvider: 'metallb', addressPool: 'kind-pool' },
  'minikube/kube-vip': { platform: 'minikube', loadBalancerProvider: 'kube-vip' },
  'k3s/servicelb': { platform: 'k3s', loadBalancerProvider: 'servicelb', ingressController: undefined },
  'k3s/none': { platform: 'k3s', loadBalancerProvider: 'none', ingressController: undefined },
} as const satisfies Record<string, EnvironmentOverrides>;
type EnvironmentName = keyof typeof ENVIRONMENTS;
const ENVIRONMENT_NAMES = Object.keys(ENVIRONMENTS) as EnvironmentName[];

type Case = 'public HTTP' | 'public TCP' | 'private' | 'node' | 'internal';

function componentFor(kind: Case, overrides: Partial<Component> = {}): Component {
  switch (kind) {
    case 'public HTTP':
      return buildComponent({ name: 'web', role: 'frontend', ports: [httpPort()], exposure: 'public', ...overrides });
    case 'public TCP':
      return buildComponent({ name: 'mqtt', role: 'gateway', ports: [tcpPort()], exposure: 'public', ...overrides });
    case 'private':
      return buildComponent({ name: 'partner', exposure: 'private', allowedSources: ['10.20.0.0/16'], ...overrides });
    case 'node':
      return buildComponent({ name: 'admin', role: 'other', exposure: 'node', ...overrides });
    case 'internal':
      return buildComponent({ name: 'api', exposure: 'internal', ...overrides });
  }
}

function planOne(environment: EnvironmentOverrides, component: Component, extra: Component[] = []) {
  const topology = buildTopology({ environment, components: [component, ...extra] });
  const result = recommendAll(topology, pricing);
  return { ...result, recommendation: at(result.recommendations, 0), topology };
}

type Expected = [ServiceType, EntryPoint, LoadBalancerScheme | undefined];
const LB_PUBLIC: Expected = ['LoadBalancer', 'load-balancer', 'internet-facing'];
const LB_INTERNAL: Expected = ['LoadBalancer', 'load-balancer', 'internal'];
const NODE_PORT: Expected = ['NodePort', 'node-port', undefined];
const CLUSTER_IP: Expected = ['ClusterIP', 'none', undefined];

/** the original design's decision table, one row per environment, for a component alone in its topology with no ingress controller. */
const DECISIONS: Record<EnvironmentName, Record<Case, Expected>> = {
  aws: {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: LB_INTERNAL,
    internal: CLUSTER_IP,
  },
  gcp: {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: LB_INTERNAL,
    internal: CLUSTER_IP,
  },
  azure: {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: LB_INTERNAL,
    internal: CLUSTER_IP,
  },
  digitalocean: {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: LB_INTERNAL,
    internal: CLUSTER_IP,
  },
  'other-cloud': {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: LB_INTERNAL,
    internal: CLUSTER_IP,
  },
  'bare-metal/metallb': {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  'bare-metal/kube-vip': {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  'bare-metal/none': {
    'public HTTP': NODE_PORT,
    'public TCP': NODE_PORT,
    private: NODE_PORT,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  'bare-metal/absent': {
    'public HTTP': NODE_PORT,
    'public TCP': NODE_PORT,
    private: NODE_PORT,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  kind: {
    'public HTTP': NODE_PORT,
    'public TCP': NODE_PORT,
    private: NODE_PORT,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  minikube: {
    'public HTTP': NODE_PORT,
    'public TCP': NODE_PORT,
    private: NODE_PORT,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  'kind/metallb': {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  'minikube/kube-vip': {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  'k3s/servicelb': {
    'public HTTP': LB_PUBLIC,
    'public TCP': LB_PUBLIC,
    private: LB_INTERNAL,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
  'k3s/none': {
    'public HTTP': NODE_PORT,
    'public TCP': NODE_PORT,
    private: NODE_PORT,
    node: NODE_PORT,
    internal: CLUSTER_IP,
  },
};

const CASES: Case[] = ['public HTTP', 'public TCP', 'private', 'node', 'internal'];
const MATRIX = ENVIRONMENT_NAMES.flatMap((environment) =>
  CASES.map((kind) => [environment, kind, ...DECISIONS[environment][kind]] as const),
);

describe(recommendAll.name, () => {
  describe('the decision table, every environment × exposure, no ingress controller', () => {
    it.each(MATRIX)('%s, %s → %s via %s (%s)', (environment, kind, serviceType, entryPoint, scheme) => {
      const { recommendation, ingress } = planOne(ENVIRONMENTS[environment], componentFor(kind));
      expect(recommendation.serviceType).toBe(serviceType);
      expect(recommendation.entryPoint).toBe(entryPoint);
      expect(schemeOf(recommendation)).toBe(scheme);
      expect(recommendation.headless).toBe(false);
      expect(recommendation.rationale.length).toBeGreaterThan(0);
      expect(ingress).toBeNull();
    });
  });

  describe('public HTTP with a named ingress controller goes behind the Ingress on every platform', () => {
    it.each(ENVIRONMENT_NAMES)('%s', (environment) => {
      const { recommendation, ingress } = planOne(
        { ...ENVIRONMENTS[environment], ingressController: 'traefik' },
        componentFor('public HTTP'),
      );
      expect([recommendation.serviceType, recommendation.entryPoint]).toEqual(['ClusterIP', 'ingress']);
      expect(ingress).toEqual({ className: 'traefik', controllerPresent: true, components: ['web'] });
    });

    it.each(ENVIRONMENT_NAMES)('%s: a public TCP component next to it still gets its own entry', (environment) => {
      const { recommendations } = planOne(
        { ...ENVIRONMENTS[environment], ingressController: 'traefik' },
        componentFor('public TCP'),
        [componentFor('public HTTP')],
      );
      expect(at(recommendations, 0).entryPoint).not.toBe('ingress');
      expect(at(recommendations, 1).entryPoint).toBe('ingress');
    });
  });

  it('k3s fills Traefik by default, so public HTTP goes through it (via ServiceLB, or a NodePort without it)', () => {
    for (const loadBalancerProvider of ['servicelb', 'none'] as const) {
      const topology = buildTopology({
        environment: { platform: 'k3s', loadBalancerProvider },
        components: [componentFor('public HTTP')],
      });
      const { recommendations, ingress } = recommendAll(topology, pricing);
      expect(at(recommendations, 0).entryPoint).toBe('ingress');
      expect(ingress?.className).toBe('traefik');
      expect(at(recommendations, 0).rationale.join(' ')).toMatch(
        loadBalancerProvider === 'servicelb' ? /ServiceLB/ : /NodePort or hostNetwork/,
      );
    }
  });

  describe('public HTTP on a cloud without a named controller', () => {
    const expectedClass = {
      aws: 'alb',
      gcp: 'gce',
      azure: 'traefik',
      digitalocean: 'traefik',
      'other-cloud': 'traefik',
    };

    it.each(CLOUD_PLATFORMS)('%s: two or more share one Ingress of the class to install', (platform) => {
      const components = ['web', 'api', 'admin'].map((name) =>
        componentFor('public HTTP', { name, host: `${name}.example.com` }),
      );
      const { recommendations, ingress } = recommendAll(
        buildTopology({ environment: { platform }, components }),
        pricing,
      );
      expect(recommendations.map((r) => [r.serviceType, r.entryPoint])).toEqual(
        Array(3).fill(['ClusterIP', 'ingress']),
      );
      expect(ingress?.className).toBe(expectedClass[platform]);
      expect(ingress?.className).toBe(defaultIngressClass(platform));
      expect(ingress?.controllerPresent).toBe(false);
      expect(ingress?.components).toEqual(['web', 'api', 'admin']);
      // The install step carries the controller load balancer's price, from the same formula as the cost items.
      const layer = platform === 'aws' || platform === 'gcp' ? 'L7' : 'L4';
      expect(ingress?.install).toContain(
        `${formatUsd(loadBalancerMonthly(platform, 'internet-facing', layer, pricing, 2))}/mo`,
      );
      const alternative = at(recommendations, 0).alternatives.find((a) => a.serviceType === 'LoadBalancer');
      const ownLoadBalancer = loadBalancerMonthly(platform, 'internet-facing', 'L4', pricing);
      expect(alternative?.monthlyCost).toBe(roundCents(ownLoadBalancer));
      expect(alternative?.reason).toContain(formatMonthly(ownLoadBalancer));
    });

    it.each(CLOUD_PLATFORMS)(
      '%s: a single one gets its own load balancer, the Ingress priced as the alternative',
      (platform) => {
        const { recommendation, ingress } = planOne({ platform }, componentFor('public HTTP'));
        expect(recommendation.serviceType).toBe('LoadBalancer');
        expect(ingress).toBeNull();
        const viaIngress = recommendation.alternatives.find((a) => a.entryPoint === 'ingress');
        const layer = platform === 'aws' || platform === 'gcp' ? 'L7' : 'L4';
        const controllerCost = loadBalancerMonthly(platform, 'internet-facing', layer, pricing, 2);
        expect(viaIngress?.monthlyCost).toBe(roundCents(controllerCost));
        expect(viaIngress?.reason).toContain(formatMonthly(controllerCost));
        expect(viaIngress?.reason).toContain(defaultIngressClass(platform));
      },
    );

    it.each([
      ['installed by the plan', undefined],
      ['already running', 'alb'],
    ] as const)('AWS ALB %s: TLS comes from ACM by host, and the tls Secret is said to be ignored', (_, controller) => {
      const components = [
        componentFor('public HTTP', { name: 'web', host: 'shop.example.com', tls: true }),
        componentFor('public HTTP', { name: 'docs', host: 'docs.example.com' }),
      ];
      const { recommendations, ingress } = recommendAll(
        buildTopology({ environment: { platform: 'aws', ingressController: controller }, components }),
        pricing,
      );
      const web = at(recommendations, 0).rationale.join(' ');
      expect(web).toContain('AWS Certificate Manager');
      expect(web).toContain('shop.example.com');
      expect(web).toContain('Secret web-tls');
      expect(web).toContain('ignored');
      expect(at(recommendations, 1).rationale.join(' ')).toContain('redirect');
      if (controller === undefined) {
        expect(ingress?.install).toContain('AWS Certificate Manager');
      }
    });

    it('AWS ALB with a certificate named for one host: the others are said to get none, not to be discovered', () => {
      // certificate-arn turns the controller's discovery by host off (model_build_listener.go l.133-190 at 225f445).
      const acm = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
      const components = [
        componentFor('public HTTP', { name: 'web', host: 'shop.example.com', tls: true, certificate: acm }),
        componentFor('public HTTP', { name: 'api', host: 'api.example.com', tls: true }),
        componentFor('public HTTP', { name: 'docs', host: 'docs.example.com' }),
      ];
      const { recommendations, ingress } = recommendAll(
        buildTopology({ environment: { platform: 'aws' }, components }),
        pricing,
      );
      expect(at(recommendations, 0).rationale.join(' ')).toContain(`the ACM certificate ${acm}`);
      for (const [index, host] of [
        [1, 'api.example.com'],
        [2, 'docs.example.com'],
      ] as const) {
        const rationale = at(recommendations, index).rationale.join(' ');
        expect(rationale).toContain(`NO certificate for ${host}`);
        expect(rationale).toContain('EXP039');
        expect(rationale).not.toContain('finds by the host');
      }
      expect(ingress?.install).toContain('the ones named in certificate-arn alone');
    });

    it('AWS ALB with named certificates: a host they serve is said to be served by them, not discovered', () => {
      const acm = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
      const wildcard = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';
      const components = [
        componentFor('public HTTP', { name: 'shop', host: 'x.example.com', tls: true, certificate: acm }),
        componentFor('public HTTP', { name: 'admin', host: 'x.example.com', path: '/admin', tls: true }),
        componentFor('public HTTP', { name: 'apis', host: '*.api.example.com', tls: true, certificate: wildcard }),
        componentFor('public HTTP', { name: 'orders', host: 'orders.api.example.com' }),
        componentFor('public HTTP', { name: 'any', path: '/any', tls: true }),
      ];
      const { recommendations } = recommendAll(
        buildTopology({ environment: { platform: 'aws' }, components }),
        pricing,
      );
      const rationale = (index: number) => at(recommendations, index).rationale.join(' ');
      expect(rationale(1)).toContain(
        'it terminates TLS for x.example.com with the certificate named for x.example.com in alb.ingress.kubernetes.io/certificate-arn',
      );
      expect(rationale(3)).toContain(
        'it terminates TLS for orders.api.example.com with the certificate named for *.api.example.com',
      );
      expect(rationale(4)).toContain('no host, so clients reach it by a name of their own');
      for (const index of [1, 3, 4]) {
        expect(rationale(index)).toContain('discovers none by host');
        expect(rationale(index)).not.toContain('finds by the host');
        expect(rationale(index)).not.toContain('NO certificate');
      }
    });

    // A lone public HTTP component with tls: true used to get a plain L4 LoadBalancer, served in plain HTTP.
    it.each(CLOUD_PLATFORMS)(
      '%s: a lone public HTTP component that asks for TLS goes through the Ingress',
      (platform) => {
        const { recommendations, ingress } = recommendAll(
          buildTopology({
            environment: { platform },
            components: [componentFor('public HTTP', { host: 'shop.example.com', tls: true })],
          }),
          pricing,
        );
        expect(recommendations[0]).toMatchObject({ serviceType: 'ClusterIP', entryPoint: 'ingress' });
        expect(at(recommendations, 0).rationale.join(' ')).toContain('tls: true');
        expect(ingress?.components).toEqual(['web']);
        // Where the provider's L4 load balancer can take a certificate, the alternative says how.
        expect(at(recommendations, 0).alternatives.find((a) => a.serviceType === 'LoadBalancer')?.reason).toContain(
          platform === 'aws' || platform === 'digitalocean' ? 'set certificate' : 'would not hold',
        );
      },
    );

    it('AWS ALB without TLS says nothing about certificates', () => {
      const components = ['web', 'api'].map((name) =>
        componentFor('public HTTP', { name, host: `${name}.example.com` }),
      );
      const { recommendations, ingress } = recommendAll(buildTopology({ components }), pricing);
      expect(at(recommendations, 0).rationale.join(' ')).not.toContain('Certificate Manager');
      expect(ingress?.install).not.toContain('Certificate Manager');
    });

    it('AWS: the ALB alternative costs the ALB rates and the load balancer the NLB rates of the table', () => {
      const aws = DEFAULT_PRICING.providers.aws;
      const { recommendation } = planOne({ platform: 'aws' }, componentFor('public HTTP'));
      const hours = DEFAULT_PRICING.hoursPerMonth;
      const nlb = (aws.loadBalancerHourly + aws.capacityUnitHourly * aws.assumedCapacityUnits) * hours;
      const alb =
        ((aws.l7LoadBalancerHourly ?? 0) + (aws.l7CapacityUnitHourly ?? 0) * (aws.l7AssumedCapacityUnits ?? 0)) * hours;
      const addresses = aws.publicIpv4Hourly * aws.publicIpsPerLoadBalancer * hours;
      expect(at(recommendation.rationale, 0)).toContain(formatUsd(nlb + addresses));
      expect(at(recommendation.alternatives, 0).monthlyCost).toBe(roundCents(alb + addresses));
    });
  });

  it('never recommends installing ingress-nginx, and notes its retirement when the cluster runs it', () => {
    for (const platform of CLOUD_PLATFORMS) {
      const components = ['web', 'api'].map((name) =>
        componentFor('public HTTP', { name, host: `${name}.example.com` }),
      );
      const { ingress } = recommendAll(buildTopology({ environment: { platform }, components }), pricing);
      expect(ingress?.className).not.toMatch(/nginx/);
      expect(ingress?.install).not.toMatch(/ingress-nginx/);
    }
    const { recommendation, ingress } = planOne(
      { platform: 'aws', ingressController: 'nginx' },
      componentFor('public HTTP'),
    );
    expect(ingress).toEqual({ className: 'nginx', controllerPresent: true, components: ['web'] });
    expect(recommendation.rationale.join(' ')).toMatch(/retired ingress-nginx.*March 2026.*Gateway API/);
  });

  it('treats ingressController "none" as no controller', () => {
    const { recommendation, ingress } = planOne(
      { platform: 'gcp', ingressController: 'none' },
      componentFor('public HTTP'),
    );
    expect(recommendation.serviceType).toBe('LoadBalancer');
    expect(ingress).toBeNull();
  });

  it('does not count a data store asked to be public towards sharing an Ingress', () => {
    const store = buildComponent({
      name: 'search',
      role: 'database',
      ports: [httpPort({ port: 9200 })],
      exposure: 'public',
    });
    const { recommendations, ingress } = recommendAll(
      buildTopology({ environment: { platform: 'aws' }, components: [componentFor('public HTTP'), store] }),
      pricing,
    );
    expect(recommendations.map((r) => r.serviceType)).toEqual(['LoadBalancer', 'ClusterIP']);
    expect(ingress).toBeNull();
  });

  it('a component with an HTTP and a non-HTTP port is not put behind the Ingress', () => {
    const mixed = componentFor('public HTTP', { name: 'mixed', ports: [httpPort(), tcpPort()] });
    const { recommendations, ingress } = recommendAll(
      buildTopology({
        environment: { platform: 'aws', ingressController: 'alb' },
        components: [mixed, componentFor('public HTTP')],
      }),
      pricing,
    );
    expect(recommendations[0]).toMatchObject({ serviceType: 'LoadBalancer', scheme: 'internet-facing' });
    expect(at(recommendations, 0).rationale[0]).toMatch(/not HTTP.*mqtt/);
    expect(ingress?.components).toEqual(['web']);
  });

  it('gives UDP a layer-4 load balancer on a cloud', () => {
    const { recommendation } = planOne(
      { platform: 'aws' },
      componentFor('public TCP', { name: 'turn', ports: [udpPort()] }),
    );
    expect(recommendation).toMatchObject({ serviceType: 'LoadBalancer', scheme: 'internet-facing' });
    expect(at(recommendation.rationale, 0)).toContain('UDP is never HTTP');
  });

  it.each(['private', 'node'] as const)(
    'other-cloud, %s: an internal LB is the intent, and the rationale says to add the provider annotation',
    (kind) => {
      const { recommendation } = planOne(ENVIRONMENTS['other-cloud'], componentFor(kind));
      expect(recommendation).toMatchObject({ serviceType: 'LoadBalancer', scheme: 'internal' });
      const text = recommendation.rationale.join(' ');
      expect(text).toContain("add your provider's internal load balancer annotation");
      expect(text).toContain('internet-facing');
      expect(text).not.toContain('with no public IP');
    },
  );

  describe('bare metal, k3s and local clusters', () => {
    it('names the MetalLB pool when one is given, and asks for it when not', () => {
      const named = planOne(ENVIRONMENTS['bare-metal/metallb'], componentFor('public TCP')).recommendation;
      expect(named.rationale.join(' ')).toContain('"public-pool" (environment.addressPool)');
      const unnamed = planOne({ platform: 'bare-metal', loadBalancerProvider: 'metallb' }, componentFor('public TCP'));
      expect(unnamed.recommendation.rationale.join(' ')).toContain('name one with environment.addressPool');
    });

    it.each(['bare-metal/none', 'bare-metal/absent', 'k3s/none'] as const)(
      '%s: public gets a NodePort with an external L4 balancer in front, a LoadBalancer would stay <pending>',
      (environment) => {
        const { recommendation } = planOne(ENVIRONMENTS[environment], componentFor('public TCP'));
        expect(at(recommendation.rationale, 0)).toMatch(/HAProxy with keepalived/);
        expect(recommendation.alternatives).toContainEqual(
          expect.objectContaining({
            serviceType: 'LoadBalancer',
            reason: expect.stringContaining('<pending>'),
            monthlyCost: 0,
          }),
        );
      },
    );

    it('without a shared entry point, two host-less public HTTP components each get their own, and no route is "taken"', () => {
      const component = (name: string, port: number) => ({
        name,
        role: 'frontend',
        ports: [{ name: 'http', port }],
        exposure: 'public',
      });
      const bare = planOf({
        name: 'one',
        environment: { platform: 'bare-metal' },
        components: [component('web', 8080), component('web2', 8081)],
      });
      expect(bare.ingress).toBeNull();
      expect(bare.recommendations.map((r) => r.serviceType)).toEqual(['NodePort', 'NodePort']);
      expect(at(bare.recommendations, 1).rationale.join(' ')).not.toContain('already has');
      expect(bare.findings.map((f) => f.id)).not.toContain('EXP022');

      // Where they would share one (a cloud's Ingress), the second's route is taken, and EXP022 says so.
      const aws = planOf({
        name: 'one',
        environment: { platform: 'aws' },
        components: [component('web', 8080), component('web2', 8081)],
      });
      expect(at(aws.recommendations, 1).rationale.join(' ')).toContain('which web already has');
      expect(aws.findings).toContainEqual(expect.objectContaining({ id: 'EXP022', component: 'web2' }));
    });

    it.each(['kind', 'minikube'] as const)('%s: NodePort, and says a LoadBalancer would stay <pending>', (platform) => {
      const { recommendation } = planOne({ platform }, componentFor('public HTTP'));
      const tunnel = platform === 'minikube' ? 'minikube tunnel' : 'cloud-provider-kind';
      expect(at(recommendation.rationale, 0)).toContain('<pending>');
      expect(at(recommendation.rationale, 0)).toContain(tunnel);
      expect(recommendation.alternatives).toContainEqual(
        expect.objectContaining({ serviceType: 'LoadBalancer', entryPoint: 'load-balancer', monthlyCost: 0 }),
      );
    });

    it.each(['kind/metallb', 'minikube/kube-vip'] as const)(
      '%s: a LoadBalancer from the pool, reachable from the machine that runs the cluster, never <pending>',
      (environment) => {
        const { recommendation } = planOne(ENVIRONMENTS[environment], componentFor('public TCP'));
        expect(recommendation).toMatchObject({ serviceType: 'LoadBalancer', entryPoint: 'load-balancer' });
        const text = recommendation.rationale.join(' ');
        expect(text).not.toContain('<pending>');
        expect(text).toContain(environment.startsWith('kind') ? 'MetalLB assigns' : 'kube-vip assigns');
        expect(text).toContain('from the machine that runs the cluster');
      },
    );

    describe('allowedSources on a NodePort: the rationale credits no firewall the plan does not render', () => {
      const sources = { allowedSources: ['192.168.10.0/24'] };
      it.each([
        ['bare-metal/absent', 'node'],
        ['bare-metal/none', 'private'],
        ['bare-metal/absent', 'public TCP'],
        ['k3s/none', 'node'],
      ] as const)('%s, %s: says nothing rendered limits it, and how to', (environment, kind) => {
        const { recommendation } = planOne(ENVIRONMENTS[environment], componentFor(kind, sources));
        expect(recommendation.serviceType).toBe('NodePort');
        const text = recommendation.rationale.join('\n');
        expect(text).not.toMatch(/firewall[^\n]* limits it to allowedSources|restricted by a firewall/);
        expect(text).toContain(
          'nothing the plan renders limits it to allowedSources 192.168.10.0/24: its NetworkPolicy admits every address',
        );
        expect(text).toContain('set preserveClientIp so the NetworkPolicy admits only them');
      });

      it('a private data store kept on the node ports of a pool says the same', () => {
        const { recommendation } = planOne(
          ENVIRONMENTS['bare-metal/metallb'],
          componentFor('private', { role: 'database', ...sources }),
        );
        expect(recommendation.serviceType).toBe('NodePort');
        expect(recommendation.rationale.join('\n')).toContain(
          'nothing the plan renders limits it to allowedSources 192.168.10.0/24',
        );
      });

      it('with preserveClientIp, names the NetworkPolicy that admits only them', () => {
        const { recommendation } = planOne(
          ENVIRONMENTS['bare-metal/absent'],
          componentFor('node', { ...sources, preserveClientIp: true }),
        );
        expect(recommendation.rationale).toContain(
          'externalTrafficPolicy Local (preserveClientIp) keeps the client address, so its NetworkPolicy admits only allowedSources 192.168.10.0/24 from outside the cluster',
        );
      });

      it.each(['private', 'node', 'public TCP'] as const)(
        'kind, %s: says the mapping listens on 127.0.0.1, so only this machine connects',
        (kind) => {
          const { recommendation } = planOne(ENVIRONMENTS.kind, componentFor(kind, sources));
          const text = recommendation.rationale.join('\n');
          expect(text).toContain('to the same port on 127.0.0.1 of this machine');
          expect(text).toContain(
            'allowedSources 192.168.10.0/24 do not reach it: the kind mapping listens on 127.0.0.1, so only this machine connects',
          );
          expect(text).not.toContain('firewall in front of the nodes');
        },
      );

      it('kind, public: public means this machine, and says how to publish it wider', () => {
        const { recommendation } = planOne(ENVIRONMENTS.kind, componentFor('public HTTP'));
        expect(recommendation.rationale.join('\n')).toContain(
          "public here means this machine: its mapping listens on 127.0.0.1; for other hosts, set the mapping's listenAddress to 0.0.0.0",
        );
      });
    });

    it('k3s ServiceLB: says it binds the port on every node', () => {
      const { recommendation } = planOne(ENVIRONMENTS['k3s/servicelb'], componentFor('public TCP'));
      expect(recommendation.rationale.join(' ')).toContain("binds the port on every node's IP");
    });

    it('bare metal without a provider, with a controller: the controller is on NodePort/hostNetwork', () => {
      const { recommendation, ingress } = planOne(
        { platform: 'bare-metal', ingressController: 'haproxy' },
        componentFor('public HTTP'),
      );
      expect(recommendation.entryPoint).toBe('ingress');
      expect(recommendation.rationale.join(' ')).toContain('NodePort or hostNetwork');
      expect(ingress).toEqual({ className: 'haproxy', controllerPresent: true, components: ['web'] });
    });

    it('bare metal with two public HTTP components and no controller: each its own pool address, no Ingress imposed', () => {
      const components = ['web', 'api'].map((name) =>
        componentFor('public HTTP', { name, host: `${name}.example.com` }),
      );
      const { recommendations, ingress } = recommendAll(
        buildTopology({ environment: ENVIRONMENTS['bare-metal/metallb'], components }),
        pricing,
      );
      expect(recommendations.map((r) => r.serviceType)).toEqual(['LoadBalancer', 'LoadBalancer']);
      expect(ingress).toBeNull();
      expect(at(recommendations, 0).alternatives.map((a) => a.entryPoint)).toContain('ingress');
    });
  });

  describe('data stores', () => {
    const DATA_STORE_CASES = DATA_STORE_ROLES.flatMap((role) =>
      ENVIRONMENT_NAMES.map((environment) => [role, environment] as const),
    );

    it.each(DATA_STORE_CASES)(
      'a %s asked to be public on %s stays ClusterIP and says the safe way in',
      (role, environment) => {
        const store = buildComponent({
          name: 'store',
          role,
          ports: [tcpPort({ name: 'tcp-store', port: 7000 })],
          exposure: 'public',
        });
        const { recommendation } = planOne(ENVIRONMENTS[environment], store);
        expect([recommendation.serviceType, recommendation.entryPoint, schemeOf(recommendation)]).toEqual(CLUSTER_IP);
        const text = recommendation.rationale.join(' ');
        expect(text).toContain('kubectl port-forward svc/store');
        expect(text).toMatch(/bastion or VPN/);
        expect(text).toMatch(/for a VM/);
      },
    );

    it.each(ENVIRONMENT_NAMES)(
      'a database asked private on %s: internal LB on a cloud, NodePort elsewhere',
      (environment) => {
        const store = buildComponent({
          name: 'db',
          role: 'database',
          ports: [tcpPort({ name: 'postgres', port: 5432 })],
        });
        for (const exposure of ['private', 'node'] as const) {
          const { recommendation } = planOne(ENVIRONMENTS[environment], {
            ...store,
            exposure,
            allowedSources: ['10.0.0.0/8'],
          });
          const cloud = (CLOUD_PLATFORMS as readonly string[]).includes(ENVIRONMENTS[environment].platform);
          expect([recommendation.serviceType, recommendation.entryPoint, schemeOf(recommendation)]).toEqual(
            cloud ? LB_INTERNAL : NODE_PORT,
          );
          expect(recommendation.rationale.join(' ')).toContain('10.0.0.0/8');
        }
      },
    );
  });

  describe('StatefulSets', () => {
    it.each([
      [1, 'internal', 'ClusterIP'],
      [3, 'internal', 'ClusterIP'],
      [1, 'public', 'LoadBalancer'],
      [3, 'private', 'LoadBalancer'],
    ] as const)('%i replica(s), %s: headless governing Service besides a %s', (replicas, exposure, serviceType) => {
      const component = buildComponent({
        name: 'kafka',
        workload: 'StatefulSet',
        replicas,
        exposure,
        ports: [tcpPort()],
      });
      const { recommendation } = planOne({ platform: 'aws' }, component);
      expect(recommendation.headless).toBe(true);
      expect(recommendation.serviceType).toBe(serviceType);
      const text = recommendation.rationale.join(' ');
      expect(text).toContain('kafka-headless');
      expect(text).toContain('spec.serviceName');
      if (replicas > 1) {
        expect(text).toContain('kafka-0.kafka-headless.production.svc');
      } else {
        expect(text).toContain('even with 1 replica');
      }
    });

    it('a StatefulSet without ports has no Service, headless or not, and its rationale says so', () => {
      const { recommendation } = planOne(
        { platform: 'aws' },
        buildComponent({ name: 'ledger', workload: 'StatefulSet', replicas: 3, ports: [] }),
      );
      expect(recommendation).toMatchObject({ serviceType: null, headless: false });
      const text = recommendation.rationale.join(' ');
      expect(text).not.toContain('ledger-headless');
      expect(text).not.toMatch(/also a headless Service/);
      expect(text).toContain('no headless Service either');
      expect(text).toContain('spec.serviceName');
    });

    it('a Deployment is never headless', () => {
      const { recommendation } = planOne({ platform: 'aws' }, buildComponent({ workload: 'Deployment', replicas: 3 }));
      expect(recommendation.headless).toBe(false);
    });
  });

  it.each(EXPOSURES)('externalName (exposure %s) → ExternalName, no entry point', (exposure) => {
    const { recommendation } = planOne(
      { platform: 'aws' },
      buildComponent({ name: 'erp', workload: 'StatefulSet', externalName: 'erp.corp.example.com', exposure }),
    );
    expect(recommendation).toMatchObject({ serviceType: 'ExternalName', entryPoint: 'none', headless: false });
    expect(schemeOf(recommendation)).toBeUndefined();
    expect(at(recommendation.rationale, 0)).toContain('erp.corp.example.com');
  });

  it.each(EXPOSURES)('no ports (exposure %s) → no Service', (exposure) => {
    const { recommendation } = planOne(
      { platform: 'aws' },
      buildComponent({ name: 'mailer', role: 'worker', ports: [], exposure }),
    );
    expect(recommendation).toEqual({
      component: 'mailer',
      serviceType: null,
      headless: false,
      entryPoint: 'none',
      rationale: expect.arrayContaining([expect.stringContaining('no ports')]),
      alternatives: [],
    });
  });

  describe('pinned nodePorts', () => {
    it.each([
      ['internal', { platform: 'aws' }, true],
      ['public HTTP', { platform: 'aws', ingressController: 'alb' }, true],
      ['public HTTP', { platform: 'minikube' }, false],
      ['public TCP', { platform: 'aws' }, false],
    ] as const)('%s on %o: ignored note %s', (kind, environment, ignored) => {
      const component = componentFor(kind);
      const pinned = { ...component, ports: component.ports.map((port) => ({ ...port, nodePort: 30080 })) };
      const text = planOne(environment, pinned).recommendation.rationale.join(' ');
      expect(text.includes('30080') && text.includes('is ignored')).toBe(ignored);
    });
  });

  describe('alternatives', () => {
    const everything = ENVIRONMENT_NAMES.flatMap((environment) =>
      [undefined, 'traefik'].map((ingressController) => [environment, ingressController ?? 'no controller'] as const),
    );

    it.each(everything)('%s, %s: never the chosen option, always priced in words', (environment, controller) => {
      const components: Component[] = ROLES.flatMap((role) =>
        EXPOSURES.flatMap((exposure) =>
          (['http', 'tcp'] as const).map((kind) =>
            buildComponent({
              name: `${role}-${exposure}-${kind}`,
              role,
              exposure,
              ports: [kind === 'http' ? httpPort() : tcpPort()],
            }),
          ),
        ),
      );
      const topology = buildTopology({
        environment: {
          ...ENVIRONMENTS[environment],
          ingressController: controller === 'no controller' ? undefined : controller,
        },
        components,
      });
      const { recommendations } = recommendAll(topology, pricing);
      expect(recommendations.map((r) => r.component)).toEqual(components.map((c) => c.name));
      for (const recommendation of recommendations) {
        expect(schemeOf(recommendation) !== undefined).toBe(recommendation.serviceType === 'LoadBalancer');
        // Every row with a Service names the roads not taken (issue 12 §4): internal ones used to list none.
        if (recommendation.serviceType !== null && recommendation.serviceType !== 'ExternalName') {
          const offered = recommendation.alternatives.map((alternative) => alternative.serviceType);
          for (const road of ['NodePort', 'LoadBalancer'] as const) {
            expect(recommendation.serviceType === road || offered.includes(road)).toBe(true);
          }
        }
        for (const alternative of recommendation.alternatives) {
          // The one alternative that shares the chosen type and entry point is the headless Service.
          const headlessInstead =
            !recommendation.headless && alternative.reason.startsWith('headless (clusterIP: None)');
          if (!headlessInstead) {
            expect([alternative.serviceType, alternative.entryPoint]).not.toEqual([
              recommendation.serviceType,
              recommendation.entryPoint,
            ]);
          }
          expect(alternative.monthlyCost).toBeGreaterThanOrEqual(0);
          expect(alternative.reason).toContain(formatMonthly(alternative.monthlyCost));
        }
      }
    });

    it('on free platforms every alternative costs nothing', () => {
      for (const environment of [
        'bare-metal/metallb',
        'bare-metal/none',
        'kind',
        'minikube',
        'k3s/servicelb',
      ] as const) {
        for (const kind of CASES) {
          for (const alternative of planOne(ENVIRONMENTS[environment], componentFor(kind)).recommendation
            .alternatives) {
            expect(alternative.monthlyCost).toBe(0);
          }
        }
      }
    });

    it('follow the pricing table, overrides included', () => {
      const expensive = resolvePricing({
        providers: { aws: { loadBalancerHourly: 1, capacityUnitHourly: 0, publicIpv4Hourly: 0 } },
      });
      const { recommendations } = recommendAll(
        buildTopology({ components: [componentFor('public TCP')], environment: { platform: 'aws' } }),
        expensive,
      );
      expect(at(recommendations, 0).rationale[0]).toContain(formatUsd(1 * expensive.hoursPerMonth));
    });
  });

  it('is deterministic and leaves its input alone', () => {
    const topology: Topology = buildTopology({
      environment: { platform: 'gcp' },
      components: [
        componentFor('public HTTP'),
        componentFor('public HTTP', { name: 'api' }),
        componentFor('public TCP'),
        componentFor('private'),
        buildComponent({ name: 'db', role: 'database', workload: 'StatefulSet', replicas: 3, exposure: 'public' }),
      ],
    });
    const snapshot = structuredClone(topology);
    const first = recommendAll(topology, pricing);
    const second = recommendAll(structuredClone(topology), resolvePricing());
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(topology).toEqual(snapshot);
  });

  it('returns one recommendation per component in input order', () => {
    const names = ['zeta', 'alpha', 'mid'];
    const { recommendations } = recommendAll(
      buildTopology({ components: names.map((name) => buildComponent({ name })) }),
      pricing,
    );
    expect(recommendations.map((r: Recommendation) => r.component)).toEqual(names);
  });
});

describe('per-port exposure in the decision', () => {
  const web = (exposure: 'inherit' | 'internal') =>
    buildStorefront({ ports: [httpPort(), tcpPort({ name: 'metrics', port: 9090, targetPort: 9090, exposure })] });

  it('decides on the published ports: a metrics port kept in-cluster leaves web behind the shared Ingress', () => {
    const decided = at(recommendAll(buildTopology({ components: [web('internal')] }), pricing).recommendations, 0);
    expect([decided.serviceType, decided.entryPoint]).toEqual(['ClusterIP', 'ingress']);
    expect('internalService' in decided && decided.internalService).toEqual({
      name: 'web-internal',
      ports: [{ name: 'metrics', port: 9090, protocol: 'TCP' }],
    });
  });

  it('lets a metrics port the user publishes make the component L4, as any non-HTTP port does', () => {
    const plain: Component = web('inherit');
    delete plain.host;
    delete plain.tls;
    const decided = at(recommendAll(buildTopology({ components: [plain] }), pricing).recommendations, 0);
    expect([decided.serviceType, decided.entryPoint]).toEqual(['LoadBalancer', 'load-balancer']);
    expect('internalService' in decided && decided.internalService).toBeNull();
  });
});

describe('sentences that name a platform or a product', () => {
  const rationaleOf = (environment: Json, components: Json[] = [publicFrontend('web')]) =>
    planOf({ ...withEnvironment(environment), components }).recommendations.flatMap(
      (recommendation) => recommendation.rationale,
    );

  it.each([
    ['kind', 'ingress', "(extraPortMappings to the controller's ports)", 'minikube'],
    ['minikube', 'ingress', '(`minikube tunnel` or the node IP)', 'extraPortMappings'],
    ['kind', 'gateway-api', '(extraPortMappings to its ports)', 'minikube'],
    ['minikube', 'gateway-api', '(`minikube tunnel` or the node IP)', 'extraPortMappings'],
  ])(
    'on %s (%s), says how its own entry point on the node is reached, not the other local platform',
    (platform, routing, own, other) => {
      // A local cluster routes through an ingress controller only when the topology names one (else a NodePort each).
      const environment =
        routing === 'ingress' ? { platform, routing, ingressController: 'traefik' } : { platform, routing };
      const lines = rationaleOf(environment).filter((line) => line.includes('is reached on the node ('));
      expect(lines).toHaveLength(1);
      expect(at(lines, 0)).toContain(own);
      expect(at(lines, 0)).not.toContain(other);
    },
  );

  it.each([
    ['azure', 'an Azure Standard Load Balancer'],
    ['aws', 'an AWS Network Load Balancer'],
    ['digitalocean', 'a DigitalOcean Load Balancer'],
  ])('puts the right article before the product the Gateway saves on %s', (platform, product) => {
    const shared = rationaleOf({ platform, routing: 'gateway-api' }, [
      publicFrontend('web'),
      publicFrontend('shop'),
    ]).filter((line) => line.includes("share the Gateway's one load balancer instead of"));
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.every((line) => line.includes(`instead of ${product}`))).toBe(true);
  });
});

describe('what sharing the controller saves', () => {
  const twoHosts = (platform: string) =>
    planOf({
      name: 'shop',
      environment: { platform },
      components: [publicFrontend('a'), publicFrontend('b')],
    });
  const sharingSentence = (platform: string) =>
    at(twoHosts(platform).recommendations, 0).rationale.find((line) => line.includes('components share it'));

  it('claims a saving where one load balancer costs less than one each (AWS)', () => {
    expect(sharingSentence('aws')).toMatch(
      /one load balancer for the controller \(\$[\d.]+\/mo\) instead of 2 \(\$[\d.]+\/mo\)$/,
    );
  });

  it('claims none where the bill is the same either way (GCP: one minimum charge covers up to 5 forwarding rules)', () => {
    const sentence = sharingSentence('gcp');
    expect(sentence).toContain('the same as 2 of their own would cost ($18.25/mo)');
    expect(sentence).toContain('not a lower bill');
    expect(sentence).not.toContain('instead of');
  });
});
