import { validateManifests } from './testing/kube-validation.js';
import { renderManifests } from './manifests.js';
import { broaderThanItLooks, networkPolicyNotes, renderNetworkPolicies } from './network-policies.js';
import {
  buildComponent,
  buildIngressPlan,
  httpPort,
  topologyWith,
  buildRecommendation,
  shopLabels,
} from './testing/builders.js';
import type { Component, Environment, IngressPlan, KubeObject, Recommendation } from './types.js';
import { at } from './testing/items.js';
import { planOf, publicFrontend } from './testing/topology-inputs.js';

type Rule = { from: Record<string, unknown>[]; ports: { port: number | string; protocol: string }[] };

function policies(
  components: Component[],
  recommendations: Recommendation[],
  ingress: IngressPlan | null = null,
  environment: Partial<Environment> = {},
): KubeObject[] {
  const topology = topologyWith(components, environment);
  // The policies must make sense next to the Services they protect.
  expect(validateManifests(renderManifests(topology, recommendations, ingress))).toEqual([]);
  return renderNetworkPolicies(topology, recommendations, ingress);
}

const rulesOf = (objects: KubeObject[], name: string): Rule[] =>
  (objects.find((obj) => obj.metadata.name === name)?.spec as { ingress?: Rule[] } | undefined)?.ingress ?? [];
const pods = (app: string) => ({ podSelector: { matchLabels: { app } } });
const ip = (cidr: string) => ({ ipBlock: { cidr } });
const ANYWHERE = [ip('0.0.0.0/0'), ip('::/0')];

