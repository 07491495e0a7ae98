import fc from 'fast-check';
import { validateManifest, validateManifests } from './testing/kube-validation.js';
import { headlessServiceName } from './manifest-conventions.js';
import { renderManifests } from './manifests.js';
import { MAX_STATEFULSET_NAME_LENGTH } from './topology/index.js';
import {
  type Json,
  buildComponent,
  buildIngressPlan,
  httpPort,
  topologyWith,
  byName,
  names,
  render,
  specOf,
  buildRecommendation,
  shopLabels,
} from './testing/builders.js';
import { manifestInput } from './testing/arbitraries.js';
import {
  PLATFORMS,
  type Component,
  type Environment,
  type LoadBalancerRecommendation,
  type Recommendation,
} from './types.js';
import { at } from './testing/items.js';

function renderOne(
  component: Component,
  recommendation: Partial<Recommendation>,
  environment: Partial<Environment> = {},
) {
  const objects = render(topologyWith([component], environment), [buildRecommendation(component.name, recommendation)]);
  return { objects, service: byName(objects, 'Service', component.name) };
}

describe(renderManifests.name, () => {
  describe('ClusterIP Service', () => {
    it('renders name, namespace, labels, selector and every port field, keys in kubectl order', () => {
      const api = buildComponent({
        name: 'api',
        labels: { app: 'api', tier: 'backend' },
        ports: [
          httpPort({ name: 'http', port: 80, targetPort: 'web', appProtocol: 'http' }),
          httpPort({ name: 'metrics', port: 9090, targetPort: 9090 }),
        ],
      });
      const { service } = renderOne(api, { serviceType: 'ClusterIP' });
      expect(service).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'api',
          namespace: 'production',
          labels: shopLabels('api'),
        },
        spec: {
          type: 'ClusterIP',
          selector: { app: 'api', tier: 'backend' },
          ports: [
            { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP', appProtocol: 'http' },
            { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
          ],
        },
      });
      expect(Object.keys(service ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(Object.keys(specOf(service).ports[0])).toEqual(['name', 'port', 'targetPort', 'protocol', 'appProtocol']);
    });

    it('leaves out a pinned nodePort, client-IP policy and source ranges: none of them apply in-cluster', () => {
      const api = buildComponent({
        name: 'api',
        ports: [httpPort({ nodePort: 30080 })],
        preserveClientIp: true,
        allowedSources: ['10.0.0.0/8'],
      });
      const spec = specOf(renderOne(api, { serviceType: 'ClusterIP' }).service);
      expect(spec.ports[0]).not.toHaveProperty('nodePort');
      expect(spec).not.toHaveProperty('externalTrafficPolicy');
      expect(spec).not.toHaveProperty('loadBalancerSourceRanges');
    });

    it('renders an unnamed single port without a name key', () => {
      const api = buildComponent({ name: 'api', ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] });
      expect(specOf(renderOne(api, {}).service).ports).toEqual([{ port: 5432, targetPort: 5432, protocol: 'TCP' }]);
    });
  });

  describe('NodePort Service', () => {
    it('keeps a pinned nodePort', () => {
      const admin = buildComponent({ name: 'admin', exposure: 'node', ports: [httpPort({ nodePort: 30080 })] });
      const spec = specOf(renderOne(admin, { serviceType: 'NodePort', entryPoint: 'node-port' }).service);
      expect(spec.type).toBe('NodePort');
      expect(spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30080 }]);
    });

    it('lets Kubernetes pick the nodePort when none is pinned', () => {
      const admin = buildComponent({ name: 'admin', exposure: 'node' });
      const spec = specOf(renderOne(admin, { serviceType: 'NodePort', entryPoint: 'node-port' }).service);
      expect(spec.ports[0]).not.toHaveProperty('nodePort');
      expect(spec).not.toHaveProperty('externalTrafficPolicy');
    });

    it('sets externalTrafficPolicy Local only when the client IP must be kept', () => {
      const admin = buildComponent({ name: 'admin', exposure: 'node', preserveClientIp: true });
      expect(specOf(renderOne(admin, { serviceType: 'NodePort' }).service).externalTrafficPolicy).toBe('Local');
    });

    it('carries no loadBalancerSourceRanges (they only exist on LoadBalancer Services)', () => {
      const admin = buildComponent({ name: 'admin', exposure: 'node', allowedSources: ['10.0.0.0/8'] });
      expect(specOf(renderOne(admin, { serviceType: 'NodePort' }).service)).not.toHaveProperty(
        'loadBalancerSourceRanges',
      );
    });
  });

  describe('LoadBalancer Service', () => {
    const AWS_PUBLIC = {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    };
    const AWS_PRESERVE = {
      'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true',
    };

    it.each<
      [
        string,
        Partial<Environment>,
        Partial<LoadBalancerRecommendation>,
        Partial<Component>,
        Record<string, string> | undefined,
      ]
    >([
      ['aws internet-facing', { platform: 'aws' }, { scheme: 'internet-facing' }, {}, AWS_PUBLIC],
      [
        'aws internal',
        { platform: 'aws' },
        { scheme: 'internal' },
        {},
        { ...AWS_PUBLIC, 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
      ],
      [
        'aws with source ranges (client IP preservation on)',
        { platform: 'aws' },
        { scheme: 'internet-facing' },
        { allowedSources: ['203.0.113.0/24'] },
        { ...AWS_PUBLIC, ...AWS_PRESERVE },
      ],
      [
        'aws keeping the client IP',
        { platform: 'aws' },
        { scheme: 'internet-facing' },
        { preserveClientIp: true },
        { ...AWS_PUBLIC, ...AWS_PRESERVE },
      ],
      [
        'gcp internet-facing',
        { platform: 'gcp' },
        { scheme: 'internet-facing' },
        {},
        { 'cloud.google.com/l4-rbs': 'enabled' },
      ],
      [
        'gcp internal',
        { platform: 'gcp' },
        { scheme: 'internal' },
        {},
        { 'networking.gke.io/load-balancer-type': 'Internal' },
      ],
      [
        'azure internet-facing',
        { platform: 'azure' },
        { scheme: 'internet-facing' },
        {},
        { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' },
      ],
      [
        'azure internal',
        { platform: 'azure' },
        { scheme: 'internal' },
        {},
        { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
      ],
      [
        'digitalocean internet-facing',
        { platform: 'digitalocean' },
        { scheme: 'internet-facing' },
        {},
        {
          'service.beta.kubernetes.io/do-loadbalancer-type': 'REGIONAL',
          'service.beta.kubernetes.io/do-loadbalancer-network': 'EXTERNAL',
          'service.beta.kubernetes.io/do-loadbalancer-size-unit': '1',
        },
      ],
      [
        'digitalocean internal',
        { platform: 'digitalocean' },
        { scheme: 'internal' },
        {},
        {
          'service.beta.kubernetes.io/do-loadbalancer-type': 'REGIONAL',
          'service.beta.kubernetes.io/do-loadbalancer-network': 'INTERNAL',
          'service.beta.kubernetes.io/do-loadbalancer-size-unit': '1',
        },
      ],
      ['other-cloud (no portable annotation)', { platform: 'other-cloud' }, { scheme: 'internal' }, {}, undefined],
      [
        'bare metal with a MetalLB pool',
        { platform: 'bare-metal', loadBalancerProvider: 'metallb', addressPool: 'public-pool' },
        {},
        {},
        { 'metallb.io/address-pool': 'public-pool' },
      ],
      [
        'k3s with a MetalLB pool',
        { platform: 'k3s', loadBalancerProvider: 'metallb', addressPool: 'lan' },
        {},
        {},
        { 'metallb.io/address-pool': 'lan' },
      ],
      [
        'bare metal with MetalLB and no pool',
        { platform: 'bare-metal', loadBalancerProvider: 'metallb' },
        {},
        {},
        undefined,
      ],
      [
        'bare metal with kube-vip (pools are per namespace)',
        { platform: 'bare-metal', loadBalancerProvider: 'kube-vip', addressPool: 'lan' },
        {},
        {},
        undefined,
      ],
      ['k3s with servicelb', { platform: 'k3s', loadBalancerProvider: 'servicelb' }, {}, {}, undefined],
    ])('%s', (_, environment, recommendation, component, annotations) => {
      const mqtt = buildComponent({ name: 'mqtt', exposure: 'public', ...component });
      const service = renderOne(
        mqtt,
        { serviceType: 'LoadBalancer', entryPoint: 'load-balancer', ...recommendation },
        environment,
      ).service;
      expect(service?.metadata.annotations).toEqual(annotations);
      expect(specOf(service).type).toBe('LoadBalancer');
    });

    it('turns allowed sources into loadBalancerSourceRanges, a bare address into a /32 or /128', () => {
      const partner = buildComponent({
        name: 'partner',
        exposure: 'private',
        allowedSources: ['10.20.0.0/16', '198.51.100.7', '2001:db8::1'],
      });
      const spec = specOf(
        renderOne(partner, { serviceType: 'LoadBalancer', scheme: 'internal' }, { platform: 'azure' }).service,
      );
      expect(spec.loadBalancerSourceRanges).toEqual(['10.20.0.0/16', '198.51.100.7/32', '2001:db8::1/128']);
    });

    it('keeps pinned nodePorts and sets Local traffic policy when the client IP must be kept', () => {
      const gw = buildComponent({
        name: 'gw',
        exposure: 'public',
        preserveClientIp: true,
        ports: [httpPort({ nodePort: 31000 })],
      });
      const spec = specOf(renderOne(gw, { serviceType: 'LoadBalancer' }, { platform: 'gcp' }).service);
      expect(spec.ports[0].nodePort).toBe(31000);
      expect(spec.externalTrafficPolicy).toBe('Local');
    });

    it('sets no externalTrafficPolicy on the AWS NLB, whose ip targets bypass kube-proxy: client IP preservation keeps the address', () => {
      const gw = buildComponent({ name: 'gw', exposure: 'public', preserveClientIp: true });
      const { service } = renderOne(gw, { serviceType: 'LoadBalancer' }, { platform: 'aws' });
      expect(specOf(service)).not.toHaveProperty('externalTrafficPolicy');
      expect(service?.metadata.annotations).toMatchObject({
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true',
      });
    });

    it.each(PLATFORMS)(
      'opens node ports for a LoadBalancer on %s only where its load balancer sends to them (the AWS NLB sends to pods)',
      (platform) => {
        const gw = buildComponent({ name: 'gw', exposure: 'public', allowedSources: ['203.0.113.0/24'] });
        const spec = specOf(renderOne(gw, { serviceType: 'LoadBalancer' }, { platform }).service);
        if (platform === 'aws') {
          expect(spec.allocateLoadBalancerNodePorts).toBe(false);
        } else {
          expect(spec).not.toHaveProperty('allocateLoadBalancerNodePorts');
        }
      },
    );

    it('keeps externalTrafficPolicy Local on an AWS NodePort, which kube-proxy serves', () => {
      const admin = buildComponent({ name: 'admin', exposure: 'node', preserveClientIp: true });
      const { service } = renderOne(admin, { serviceType: 'NodePort' }, { platform: 'aws' });
      expect(specOf(service).externalTrafficPolicy).toBe('Local');
    });
  });

  describe('headless Service', () => {
    const db = buildComponent({
      name: 'db',
      role: 'database',
      workload: 'StatefulSet',
      replicas: 3,
      ports: [httpPort({ name: 'postgres', port: 5432, targetPort: 5432 })],
    });

    it('renders <name>-headless with clusterIP None, the same selector and ports, and publishes not-ready pods', () => {
      const objects = render(topologyWith([db]), [buildRecommendation('db', { headless: true })]);
      expect(byName(objects, 'Service', 'db-headless')).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'db-headless',
          namespace: 'production',
          labels: shopLabels('db'),
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: 'None',
          selector: { app: 'db' },
          ports: [{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }],
          publishNotReadyAddresses: true,
        },
      });
    });

    it('never carries a nodePort, even when the main Service does', () => {
      const pinned = { ...db, ports: [httpPort({ nodePort: 30432 })] };
      const objects = render(topologyWith([pinned]), [
        buildRecommendation('db', { serviceType: 'NodePort', headless: true }),
      ]);
      expect(specOf(byName(objects, 'Service', 'db')).ports[0].nodePort).toBe(30432);
      expect(specOf(byName(objects, 'Service', 'db-headless')).ports[0]).not.toHaveProperty('nodePort');
    });

    it('comes after every main Service', () => {
      const web = buildComponent({ name: 'web' });
      const objects = render(topologyWith([db, web]), [
        buildRecommendation('db', { headless: true }),
        buildRecommendation('web'),
      ]);
      expect(names(objects).slice(0, 3)).toEqual(['Service/db', 'Service/web', 'Service/db-headless']);
    });

    it('is always <component>-headless: validation leaves room for the suffix and refuses a clashing name', () => {
      expect(headlessServiceName('db')).toBe('db-headless');
      const longest = 's'.repeat(MAX_STATEFULSET_NAME_LENGTH);
      expect(headlessServiceName(longest)).toHaveLength(63);
      const component = { ...db, name: longest, labels: { app: 'long' } };
      const objects = render(topologyWith([component]), [buildRecommendation(longest, { headless: true })]);
      expect(names(objects)).toContain(`Service/${longest}-headless`);
    });
  });

  describe('ExternalName Service', () => {
    it('points at the DNS name, with no selector and no ports when none are given', () => {
      const legacy = buildComponent({ name: 'legacy', ports: [], externalName: 'legacy-db.corp.example.com' });
      const { service, objects } = renderOne(legacy, { serviceType: 'ExternalName' });
      expect(service?.spec).toEqual({ type: 'ExternalName', externalName: 'legacy-db.corp.example.com' });
      // No pods of the plan in a shared namespace: nothing for a default deny to select.
      expect(names(objects)).toEqual(['Service/legacy']);
    });

    it('keeps ports when they are given', () => {
      const legacy = buildComponent({
        name: 'legacy',
        ports: [httpPort({ name: 'pg', port: 5432, targetPort: 5432 })],
        externalName: 'db.example.com',
      });
      expect(specOf(renderOne(legacy, { serviceType: 'ExternalName' }).service)).toEqual({
        type: 'ExternalName',
        externalName: 'db.example.com',
        ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }],
      });
    });
  });

  it('renders no Service for a worker without ports, but denies its pods (shared namespace or its own)', () => {
    const worker = buildComponent({ name: 'mailer', role: 'worker', ports: [] });
    const recommendations = [buildRecommendation('mailer', { serviceType: null })];
    const shared = render(topologyWith([worker]), recommendations);
    expect(names(shared)).toEqual(['NetworkPolicy/default-deny-ingress']);
    expect((at(shared, 0).spec as { podSelector: unknown }).podSelector).toEqual({
      matchExpressions: [{ key: 'app', operator: 'In', values: ['mailer'] }],
    });
    expect(names(render(topologyWith([worker], { ownsNamespace: true }), recommendations))).toEqual([
      'NetworkPolicy/default-deny-ingress',
    ]);
    expect(names(render(topologyWith([worker], { egress: 'restrict' }), recommendations))).toEqual([
      'NetworkPolicy/default-deny-ingress',
      'NetworkPolicy/default-deny-egress',
      'NetworkPolicy/egress-mailer',
    ]);
  });

  describe('determinism', () => {
    const topology = topologyWith(
      [
        buildComponent({ name: 'web', exposure: 'public', host: 'shop.example.com', dependsOn: ['api'] }),
        buildComponent({ name: 'api', dependsOn: ['db'] }),
        buildComponent({
          name: 'db',
          workload: 'StatefulSet',
          ports: [httpPort({ name: 'pg', port: 5432, targetPort: 5432 })],
        }),
        buildComponent({ name: 'gw', exposure: 'public', allowedSources: ['203.0.113.0/24'] }),
      ],
      { ingressController: 'nginx' },
    );
    const recommendations = [
      buildRecommendation('web', { entryPoint: 'ingress' }),
      buildRecommendation('api'),
      buildRecommendation('db', { headless: true }),
      buildRecommendation('gw', {
        serviceType: 'LoadBalancer',
        entryPoint: 'load-balancer',
        scheme: 'internet-facing',
      }),
    ];

    it('gives byte-identical output for the same input', () => {
      const first = JSON.stringify(renderManifests(topology, recommendations, buildIngressPlan(['web'])));
      const second = JSON.stringify(
        renderManifests(structuredClone(topology), structuredClone(recommendations), buildIngressPlan(['web'])),
      );
      expect(second).toBe(first);
    });

    it('does not depend on the order of the recommendations', () => {
      const reversed = [...recommendations].reverse();
      expect(renderManifests(topology, reversed, buildIngressPlan(['web']))).toEqual(
        renderManifests(topology, recommendations, buildIngressPlan(['web'])),
      );
    });

    it('does not mutate its inputs', () => {
      const frozen = structuredClone(topology);
      renderManifests(frozen, recommendations, buildIngressPlan(['web']))
        .filter((obj) => obj.kind === 'Service')
        .forEach((obj) => ((specOf(obj).selector as Json).mutated = 'yes'));
      expect(frozen).toEqual(topology);
    });

    it('keeps apiVersion, kind, metadata, spec first on every object', () => {
      for (const obj of render(topology, recommendations, buildIngressPlan(['web']))) {
        expect(Object.keys(obj)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
        expect(Object.keys(obj.metadata).slice(0, 3)).toEqual(['name', 'namespace', 'labels']);
      }
    });
  });

  it('property: every object rendered from any consistent plan passes the API-server checks, as a set too', () => {
    fc.assert(
      fc.property(manifestInput, ({ topology, recommendations, ingress }) => {
        const objects = renderManifests(topology, recommendations, ingress);
        for (const obj of objects) {
          expect(validateManifest(obj), JSON.stringify(obj)).toEqual([]);
        }
        expect(validateManifests(objects)).toEqual([]);
        expect(JSON.stringify(renderManifests(topology, recommendations, ingress))).toBe(JSON.stringify(objects));
      }),
      { numRuns: 400 },
    );
  });
});

