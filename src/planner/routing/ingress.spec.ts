import {
  type Json,
  buildComponent,
  buildIngressPlan,
  buildStorefront,
  httpPort,
  topologyWith,
  byName,
  names,
  render,
  specOf,
  buildRecommendation,
  shopLabels,
} from '../testing/builders.js';
import type { IngressPlan } from '../types.js';
import { renderIngress } from './ingress.js';
import { routedPath } from './ingress-path.js';

// The Ingress as renderManifests places it among the other objects, checked like all of them.
describe(renderIngress.name, () => {
  const web = buildStorefront({ dependsOn: ['api'] });
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

  function renderWithIngress(ingress: IngressPlan, topology = topologyWith(components)) {
    const objects = render(topology, routedRecommendations, ingress);
    return { objects, ingress: byName(objects, 'Ingress', topology.name) };
  }

  it('routes each component by host and path, grouping paths by host, with TLS per host', () => {
    const { ingress } = renderWithIngress(buildIngressPlan(['web', 'api', 'docs', 'status']));
    expect(ingress).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'shop',
        namespace: 'production',
        labels: shopLabels('shop'),
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
    const forward = renderWithIngress(buildIngressPlan(['web', 'api', 'docs', 'status'])).ingress;
    const backward = renderWithIngress(buildIngressPlan(['status', 'docs', 'api', 'web'])).ingress;
    expect(backward).toEqual(forward);
  });

  it('sends traffic to the first HTTP port, skipping non-HTTP ones', () => {
    const grpcFirst = buildComponent({
      name: 'mixed',
      role: 'other',
      exposure: 'public',
      ports: [
        httpPort({ name: 'grpc', port: 9000, targetPort: 9000 }),
        httpPort({ name: 'http', port: 8080, targetPort: 8080 }),
      ],
    });
    const objects = render(
      topologyWith([grpcFirst]),
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
      ports: [httpPort({ name: 'http-frontend-main', port: 80 })],
    });
    const objects = render(
      topologyWith([longName]),
      [buildRecommendation('web', { entryPoint: 'ingress' })],
      buildIngressPlan(['web']),
    );
    expect(specOf(byName(objects, 'Ingress', 'shop')).rules[0].http.paths[0].backend.service.port).toEqual({
      number: 80,
    });
  });

  it('routes every component at the path it asked for, "/" when it asked none, never under an invented one', () => {
    const routed = [
      buildComponent({ name: 'home', exposure: 'public' }),
      buildComponent({ name: 'api', exposure: 'public', path: '/api' }),
      buildComponent({ name: 'docs', exposure: 'public', host: 'docs.example.com' }),
    ];
    const objects = render(
      topologyWith(routed),
      routed.map((component) => buildRecommendation(component.name, { entryPoint: 'ingress' })),
      buildIngressPlan(routed.map((component) => component.name)),
    );
    const rules = specOf(byName(objects, 'Ingress', 'shop')).rules as Json[];
    const routes = rules.flatMap((rule) =>
      (rule.http.paths as Json[]).map((p) => [rule.host ?? '', p.path, p.backend.service.name]),
    );
    expect(routes).toEqual([
      ['docs.example.com', '/', 'docs'],
      ['', '/', 'home'],
      ['', '/api', 'api'],
    ]);
    expect(routed.map(routedPath)).toEqual(['/', '/api', '/']);
  });

  it.each(['alb', 'nginx'])(
    'lists exact hosts, then wildcards narrowest first, then the host-less rule, whatever the topology order (%s)',
    (className) => {
      // The ALB walks the rules in order (buildListenerRules): a host-less "/" listed first would
      // take every host's requests, and "*.example.com" those of the hosts under it.
      const routed = [
        buildComponent({ name: 'site', exposure: 'public' }),
        buildComponent({ name: 'any', exposure: 'public', host: '*.example.com' }),
        buildComponent({ name: 'apps', exposure: 'public', host: '*.apps.example.com' }),
        buildComponent({ name: 'api', exposure: 'public', host: 'api.example.com', tls: true }),
      ];
      const objects = render(
        topologyWith(routed),
        routed.map((component) => buildRecommendation(component.name, { entryPoint: 'ingress' })),
        buildIngressPlan(
          routed.map((component) => component.name),
          { className },
        ),
      );
      const rules = specOf(byName(objects, 'Ingress', 'shop')).rules as Json[];
      expect(rules.map((rule) => [rule.host ?? '', rule.http.paths[0].backend.service.name])).toEqual([
        ['api.example.com', 'api'],
        ['*.apps.example.com', 'apps'],
        ['*.example.com', 'any'],
        ['', 'site'],
      ]);
    },
  );

  it('gives a host-less TLS component a host-less TLS entry', () => {
    const bare = buildComponent({ name: 'web', exposure: 'public', tls: true });
    const objects = render(
      topologyWith([bare]),
      [buildRecommendation('web', { entryPoint: 'ingress' })],
      buildIngressPlan(['web']),
    );
    expect(specOf(byName(objects, 'Ingress', 'shop')).tls).toEqual([{ secretName: 'web-tls' }]);
  });

  it('comes after the headless Services and before the NetworkPolicies', () => {
    const db = buildComponent({ name: 'db', role: 'database', workload: 'StatefulSet' });
    const objects = render(
      topologyWith([web, db]),
      [buildRecommendation('web', { entryPoint: 'ingress' }), buildRecommendation('db', { headless: true })],
      buildIngressPlan(['web']),
    );
    expect(names(objects).slice(0, 4)).toEqual(['Service/web', 'Service/db', 'Service/db-headless', 'Ingress/shop']);
    expect(objects.slice(4).every((obj) => obj.kind === 'NetworkPolicy')).toBe(true);
  });

  it('uses the class annotation for GKE (which ignores ingressClassName) and asks for NEGs on routed Services', () => {
    const { objects, ingress } = renderWithIngress(
      buildIngressPlan(['web', 'api'], { className: 'gce' }),
      topologyWith(components, { platform: 'gcp' }),
    );
    // It serves TLS, so it also names the FrontendConfig that redirects plain HTTP (EXP030 otherwise).
    expect(ingress?.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce',
      'networking.gke.io/v1beta1.FrontendConfig': 'shop-https-redirect',
    });
    expect(byName(objects, 'FrontendConfig', 'shop-https-redirect')?.spec).toEqual({
      redirectToHttps: { enabled: true },
    });
    expect(specOf(ingress)).not.toHaveProperty('ingressClassName');
    expect(byName(objects, 'Service', 'web')?.metadata.annotations).toEqual({
      'cloud.google.com/neg': '{"ingress": true}',
    });
    expect(byName(objects, 'Service', 'docs')?.metadata.annotations).toBeUndefined();
  });

  it('writes no FrontendConfig for a GKE Ingress without TLS, nor for an internal one', () => {
    const plain = components.map((component) => ({ ...component, tls: false }));
    const { objects, ingress } = renderWithIngress(
      buildIngressPlan(['web', 'api'], { className: 'gce' }),
      topologyWith(plain, { platform: 'gcp' }),
    );
    expect(ingress?.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'gce' });
    expect(objects.some((object) => object.kind === 'FrontendConfig')).toBe(false);
    const internal = components.map((component) => ({ ...component, exposure: 'private' as const }));
    const inside = renderWithIngress(
      buildIngressPlan(['web', 'api'], { className: 'gce' }),
      topologyWith(internal, { platform: 'gcp' }),
    );
    expect(inside.objects.some((object) => object.kind === 'FrontendConfig')).toBe(false);
  });

  it('makes a GKE Ingress internal when nothing it routes is public, HTTPS only when it serves TLS', () => {
    const privateWeb = { ...web, exposure: 'private' as const };
    const objects = render(
      topologyWith([privateWeb], { platform: 'gcp' }),
      [buildRecommendation('web', { entryPoint: 'ingress' })],
      buildIngressPlan(['web'], { className: 'gce' }),
    );
    // gce-internal has no HTTP-to-HTTPS redirect (routing/gke-https-redirect.ts): plain HTTP is turned off.
    expect(byName(objects, 'Ingress', 'shop')?.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce-internal',
      'kubernetes.io/ingress.allow-http': 'false',
    });
    expect(objects.some((object) => object.kind === 'FrontendConfig')).toBe(false);
    const plain = render(
      topologyWith([{ ...privateWeb, tls: false }], { platform: 'gcp' }),
      [buildRecommendation('web', { entryPoint: 'ingress' })],
      buildIngressPlan(['web'], { className: 'gce' }),
    );
    expect(byName(plain, 'Ingress', 'shop')?.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce-internal',
    });
  });

  it('makes an AWS ALB internet-facing with ip targets (the controller defaults to internal, instance)', () => {
    const { ingress } = renderWithIngress(buildIngressPlan(['docs'], { className: 'alb' }));
    expect(specOf(ingress).ingressClassName).toBe('alb');
    expect(ingress?.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
    });
  });

  it('opens an HTTPS listener on the ALB and redirects HTTP to it when a routed component wants TLS', () => {
    const { ingress } = renderWithIngress(buildIngressPlan(['web', 'docs'], { className: 'alb' }));
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
    expect(names(render(topologyWith([web]), [buildRecommendation('web')])).some((n) => n.startsWith('Ingress/'))).toBe(
      false,
    );
    const worker = buildComponent({ name: 'web', ports: [] });
    const objects = render(
      topologyWith([worker]),
      [buildRecommendation('web', { serviceType: null })],
      buildIngressPlan(['web']),
    );
    expect(names(objects).some((n) => n.startsWith('Ingress/'))).toBe(false);
  });
});