describe(renderNetworkPolicies.name, () => {
  const web = buildComponent({ name: 'web', role: 'frontend', exposure: 'public', dependsOn: ['api'] });
  const api = buildComponent({
    name: 'api',
    dependsOn: ['db', 'cache'],
    ports: [
      httpPort({ name: 'http', port: 80, targetPort: 3000 }),
      httpPort({ name: 'grpc', port: 9090, targetPort: 'grpc' }),
    ],
  });
  const db = buildComponent({
    name: 'db',
    role: 'database',
    workload: 'StatefulSet',
    ports: [httpPort({ name: 'postgres', port: 5432, targetPort: 5432 })],
  });
  const cache = buildComponent({
    name: 'cache',
    role: 'cache',
    ports: [httpPort({ name: 'redis', port: 6379, targetPort: 6379 })],
  });
  const worker = buildComponent({
    name: 'mailer',
    role: 'worker',
    ports: [],
    dependsOn: ['db', 'cache'],
    labels: { app: 'mailer', tier: 'jobs' },
  });

  it("starts with a default deny for ingress traffic scoped to the plan's pods in a shared namespace", () => {
    const first = at(policies([cache, api], [buildRecommendation('cache'), buildRecommendation('api')]), 0);
    expect(first.metadata.name).toBe('default-deny-ingress');
    expect(first.spec).toEqual({
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['cache', 'api'] }] },
      policyTypes: ['Ingress'],
    });
  });

  it('gives each component its own default deny when their selectors have no one key in common', () => {
    const objects = policies(
      [cache, { ...api, labels: { app: 'api', tier: 'backend' } }],
      [buildRecommendation('cache'), buildRecommendation('api')],
    );
    const denies = objects.filter((obj) => obj.metadata.name.startsWith('default-deny'));
    expect(denies.map((obj) => [obj.metadata.name, (obj.spec as { podSelector: unknown }).podSelector])).toEqual([
      ['default-deny-ingress-cache', { matchLabels: { app: 'cache' } }],
      ['default-deny-ingress-api', { matchLabels: { app: 'api', tier: 'backend' } }],
    ]);
  });

  it('denies every pod of the namespace when the topology owns it', () => {
    const first = at(policies([cache], [buildRecommendation('cache')], null, { ownsNamespace: true }), 0);
    expect(first).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'default-deny-ingress',
        namespace: 'production',
        labels: shopLabels('shop'),
      },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
  });

  it('admits exactly the callers named by dependsOn, on the target ports, in topology order', () => {
    const objects = policies(
      [web, api, db, cache, worker],
      [
        buildRecommendation('web'),
        buildRecommendation('api'),
        buildRecommendation('db'),
        buildRecommendation('cache'),
        buildRecommendation('mailer', { serviceType: null }),
      ],
    );
    // The worker selects by two labels, so no one key selects every pod of the plan: one deny each.
    expect(objects.map((obj) => obj.metadata.name)).toEqual([
      'default-deny-ingress-web',
      'default-deny-ingress-api',
      'default-deny-ingress-db',
      'default-deny-ingress-cache',
      'default-deny-ingress-mailer',
      'allow-api',
      'allow-db',
      'allow-cache',
    ]);
    expect(objects.find((obj) => obj.metadata.name === 'allow-api')?.spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [pods('web')],
          ports: [
            { port: 3000, protocol: 'TCP' },
            { port: 'grpc', protocol: 'TCP' },
          ],
        },
      ],
    });
    // A worker has no Service, but its pods call others: it is admitted by its full label set.
    expect(rulesOf(objects, 'allow-db')).toEqual([
      {
        from: [pods('api'), { podSelector: { matchLabels: { app: 'mailer', tier: 'jobs' } } }],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ]);
  });

  it('gives no allow policy to a component nothing may reach, nor to a worker without ports', () => {
    const objects = policies(
      [web, worker],
      [buildRecommendation('web'), buildRecommendation('mailer', { serviceType: null })],
    );
    // No allow policy for either; the worker's pods are denied like the others (one deny each: two label sets).
    expect(objects.map((obj) => obj.metadata.name)).toEqual([
      'default-deny-ingress-web',
      'default-deny-ingress-mailer',
    ]);
    expect((at(objects, 1).spec as { podSelector: unknown }).podSelector).toEqual({
      matchLabels: { app: 'mailer', tier: 'jobs' },
    });
  });

  it('puts a worker without ports under the one scoped default deny when it selects by the same key', () => {
    const plainWorker = { ...worker, labels: { app: 'mailer' } };
    const objects = policies(
      [web, plainWorker],
      [buildRecommendation('web'), buildRecommendation('mailer', { serviceType: null })],
    );
    expect(objects).toHaveLength(1);
    expect(at(objects, 0).metadata.name).toBe('default-deny-ingress');
    expect((at(objects, 0).spec as { podSelector: unknown }).podSelector).toEqual({
      matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'mailer'] }],
    });
    const [scope] =
      networkPolicyNotes(
        topologyWith([web, plainWorker]),
        [buildRecommendation('web'), buildRecommendation('mailer', { serviceType: null })],
        null,
      ).get('mailer') ?? [];
    expect(scope).toMatch(
      /^default-deny-ingress selects only this plan's pods \(app in web, mailer, workers included\)/,
    );
  });

  it('lists each target port once, even when two Service ports share it', () => {
    const twoPorts = buildComponent({
      name: 'api',
      ports: [
        httpPort({ name: 'http', port: 80, targetPort: 8080 }),
        httpPort({ name: 'alt', port: 8080, targetPort: 8080 }),
      ],
    });
    const objects = policies([web, twoPorts], [buildRecommendation('web'), buildRecommendation('api')]);
    expect(at(rulesOf(objects, 'allow-api'), 0).ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it('keeps the protocol of UDP ports', () => {
    const dns = buildComponent({
      name: 'dns',
      ports: [httpPort({ name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' })],
    });
    const client = buildComponent({ name: 'client', dependsOn: ['dns'] });
    const objects = policies([dns, client], [buildRecommendation('dns'), buildRecommendation('client')]);
    expect(at(rulesOf(objects, 'allow-dns'), 0).ports).toEqual([{ port: 5353, protocol: 'UDP' }]);
  });

  it('does not admit a component outside the cluster (ExternalName: it has no pods) as a caller', () => {
    const legacy = buildComponent({
      name: 'legacy',
      ports: [],
      externalName: 'legacy.corp.example.com',
      dependsOn: ['cache'],
    });
    const objects = policies(
      [legacy, cache],
      [buildRecommendation('legacy', { serviceType: 'ExternalName' }), buildRecommendation('cache')],
      null,
      { ownsNamespace: true },
    );
    expect(objects.map((obj) => obj.metadata.name)).toEqual(['default-deny-ingress']);
  });

  it('lets the pods of a component with a headless Service reach each other', () => {
    const objects = policies([api, db], [buildRecommendation('api'), buildRecommendation('db', { headless: true })]);
    expect(rulesOf(objects, 'allow-db')).toEqual([
      { from: [pods('api'), pods('db')], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });

  describe('ingress controller', () => {
    const routedWeb = {
      ...web,
      ports: [
        httpPort({ name: 'grpc', port: 9000, targetPort: 9000 }),
        httpPort({ name: 'http', port: 80, targetPort: 8080 }),
      ],
    };
    const nsPeer = (namespace: string) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    });

    it.each<[string, Partial<Environment>, Record<string, unknown>[]]>([
      ['nginx', {}, [nsPeer('ingress-nginx')]],
      ['traefik', {}, [nsPeer('traefik')]],
      ['traefik', { platform: 'k3s' }, [nsPeer('kube-system')]],
      ['haproxy', {}, [nsPeer('haproxy-controller')]],
      ['istio', {}, [nsPeer('istio-system')]],
      ['webapprouting.kubernetes.azure.com', { platform: 'azure' }, [nsPeer('app-routing-system')]],
      ['alb', {}, ANYWHERE],
      ['gce', { platform: 'gcp' }, [ip('130.211.0.0/22'), ip('35.191.0.0/16')]],
      ['contour', {}, [{ namespaceSelector: {} }]],
    ])('admits the %s controller (%o) on the routed port only', (className, environment, from) => {
      const objects = policies(
        [routedWeb],
        [buildRecommendation('web', { entryPoint: 'ingress' })],
        buildIngressPlan(['web'], { className }),
        environment,
      );
      // The routed port is the first HTTP one (8080), not the gRPC port listed before it.
      expect(rulesOf(objects, 'allow-web')).toEqual([{ from, ports: [{ port: 8080, protocol: 'TCP' }] }]);
    });

    it('admits an internal GKE Ingress from anywhere (its proxy-only subnet is not known)', () => {
      const privateWeb = { ...routedWeb, exposure: 'private' as const };
      const objects = policies(
        [privateWeb],
        [buildRecommendation('web', { entryPoint: 'ingress' })],
        buildIngressPlan(['web'], { className: 'gce' }),
        {
          platform: 'gcp',
        },
      );
      expect(at(rulesOf(objects, 'allow-web'), 0).from).toEqual(ANYWHERE);
    });

    it('admits a gce-internal Ingress from anywhere too, even for a public route: its proxies are in the proxy-only subnet, never a pod', () => {
      const objects = policies(
        [routedWeb],
        [buildRecommendation('web', { entryPoint: 'ingress' })],
        buildIngressPlan(['web'], { className: 'gce-internal' }),
        { platform: 'gcp' },
      );
      expect(at(rulesOf(objects, 'allow-web'), 0).from).toEqual(ANYWHERE);
    });

    it('gce-internal: the plan counts the route partly covered (EXP034) and its rationale says why any address is admitted', () => {
      const result = planOf({
        name: 'shop',
        environment: { platform: 'gcp', ingressController: 'gce-internal' },
        components: [publicFrontend('web', { host: 'shop.example.com' })],
      });
      expect(result.networkPolicyCoverage?.covered).toEqual([]);
      expect(result.networkPolicyCoverage?.partlyCovered.map((entry) => entry.component)).toEqual(['web']);
      expect(result.findings.find((finding) => finding.id === 'EXP034')).toMatchObject({ component: 'web' });
      const rationale = result.recommendations.find((entry) => entry.component === 'web')?.rationale ?? [];
      expect(rationale.join('\n')).toContain(
        "the internal GKE Ingress's proxies connect from the region's proxy-only subnet",
      );
    });

    it('admits callers and the controller in separate rules', () => {
      const gateway = buildComponent({ name: 'gateway', dependsOn: ['web'] });
      const objects = policies(
        [routedWeb, gateway],
        [buildRecommendation('web', { entryPoint: 'ingress' }), buildRecommendation('gateway')],
        buildIngressPlan(['web']),
      );
      expect(rulesOf(objects, 'allow-web')).toEqual([
        {
          from: [pods('gateway')],
          ports: [
            { port: 9000, protocol: 'TCP' },
            { port: 8080, protocol: 'TCP' },
          ],
        },
        { from: [nsPeer('ingress-nginx')], ports: [{ port: 8080, protocol: 'TCP' }] },
      ]);
    });

    it('does not admit the controller to components the Ingress does not route', () => {
      const objects = policies(
        [routedWeb, api],
        [buildRecommendation('web', { entryPoint: 'ingress' }), buildRecommendation('api')],
        buildIngressPlan(['web']),
      );
      expect(rulesOf(objects, 'allow-api')).toEqual([
        {
          from: [pods('web')],
          ports: [
            { port: 3000, protocol: 'TCP' },
            { port: 'grpc', protocol: 'TCP' },
          ],
        },
      ]);
    });
  });

  describe('load balancer and node port entry points', () => {
    const sources = ['203.0.113.0/24', '198.51.100.7'];

    it.each<[string, 'LoadBalancer' | 'NodePort', Partial<Environment>, Partial<Component>, Record<string, unknown>[]]>(
      [
        ['public, no sources', 'LoadBalancer', { platform: 'aws' }, {}, ANYWHERE],
        [
          'GKE with sources, Cluster policy (pods see nodes)',
          'LoadBalancer',
          { platform: 'gcp' },
          { allowedSources: sources },
          ANYWHERE,
        ],
        [
          'GKE with sources, Local policy',
          'LoadBalancer',
          { platform: 'gcp' },
          { allowedSources: sources, preserveClientIp: true },
          [ip('203.0.113.0/24'), ip('198.51.100.7/32')],
        ],
        [
          'MetalLB with sources, Local policy',
          'LoadBalancer',
          { platform: 'bare-metal', loadBalancerProvider: 'metallb' },
          { allowedSources: sources, preserveClientIp: true },
          [ip('203.0.113.0/24'), ip('198.51.100.7/32')],
        ],
        [
          'DigitalOcean with sources (its LB proxies, even with Local)',
          'LoadBalancer',
          { platform: 'digitalocean' },
          { allowedSources: sources, preserveClientIp: true },
          ANYWHERE,
        ],
        [
          'NodePort with sources, Cluster policy',
          'NodePort',
          { platform: 'bare-metal' },
          { allowedSources: sources },
          ANYWHERE,
        ],
        [
          'NodePort with sources, Local policy',
          'NodePort',
          { platform: 'bare-metal' },
          { allowedSources: sources, preserveClientIp: true },
          [ip('203.0.113.0/24'), ip('198.51.100.7/32')],
        ],
        [
          'NodePort keeping the client IP, no sources',
          'NodePort',
          { platform: 'kind' },
          { preserveClientIp: true },
          ANYWHERE,
        ],
      ],
    )('%s', (_, serviceType, environment, overrides, from) => {
      const gateway = buildComponent({
        name: 'gateway',
        exposure: 'public',
        ports: [httpPort({ name: 'mqtt', port: 1883, targetPort: 1883 })],
        ...overrides,
      });
      const objects = policies(
        [gateway],
        [
          // The builder gives each Service type its entry point (node-port, load-balancer).
          buildRecommendation('gateway', { serviceType }),
        ],
        null,
        environment,
      );
      expect(rulesOf(objects, 'allow-gateway')).toEqual([{ from, ports: [{ port: 1883, protocol: 'TCP' }] }]);
    });

    it.each<[string, Partial<Component>]>([
      ['sources', { allowedSources: sources }],
      ['sources and the client IP kept', { allowedSources: sources, preserveClientIp: true }],
    ])(
      'AWS NLB with %s: admits the clients (their IP is preserved) and the NLB health checks from private VPC ranges',
      (_, overrides) => {
        const gateway = buildComponent({
          name: 'gateway',
          exposure: 'public',
          ports: [
            httpPort({ name: 'mqtt', port: 1883, targetPort: 1883 }),
            httpPort({ name: 'mqtts', port: 8883, targetPort: 'mqtts' }),
          ],
          ...overrides,
        });
        const objects = policies(
          [gateway],
          [buildRecommendation('gateway', { serviceType: 'LoadBalancer', entryPoint: 'load-balancer' })],
          null,
          { platform: 'aws' },
        );
        const ports = [
          { port: 1883, protocol: 'TCP' },
          { port: 'mqtts', protocol: 'TCP' },
        ];
        expect(rulesOf(objects, 'allow-gateway')).toEqual([
          { from: [ip('203.0.113.0/24'), ip('198.51.100.7/32')], ports },
          {
            from: [ip('10.0.0.0/8'), ip('172.16.0.0/12'), ip('192.168.0.0/16'), ip('100.64.0.0/10')],
            ports,
          },
        ]);
      },
    );

    it('adds no health-check rule where the policy already admits any address, or off AWS', () => {
      const gateway = (overrides: Partial<Component>) =>
        buildComponent({
          name: 'gateway',
          exposure: 'private',
          ports: [httpPort({ name: 'mqtt', port: 1883, targetPort: 1883 })],
          ...overrides,
        });
      const lb = [buildRecommendation('gateway', { serviceType: 'LoadBalancer', entryPoint: 'load-balancer' })];
      const open = policies([gateway({ preserveClientIp: true })], lb, null, { platform: 'aws' });
      expect(rulesOf(open, 'allow-gateway')).toEqual([{ from: ANYWHERE, ports: [{ port: 1883, protocol: 'TCP' }] }]);
      const gke = policies([gateway({ allowedSources: sources, preserveClientIp: true })], lb, null, {
        platform: 'gcp',
      });
      expect(rulesOf(gke, 'allow-gateway')).toHaveLength(1);
    });

    it('admits outside clients and in-cluster callers in separate rules', () => {
      const gateway = buildComponent({
        name: 'gateway',
        exposure: 'public',
        ports: [httpPort({ name: 'mqtt', port: 1883, targetPort: 1883 })],
      });
      const objects = policies(
        [gateway, { ...web, dependsOn: ['gateway'] }],
        [buildRecommendation('gateway', { serviceType: 'LoadBalancer' }), buildRecommendation('web')],
      );
      expect(rulesOf(objects, 'allow-gateway')).toEqual([
        { from: [pods('web')], ports: [{ port: 1883, protocol: 'TCP' }] },
        { from: ANYWHERE, ports: [{ port: 1883, protocol: 'TCP' }] },
      ]);
    });
  });
});

describe('per-port exposure in the NetworkPolicies', () => {
  const match = buildComponent({
    name: 'match',
    role: 'other',
    workload: 'StatefulSet',
    replicas: 3,
    exposure: 'public',
    ports: [
      httpPort({ name: 'game', port: 7777, targetPort: 7777, protocol: 'UDP' }),
      httpPort({ name: 'gossip', port: 7946, targetPort: 7946, exposure: 'internal' }),
    ],
  });
  const scraper = buildComponent({ name: 'scraper', role: 'other', dependsOn: ['match'] });
  const objects = policies(
    [match, scraper],
    [
      buildRecommendation('match', {
        serviceType: 'LoadBalancer',
        entryPoint: 'load-balancer',
        headless: true,
        internalService: { name: 'match-internal', ports: [{ name: 'gossip', port: 7946, protocol: 'TCP' }] },
      }),
      buildRecommendation('scraper'),
    ],
  );

  it('admits a port kept in-cluster from the callers and the peers, never from outside', () => {
    const rules = rulesOf(objects, 'allow-match');
    const fromOutside = rules.filter((rule) => rule.from.some((peer) => 'ipBlock' in peer));
    expect(fromOutside.length).toBeGreaterThan(0);
    for (const rule of fromOutside) {
      expect(rule.ports).toEqual([{ port: 7777, protocol: 'UDP' }]);
    }
    expect(rules).toContainEqual({
      from: [pods('scraper'), pods('match')],
      ports: [
        { port: 7777, protocol: 'UDP' },
        { port: 7946, protocol: 'TCP' },
      ],
    });
  });
});

describe('cluster CIDRs in the NetworkPolicies', () => {
  const sources = ['203.0.113.0/24'];
  const gateway = (overrides: Partial<Component> = {}) =>
    buildComponent({
      name: 'gateway',
      exposure: 'public',
      ports: [httpPort({ name: 'mqtt', port: 1883, targetPort: 1883 })],
      ...overrides,
    });
  const lb = [buildRecommendation('gateway', { serviceType: 'LoadBalancer', entryPoint: 'load-balancer' })];
  const ports = [{ port: 1883, protocol: 'TCP' }];

  it('excepts the pod ranges from a block that admits any address, where they do not overlap the nodes', () => {
    const objects = policies([gateway()], lb, null, {
      platform: 'gcp',
      podCidr: ['10.8.0.0/14', 'fd00:10::/56'],
      nodeCidr: ['10.128.0.0/20'],
    });
    expect(rulesOf(objects, 'allow-gateway')).toEqual([
      {
        from: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['10.8.0.0/14'] } },
          { ipBlock: { cidr: '::/0', except: ['fd00:10::/56'] } },
        ],
        ports,
      },
    ]);
  });

  it('never excepts a pod range that shares the node range (AWS VPC CNI), nor on AWS without nodeCidr', () => {
    const shared = policies([gateway()], lb, null, { podCidr: ['10.0.0.0/16'], nodeCidr: ['10.0.0.0/16'] });
    expect(rulesOf(shared, 'allow-gateway')).toEqual([{ from: ANYWHERE, ports }]);
    const unknownNodes = policies([gateway()], lb, null, { podCidr: ['10.1.0.0/16'] });
    expect(rulesOf(unknownNodes, 'allow-gateway')).toEqual([{ from: ANYWHERE, ports }]);
  });

  it('admits AWS NLB health checks from the node (VPC) range instead of every private range', () => {
    const objects = policies([gateway({ allowedSources: sources })], lb, null, {
      platform: 'aws',
      nodeCidr: ['10.0.0.0/16'],
      podCidr: ['100.64.0.0/16'],
    });
    expect(rulesOf(objects, 'allow-gateway')).toEqual([
      { from: [ip('203.0.113.0/24')], ports },
      { from: [ip('10.0.0.0/16')], ports },
    ]);
  });

  it('says on AWS without nodeCidr that every private range stands in for the NLB health checks', () => {
    const topology = topologyWith([gateway({ allowedSources: sources })], { platform: 'aws' });
    const notes = (networkPolicyNotes(topology, lb, null).get('gateway') ?? []).join('\n');
    expect(notes).toContain(
      'every private range, where the plan means the node or VPC addresses (AWS NLB health checks, an ingress controller or Gateway on the nodes)',
    );
  });

  it('says in the rationale which pods the default deny selects and where a block is broader than it looks', () => {
    const topology = topologyWith([gateway()], { platform: 'gcp' });
    const [scope, broad] = networkPolicyNotes(topology, lb, null).get('gateway') ?? [];
    expect(scope).toMatch(/^default-deny-ingress selects only this plan's pods \(app in gateway\), not every pod/);
    expect(scope).toContain('environment.ownsNamespace is not true');
    expect(broad).toMatch(/admits 0\.0\.0\.0\/0, ::\/0, which is broader than it looks/);
    const owned = topologyWith([gateway()], {
      platform: 'gcp',
      ownsNamespace: true,
      podCidr: ['10.8.0.0/14'],
      nodeCidr: ['10.128.0.0/20'],
    });
    const ownedNotes = networkPolicyNotes(owned, lb, null).get('gateway') ?? [];
    expect(ownedNotes[0]).toMatch(/selects every pod of namespace production \(environment.ownsNamespace: true\)/);
    expect(ownedNotes.join('\n')).toContain('0.0.0.0/0 minus the pod ranges');
    // No IPv6 pod range: ::/0 holds no pods, so it is not called broad.
    expect(ownedNotes.join('\n')).not.toContain('broader');
    expect(ownedNotes).toHaveLength(2);
  });
});

describe('callers outside the topology (allowFrom)', () => {
  const api = buildComponent({
    name: 'api',
    ports: [
      httpPort({ name: 'http', port: 80, targetPort: 8080 }),
      httpPort({ name: 'metrics', port: 9090, targetPort: 9090 }),
    ],
    allowFrom: [
      { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, ports: ['metrics'] },
      { namespace: 'partners' },
    ],
  });

  it('admits each by namespace name (and pod labels in the same peer), on the listed ports or all', () => {
    const objects = policies([api], [buildRecommendation('api')]);
    expect(rulesOf(objects, 'allow-api')).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'partners' } } }],
        ports: [
          { port: 8080, protocol: 'TCP' },
          { port: 9090, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('names a port by its Service port number too', () => {
    const byNumber = { ...api, allowFrom: [{ namespace: 'ops', ports: [80] }] };
    const objects = policies([byNumber], [buildRecommendation('api')]);
    expect(at(rulesOf(objects, 'allow-api'), 0).ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });
});

describe('an ingress controller on bare metal without a load-balancer provider', () => {
  const web = buildComponent({ name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com' });
  const recommendations = [buildRecommendation('web', { entryPoint: 'ingress' })];
  const ingress = buildIngressPlan(['web']);

  it('admits the node range beside the controller namespace, on the routed port', () => {
    const objects = policies([web], recommendations, ingress, {
      platform: 'bare-metal',
      nodeCidr: ['192.168.10.0/24'],
    });
    expect(at(rulesOf(objects, 'allow-web'), 0).from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      ip('192.168.10.0/24'),
    ]);
  });

  it('admits every private range without nodeCidr, and says it is broader than the nodes; not with a provider', () => {
    const open = policies([web], recommendations, ingress, { platform: 'bare-metal' });
    expect(at(rulesOf(open, 'allow-web'), 0).from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      ip('10.0.0.0/8'),
      ip('172.16.0.0/12'),
      ip('192.168.0.0/16'),
      ip('100.64.0.0/10'),
    ]);
    const notes = (environment: Partial<Environment>) =>
      (networkPolicyNotes(topologyWith([web], environment), recommendations, ingress).get('web') ?? []).join('\n');
    expect(notes({ platform: 'bare-metal' })).toContain(
      "so this policy also admits the nodes on the routed port: every private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10), since environment.nodeCidr does not give the nodes' range",
    );
    expect(notes({ platform: 'bare-metal' })).toContain(
      'every private range, where the plan means the node or VPC addresses (an ingress controller or Gateway on the nodes)',
    );
    // No AWS load balancer here: the stand-in note names only what the plan admits the range for.
    expect(notes({ platform: 'bare-metal' })).not.toContain('AWS NLB');
    const pooled = policies([web], recommendations, ingress, {
      platform: 'bare-metal',
      loadBalancerProvider: 'metallb',
    });
    expect(at(rulesOf(pooled, 'allow-web'), 0).from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
    expect(notes({ platform: 'bare-metal', loadBalancerProvider: 'metallb' })).not.toContain('hostNetwork');
  });

  it.each<[string, Partial<Environment>, boolean]>([
    ['kind without a provider', { platform: 'kind' }, true],
    ['minikube without a provider', { platform: 'minikube' }, true],
    ['k3s with ServiceLB turned off', { platform: 'k3s', loadBalancerProvider: 'none' }, true],
    ['kind with MetalLB', { platform: 'kind', loadBalancerProvider: 'metallb' }, false],
    ['k3s with ServiceLB', { platform: 'k3s', loadBalancerProvider: 'servicelb' }, false],
    ['a cloud', { platform: 'gcp' }, false],
  ])('on %s, admits the node range for the controller: %s', (_, environment, admitted) => {
    const objects = policies([web], recommendations, buildIngressPlan(['web'], { className: 'traefik' }), {
      ...environment,
      nodeCidr: ['172.18.0.0/16'],
    });
    expect(at(rulesOf(objects, 'allow-web'), 0).from.some((peer) => 'ipBlock' in peer)).toBe(admitted);
    if (admitted) {
      expect(at(rulesOf(objects, 'allow-web'), 0).from).toContainEqual(ip('172.18.0.0/16'));
    }
  });
});

describe('a Gateway data plane on the nodes', () => {
  const web = buildComponent({ name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com' });
  const recommendations = [buildRecommendation('web', { entryPoint: 'ingress' })];
  const ingress = buildIngressPlan(['web']);
  const envoy = [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
      podSelector: { matchLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'shop' } },
    },
  ];
  const gatewayPolicies = (environment: Partial<Environment>, peers: typeof envoy | null = envoy) =>
    renderNetworkPolicies(topologyWith([web], environment), recommendations, ingress, peers);

  it('admits the node range beside the data plane on bare metal without a provider, kind and minikube', () => {
    for (const platform of ['bare-metal', 'kind', 'minikube'] as const) {
      const objects = gatewayPolicies({ platform, nodeCidr: ['192.168.49.0/24'] });
      expect(rulesOf(objects, 'allow-web')).toEqual([
        { from: [...envoy, ip('192.168.49.0/24')], ports: [{ port: 8080, protocol: 'TCP' }] },
      ]);
    }
    const pooled = gatewayPolicies({
      platform: 'bare-metal',
      loadBalancerProvider: 'metallb',
      nodeCidr: ['192.168.49.0/24'],
    });
    expect(at(rulesOf(pooled, 'allow-web'), 0).from).toEqual(envoy);
  });

  it('says so in the rationale, and counts every private range as broader than it looks', () => {
    const topology = topologyWith([web], { platform: 'kind' });
    const notes = (networkPolicyNotes(topology, recommendations, ingress, envoy).get('web') ?? []).join('\n');
    expect(notes).toContain(
      "the Gateway's data plane here (kind, no load-balancer provider) is reached on a NodePort or runs on hostNetwork",
    );
    const manifests = renderNetworkPolicies(topology, recommendations, ingress, envoy);
    expect(broaderThanItLooks(topology, web, manifests)).toMatchObject({
      component: 'web',
      cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'],
      narrowWith: ['environment.podCidr', 'environment.nodeCidr'],
    });
  });

  it('adds nothing where no NetworkPolicy can admit the data plane (Cilium)', () => {
    expect(rulesOf(gatewayPolicies({ platform: 'bare-metal' }, null), 'allow-web')).toEqual([]);
  });
});

describe('egress restricted (environment.egress restrict)', () => {
  const dnsRule = {
    to: [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ],
    ports: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ],
  };
  const egressOf = (objects: KubeObject[], name: string) =>
    objects.find((obj) => obj.metadata.name === name)?.spec as
      { podSelector: unknown; policyTypes: string[]; egress: { to: unknown[]; ports: unknown[] }[] } | undefined;
  const api = buildComponent({
    name: 'api',
    dependsOn: ['db', 'payments', 'legacy'],
    ports: [httpPort({ name: 'http', port: 80, targetPort: 8080 })],
  });
  const db = buildComponent({
    name: 'db',
    role: 'database',
    workload: 'StatefulSet',
    ports: [
      httpPort({ name: 'postgres', port: 5432, targetPort: 5432 }),
      httpPort({ name: 'metrics', port: 9187, targetPort: 9187, exposure: 'internal' }),
    ],
  });
  const payments = buildComponent({
    name: 'payments',
    externalName: 'api.payments.example.com',
    ports: [httpPort({ name: 'https', port: 443, targetPort: 8443 })],
  });
  const legacy = buildComponent({ name: 'legacy', externalName: 'legacy.corp.example.com', ports: [] });
  const mailer = buildComponent({ name: 'mailer', role: 'worker', ports: [], dependsOn: ['db'] });
  const components = [api, db, payments, legacy, mailer];
  const recommendations = [
    buildRecommendation('api'),
    buildRecommendation('db', { headless: true }),
    buildRecommendation('payments', { serviceType: 'ExternalName' }),
    buildRecommendation('legacy', { serviceType: 'ExternalName' }),
    buildRecommendation('mailer', { serviceType: null }),
  ];
  const objects = policies(components, recommendations, null, { egress: 'restrict', platform: 'gcp' });

  it('adds a default deny for egress over the same pods as the ingress one, then one egress policy per component with pods', () => {
    expect(objects.map((obj) => obj.metadata.name)).toEqual([
      'default-deny-ingress',
      'default-deny-egress',
      'allow-db',
      'egress-api',
      'egress-db',
      'egress-mailer',
    ]);
    const ingressDeny = at(objects, 0);
    const egressDeny = at(objects, 1);
    expect(egressDeny.spec).toEqual({
      podSelector: (ingressDeny.spec as { podSelector: unknown }).podSelector,
      policyTypes: ['Egress'],
    });
    expect((ingressDeny.spec as { podSelector: unknown }).podSelector).toEqual({
      matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'db', 'mailer'] }],
    });
  });

  it('admits DNS, each dependency on the ports its allow policy admits, and ExternalName ports to any address', () => {
    expect(egressOf(objects, 'egress-api')).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress'],
      egress: [
        dnsRule,
        // Both of db's ports, the one kept in-cluster included: allow-db admits api on both.
        {
          to: [pods('db')],
          ports: [
            { port: 5432, protocol: 'TCP' },
            { port: 9187, protocol: 'TCP' },
          ],
        },
        // The ExternalName's Service port (443), not a targetPort: the name resolves outside the cluster.
        { to: ANYWHERE, ports: [{ port: 443, protocol: 'TCP' }] },
      ],
    });
    expect(at(rulesOf(objects, 'allow-db'), 0).ports).toEqual(egressOf(objects, 'egress-api')?.egress[1]?.ports);
  });

  it('lets StatefulSet peers reach each other, and gives a worker without ports its egress policy', () => {
    expect(egressOf(objects, 'egress-db')?.egress).toEqual([
      dnsRule,
      {
        to: [pods('db')],
        ports: [
          { port: 5432, protocol: 'TCP' },
          { port: 9187, protocol: 'TCP' },
        ],
      },
    ]);
    expect(egressOf(objects, 'egress-mailer')?.egress).toEqual([
      dnsRule,
      {
        to: [pods('db')],
        ports: [
          { port: 5432, protocol: 'TCP' },
          { port: 9187, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('excepts the pod ranges from the ExternalName block, as from every broad block', () => {
    const narrowed = policies(components, recommendations, null, {
      egress: 'restrict',
      platform: 'gcp',
      podCidr: ['10.8.0.0/14'],
      nodeCidr: ['10.128.0.0/20'],
    });
    expect(egressOf(narrowed, 'egress-api')?.egress[2]?.to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.8.0.0/14'] } },
      ip('::/0'),
    ]);
  });

  it('says in the rationale what egress admits, and that an ExternalName without ports gets nothing', () => {
    const notes = networkPolicyNotes(topologyWith(components, { egress: 'restrict' }), recommendations, null);
    const api = (notes.get('api') ?? []).join('\n');
    expect(api).toContain('default-deny-ingress and default-deny-egress select only this plan');
    expect(api).toContain(
      'egress is restricted (environment.egress restrict): egress-api admits only DNS (the kube-dns pods in kube-system, UDP and TCP 53); the pods of db on their ports; payments (443/TCP) at any address, on those ports only: an ExternalName resolves outside the cluster',
    );
    expect(api).toContain('legacy has no ports, so no connection to it is admitted');
    expect((notes.get('mailer') ?? []).join('\n')).toContain('egress-mailer admits only DNS');
  });

  it('leaves egress open by default: no egress policy at all', () => {
    const open = policies(components, recommendations, null, { platform: 'gcp' });
    expect(open.filter((obj) => (obj.spec as { policyTypes: string[] }).policyTypes.includes('Egress'))).toEqual([]);
  });

  it("in a namespace the topology owns, lets the verification's test pods reach DNS and the namespace's pods, nothing else", () => {
    const owned = policies(components, recommendations, null, { egress: 'restrict', ownsNamespace: true });
    expect(at(owned, 1).spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    // Without it the namespace-wide deny keeps the test pods from DNS and from the Service they
    // probe: every probe would time out on its own egress, with or without allow policies.
    expect(egressOf(owned, 'egress.verification-probes')).toEqual({
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/component': 'verification-probe',
          'app.kubernetes.io/managed-by': 'exposure-planner',
        },
      },
      policyTypes: ['Egress'],
      egress: [dnsRule, { to: [{ podSelector: {} }] }],
    });
    // The plan's pods lack those labels, so the policy widens none of the components' egress.
    for (const component of [api, db, mailer]) {
      expect(component.labels).not.toHaveProperty('app.kubernetes.io/component');
    }
    // In a shared namespace the deny selects only the plan's pods, never the test pods: no such policy.
    expect(egressOf(objects, 'egress.verification-probes')).toBeUndefined();
    expect(
      egressOf(policies(components, recommendations, null, { ownsNamespace: true }), 'egress.verification-probes'),
    ).toBeUndefined();
  });

  it('denies egress per component where no one key selects every pod', () => {
    const twoLabels = { ...mailer, labels: { app: 'mailer', tier: 'jobs' } };
    const objects = policies([api, db, twoLabels], recommendations, null, { egress: 'restrict' });
    expect(objects.map((obj) => obj.metadata.name).filter((name) => name.startsWith('default-deny-egress'))).toEqual([
      'default-deny-egress-api',
      'default-deny-egress-db',
      'default-deny-egress-mailer',
    ]);
  });
});

describe('ownsNamespace with a Gateway whose proxies run in the namespace (AKS application routing)', () => {
  const result = planOf({
    name: 'portal',
    namespace: 'portal',
    environment: { platform: 'azure', routing: 'gateway-api', ownsNamespace: true, egress: 'restrict' },
    components: [
      {
        name: 'web',
        role: 'frontend',
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        exposure: 'public',
        host: 'www.example.com',
        tls: true,
      },
    ],
  });
  const policy = (name: string) => result.manifests.find((object) => object.metadata.name === name);

  it('leaves the proxies out of the namespace-wide default deny, and only them', () => {
    expect(result.gateway?.className).toBe('approuting-istio');
    const selector = {
      matchExpressions: [{ key: 'gateway.networking.k8s.io/gateway-name', operator: 'NotIn', values: ['portal'] }],
    };
    expect(policy('default-deny-ingress')?.spec).toMatchObject({ podSelector: selector });
    expect(policy('default-deny-egress')?.spec).toMatchObject({ podSelector: selector });
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('says so in the rationale', () => {
    expect(result.recommendations.find((r) => r.component === 'web')?.rationale.join(' ')).toContain(
      "but the Gateway's proxies (gateway.networking.k8s.io/gateway-name=portal)",
    );
  });

  it('keeps podSelector {} without such a Gateway', () => {
    const plain = planOf({
      name: 'portal',
      namespace: 'portal',
      environment: { platform: 'azure', ownsNamespace: true },
      components: [{ name: 'api', role: 'api', ports: [{ name: 'http', port: 80 }], exposure: 'internal' }],
    });
    expect(plain.manifests.find((object) => object.metadata.name === 'default-deny-ingress')?.spec).toMatchObject({
      podSelector: {},
    });
  });
});
