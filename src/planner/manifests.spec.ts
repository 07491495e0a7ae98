import fc from 'fast-check';
import { validateManifest, validateManifests } from './testing/kube-validation.js';
import { headlessServiceName } from './manifest-conventions.js';
import { renderManifests } from './manifests.js';
import { assignIngressPaths } from './routing/ingress.js';
import { MAX_STATEFULSET_NAME_LENGTH } from './topology/index.js';
import { buildRecommendation } from './testing/builders.js';
import {
  buildComponent,
  buildIngressPlan,
  buildPort,
  buildTopology,
  manifestInput,
} from './testing/manifest-builders.js';
import type {
  Component,
  Environment,
  IngressPlan,
  KubeObject,
  LoadBalancerRecommendation,
  Recommendation,
  Topology,
} from './types.js';

// Reading deep into rendered specs: the tests assert the shape, so they index freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const specOf = (obj: KubeObject | undefined): Json => obj?.spec ?? {};
const byName = (objects: KubeObject[], kind: string, name: string): KubeObject | undefined =>
  objects.find((obj) => obj.kind === kind && obj.metadata.name === name);
const names = (objects: KubeObject[]) => objects.map((obj) => `${obj.kind}/${obj.metadata.name}`);

/** Render, and fail the test if anything rendered would be refused. */
function render(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null = null,
): KubeObject[] {
  const objects = renderManifests(topology, recommendations, ingress);
  expect(validateManifests(objects)).toEqual([]);
  return objects;
}

function renderOne(
  component: Component,
  recommendation: Partial<Recommendation>,
  environment: Partial<Environment> = {},
) {
  const objects = render(buildTopology([component], environment), [
    buildRecommendation(component.name, recommendation),
  ]);
  return { objects, service: byName(objects, 'Service', component.name) };
}