describe('per-port exposure in the Services', () => {
  const web = buildComponent({
    name: 'web',
    role: 'frontend',
    exposure: 'public',
    ports: [
      httpPort({ name: 'http', port: 80, targetPort: 8080 }),
      httpPort({ name: 'metrics', port: 9090, targetPort: 9090, exposure: 'internal' }),
    ],
  });

  it('puts the published ports on the Service and the others on a ClusterIP <name>-internal, same selector', () => {
    const { objects, service } = renderOne(web, { serviceType: 'LoadBalancer', entryPoint: 'load-balancer' });
    expect((specOf(service) as { ports: { name: string }[] }).ports.map((port) => port.name)).toEqual(['http']);
    expect(specOf(byName(objects, 'Service', 'web-internal'))).toEqual({
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }],
    });
  });

  it('keeps every port on the headless Service of a StatefulSet, for its peers', () => {
    const { objects } = renderOne(
      { ...web, workload: 'StatefulSet' },
      { serviceType: 'LoadBalancer', entryPoint: 'load-balancer', headless: true },
    );
    const headless = specOf(byName(objects, 'Service', 'web-headless')) as { ports: { name: string }[] };
    expect(headless.ports.map((port) => port.name)).toEqual(['http', 'metrics']);
  });

  it('renders no second Service for an internal component, whatever its ports say', () => {
    const { objects, service } = renderOne({ ...web, exposure: 'internal' }, {});
    expect(byName(objects, 'Service', 'web-internal')).toBeUndefined();
    expect((specOf(service) as { ports: unknown[] }).ports).toHaveLength(2);
  });
});