describe(renderManifests.name, () => {
  describe('ClusterIP Service', () => {
    it('renders name, namespace, labels, selector and every port field, keys in kubectl order', () => {
      const api = buildComponent({
        name: 'api',
        labels: { app: 'api', tier: 'backend' },
        ports: [
          buildPort({ name: 'http', port: 80, targetPort: 'web', appProtocol: 'http' }),
          buildPort({ name: 'metrics', port: 9090, targetPort: 9090 }),
        ],
      });
      const { service } = renderOne(api, { serviceType: 'ClusterIP' });
      expect(service).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'api',
          namespace: 'production',
          labels: {
            'app.kubernetes.io/name': 'api',
            'app.kubernetes.io/part-of': 'shop',
            'app.kubernetes.io/managed-by': 'exposure-planner',
            'backstage.io/kubernetes-id': 'shop',
          },
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
        ports: [buildPort({ nodePort: 30080 })],
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
      const admin = buildComponent({ name: 'admin', exposure: 'node', ports: [buildPort({ nodePort: 30080 })] });
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
        ports: [buildPort({ nodePort: 31000 })],
      });
      const spec = specOf(renderOne(gw, { serviceType: 'LoadBalancer' }, { platform: 'gcp' }).service);
      expect(spec.ports[0].nodePort).toBe(31000);
      expect(spec.externalTrafficPolicy).toBe('Local');
    });
  });

  describe('headless Service', () => {
    const db = buildComponent({
      name: 'db',
      role: 'database',
      workload: 'StatefulSet',
      replicas: 3,
      ports: [buildPort({ name: 'postgres', port: 5432, targetPort: 5432 })],
    });

    it('renders <name>-headless with clusterIP None, the same selector and ports, and publishes not-ready pods', () => {
      const objects = render(buildTopology([db]), [buildRecommendation('db', { headless: true })]);
      expect(byName(objects, 'Service', 'db-headless')).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'db-headless',
          namespace: 'production',
          labels: {
            'app.kubernetes.io/name': 'db',
            'app.kubernetes.io/part-of': 'shop',
            'app.kubernetes.io/managed-by': 'exposure-planner',
            'backstage.io/kubernetes-id': 'shop',
          },
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
      const pinned = { ...db, ports: [buildPort({ nodePort: 30432 })] };
      const objects = render(buildTopology([pinned]), [
        buildRecommendation('db', { serviceType: 'NodePort', headless: true }),
      ]);
      expect(specOf(byName(objects, 'Service', 'db')).ports[0].nodePort).toBe(30432);
      expect(specOf(byName(objects, 'Service', 'db-headless')).ports[0]).not.toHaveProperty('nodePort');
    });

    it('comes after every main Service', () => {
      const web = buildComponent({ name: 'web' });
      const objects = render(buildTopology([db, web]), [
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
      const objects = render(buildTopology([component]), [buildRecommendation(longest, { headless: true })]);
      expect(names(objects)).toContain(`Service/${longest}-headless`);
    });
  });

  describe('ExternalName Service', () => {
    it('points at the DNS name, with no selector and no ports when none are given', () => {
      const legacy = buildComponent({ name: 'legacy', ports: [], externalName: 'legacy-db.corp.example.com' });
      const { service, objects } = renderOne(legacy, { serviceType: 'ExternalName' });
      expect(service?.spec).toEqual({ type: 'ExternalName', externalName: 'legacy-db.corp.example.com' });
      expect(names(objects)).toEqual(['Service/legacy', 'NetworkPolicy/default-deny-ingress']);
    });

    it('keeps ports when they are given', () => {
      const legacy = buildComponent({
        name: 'legacy',
        ports: [buildPort({ name: 'pg', port: 5432, targetPort: 5432 })],
        externalName: 'db.example.com',
      });
      expect(specOf(renderOne(legacy, { serviceType: 'ExternalName' }).service)).toEqual({
        type: 'ExternalName',
        externalName: 'db.example.com',
        ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }],
      });
    });
  });

  it('renders nothing but the namespace default-deny for a worker without ports', () => {
    const worker = buildComponent({ name: 'mailer', role: 'worker', ports: [] });
    expect(names(render(buildTopology([worker]), [buildRecommendation('mailer', { serviceType: null })]))).toEqual([
      'NetworkPolicy/default-deny-ingress',
    ]);
  });

  describe('Ingress', () => {
    const web = buildComponent({
      name: 'web',
      role: 'frontend',
      exposure: 'public',
      host: 'shop.example.com',
      tls: true,
      dependsOn: ['api'],
    });
    const api = buildComponent({ name: 'api', exposure: 'public', host: 'shop.example.com', path: '/api', tls: true });
    const docs = buildComponent({ name: 'docs', role: 'frontend', exposure: 'public', host: 'docs.example.com' });
    const status = buildComponent({
      name: 'status',
      role: 'frontend',
      exposure: 'public',
      ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
    const components = [web, api, docs, status];
    const routedRecommendations = components.map((c) => buildRecommendation(c.name, { entryPoint: 'ingress' }));

    function renderIngress(ingress: IngressPlan, topology = buildTopology(components)) {
      const objects = render(topology, routedRecommendations, ingress);
      return { objects, ingress: byName(objects, 'Ingress', topology.name) };
    }

    it('routes each component by host and path, grouping paths by host, with TLS per host', () => {
      const { ingress } = renderIngress(buildIngressPlan(['web', 'api', 'docs', 'status']));
      expect(ingress).toEqual({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: 'shop',
          namespace: 'production',
          labels: {
            'app.kubernetes.io/name': 'shop',
            'app.kubernetes.io/part-of': 'shop',
            'app.kubernetes.io/managed-by': 'exposure-planner',
            'backstage.io/kubernetes-id': 'shop',
          },
        },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            {
              host: 'shop.example.com',
              http: {
                paths: [
                  { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
                  { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } },
                ],
              },
            },
            {
              host: 'docs.example.com',
              http: {
                paths: [
                  { path: '/', pathType: 'Prefix', backend: { service: { name: 'docs', port: { name: 'http' } } } },
                ],
              },
            },
            // No host: the catch-all rule; an unnamed port is referenced by number.
            {
              http: {
                paths: [
                  { path: '/', pathType: 'Prefix', backend: { service: { name: 'status', port: { number: 8080 } } } },
                ],
              },
            },
          ],
          tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
        },
      });
    });

    it('follows topology order, not the order the plan lists routed components in', () => {
      const forward = renderIngress(buildIngressPlan(['web', 'api', 'docs', 'status'])).ingress;
      const backward = renderIngress(buildIngressPlan(['status', 'docs', 'api', 'web'])).ingress;
      expect(backward).toEqual(forward);
    });

    it('sends traffic to the first HTTP port, skipping non-HTTP ones', () => {
      const grpcFirst = buildComponent({
        name: 'mixed',
        role: 'other',
        exposure: 'public',
        ports: [
          buildPort({ name: 'grpc', port: 9000, targetPort: 9000 }),
          buildPort({ name: 'http', port: 8080, targetPort: 8080 }),
        ],
      });
      const objects = render(
        buildTopology([grpcFirst]),
        [buildRecommendation('mixed', { entryPoint: 'ingress' })],
        buildIngressPlan(['mixed']),
      );
      expect(specOf(byName(objects, 'Ingress', 'shop')).rules[0].http.paths[0].backend.service.port).toEqual({
        name: 'http',
      });
    });

    it('references a port by number when its name is too long for an Ingress backend', () => {
      const longName = buildComponent({
        name: 'web',
        exposure: 'public',
        ports: [buildPort({ name: 'http-frontend-main', port: 80 })],
      });
      const objects = render(
        buildTopology([longName]),
        [buildRecommendation('web', { entryPoint: 'ingress' })],
        buildIngressPlan(['web']),
      );
      expect(specOf(byName(objects, 'Ingress', 'shop')).rules[0].http.paths[0].backend.service.port).toEqual({
        number: 80,
      });
    });

    it('moves a component whose route is taken to /<component>, never dropping one or routing two to one path', () => {
      const first = buildComponent({ name: 'first', exposure: 'public' });
      const second = buildComponent({ name: 'second', exposure: 'public' });
      const objects = render(
        buildTopology([first, second]),
        [
          buildRecommendation('first', { entryPoint: 'ingress' }),
          buildRecommendation('second', { entryPoint: 'ingress' }),
        ],
        buildIngressPlan(['first', 'second']),
      );
      const paths = specOf(byName(objects, 'Ingress', 'shop')).rules[0].http.paths as Json[];
      expect(paths.map((p) => [p.path, p.backend.service.name])).toEqual([
        ['/', 'first'],
        ['/second', 'second'],
      ]);
    });

    it.each<[string, Partial<Component>[], Record<string, string>]>([
      ['distinct hosts keep "/"', [{ host: 'a.example.com' }, { host: 'b.example.com' }], { c0: '/', c1: '/' }],
      ['an explicit path wins over an earlier default', [{}, { path: '/' }], { c0: '/c0', c1: '/' }],
      ['explicit paths are kept', [{ path: '/api' }, { path: '/web' }], { c0: '/api', c1: '/web' }],
      ['a clashing explicit path moves the later one', [{ path: '/api' }, { path: '/api' }], { c0: '/api', c1: '/c1' }],
      ['a taken fallback gets a number', [{ path: '/c1' }, {}, { path: '/' }], { c0: '/c1', c1: '/c1-2', c2: '/' }],
    ])('assigns paths: %s', (_, overrides, expected) => {
      const routed = overrides.map((override, index) => buildComponent({ name: `c${index}`, ...override }));
      expect(Object.fromEntries(assignIngressPaths(routed))).toEqual(expected);
    });

    it('gives a host-less TLS component a host-less TLS entry', () => {
      const bare = buildComponent({ name: 'web', exposure: 'public', tls: true });
      const objects = render(
        buildTopology([bare]),
        [buildRecommendation('web', { entryPoint: 'ingress' })],
        buildIngressPlan(['web']),
      );
      expect(specOf(byName(objects, 'Ingress', 'shop')).tls).toEqual([{ secretName: 'web-tls' }]);
    });

    it('comes after the headless Services and before the NetworkPolicies', () => {
      const db = buildComponent({ name: 'db', role: 'database', workload: 'StatefulSet' });
      const objects = render(
        buildTopology([web, db]),
        [buildRecommendation('web', { entryPoint: 'ingress' }), buildRecommendation('db', { headless: true })],
        buildIngressPlan(['web']),
      );
      expect(names(objects).slice(0, 4)).toEqual(['Service/web', 'Service/db', 'Service/db-headless', 'Ingress/shop']);
      expect(objects.slice(4).every((obj) => obj.kind === 'NetworkPolicy')).toBe(true);
    });

    it('uses the class annotation for GKE (which ignores ingressClassName) and asks for NEGs on routed Services', () => {
      const { objects, ingress } = renderIngress(
        buildIngressPlan(['web', 'api'], 'gce'),
        buildTopology(components, { platform: 'gcp' }),
      );
      expect(ingress?.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'gce' });
      expect(specOf(ingress)).not.toHaveProperty('ingressClassName');
      expect(byName(objects, 'Service', 'web')?.metadata.annotations).toEqual({
        'cloud.google.com/neg': '{"ingress": true}',
      });
      expect(byName(objects, 'Service', 'docs')?.metadata.annotations).toBeUndefined();
    });

    it('makes a GKE Ingress internal when nothing it routes is public', () => {
      const privateWeb = { ...web, exposure: 'private' as const };
      const objects = render(
        buildTopology([privateWeb], { platform: 'gcp' }),
        [buildRecommendation('web', { entryPoint: 'ingress' })],
        buildIngressPlan(['web'], 'gce'),
      );
      expect(byName(objects, 'Ingress', 'shop')?.metadata.annotations).toEqual({
        'kubernetes.io/ingress.class': 'gce-internal',
      });
    });

    it('makes an AWS ALB internet-facing with ip targets (the controller defaults to internal, instance)', () => {
      const { ingress } = renderIngress(buildIngressPlan(['docs'], 'alb'));
      expect(specOf(ingress).ingressClassName).toBe('alb');
      expect(ingress?.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
      });
    });

    it('opens an HTTPS listener on the ALB and redirects HTTP to it when a routed component wants TLS', () => {
      const { ingress } = renderIngress(buildIngressPlan(['web', 'docs'], 'alb'));
      expect(ingress?.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
      });
      expect(JSON.parse(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/listen-ports'] ?? '')).toEqual([
        { HTTP: 80 },
        { HTTPS: 443 },
      ]);
      // The ALB finds its ACM certificate by these hosts; the Secret name is ignored, but kept for other controllers.
      expect(specOf(ingress).tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'web-tls' }]);
    });

    it('renders no Ingress without an ingress plan, or when it routes nothing that has a Service', () => {
      expect(
        names(render(buildTopology([web]), [buildRecommendation('web')])).some((n) => n.startsWith('Ingress/')),
      ).toBe(false);
      const worker = buildComponent({ name: 'web', ports: [] });
      const objects = render(
        buildTopology([worker]),
        [buildRecommendation('web', { serviceType: null })],
        buildIngressPlan(['web']),
      );
      expect(names(objects).some((n) => n.startsWith('Ingress/'))).toBe(false);
    });
  });

  describe('determinism', () => {
    const topology = buildTopology(
      [
        buildComponent({ name: 'web', exposure: 'public', host: 'shop.example.com', dependsOn: ['api'] }),
        buildComponent({ name: 'api', dependsOn: ['db'] }),
        buildComponent({
          name: 'db',
          workload: 'StatefulSet',
          ports: [buildPort({ name: 'pg', port: 5432, targetPort: 5432 })],
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
