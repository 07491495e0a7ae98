import { renderManifests } from '../manifests.js';
import { FINDING_CATALOG, FINDING_IDS, type FindingId } from './catalog.js';
import { assessSecurity, canProvisionLoadBalancer } from './checks.js';
import {
  NAMESPACE,
  buildComponent,
  buildIngress,
  buildIngressPlan,
  buildNetworkPolicy,
  buildPort,
  buildService,
  topologyWith,
  renderSafeManifests,
  specOf,
  buildRecommendation,
} from '../testing/builders.js';
import { validateManifests } from '../testing/kube-validation.js';
import { planOf, publicFrontend } from '../testing/topology-inputs.js';
import {
  SEVERITIES,
  type Component,
  type Environment,
  type Finding,
  type IngressPlan,
  type KubeObject,
  type Recommendation,
  type PortSpec,
  type Topology,
} from '../types.js';
import { at } from '../testing/items.js';

/** One component under test (named `app`) in an otherwise empty topology, with a correct rendering by default. */
type Scenario = {
  component?: Partial<Component>;
  recommendation?: Partial<Recommendation>;
  environment?: Partial<Environment>;
  ingress?: IngressPlan | null;
  manifests?: (topology: Topology, recommendations: Recommendation[]) => KubeObject[];
  /** Components before `app`, each with its own recommendation. */
  before?: { component: Component; recommendation: Partial<Recommendation> }[];
};

function assess(scenario: Scenario): Finding[] {
  const before = scenario.before ?? [];
  const topology = topologyWith(
    [...before.map((entry) => entry.component), buildComponent({ name: 'app', ...scenario.component })],
    scenario.environment,
  );
  const recommendations = [
    ...before.map((entry) => buildRecommendation(entry.component.name, entry.recommendation)),
    buildRecommendation('app', scenario.recommendation),
  ];
  const manifests = (scenario.manifests ?? renderSafeManifests)(topology, recommendations);
  return assessSecurity(topology, recommendations, scenario.ingress ?? null, manifests);
}

const SSH = buildPort({ name: 'ssh', port: 22 });
const PUBLIC_LB: Partial<Recommendation> = {
  serviceType: 'LoadBalancer',
  entryPoint: 'load-balancer',
  scheme: 'internet-facing',
};
const INTERNAL_LB: Partial<Recommendation> = {
  serviceType: 'LoadBalancer',
  entryPoint: 'load-balancer',
  scheme: 'internal',
};
const NODE_PORT: Partial<Recommendation> = { serviceType: 'NodePort', entryPoint: 'node-port' };
const VIA_INGRESS: Partial<Recommendation> = { serviceType: 'ClusterIP', entryPoint: 'ingress' };
const POSTGRES = [buildPort({ name: 'postgres', port: 5432 })];
const withoutPolicies = (topology: Topology, recommendations: Recommendation[]) =>
  renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'NetworkPolicy');

const HTTP_80 = buildPort({ name: 'http', port: 80 });
const GAME_UDP = buildPort({ name: 'game', port: 7777, protocol: 'UDP' });
const METRICS_9090 = buildPort({ name: 'metrics', port: 9090 });

type Render = NonNullable<Scenario['manifests']>;

/** renderSafeManifests with its Ingress (Traefik's, with router.tls) given to another class, as manifests.ts renders it. */
function ingressOfClass(className: string): Render {
  return (topology, recommendations) =>
    renderSafeManifests(topology, recommendations).map((object) =>
      object.kind === 'Ingress'
        ? {
            ...object,
            // Without Traefik's router.tls: another class reads no such annotation.
            metadata: { ...object.metadata, annotations: {} },
            spec: { ...specOf(object), ingressClassName: className },
          }
        : object,
    );
}

/** The manifests of `render`, with app's Service spec changed by `edit`. */
function withAppServiceSpec(render: Render, edit: (spec: Record<string, unknown>) => Record<string, unknown>): Render {
  return (topology, recommendations) =>
    render(topology, recommendations).map((object) =>
      object.kind === 'Service' && object.metadata.name === 'app'
        ? { ...object, spec: edit({ ...(object.spec as Record<string, unknown>) }) }
        : object,
    );
}

/** The safe manifests, with the ports given on app's Service (EXP023 reads the rendered ports). */
function withAppServicePorts(ports: number[]): Render {
  return withAppServiceSpec(renderSafeManifests, (spec) => ({ ...spec, ports: ports.map((port) => ({ port })) }));
}
const WS_80 = buildPort({ name: 'ws', port: 80, appProtocol: 'kubernetes.io/ws' });
const HTTPS_BACKEND = buildPort({ name: 'https', port: 443, targetPort: 8443, appProtocol: 'https' });
const K3S_TRAEFIK: Partial<Environment> = {
  platform: 'k3s',
  ingressController: 'traefik',
  loadBalancerProvider: 'servicelb',
};
/** The safe manifests, with the Ingress routing `app` (host a.example.com) at `path`. */
const routedAt =
  (path: string) =>
  (topology: Topology, recommendations: Recommendation[]): KubeObject[] => [
    ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Ingress'),
    {
      ...buildIngress([{ hosts: ['a.example.com'], secretName: 'app-tls' }]),
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['a.example.com'], secretName: 'app-tls' }],
        rules: [
          {
            host: 'a.example.com',
            http: {
              paths: [{ path, pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }],
            },
          },
        ],
      },
    },
  ];

/** The safe manifests with an ALB Ingress that has a tls entry for `app` (host a.example.com), with or without listen-ports. */
const albIngress =
  (listenPorts?: string) =>
  (topology: Topology, recommendations: Recommendation[]): KubeObject[] => {
    const ingress = buildIngress([{ hosts: ['a.example.com'], secretName: 'app-tls' }]);
    return [
      ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Ingress'),
      {
        ...ingress,
        metadata: {
          ...ingress.metadata,
          annotations: {
            'alb.ingress.kubernetes.io/scheme': 'internet-facing',
            ...(listenPorts === undefined ? {} : { 'alb.ingress.kubernetes.io/listen-ports': listenPorts }),
          },
        },
        spec: { ...(ingress.spec as Record<string, unknown>), ingressClassName: 'alb' },
      },
    ];
  };
/** `app`, public, on its own internet-facing load balancer in this environment. */
function onPublicLoadBalancer(environment: Partial<Environment> = {}): Scenario {
  return { component: { exposure: 'public' }, recommendation: PUBLIC_LB, environment };
}

/** `app`, public on TLS at shop.example.com, routed through the shared Ingress of this class. */
function routedThrough(
  className: string,
  ingress: Partial<Omit<IngressPlan, 'components' | 'className'>> = {},
  component: Partial<Component> = {},
): Scenario {
  return {
    component: { exposure: 'public', host: 'shop.example.com', tls: true, ...component },
    recommendation: VIA_INGRESS,
    ingress: buildIngressPlan(['app'], { className, ...ingress }),
  };
}

const ALB_ROUTED: Scenario = {
  component: { exposure: 'public', host: 'a.example.com', tls: true },
  recommendation: VIA_INGRESS,
  ingress: buildIngressPlan(['app'], { className: 'alb' }),
};

/** The safe manifests with app's Service replaced by this one (the new L4 checks read its annotations and ports). */
function withAppService(
  spec: Record<string, unknown>,
  annotations: Record<string, string>,
): NonNullable<Scenario['manifests']> {
  return (topology, recommendations) => [
    ...renderSafeManifests(topology, recommendations).filter(
      (object) => !(object.kind === 'Service' && object.metadata.name === 'app'),
    ),
    buildService('app', spec, annotations),
  ];
}
const AWS_NLB_IP = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
};
/** DNS over UDP and TCP on one port number (EXP038). */
const DNS_UDP = buildPort({ name: 'dns-udp', port: 53, protocol: 'UDP' });
const DNS_TCP = buildPort({ name: 'dns-tcp', port: 53, protocol: 'TCP' });
const TCP_UDP_LISTENER = 'service.beta.kubernetes.io/aws-load-balancer-enable-tcp-udp-listener';
const UDP_LB = withAppService(
  { type: 'LoadBalancer', ports: [{ name: 'game', port: 7777, protocol: 'UDP' }] },
  AWS_NLB_IP,
);
/** A caller that depends on app. */
const CALLER = { component: buildComponent({ name: 'web', dependsOn: ['app'] }), recommendation: {} };
/** The manifests the planner itself renders (manifests.ts), with the Ingress plan given: EXP034 and EXP029 read its policies. */
const planned =
  (ingress: IngressPlan | null = null) =>
  (topology: Topology, recommendations: Recommendation[]): KubeObject[] =>
    renderManifests(topology, recommendations, ingress);
const ROUTED_ON_KIND: Scenario = {
  component: { exposure: 'public', host: 'a.example.com' },
  recommendation: VIA_INGRESS,
  environment: { platform: 'kind' },
  ingress: buildIngressPlan(['app'], { className: 'traefik' }),
  manifests: planned(buildIngressPlan(['app'], { className: 'traefik' })),
};
/** app, public on its own GKE load balancer with no allowedSources, rendered by the planner: its pods admit 0.0.0.0/0. */
const GCP_PUBLIC_LB: Scenario = {
  component: { exposure: 'public' },
  recommendation: PUBLIC_LB,
  environment: { platform: 'gcp' },
  manifests: planned(),
};
/** app, private on DigitalOcean with allowedSources, rendered by the planner: its pods admit 0.0.0.0/0 (the load balancer proxies). */
/** app, public on its own GKE load balancer, rendered by the planner, with these fields besides. */
const ownGkeLb = (component: Partial<Component>): Scenario => ({
  component: { exposure: 'public', ...component },
  recommendation: PUBLIC_LB,
  environment: { platform: 'gcp' },
  manifests: planned(),
});
const TLS_HOST: Partial<Component> = { host: 'play.example.com', tls: true };
/** app, tls and a host, routed by an HTTPRoute on an existing Gateway (edge in infra) attached by these parentRef fields. */
const onExistingGateway = (parent: Record<string, unknown>): Scenario => ({
  component: { exposure: 'public', ...TLS_HOST },
  recommendation: VIA_INGRESS,
  environment: { platform: 'gcp' },
  manifests: (topology, recommendations) => [
    ...renderManifests(topology, recommendations, null),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'app', namespace: topology.namespace },
      spec: { parentRefs: [{ name: 'edge', namespace: 'infra', ...parent }], hostnames: ['play.example.com'] },
    },
  ],
});
/** app with allowedSources, routed by the planner's Traefik Ingress with its IPAllowList Middleware. */
const traefikAllowList = (environment: Partial<Environment>, allowedSources: string[]): Scenario => ({
  component: { exposure: 'public', host: 'a.example.com', tls: true, allowedSources },
  recommendation: VIA_INGRESS,
  environment,
  ingress: buildIngressPlan(['app'], { className: 'traefik' }),
  manifests: planned(buildIngressPlan(['app'], { className: 'traefik' })),
});
const DO_SOURCES_LB: Scenario = {
  component: {
    exposure: 'private',
    allowedSources: ['10.20.0.0/16'],
    ports: [buildPort({ name: 'https', port: 443 })],
  },
  recommendation: INTERNAL_LB,
  environment: { platform: 'digitalocean' },
  manifests: planned(),
};
const EXTERNAL_WITHOUT_PORTS: Scenario = {
  component: { externalName: 'legacy.corp.example.com', ports: [] },
  recommendation: { serviceType: 'ExternalName' },
  before: [CALLER],
  environment: { egress: 'restrict' },
  manifests: planned(),
};
/** The safe manifests with a GKE Ingress routing app (host a.example.com) with a tls entry, and these extra objects. */
const gkeTlsIngress =
  (annotations: Record<string, string> = {}, extra: KubeObject[] = []) =>
  (topology: Topology, recommendations: Recommendation[]): KubeObject[] => {
    const ingress = buildIngress([{ hosts: ['a.example.com'], secretName: 'app-tls' }]);
    const spec = { ...(ingress.spec as Record<string, unknown>) };
    delete spec.ingressClassName;
    return [
      ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Ingress'),
      {
        ...ingress,
        metadata: { ...ingress.metadata, annotations: { 'kubernetes.io/ingress.class': 'gce', ...annotations } },
        spec,
      },
      ...extra,
    ];
  };
const GKE_ROUTED: Scenario = {
  component: { exposure: 'public', host: 'a.example.com', tls: true },
  recommendation: VIA_INGRESS,
  environment: { platform: 'gcp' },
  ingress: buildIngressPlan(['app'], { className: 'gce' }),
};
const REDIRECT_FRONTEND_CONFIG: KubeObject = {
  apiVersion: 'networking.gke.io/v1beta1',
  kind: 'FrontendConfig',
  metadata: { name: 'shop-frontend', namespace: NAMESPACE },
  spec: { redirectToHttps: { enabled: true } },
};
const ALB_BOTH_LISTENERS = JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]);
const ACM_WEB = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ACM_APP = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';
/**
 * `web` (w.example.com, TLS, its ACM certificate named) before `app` (a.example.com, TLS unless
 * told), both on the shared ALB as the planner renders it: certificate-arn names web's only (EXP039).
 */
function albWithWebCertificate(app: Partial<Component> = {}, webHost = 'w.example.com'): Scenario {
  const ingress = buildIngressPlan(['web', 'app'], { className: 'alb' });
  return {
    component: { exposure: 'public', host: 'a.example.com', tls: true, ...app },
    recommendation: VIA_INGRESS,
    before: [
      {
        component: buildComponent({
          name: 'web',
          exposure: 'public',
          host: webHost,
          tls: true,
          certificate: ACM_WEB,
        }),
        recommendation: VIA_INGRESS,
      },
    ],
    ingress,
    manifests: planned(ingress),
  };
}
/** A cluster that names gce-internal: GKE's internal Application Load Balancer, which has no HTTPS redirect. */
const GKE_INTERNAL_ROUTED: Scenario = {
  ...GKE_ROUTED,
  environment: { platform: 'gcp', ingressController: 'gce-internal' },
  ingress: buildIngressPlan(['app'], { className: 'gce-internal' }),
};
const GCE_INTERNAL = { 'kubernetes.io/ingress.class': 'gce-internal' };

/** The app's LoadBalancer Service with a DigitalOcean certificate on 443, and `type` annotations beside it. */
const doCertificateOnLoadBalancer =
  (type: Record<string, string>) =>
  (topology: Topology, recommendations: Recommendation[]): KubeObject[] => [
    ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
    buildService(
      'app',
      { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8080, protocol: 'TCP' }] },
      {
        ...type,
        'service.beta.kubernetes.io/do-loadbalancer-certificate-id': '5fd46a1e-0a4c-4b4f-9b4e-1d2c3b4a5f6e',
        'service.beta.kubernetes.io/do-loadbalancer-tls-ports': '443',
      },
    ),
  ];

const FIRES: [string, Scenario, FindingId, Finding['severity']][] = [
  [
    // certificate-arn turns the controller's discovery by host off for the whole Ingress.
    'a TLS host on the ALB without a certificate, beside one that names its own',
    albWithWebCertificate(),
    'EXP039',
    'high',
  ],
  [
    'a host without tls: true on that ALB: ssl-redirect sends it to HTTPS, where no certificate names it',
    albWithWebCertificate({ tls: false }),
    'EXP039',
    'high',
  ],
  [
    // The cloud controller's default type, REGIONAL_NETWORK, forwards plain TCP and never reads the certificate.
    'a DigitalOcean certificate on a load balancer of the default type',
    {
      component: { exposure: 'public' },
      recommendation: PUBLIC_LB,
      environment: { platform: 'digitalocean' },
      manifests: doCertificateOnLoadBalancer({}),
    },
    'EXP006',
    'high',
  ],
  [
    // The flag alone used to silence EXP006 although the rendered LoadBalancer served plain HTTP.
    'tls: true on a plain L4 LoadBalancer, even outside production',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true },
      recommendation: PUBLIC_LB,
      environment: { stage: 'development' },
    },
    'EXP006',
    'high',
  ],
  [
    'a database asked to be public, kept ClusterIP',
    { component: { role: 'database', exposure: 'public', ports: POSTGRES } },
    'EXP001',
    'critical',
  ],
  ['a cache asked to be public', { component: { role: 'cache', exposure: 'public' } }, 'EXP001', 'critical'],
  [
    'a database asked to be public from a /16: wider than the /24 threshold',
    { component: { role: 'database', exposure: 'public', ports: POSTGRES, allowedSources: ['203.0.113.0/16'] } },
    'EXP001',
    'critical',
  ],
  [
    'a database on a public LB whose rendered source ranges are one /24 and one host',
    {
      component: {
        role: 'database',
        exposure: 'public',
        ports: POSTGRES,
        allowedSources: ['203.0.113.0/24', '198.51.100.7/32'],
      },
      recommendation: PUBLIC_LB,
    },
    'EXP001',
    'high',
  ],
  [
    'a database whose rendered Service lost the narrow ranges the topology asked for',
    {
      component: { role: 'database', exposure: 'public', ports: POSTGRES, allowedSources: ['203.0.113.0/24'] },
      recommendation: PUBLIC_LB,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
        buildService('app', { type: 'LoadBalancer' }),
      ],
    },
    'EXP001',
    'critical',
  ],
  ['a queue asked to be public', { component: { role: 'queue', exposure: 'public' } }, 'EXP001', 'critical'],
  [
    'a database asked to be private, on an internal LB',
    {
      component: { role: 'database', exposure: 'private', ports: POSTGRES, allowedSources: ['10.8.0.0/16'] },
      recommendation: INTERNAL_LB,
    },
    'EXP002',
    'high',
  ],
  [
    'a cache asked for node exposure, on a NodePort',
    { component: { role: 'cache', exposure: 'node' }, recommendation: NODE_PORT },
    'EXP002',
    'high',
  ],
  [
    'a node-exposed API on a NodePort',
    { component: { exposure: 'node', allowedSources: ['192.0.2.10/32'] }, recommendation: NODE_PORT },
    'EXP003',
    'medium',
  ],
  [
    'a public frontend on a NodePort (bare metal)',
    {
      component: { role: 'frontend', exposure: 'public' },
      recommendation: NODE_PORT,
      environment: { platform: 'bare-metal' },
    },
    'EXP003',
    'high',
  ],
  [
    'a public frontend on a NodePort on kind: the node addresses stay on the local machine',
    {
      component: { role: 'frontend', exposure: 'public' },
      recommendation: NODE_PORT,
      environment: { platform: 'kind' },
    },
    'EXP003',
    'medium',
  ],
  [
    'public SSH on minikube: high, not critical',
    {
      component: { role: 'other', exposure: 'public', ports: [SSH] },
      recommendation: NODE_PORT,
      environment: { platform: 'minikube' },
    },
    'EXP012',
    'high',
  ],
  [
    'a private API on an internal LB without sources',
    { component: { exposure: 'private' }, recommendation: INTERNAL_LB },
    'EXP004',
    'high',
  ],
  [
    'a private API whose sources say 0.0.0.0/0',
    { component: { exposure: 'private', allowedSources: ['10.0.0.0/8', '0.0.0.0/0'] }, recommendation: INTERNAL_LB },
    'EXP004',
    'high',
  ],
  [
    'a private API whose rendered Service lost its source ranges',
    {
      component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] },
      recommendation: INTERNAL_LB,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
        buildService('app', { type: 'LoadBalancer' }),
      ],
    },
    'EXP004',
    'high',
  ],
  [
    'a public LB without sources',
    { component: { exposure: 'public', ports: [buildPort({ name: 'mqtt', port: 1883 })] }, recommendation: PUBLIC_LB },
    'EXP005',
    'info',
  ],
  [
    'a public LB whose sources say ::/0',
    {
      component: { exposure: 'public', ports: [buildPort({ name: 'mqtt', port: 1883 })], allowedSources: ['::/0'] },
      recommendation: PUBLIC_LB,
    },
    'EXP005',
    'info',
  ],
  [
    'public HTTP through the Ingress without tls, production',
    { component: { exposure: 'public', host: 'shop.example.com' }, recommendation: VIA_INGRESS },
    'EXP006',
    'high',
  ],
  [
    'public HTTP through the Ingress without tls, staging',
    {
      component: { exposure: 'public', host: 'shop.example.com' },
      recommendation: VIA_INGRESS,
      environment: { stage: 'staging' },
    },
    'EXP006',
    'medium',
  ],
  [
    'tls asked for, but the rendered Ingress has no tls entry for the host',
    {
      component: { exposure: 'public', host: 'shop.example.com', tls: true },
      recommendation: VIA_INGRESS,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Ingress'),
        buildIngress([{ hosts: ['admin.example.com'], secretName: 'admin-tls' }]),
      ],
    },
    'EXP006',
    'high',
  ],
  [
    'an ALB Ingress with a tls entry but no HTTPS listener (listen-ports left to its HTTP-only default)',
    { ...ALB_ROUTED, manifests: albIngress() },
    'EXP006',
    'high',
  ],
  [
    'an ALB Ingress whose listen-ports has no HTTPS',
    { ...ALB_ROUTED, manifests: albIngress('[{"HTTP":80}]') },
    'EXP006',
    'high',
  ],
  [
    // DigitalOcean makes only the tls-ports (443 when absent) HTTPS: a certificate beside port 8080 serves nothing.
    'a DigitalOcean certificate on a LB whose only port is 8080',
    {
      component: { exposure: 'public', host: 'shop.example.com', tls: true },
      recommendation: PUBLIC_LB,
      environment: { platform: 'digitalocean' },
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
        buildService(
          'app',
          { type: 'LoadBalancer', ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP' }] },
          { 'service.beta.kubernetes.io/do-loadbalancer-certificate-id': '5fd46a1e-0a4c-4b4f-9b4e-1d2c3b4a5f6e' },
        ),
      ],
    },
    'EXP006',
    'high',
  ],
  [
    'an AWS certificate whose ssl-ports leave the HTTP port out',
    {
      component: { exposure: 'public', host: 'shop.example.com', tls: true },
      recommendation: PUBLIC_LB,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
        buildService(
          'app',
          { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
          {
            'service.beta.kubernetes.io/aws-load-balancer-ssl-cert':
              'arn:aws:acm:us-east-1:123456789012:certificate/abc',
            'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
          },
        ),
      ],
    },
    'EXP006',
    'high',
  ],
  [
    'tls: true on a private LoadBalancer with no TLS listener',
    {
      component: { exposure: 'private', allowedSources: ['10.0.0.0/8'], host: 'intranet.example.com', tls: true },
      recommendation: INTERNAL_LB,
    },
    'EXP025',
    'high',
  ],
  ['public HTTP on port 80 of a LoadBalancer', onPublicLoadBalancer({ stage: 'development' }), 'EXP006', 'medium'],
  ['a LoadBalancer on kind', onPublicLoadBalancer({ platform: 'kind' }), 'EXP007', 'high'],
  ['a LoadBalancer on minikube', onPublicLoadBalancer({ platform: 'minikube' }), 'EXP007', 'high'],
  [
    'a LoadBalancer on kind with servicelb, which only k3s runs',
    onPublicLoadBalancer({ platform: 'kind', loadBalancerProvider: 'servicelb' }),
    'EXP007',
    'high',
  ],
  [
    'a LoadBalancer on bare metal without a provider',
    onPublicLoadBalancer({ platform: 'bare-metal' }),
    'EXP007',
    'high',
  ],
  [
    'a LoadBalancer on k3s with ServiceLB disabled',
    onPublicLoadBalancer({ platform: 'k3s', loadBalancerProvider: 'none' }),
    'EXP007',
    'high',
  ],
  [
    'a LoadBalancer keeping the client IP',
    { component: { exposure: 'public', preserveClientIp: true }, recommendation: PUBLIC_LB },
    'EXP008',
    'info',
  ],
  [
    'a NodePort keeping the client IP',
    { component: { exposure: 'node', preserveClientIp: true }, recommendation: NODE_PORT },
    'EXP008',
    'info',
  ],
  [
    'a node port pinned at 30086, the first dynamic port',
    {
      component: { exposure: 'node', ports: [buildPort({ name: 'http', nodePort: 30086 })] },
      recommendation: NODE_PORT,
    },
    'EXP009',
    'low',
  ],
  [
    'an ExternalName dependency (Host/SNI)',
    {
      component: { externalName: 'legacy.corp.example.com', ports: [] },
      recommendation: { serviceType: 'ExternalName' },
    },
    'EXP010',
    'medium',
  ],
  [
    'an ExternalName dependency (redirection)',
    {
      component: { externalName: 'legacy.corp.example.com', ports: [] },
      recommendation: { serviceType: 'ExternalName' },
    },
    'EXP011',
    'low',
  ],
  [
    'SSH on a public LoadBalancer',
    { component: { role: 'other', exposure: 'public', ports: [SSH] }, recommendation: PUBLIC_LB },
    'EXP012',
    'critical',
  ],
  [
    'RDP on a private LoadBalancer',
    {
      component: {
        role: 'other',
        exposure: 'private',
        allowedSources: ['10.0.0.0/8'],
        ports: [buildPort({ name: 'rdp', port: 3389 })],
      },
      recommendation: INTERNAL_LB,
    },
    'EXP012',
    'high',
  ],
  [
    'Service port 2222 in front of container port 22 on a NodePort',
    {
      component: { role: 'other', exposure: 'node', ports: [buildPort({ name: 'admin', port: 2222, targetPort: 22 })] },
      recommendation: NODE_PORT,
    },
    'EXP012',
    'high',
  ],
  [
    'PostgreSQL on an API role behind a public LB',
    { component: { role: 'api', exposure: 'public', ports: POSTGRES }, recommendation: PUBLIC_LB },
    'EXP012',
    'critical',
  ],
  [
    'SSH on a database with a private LB (not a data port)',
    {
      component: { role: 'database', exposure: 'private', allowedSources: ['10.0.0.0/8'], ports: [...POSTGRES, SSH] },
      recommendation: INTERNAL_LB,
    },
    'EXP012',
    'high',
  ],
  ['no NetworkPolicy at all', { manifests: withoutPolicies }, 'EXP013', 'medium'],
  [
    'a policy for other labels only',
    {
      manifests: (topology, recommendations) => [
        ...withoutPolicies(topology, recommendations),
        buildNetworkPolicy('allow-app', { matchLabels: { app: 'app', tier: 'web' } }),
      ],
    },
    'EXP013',
    'medium',
  ],
  [
    'an egress-only policy',
    {
      manifests: (topology, recommendations) => [
        ...withoutPolicies(topology, recommendations),
        buildNetworkPolicy('default-deny-egress', {}, { policyTypes: ['Egress'] }),
      ],
    },
    'EXP013',
    'medium',
  ],
  [
    'a default deny in another namespace',
    {
      manifests: (topology, recommendations) => [
        ...withoutPolicies(topology, recommendations),
        buildNetworkPolicy('default-deny-ingress', {}, { namespace: 'staging' }),
      ],
    },
    'EXP013',
    'medium',
  ],
  [
    'a NotIn expression that excludes the pods',
    {
      manifests: (topology, recommendations) => [
        ...withoutPolicies(topology, recommendations),
        buildNetworkPolicy('allow-others', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['app'] }] }),
      ],
    },
    'EXP013',
    'medium',
  ],
  [
    'an ingress controller the cluster does not have',
    routedThrough('traefik', { controllerPresent: false, install: 'helm install traefik traefik/traefik' }),
    'EXP014',
    'medium',
  ],
  ['the nginx ingress class', routedThrough('nginx'), 'EXP015', 'medium'],
  [
    'the retiring AKS NGINX add-on class, named by the topology',
    routedThrough('webapprouting.kubernetes.azure.com'),
    'EXP015',
    'medium',
  ],
  ['the ingress-nginx ingress class (the same retired controller)', routedThrough('ingress-nginx'), 'EXP015', 'medium'],
  [
    'a private component on an internet-facing LB',
    { component: { exposure: 'private', allowedSources: ['198.51.100.0/24'] }, recommendation: PUBLIC_LB },
    'EXP016',
    'high',
  ],
  [
    'a private component on other-cloud, whose internal LB cannot be marked internal',
    {
      component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'other-cloud' },
    },
    'EXP016',
    'high',
  ],
  [
    'client IP asked for behind the Ingress',
    routedThrough('traefik', {}, { preserveClientIp: true }),
    'EXP017',
    'info',
  ],
  [
    'a LoadBalancer on 80/TCP beside the bundled Traefik of k3s',
    { component: { exposure: 'public', ports: [HTTP_80] }, recommendation: PUBLIC_LB, environment: K3S_TRAEFIK },
    'EXP018',
    'high',
  ],
  [
    // Used to be silent: the component joined the shared Ingress and its allowedSources were dropped.
    'allowedSources on a component routed through a Traefik Ingress',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true, allowedSources: ['203.0.113.0/24'] },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
      manifests: routedAt('/'),
    },
    'EXP020',
    'high',
  ],
  [
    'an HTTPS backend behind Traefik whose Service lacks serversscheme',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true, ports: [HTTPS_BACKEND] },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
    },
    'EXP021',
    'high',
  ],
  [
    'a host-less public frontend on its own load balancer because another has "/"',
    {
      component: { exposure: 'public', ports: [HTTP_80] },
      recommendation: PUBLIC_LB,
      before: [
        {
          component: buildComponent({ name: 'web', exposure: 'public', ports: [HTTP_80] }),
          recommendation: VIA_INGRESS,
        },
      ],
    },
    'EXP022',
    'info',
  ],
  [
    'a metrics port the user published on the load balancer beside the game port',
    {
      component: { exposure: 'public', ports: [GAME_UDP, { ...METRICS_9090, exposure: 'inherit' }] },
      recommendation: PUBLIC_LB,
      manifests: withAppServicePorts([7777, 9090]),
    },
    'EXP023',
    'medium',
  ],
  [
    'a WebSocket backend behind an ALB Ingress that keeps the 60 s idle timeout',
    {
      ...ALB_ROUTED,
      component: { ...ALB_ROUTED.component, ports: [WS_80] },
      manifests: albIngress('[{"HTTP":80},{"HTTPS":443}]'),
    },
    'EXP028',
    'medium',
  ],
  [
    'a component web depends on, without ports: no Service',
    {
      component: { role: 'worker', ports: [] },
      recommendation: { serviceType: null, entryPoint: 'none' },
      before: [CALLER],
    },
    'EXP029',
    'medium',
  ],
  [
    'a GKE Ingress with a tls entry and no FrontendConfig: HTTP still serves the app',
    { ...GKE_ROUTED, manifests: gkeTlsIngress() },
    'EXP030',
    'medium',
  ],
  [
    'a GKE Ingress whose FrontendConfig does not redirect',
    {
      ...GKE_ROUTED,
      manifests: gkeTlsIngress({ 'networking.gke.io/v1beta1.FrontendConfig': 'shop-frontend' }, [
        { ...REDIRECT_FRONTEND_CONFIG, spec: { sslPolicy: 'modern' } },
      ]),
    },
    'EXP030',
    'medium',
  ],
  [
    'an internal GKE Ingress (gce-internal) with a tls entry and plain HTTP allowed',
    { ...GKE_INTERNAL_ROUTED, manifests: gkeTlsIngress(GCE_INTERNAL) },
    'EXP030',
    'medium',
  ],
  [
    'an internal GKE Ingress naming a redirecting FrontendConfig, which gce-internal refuses',
    {
      ...GKE_INTERNAL_ROUTED,
      manifests: gkeTlsIngress({ ...GCE_INTERNAL, 'networking.gke.io/v1beta1.FrontendConfig': 'shop-frontend' }, [
        REDIRECT_FRONTEND_CONFIG,
      ]),
    },
    'EXP030',
    'medium',
  ],
  [
    'an ALB with an HTTPS listener but no ssl-redirect',
    { ...ALB_ROUTED, manifests: albIngress(ALB_BOTH_LISTENERS) },
    'EXP030',
    'medium',
  ],
  [
    'a Traefik Ingress with a tls entry but no router.tls: its routers serve port 80 too',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
      manifests: (topology, recommendations) =>
        renderSafeManifests(topology, recommendations).map((object) =>
          object.kind === 'Ingress' ? { ...object, metadata: { name: object.metadata.name } } : object,
        ),
    },
    'EXP030',
    'medium',
  ],
  [
    'an Ingress of a class whose plain-HTTP default the plan cannot cite (haproxy), with a tls entry',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'haproxy' }),
      manifests: ingressOfClass('haproxy'),
    },
    'EXP030',
    'medium',
  ],
  [
    'TCP and UDP on one NLB port without a TCP_UDP listener: only the first gets one',
    {
      component: { exposure: 'public', ports: [DNS_UDP, DNS_TCP] },
      recommendation: PUBLIC_LB,
      manifests: withAppService({ type: 'LoadBalancer', ports: [DNS_UDP, DNS_TCP] }, AWS_NLB_IP),
    },
    'EXP038',
    'medium',
  ],
  [
    'a TCP_UDP listener asked for ports of two targetPorts: both would reach the first one',
    {
      component: { exposure: 'public', ports: [DNS_UDP, { ...DNS_TCP, targetPort: 5353 }] },
      recommendation: PUBLIC_LB,
      manifests: withAppService(
        { type: 'LoadBalancer', ports: [DNS_UDP, { ...DNS_TCP, targetPort: 5353 }] },
        { ...AWS_NLB_IP, [TCP_UDP_LISTENER]: 'true' },
      ),
    },
    'EXP038',
    'medium',
  ],
  [
    'UDP on an AWS NLB, health-checked over TCP on the UDP port',
    { component: { exposure: 'public', ports: [GAME_UDP] }, recommendation: PUBLIC_LB, manifests: UDP_LB },
    'EXP031',
    'medium',
  ],
  [
    'externalTrafficPolicy Local on an NLB with ip targets',
    {
      component: { exposure: 'public', preserveClientIp: true },
      recommendation: PUBLIC_LB,
      manifests: withAppService({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, AWS_NLB_IP),
    },
    'EXP032',
    'low',
  ],
  [
    'an IPv6 source on an AWS NLB without dualstack',
    {
      component: { exposure: 'private', allowedSources: ['10.0.0.0/8', '2001:db8::/48'] },
      recommendation: INTERNAL_LB,
    },
    'EXP033',
    'low',
  ],
  [
    'an IPv6 source on a GKE load balancer without a dual-stack ipFamilyPolicy',
    {
      component: { exposure: 'private', allowedSources: ['2001:db8::/48'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'gcp' },
    },
    'EXP033',
    'low',
  ],
  ['a public LB admitting 0.0.0.0/0 without environment.podCidr', GCP_PUBLIC_LB, 'EXP034', 'low'],
  [
    'AWS NLB health checks from every private range without environment.nodeCidr',
    {
      component: { exposure: 'private', allowedSources: ['203.0.113.0/24'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'aws', podCidr: ['100.64.0.0/16'] },
      manifests: planned(),
    },
    'EXP034',
    'low',
  ],
  ['an ingress controller on kind admitting every private range for the nodes', ROUTED_ON_KIND, 'EXP034', 'low'],
  ['an ExternalName without ports while egress is restricted', EXTERNAL_WITHOUT_PORTS, 'EXP029', 'medium'],
  ['a DigitalOcean load balancer with allowedSources, its pods admitting 0.0.0.0/0', DO_SOURCES_LB, 'EXP035', 'medium'],
  [
    'an AWS NLB with allowedSources and a pinned node port, its pods admitting the node range for health checks',
    {
      component: {
        exposure: 'public',
        allowedSources: ['203.0.113.0/24'],
        ports: [buildPort({ name: 'mqtt', port: 1883, nodePort: 31883 })],
      },
      recommendation: PUBLIC_LB,
      environment: { platform: 'aws', nodeCidr: ['10.0.0.0/16'] },
      manifests: planned(),
    },
    'EXP035',
    'medium',
  ],
  [
    'a load balancer with allowedSources whose pods no NetworkPolicy selects',
    {
      component: { exposure: 'private', allowedSources: ['10.20.0.0/16'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'gcp' },
      manifests: withoutPolicies,
    },
    'EXP035',
    'medium',
  ],
  [
    'tls: true on a UDP port its own load balancer passes through',
    ownGkeLb({ ...TLS_HOST, ports: [GAME_UDP] }),
    'EXP036',
    'high',
  ],
  ['tls: true on a route attached to an existing Gateway as a whole', onExistingGateway({}), 'EXP037', 'medium'],
  [
    'allowedSources in a Traefik IPAllowList behind k3s ServiceLB, which masquerades every client',
    traefikAllowList({ platform: 'k3s' }, ['10.0.0.0/8']),
    'EXP040',
    'high',
  ],
];

const SAFE: [string, Scenario, FindingId][] = [
  ['every TLS host on the ALB names its certificate', albWithWebCertificate({ certificate: ACM_APP }), 'EXP039'],
  ['a host under the wildcard host a certificate was named for', albWithWebCertificate({}, '*.example.com'), 'EXP039'],
  [
    'no certificate named on the ALB: the controller discovers each by host',
    { ...ALB_ROUTED, before: [], manifests: planned(buildIngressPlan(['app'], { className: 'alb' })) },
    'EXP039',
  ],
  [
    'the same Ingress on NGINX, which serves the tls Secrets',
    {
      ...albWithWebCertificate(),
      ingress: buildIngressPlan(['web', 'app'], { className: 'nginx' }),
      manifests: planned(buildIngressPlan(['web', 'app'], { className: 'nginx' })),
    },
    'EXP039',
  ],
  [
    'allowedSources in a Traefik IPAllowList on MetalLB, clear of the declared pod and node ranges',
    traefikAllowList(
      { platform: 'bare-metal', loadBalancerProvider: 'metallb', podCidr: ['10.42.0.0/16'], nodeCidr: ['10.0.0.0/24'] },
      ['203.0.113.0/24'],
    ),
    'EXP040',
  ],
  [
    'tls: true on a TCP port named for TLS, which the pod serves',
    ownGkeLb({ ...TLS_HOST, ports: [buildPort({ name: 'tls-game', port: 7777 })] }),
    'EXP036',
  ],
  ['a UDP port on its own load balancer without tls: true', ownGkeLb({ ports: [GAME_UDP] }), 'EXP036'],
  ['a TLS route on an existing Gateway attached by port', onExistingGateway({ port: 443 }), 'EXP037'],
  [
    'a TLS route on an existing Gateway attached by listener name',
    onExistingGateway({ sectionName: 'https' }),
    'EXP037',
  ],
  [
    'a metrics port marked inherit that the rendered LoadBalancer does not carry',
    {
      component: { exposure: 'public', ports: [GAME_UDP, { ...METRICS_9090, exposure: 'inherit' }] },
      recommendation: PUBLIC_LB,
      manifests: withAppServicePorts([7777]),
    },
    'EXP023',
  ],
  [
    'a metrics port kept in-cluster beside the game port',
    {
      component: { exposure: 'public', ports: [GAME_UDP, { ...METRICS_9090, exposure: 'internal' }] },
      recommendation: PUBLIC_LB,
      manifests: withAppServicePorts([7777]),
    },
    'EXP023',
  ],
  [
    "a metrics port on the game port's own container port, published with it (it cannot be kept in)",
    {
      component: {
        exposure: 'public',
        ports: [GAME_UDP, { ...METRICS_9090, protocol: 'UDP', targetPort: 7777, exposure: 'inherit' }],
      },
      recommendation: PUBLIC_LB,
      manifests: withAppServicePorts([7777, 9090]),
    },
    'EXP023',
  ],
  [
    'a public component made only of a metrics port (nothing else to publish)',
    { component: { exposure: 'public', ports: [{ ...METRICS_9090, exposure: 'inherit' }] }, recommendation: PUBLIC_LB },
    'EXP023',
  ],
  [
    'a published metrics port behind the shared Ingress, which routes the HTTP port only',
    {
      component: {
        exposure: 'public',
        host: 'a.example.com',
        ports: [HTTP_80, { ...METRICS_9090, exposure: 'inherit' }],
      },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
    },
    'EXP023',
  ],
  ['a database kept internal', { component: { role: 'database', exposure: 'internal', ports: POSTGRES } }, 'EXP001'],
  [
    'a private database (EXP002, not EXP001)',
    { component: { role: 'database', exposure: 'private', ports: POSTGRES }, recommendation: INTERNAL_LB },
    'EXP001',
  ],
  [
    'a public API',
    { component: { exposure: 'public', host: 'a.example.com', tls: true }, recommendation: VIA_INGRESS },
    'EXP001',
  ],
  ['a database kept internal', { component: { role: 'database', ports: POSTGRES } }, 'EXP002'],
  [
    'a private API',
    { component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] }, recommendation: INTERNAL_LB },
    'EXP002',
  ],
  ['a ClusterIP Service', {}, 'EXP003'],
  [
    'a LoadBalancer Service',
    { component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] }, recommendation: INTERNAL_LB },
    'EXP003',
  ],
  [
    'a private LB with sources',
    { component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] }, recommendation: INTERNAL_LB },
    'EXP004',
  ],
  [
    'sources given by the annotation instead of the field',
    {
      component: { exposure: 'private' },
      recommendation: INTERNAL_LB,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
        buildService(
          'app',
          { type: 'LoadBalancer' },
          { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.1.0.0/16, 10.2.0.0/16' },
        ),
      ],
    },
    'EXP004',
  ],
  ['a public LB (EXP005, not EXP004)', onPublicLoadBalancer(), 'EXP004'],
  [
    'a public LB limited to partner sources',
    { component: { exposure: 'public', allowedSources: ['203.0.113.0/24'] }, recommendation: PUBLIC_LB },
    'EXP005',
  ],
  [
    'a private LB without sources (EXP004 instead)',
    { component: { exposure: 'private' }, recommendation: INTERNAL_LB },
    'EXP005',
  ],
  [
    'tls through the Ingress',
    { component: { exposure: 'public', host: 'shop.example.com', tls: true }, recommendation: VIA_INGRESS },
    'EXP006',
  ],
  [
    'an ALB Ingress with a tls entry and an HTTPS listener',
    { ...ALB_ROUTED, manifests: albIngress('[{"HTTP":80},{"HTTPS":443}]') },
    'EXP006',
  ],
  [
    'a wildcard certificate on the Ingress',
    {
      component: { exposure: 'public', host: 'shop.example.com' },
      recommendation: VIA_INGRESS,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Ingress'),
        buildIngress([{ hosts: ['*.example.com'], secretName: 'wildcard-tls' }]),
      ],
    },
    'EXP006',
  ],
  [
    'tls: true on a private LB whose NLB terminates TLS on its port',
    {
      component: { exposure: 'private', allowedSources: ['10.0.0.0/8'], host: 'intranet.example.com', tls: true },
      recommendation: INTERNAL_LB,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
        buildService(
          'app',
          { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8080, protocol: 'TCP' }] },
          {
            'service.beta.kubernetes.io/aws-load-balancer-ssl-cert':
              'arn:aws:acm:us-east-1:123456789012:certificate/abc',
            'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
          },
        ),
      ],
    },
    'EXP025',
  ],
  [
    'HTTPS on 443 of a public LB',
    { component: { exposure: 'public', ports: [buildPort({ name: 'https', port: 443 })] }, recommendation: PUBLIC_LB },
    'EXP006',
  ],
  [
    'a DigitalOcean certificate on the LB',
    {
      component: { exposure: 'public' },
      recommendation: PUBLIC_LB,
      environment: { platform: 'digitalocean' },
      manifests: doCertificateOnLoadBalancer({ 'service.beta.kubernetes.io/do-loadbalancer-type': 'REGIONAL' }),
    },
    'EXP006',
  ],
  [
    'an AWS certificate on the LB',
    {
      component: { exposure: 'public' },
      recommendation: PUBLIC_LB,
      manifests: (topology, recommendations) => [
        ...renderSafeManifests(topology, recommendations).filter((object) => object.kind !== 'Service'),
        buildService(
          'app',
          { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8080, protocol: 'TCP' }] },
          {
            'service.beta.kubernetes.io/aws-load-balancer-ssl-cert':
              'arn:aws:acm:us-east-1:123456789012:certificate/abc',
            'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
          },
        ),
      ],
    },
    'EXP006',
  ],
  [
    'public MQTT (not HTTP) on a LB',
    { component: { exposure: 'public', ports: [buildPort({ name: 'mqtt', port: 1883 })] }, recommendation: PUBLIC_LB },
    'EXP006',
  ],
  ['internal HTTP', {}, 'EXP006'],
  ['a LoadBalancer on aws', onPublicLoadBalancer(), 'EXP007'],
  [
    'a LoadBalancer on bare metal with MetalLB',
    onPublicLoadBalancer({ platform: 'bare-metal', loadBalancerProvider: 'metallb' }),
    'EXP007',
  ],
  [
    'a LoadBalancer on kind with MetalLB',
    onPublicLoadBalancer({ platform: 'kind', loadBalancerProvider: 'metallb' }),
    'EXP007',
  ],
  [
    'a LoadBalancer on minikube with kube-vip',
    onPublicLoadBalancer({ platform: 'minikube', loadBalancerProvider: 'kube-vip' }),
    'EXP007',
  ],
  ['a LoadBalancer on k3s with its ServiceLB', onPublicLoadBalancer({ platform: 'k3s' }), 'EXP007'],
  [
    'a NodePort on kind',
    { component: { exposure: 'public' }, recommendation: NODE_PORT, environment: { platform: 'kind' } },
    'EXP007',
  ],
  ['a LoadBalancer with policy Cluster', onPublicLoadBalancer(), 'EXP008'],
  ['client IP asked for on a ClusterIP', { component: { preserveClientIp: true } }, 'EXP008'],
  [
    'a node port pinned at 30085, the top of the static band',
    {
      component: { exposure: 'node', ports: [buildPort({ name: 'http', nodePort: 30085 })] },
      recommendation: NODE_PORT,
    },
    'EXP009',
  ],
  ['a node port left to Kubernetes', { component: { exposure: 'node' }, recommendation: NODE_PORT }, 'EXP009'],
  ['an in-cluster component', {}, 'EXP010'],
  ['an in-cluster component', {}, 'EXP011'],
  ['SSH kept in-cluster', { component: { role: 'other', ports: [SSH] } }, 'EXP012'],
  [
    'PostgreSQL on a private database (EXP002 covers it)',
    {
      component: { role: 'database', exposure: 'private', allowedSources: ['10.0.0.0/8'], ports: POSTGRES },
      recommendation: INTERNAL_LB,
    },
    'EXP012',
  ],
  [
    'HTTPS on a public LB',
    { component: { exposure: 'public', ports: [buildPort({ name: 'https', port: 443 })] }, recommendation: PUBLIC_LB },
    'EXP012',
  ],
  ['the plan\u2019s own policies', {}, 'EXP013'],
  [
    'a policy selecting a subset of its labels (found through the label index)',
    {
      component: { labels: { app: 'app', tier: 'web' } },
      manifests: (topology, recommendations) => [
        ...withoutPolicies(topology, recommendations),
        buildNetworkPolicy('allow-tier', { matchLabels: { tier: 'web' } }),
      ],
    },
    'EXP013',
  ],
  [
    'a matchExpressions In selector and no policyTypes',
    {
      manifests: (topology, recommendations) => [
        ...withoutPolicies(topology, recommendations),
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'allow-app', namespace: NAMESPACE },
          spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['app', 'web'] }] } },
        },
      ],
    },
    'EXP013',
  ],
  [
    'an ExternalName has no pods to select',
    {
      component: { externalName: 'legacy.corp.example.com', ports: [] },
      recommendation: { serviceType: 'ExternalName' },
      manifests: withoutPolicies,
    },
    'EXP013',
  ],
  [
    'an installed controller',
    {
      recommendation: VIA_INGRESS,
      component: { exposure: 'public', tls: true, host: 'a.example.com' },
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
    },
    'EXP014',
  ],
  [
    'a component nobody depends on, without ports',
    { component: { ports: [] }, recommendation: { serviceType: null } },
    'EXP029',
  ],
  ['a dependency with a port and its Service', { before: [CALLER] }, 'EXP029'],
  [
    'a GKE Ingress naming a FrontendConfig that redirects to HTTPS',
    {
      ...GKE_ROUTED,
      manifests: gkeTlsIngress({ 'networking.gke.io/v1beta1.FrontendConfig': 'shop-frontend' }, [
        REDIRECT_FRONTEND_CONFIG,
      ]),
    },
    'EXP030',
  ],
  [
    'a GKE Ingress with plain HTTP turned off',
    { ...GKE_ROUTED, manifests: gkeTlsIngress({ 'kubernetes.io/ingress.allow-http': 'false' }) },
    'EXP030',
  ],
  [
    'an internal GKE Ingress (gce-internal) with plain HTTP turned off',
    {
      ...GKE_INTERNAL_ROUTED,
      manifests: gkeTlsIngress({ ...GCE_INTERNAL, 'kubernetes.io/ingress.allow-http': 'false' }),
    },
    'EXP030',
  ],
  [
    'an ALB with ssl-redirect',
    {
      ...ALB_ROUTED,
      manifests: (topology, recommendations) =>
        albIngress(ALB_BOTH_LISTENERS)(topology, recommendations).map((object) =>
          object.kind === 'Ingress'
            ? {
                ...object,
                metadata: {
                  ...object.metadata,
                  annotations: { ...object.metadata.annotations, 'alb.ingress.kubernetes.io/ssl-redirect': '443' },
                },
              }
            : object,
        ),
    },
    'EXP030',
  ],
  [
    'a Traefik Ingress with TLS and router.tls: its TLS router ignores plain HTTP',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
    },
    'EXP030',
  ],
  [
    'an NGINX Ingress with a tls entry: ingress-nginx redirects to HTTPS by default',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'nginx' }),
      manifests: ingressOfClass('nginx'),
    },
    'EXP030',
  ],
  [
    'an Ingress of an unknown class without a tls entry: no TLS was asked of it',
    {
      component: { exposure: 'public', host: 'a.example.com' },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'haproxy' }),
      manifests: ingressOfClass('haproxy'),
    },
    'EXP030',
  ],
  [
    'TCP and UDP on one NLB port with a TCP_UDP listener',
    {
      component: { exposure: 'public', ports: [DNS_UDP, DNS_TCP] },
      recommendation: PUBLIC_LB,
      manifests: withAppService(
        { type: 'LoadBalancer', ports: [DNS_UDP, DNS_TCP] },
        { ...AWS_NLB_IP, [TCP_UDP_LISTENER]: 'true' },
      ),
    },
    'EXP038',
  ],
  [
    'TCP and UDP on one port of a GKE load balancer (not the AWS controller)',
    {
      component: { exposure: 'public', ports: [DNS_UDP, DNS_TCP] },
      recommendation: PUBLIC_LB,
      environment: { platform: 'gcp' },
      manifests: withAppService({ type: 'LoadBalancer', ports: [DNS_UDP, DNS_TCP] }, {}),
    },
    'EXP038',
  ],
  [
    'UDP on an AWS NLB with a health-check port',
    {
      component: { exposure: 'public', ports: [GAME_UDP, HTTP_80] },
      recommendation: PUBLIC_LB,
      manifests: withAppService(
        { type: 'LoadBalancer', ports: [{ name: 'game', port: 7777, protocol: 'UDP' }] },
        { ...AWS_NLB_IP, 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-port': '80' },
      ),
    },
    'EXP031',
  ],
  [
    'DNS on an AWS NLB: TCP and UDP on the same port, the TCP check is answered',
    {
      component: {
        exposure: 'public',
        ports: [buildPort({ name: 'dns', port: 53, protocol: 'UDP' }), buildPort({ name: 'dns-tcp', port: 53 })],
      },
      recommendation: PUBLIC_LB,
      manifests: withAppService(
        {
          type: 'LoadBalancer',
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP' },
            { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          ],
        },
        AWS_NLB_IP,
      ),
    },
    'EXP031',
  ],
  [
    'UDP on a GKE load balancer (no NLB target group)',
    {
      component: { exposure: 'public', ports: [GAME_UDP] },
      recommendation: PUBLIC_LB,
      environment: { platform: 'gcp' },
    },
    'EXP031',
  ],
  [
    'externalTrafficPolicy Local on a load balancer that targets nodes (GKE)',
    {
      component: { exposure: 'public', preserveClientIp: true },
      recommendation: PUBLIC_LB,
      environment: { platform: 'gcp' },
    },
    'EXP032',
  ],
  [
    'externalTrafficPolicy Local on an NLB with ip targets: no claim that it health-checks every node',
    {
      component: { exposure: 'public', preserveClientIp: true },
      recommendation: PUBLIC_LB,
      manifests: withAppService({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, AWS_NLB_IP),
    },
    'EXP008',
  ],
  [
    'an IPv6 source on an AWS NLB with dualstack',
    {
      component: { exposure: 'private', allowedSources: ['2001:db8::/48'] },
      recommendation: INTERNAL_LB,
      manifests: withAppService(
        { type: 'LoadBalancer', loadBalancerSourceRanges: ['2001:db8::/48'] },
        { ...AWS_NLB_IP, 'service.beta.kubernetes.io/aws-load-balancer-ip-address-type': 'dualstack' },
      ),
    },
    'EXP033',
  ],
  [
    'an IPv6 source on a dual-stack GKE Service',
    {
      component: { exposure: 'private', allowedSources: ['2001:db8::/48'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'gcp' },
      manifests: withAppService(
        { type: 'LoadBalancer', ipFamilyPolicy: 'PreferDualStack', loadBalancerSourceRanges: ['2001:db8::/48'] },
        {},
      ),
    },
    'EXP033',
  ],
  [
    'IPv4 sources only',
    { component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] }, recommendation: INTERNAL_LB },
    'EXP033',
  ],
  ['no Ingress at all', {}, 'EXP014'],
  [
    'GKE Ingress (class gce), built into GKE, named by no ingressController',
    {
      recommendation: VIA_INGRESS,
      component: { exposure: 'public', tls: true, host: 'a.example.com' },
      environment: { platform: 'gcp' },
      ingress: buildIngressPlan(['app'], { className: 'gce', controllerPresent: false }),
    },
    'EXP014',
  ],
  [
    'the traefik class',
    {
      recommendation: VIA_INGRESS,
      component: { exposure: 'public', tls: true, host: 'a.example.com' },
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
    },
    'EXP015',
  ],
  [
    'a private component on an internal LB',
    { component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] }, recommendation: INTERNAL_LB },
    'EXP016',
  ],
  ['a public component on an internet-facing LB', onPublicLoadBalancer(), 'EXP016'],
  [
    'an Ingress-routed component that does not need the client IP',
    {
      recommendation: VIA_INGRESS,
      component: { exposure: 'public', tls: true, host: 'a.example.com' },
      ingress: buildIngressPlan(['app'], { className: 'traefik' }),
    },
    'EXP017',
  ],
  [
    'client IP on a LoadBalancer (EXP008 instead)',
    { component: { exposure: 'public', preserveClientIp: true }, recommendation: PUBLIC_LB },
    'EXP017',
  ],
  [
    'a LoadBalancer on a port Traefik does not hold',
    {
      component: { exposure: 'public', ports: [buildPort({ name: 'mqtts', port: 8883 })] },
      recommendation: PUBLIC_LB,
      environment: K3S_TRAEFIK,
    },
    'EXP018',
  ],
  [
    'k3s with MetalLB: every Service gets its own address',
    {
      component: { exposure: 'public', ports: [HTTP_80] },
      recommendation: PUBLIC_LB,
      environment: { ...K3S_TRAEFIK, loadBalancerProvider: 'metallb' },
    },
    'EXP018',
  ],
  [
    'a plain HTTP backend behind a class the planner cannot configure',
    {
      component: { exposure: 'public', host: 'a.example.com', tls: true },
      recommendation: VIA_INGRESS,
      ingress: buildIngressPlan(['app'], { className: 'haproxy' }),
    },
    'EXP021',
  ],
  [
    'a public LB with the pod and node ranges given',
    {
      component: { exposure: 'public' },
      recommendation: PUBLIC_LB,
      environment: { platform: 'gcp', podCidr: ['10.8.0.0/14'], nodeCidr: ['10.128.0.0/20'] },
      manifests: planned(),
    },
    'EXP034',
  ],
  [
    'allowedSources naming a private range, with the pods excepted',
    {
      component: { exposure: 'private', allowedSources: ['10.0.0.0/8'], preserveClientIp: true },
      recommendation: INTERNAL_LB,
      environment: { platform: 'bare-metal', loadBalancerProvider: 'metallb', podCidr: ['10.244.0.0/16'] },
      manifests: planned(),
    },
    'EXP034',
  ],
  [
    'an ingress controller on kind with the node range given',
    {
      ...ROUTED_ON_KIND,
      environment: { platform: 'kind', nodeCidr: ['172.18.0.0/16'], podCidr: ['10.244.0.0/16'] },
    },
    'EXP034',
  ],
  ['an in-cluster component: only pod selectors', { manifests: planned() }, 'EXP034'],
  ['a load balancer without allowedSources', GCP_PUBLIC_LB, 'EXP035'],
  [
    'allowedSources held at the pods too (externalTrafficPolicy Local keeps the client address)',
    {
      component: { exposure: 'private', allowedSources: ['10.20.0.0/16'], preserveClientIp: true },
      recommendation: INTERNAL_LB,
      environment: { platform: 'gcp' },
      manifests: planned(),
    },
    'EXP035',
  ],
  [
    'a load balancer with allowedSources and no node ports (allocateLoadBalancerNodePorts false)',
    {
      ...DO_SOURCES_LB,
      manifests: withAppServiceSpec(planned(), (spec) => ({ ...spec, allocateLoadBalancerNodePorts: false })),
    },
    'EXP035',
  ],
  ['a load balancer with allowedSources on kind', { ...DO_SOURCES_LB, environment: { platform: 'kind' } }, 'EXP035'],
  ['an ExternalName without ports while egress is open', { ...EXTERNAL_WITHOUT_PORTS, environment: {} }, 'EXP029'],
  [
    'an ExternalName with its port while egress is restricted',
    {
      ...EXTERNAL_WITHOUT_PORTS,
      component: { externalName: 'legacy.corp.example.com', ports: [buildPort({ name: 'https', port: 443 })] },
    },
    'EXP029',
  ],
];

describe(assessSecurity.name, () => {
  it.each(FIRES)('%s → %s', (_label, scenario, id, severity) => {
    const matching = assess(scenario).filter((finding) => finding.id === id);
    expect(matching).toHaveLength(1);
    expect(at(matching, 0).severity).toBe(severity);
    expect(at(matching, 0).title).toBe(FINDING_CATALOG[id].title);
  });

  it.each(SAFE)('%s → no %s', (_label, scenario, id) => {
    expect(assess(scenario).map((finding) => finding.id)).not.toContain(id);
  });

  it('has a firing scenario for every catalog id', () => {
    expect(new Set(FIRES.map(([, , id]) => id))).toEqual(new Set(FINDING_IDS));
  });

  it('reports nothing for a plain internal component rendered correctly', () => {
    expect(assess({})).toEqual([]);
  });

  it('gives every finding of every scenario a filled remediation and the component it concerns', () => {
    for (const [, scenario] of FIRES) {
      for (const finding of assess(scenario)) {
        expect(finding.remediation).not.toMatch(/\{\w+\}/);
        expect(finding.detail.length).toBeGreaterThan(20);
        if (finding.id === 'EXP014' || finding.id === 'EXP015') {
          expect(finding.component).toBeUndefined();
        } else {
          const concerned = ['app', ...(scenario.before ?? []).map((entry) => entry.component.name)];
          expect(concerned).toContain(finding.component);
          expect(finding.detail).toContain(finding.component);
        }
      }
    }
  });

  it('EXP016 on other-cloud explains that the planner cannot mark the load balancer internal', () => {
    const findings = assess({
      component: { exposure: 'node', allowedSources: ['10.0.0.0/8'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'other-cloud' },
    }).filter((finding) => finding.id === 'EXP016');
    expect(findings).toHaveLength(1);
    expect(at(findings, 0).detail).toContain('cannot mark it internal on other-cloud');
    expect(at(findings, 0).detail).toContain('10.0.0.0/8');
    expect(at(findings, 0).remediation).toContain('which the planner cannot know');
  });

  it('names the actual ports, node ports and sources in the detail', () => {
    const nodePort = assess({
      component: {
        exposure: 'node',
        allowedSources: ['192.0.2.10/32'],
        ports: [buildPort({ name: 'http', nodePort: 30080 })],
      },
      recommendation: NODE_PORT,
    }).find((finding) => finding.id === 'EXP003');
    expect(nodePort?.detail).toContain('node port 30080');
    expect(nodePort?.detail).toContain('192.0.2.10/32');
    expect(nodePort?.remediation).toContain('30080/TCP only from 192.0.2.10/32');

    const ssh = assess({
      component: { role: 'other', exposure: 'public', ports: [SSH] },
      recommendation: PUBLIC_LB,
    }).find((finding) => finding.id === 'EXP012');
    expect(ssh?.detail).toContain('SSH on 22/TCP (ssh)');
    expect(ssh?.remediation).toContain('22/TCP');

    const open = assess({
      component: { exposure: 'private', allowedSources: ['0.0.0.0/0'] },
      recommendation: INTERNAL_LB,
    }).find((finding) => finding.id === 'EXP004');
    expect(open?.detail).toContain('0.0.0.0/0');

    const db = assess({ component: { role: 'database', exposure: 'public', ports: POSTGRES } }).find(
      (finding) => finding.id === 'EXP001',
    );
    expect(db?.detail).toContain('5432/TCP');
    expect(db?.detail).toContain('not granted');
    expect(db?.remediation).toContain(`kubectl port-forward -n ${NAMESPACE} svc/app 5432:5432`);
  });

  it.each([
    ['aws', 'service.beta.kubernetes.io/aws-load-balancer-scheme: internal', 'networking.gke.io/'],
    ['gcp', 'networking.gke.io/load-balancer-type: "Internal"', 'aws-'],
    ['azure', 'service.beta.kubernetes.io/azure-load-balancer-internal: "true"', 'networking.gke.io/'],
    ['digitalocean', 'do-loadbalancer-network: INTERNAL', 'azure-'],
    ['bare-metal', 'metallb.io/address-pool', 'service.beta.kubernetes.io/'],
  ] as const)('EXP016 on %s names only that platform’s way to an internal load balancer', (platform, own, foreign) => {
    const finding = assess({
      component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] },
      recommendation: PUBLIC_LB,
      environment: { platform, ...(platform === 'bare-metal' ? { loadBalancerProvider: 'metallb' as const } : {}) },
    }).find((candidate) => candidate.id === 'EXP016');
    expect(finding?.remediation).toContain(own);
    expect(finding?.remediation).not.toContain(foreign);
  });

  it.each([
    ['aws', 'security group'],
    ['gcp', 'VPC firewall rules'],
    ['azure', 'network security group'],
  ] as const)('EXP004 on %s says who enforces the source ranges there, and no other provider', (platform, own) => {
    const finding = assess({
      component: { exposure: 'private' },
      recommendation: INTERNAL_LB,
      environment: { platform },
    }).find((candidate) => candidate.id === 'EXP004');
    expect(finding?.remediation).toContain(own);
    expect(finding?.remediation.includes('AWS')).toBe(platform === 'aws');
  });

  it('EXP015 names the AKS-managed ways off a retiring controller on AKS only', () => {
    const remediation = (platform: Environment['platform']) =>
      assess({
        ...routedThrough('nginx'),
        environment: { platform },
      }).find((finding) => finding.id === 'EXP015')?.remediation;
    expect(remediation('azure')).toContain('approuting-istio');
    expect(remediation('minikube')).not.toMatch(/AKS|approuting|Application Gateway/);
    expect(remediation('minikube')).toContain('Envoy Gateway');
  });

  it('points EXP007 at the fix that fits the platform', () => {
    const remediation = (environment: Partial<Environment>) =>
      assess({ component: { exposure: 'public' }, recommendation: PUBLIC_LB, environment }).find(
        (finding) => finding.id === 'EXP007',
      )?.remediation;
    expect(remediation({ platform: 'minikube' })).toContain('minikube tunnel');
    expect(remediation({ platform: 'kind' })).toContain('cloud-provider-kind');
    expect(remediation({ platform: 'k3s', loadBalancerProvider: 'none' })).toContain('servicelb');
    expect(remediation({ platform: 'bare-metal' })).toContain('MetalLB');
  });

  it('names a non-public exposure as an exposure in EXP004 and EXP016 ("has exposure node", never "is node")', () => {
    const detail = (scenario: Scenario, id: string) => assess(scenario).find((finding) => finding.id === id)?.detail;
    expect(detail({ component: { exposure: 'node' }, recommendation: INTERNAL_LB }, 'EXP004')).toMatch(
      /^app has exposure node, yet its LoadBalancer \(scheme internal,/,
    );
    expect(
      detail(
        { component: { exposure: 'private', allowedSources: ['10.0.0.0/8'] }, recommendation: PUBLIC_LB },
        'EXP016',
      ),
    ).toMatch(/^app has exposure private, but its LoadBalancer is internet-facing/);
    expect(
      detail(
        {
          component: { exposure: 'node', allowedSources: ['10.0.0.0/8'] },
          recommendation: INTERNAL_LB,
          environment: { platform: 'other-cloud' },
        },
        'EXP016',
      ),
    ).toMatch(/^app has exposure node and the plan wants its LoadBalancer internal/);
  });

  it('EXP035 names the node ports, the blocks its pods admit and the address they come from', () => {
    const pinned = assess({
      ...DO_SOURCES_LB,
      component: {
        exposure: 'private',
        allowedSources: ['10.20.0.0/16'],
        ports: [buildPort({ name: 'https', port: 443, nodePort: 30443 }), buildPort({ name: 'admin', port: 8443 })],
      },
    }).find((finding) => finding.id === 'EXP035');
    expect(pinned?.detail).toContain('node port 30443 (443/TCP), a node port for 8443/TCP');
    expect(pinned?.detail).toContain('loadBalancerSourceRanges (10.20.0.0/16)');
    expect(pinned?.detail).toContain("from that node's address, which its NetworkPolicy admits (0.0.0.0/0, ::/0)");
    // DigitalOcean load balancers need the node ports: the advice is the firewall, not switching them off.
    expect(pinned?.remediation).toContain('cloud firewall of the worker nodes');
    expect(pinned?.remediation).not.toContain('allocateLoadBalancerNodePorts');

    const local = assess({
      ...DO_SOURCES_LB,
      component: { ...DO_SOURCES_LB.component, preserveClientIp: true },
    }).find((finding) => finding.id === 'EXP035');
    expect(local?.detail).toContain("from the client's own address (externalTrafficPolicy Local)");

    const unselected = assess({ ...DO_SOURCES_LB, manifests: withoutPolicies }).find(
      (finding) => finding.id === 'EXP035',
    );
    expect(unselected?.detail).toContain("and no NetworkPolicy selects app's pods");
  });

  it('EXP035 on AWS: the planned NLB opens no node port; one that does is told to stop', () => {
    const scenario: Scenario = {
      component: { exposure: 'private', allowedSources: ['10.20.0.0/16'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'aws' },
      manifests: planned(),
    };
    const exp035 = (changed: Scenario) => assess(changed).find((entry) => entry.id === 'EXP035');
    expect(exp035(scenario)).toBeUndefined();

    // As rendered before engine 1.5.0, or edited: the Service allocates node ports again.
    const allocating = exp035({
      ...scenario,
      manifests: withAppServiceSpec(planned(), (spec) => {
        delete spec.allocateLoadBalancerNodePorts;
        return spec;
      }),
    });
    expect(allocating?.detail).toMatch(/which its NetworkPolicy admits \(10\.0\.0\.0\/8, /);
    expect(allocating?.remediation).toContain('spec.allocateLoadBalancerNodePorts: false');
    expect(allocating?.remediation).toContain("the nodes' security group");

    // A pinned node port is opened whatever allocateLoadBalancerNodePorts says.
    const pinned = exp035({
      ...scenario,
      component: { ...scenario.component, ports: [buildPort({ name: 'https', port: 443, nodePort: 30443 })] },
    });
    expect(pinned?.detail).toContain('also opens node port 30443 (443/TCP) on every node');
    expect(pinned?.remediation).toContain('remove the pinned nodePort');
  });

  it('tells pods from nodes by the node range in EXP034 advice only on AWS', () => {
    const remediation = (scenario: Scenario) =>
      assess(scenario).find((finding) => finding.id === 'EXP034')?.remediation;
    const onKind = remediation(ROUTED_ON_KIND) ?? '';
    expect(onKind).toContain('environment.nodeCidr to the node (VPC) ranges (admitted instead of every private range)');
    expect(onKind).not.toContain('AWS');
    const onAws = remediation({
      component: { exposure: 'private', allowedSources: ['203.0.113.0/24'] },
      recommendation: INTERNAL_LB,
      environment: { platform: 'aws', podCidr: ['100.64.0.0/16'] },
      manifests: planned(),
    });
    expect(onAws).toContain('and can tell pods from nodes on AWS');
  });

  it('agrees in number with the ports it names (EXP018, EXP003)', () => {
    const finding = (scenario: Scenario, id: string) => assess(scenario).find((found) => found.id === id);
    const onK3s = (ports: PortSpec[]) =>
      finding(
        { component: { exposure: 'public', ports }, recommendation: PUBLIC_LB, environment: K3S_TRAEFIK },
        'EXP018',
      );
    expect(onK3s([HTTP_80])?.detail).toContain('80/TCP already belongs to');
    expect(onK3s([HTTP_80])?.remediation).toContain('(80/TCP taken by');
    const both = onK3s([HTTP_80, buildPort({ name: 'https', port: 443 })]);
    expect(both?.detail).toContain('80/TCP, 443/TCP already belong to');
    const nodePort = (ports: PortSpec[]) =>
      finding({ component: { exposure: 'node', ports }, recommendation: NODE_PORT }, 'EXP003')?.remediation;
    expect(nodePort([HTTP_80])).toContain('only from the hosts that need it in');
    expect(nodePort([HTTP_80, buildPort({ name: 'metrics', port: 9090 })])).toContain(
      'only from the hosts that need them in',
    );
  });

  it('says who may connect when no allowedSources are given, not "allowed sources none"', () => {
    const detail = (scenario: Scenario, id: string) => assess(scenario).find((finding) => finding.id === id)?.detail;
    const nodePort = (allowedSources: string[]) =>
      detail({ component: { exposure: 'node', allowedSources }, recommendation: NODE_PORT }, 'EXP003');
    expect(nodePort([])).toMatch(/ No allowedSources are given: any client that reaches a node may connect\.$/);
    // The safe rendering admits no outside address, and the Service keeps Cluster: nobody outside gets in.
    expect(nodePort(['10.0.0.0/8'])).toMatch(
      / Its NetworkPolicy admits no address beyond its allowedSources \(10\.0\.0\.0\/8\), but with externalTrafficPolicy Cluster the pods see a node's address, so no client from outside the cluster gets in, those of allowedSources included\.$/,
    );
    const internetFacing = (allowedSources: string[]) =>
      detail({ component: { exposure: 'private', allowedSources }, recommendation: PUBLIC_LB }, 'EXP016');
    expect(internetFacing([])).toMatch(
      / gets a public address that any client can connect to \(no allowedSources\)\.$/,
    );
    expect(internetFacing(['198.51.100.0/24'])).toMatch(
      / gets a public address, limited only by 198\.51\.100\.0\/24\.$/,
    );
    for (const text of [nodePort([]), internetFacing([])]) {
      expect(text).not.toContain('none (any address)');
    }
  });

  describe('order', () => {
    const components = [
      buildComponent({ name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com' }),
      buildComponent({ name: 'db', role: 'database', exposure: 'public', ports: POSTGRES }),
      buildComponent({
        name: 'admin',
        role: 'other',
        exposure: 'node',
        ports: [SSH, buildPort({ name: 'http', port: 8080, nodePort: 31000 })],
      }),
      buildComponent({ name: 'legacy', externalName: 'legacy.corp.example.com', ports: [] }),
    ];
    const topology = topologyWith(components);
    const recommendations = [
      buildRecommendation('web', VIA_INGRESS),
      buildRecommendation('db'),
      buildRecommendation('admin', NODE_PORT),
      buildRecommendation('legacy', { serviceType: 'ExternalName' }),
    ];
    const ingress = buildIngressPlan(['web'], { className: 'nginx', controllerPresent: false });
    const manifests = withoutPolicies(topology, recommendations);
    const findings = assessSecurity(topology, recommendations, ingress, manifests);

    it('sorts by severity, then component input order (namespace-wide first), then id', () => {
      expect(findings.map((finding) => `${finding.severity} ${finding.component ?? '-'} ${finding.id}`)).toEqual([
        'critical db EXP001',
        'high web EXP006',
        'high admin EXP012',
        'medium - EXP014',
        'medium - EXP015',
        'medium web EXP013',
        'medium db EXP013',
        'medium admin EXP003',
        'medium admin EXP013',
        'medium legacy EXP010',
        'low admin EXP009',
        'low legacy EXP011',
      ]);
    });

    it('never decreases in severity', () => {
      const ranks = findings.map((finding) => SEVERITIES.indexOf(finding.severity));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    });

    it('is deterministic whatever the order of recommendations and manifests', () => {
      const again = assessSecurity(topology, [...recommendations].reverse(), ingress, [...manifests].reverse());
      expect(again).toEqual(findings);
      expect(JSON.stringify(assessSecurity(topology, recommendations, ingress, manifests))).toBe(
        JSON.stringify(findings),
      );
    });
  });
});

describe(canProvisionLoadBalancer.name, () => {
  it.each([
    [{ platform: 'gcp' }, true],
    [{ platform: 'digitalocean' }, true],
    [{ platform: 'bare-metal', loadBalancerProvider: 'kube-vip' }, true],
    [{ platform: 'bare-metal' }, false],
    [{ platform: 'bare-metal', loadBalancerProvider: 'none' }, false],
    [{ platform: 'k3s' }, true],
    [{ platform: 'k3s', loadBalancerProvider: 'none' }, false],
    [{ platform: 'minikube' }, false],
    [{ platform: 'kind', loadBalancerProvider: 'metallb' }, true],
  ] as [Pick<Environment, 'platform' | 'loadBalancerProvider'>, boolean][])('%o → %s', (environment, expected) => {
    expect(canProvisionLoadBalancer({ stage: 'production', ...environment })).toBe(expected);
  });
});

describe('findings that need the whole plan', () => {
  function findingsOf(input: unknown): Finding[] {
    return planOf(input).findings;
  }

  describe('EXP003: allowedSources on a NodePort, judged on what the plan renders', () => {
    /** One SSH-like API on a NodePort, allowed from one subnet. */
    const nodePortApi = (environment: Record<string, unknown>, exposure: string, preserveClientIp = false) => ({
      name: 't',
      environment,
      components: [
        {
          name: 'ssh',
          role: 'api',
          ports: [{ name: 'ssh', port: 2222 }],
          exposure,
          allowedSources: ['192.168.10.0/24'],
          preserveClientIp,
        },
      ],
    });
    const exp003 = (input: unknown): Finding | undefined =>
      findingsOf(input).find((finding) => finding.id === 'EXP003');

    it.each([
      ['node on bare metal', { platform: 'bare-metal' }, 'node'],
      ['private on bare metal without a provider', { platform: 'bare-metal' }, 'private'],
      ['public on bare metal without a provider', { platform: 'bare-metal' }, 'public'],
      ['node on k3s without ServiceLB', { platform: 'k3s', loadBalancerProvider: 'none' }, 'node'],
    ])(
      'is high when nothing rendered holds them (%s): the policy admits every address, no firewall',
      (_label, environment, exposure) => {
        const finding = exp003(nodePortApi(environment, exposure));
        expect(finding?.severity).toBe('high');
        expect(finding?.detail).toContain(
          "Nothing rendered holds its allowedSources (192.168.10.0/24): the Service cannot restrict who connects, the pods see a node's address (externalTrafficPolicy Cluster), so its NetworkPolicy admits 0.0.0.0/0, ::/0, and the plan renders no firewall",
        );
        expect(finding?.remediation).toContain(
          'or set preserveClientIp: true so the Service keeps the client address (externalTrafficPolicy Local',
        );
      },
    );

    it('is medium when preserveClientIp makes the NetworkPolicy admit only them', () => {
      const finding = exp003(nodePortApi({ platform: 'bare-metal' }, 'node', true));
      expect(finding?.severity).toBe('medium');
      expect(finding?.detail).toContain(
        'Its allowedSources (192.168.10.0/24) hold in its NetworkPolicy, which admits no other address',
      );
      expect(finding?.remediation).not.toContain('preserveClientIp');
    });

    it.each([
      ['kind', "the plan's kind mapping listens on 127.0.0.1, so only this machine reaches it"],
      ['minikube', "minikube's node is a container or a VM on this machine"],
    ])('stays medium on %s, saying why', (platform, why) => {
      const finding = exp003(nodePortApi({ platform }, 'private'));
      expect(finding?.severity).toBe('medium');
      expect(finding?.detail).toContain('Nothing rendered holds its allowedSources (192.168.10.0/24)');
      expect(finding?.detail).toContain(why);
    });
  });

  /** A public MQTT broker that asks to keep the client IP: how a load balancer targets pods decides what that costs. */
  const iotBroker = (platform: string) => ({
    name: 'iot',
    environment: { platform },
    components: [
      {
        name: 'broker',
        role: 'gateway',
        ports: [{ name: 'mqtt', port: 1883 }],
        exposure: 'public',
        preserveClientIp: true,
      },
    ],
  });

  it('EXP032: on AWS the plan no longer renders externalTrafficPolicy Local on the NLB (ip targets), so neither EXP032 nor EXP008', () => {
    const planned = planOf(iotBroker('aws'));
    const service = planned.manifests.find((object) => object.kind === 'Service' && object.metadata.name === 'broker');
    expect(service?.spec).not.toHaveProperty('externalTrafficPolicy');
    expect(
      service?.metadata.annotations?.['service.beta.kubernetes.io/aws-load-balancer-target-group-attributes'],
    ).toBe('preserve_client_ip.enabled=true');
    const ids = planned.findings.map((finding) => finding.id);
    expect(ids).not.toContain('EXP032');
    expect(ids).not.toContain('EXP008');
  });

  it('EXP008 still holds on GKE, where the passthrough load balancer targets nodes', () => {
    const findings = findingsOf(iotBroker('gcp'));
    expect(findings.find((finding) => finding.id === 'EXP008')?.detail).toContain('health-checks every node');
  });

  it('EXP029: a worker others depend on gets no Service, and the finding names its callers', () => {
    const findings = findingsOf({
      name: 'jobs',
      environment: { platform: 'aws' },
      components: [
        { name: 'api', role: 'api', ports: [{ name: 'http', port: 80 }], dependsOn: ['worker'] },
        { name: 'worker', role: 'worker', ports: [] },
      ],
    }).filter((finding) => finding.id === 'EXP029');
    expect(findings.map((finding) => finding.component)).toEqual(['worker']);
    expect(at(findings, 0).remediation).toContain('dependsOn of api');
  });

  it('EXP018: on k3s ServiceLB the second LoadBalancer on a port stays pending, the first does not', () => {
    const findings = findingsOf({
      name: 'games',
      environment: { platform: 'k3s', ingressController: 'none' },
      components: [
        { name: 'quake', role: 'gateway', ports: [{ name: 'game', port: 27960, protocol: 'UDP' }], exposure: 'public' },
        {
          name: 'quake-eu',
          role: 'gateway',
          ports: [{ name: 'game', port: 27960, protocol: 'UDP' }],
          exposure: 'public',
        },
      ],
    }).filter((finding) => finding.id === 'EXP018');
    expect(findings.map((finding) => finding.component)).toEqual(['quake-eu']);
    expect(at(findings, 0).detail).toContain('27960/UDP');
  });

  describe('EXP020: allowedSources behind the shared Ingress', () => {
    const routedWith = (environment: Record<string, unknown>, allowedSources: string[]) =>
      planOf({
        name: 'shop',
        environment,
        components: [publicFrontend('web', { host: 'shop.example.com' }), publicFrontend('admin', { allowedSources })],
      });

    it('an ALB limits the one component with a source-ip condition on its rules, and nothing is raised', () => {
      const result = routedWith({ platform: 'aws' }, ['203.0.113.0/24', '198.51.100.7/32']);
      const ingress = result.manifests.find((object) => object.kind === 'Ingress');
      const condition = ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/conditions.admin'];
      expect(JSON.parse(condition ?? 'null')).toEqual([
        { field: 'source-ip', sourceIpConfig: { values: ['203.0.113.0/24', '198.51.100.7/32'] } },
      ]);
      expect(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/conditions.web']).toBeUndefined();
      expect(result.findings.map((finding) => finding.id)).not.toContain('EXP020');
      expect(at(result.recommendations, 1).rationale.join(' ')).toContain('source-ip condition');
    });

    it('Traefik limits the one component with an IPAllowList Middleware on an Ingress of its own, and nothing is raised', () => {
      const result = routedWith({ platform: 'k3s' }, ['192.168.1.0/24', '10.8.0.7/32']);
      const middleware = result.manifests.find((object) => object.kind === 'Middleware');
      expect(middleware).toMatchObject({
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'admin-allowed-sources', namespace: 'default' },
        spec: { ipAllowList: { sourceRange: ['192.168.1.0/24', '10.8.0.7/32'] } },
      });
      const ingresses = result.manifests.filter((object) => object.kind === 'Ingress');
      expect(ingresses.map((object) => object.metadata.name)).toEqual(['shop', 'shop-admin']);
      // The shared Ingress keeps web open; only admin's own Ingress carries the Middleware.
      expect(
        at(ingresses, 0).metadata.annotations?.['traefik.ingress.kubernetes.io/router.middlewares'],
      ).toBeUndefined();
      expect(JSON.stringify(at(ingresses, 0).spec)).not.toContain('admin');
      expect(at(ingresses, 1).metadata.annotations?.['traefik.ingress.kubernetes.io/router.middlewares']).toBe(
        'default-admin-allowed-sources@kubernetescrd',
      );
      expect(validateManifests(result.manifests)).toEqual([]);
      expect(result.findings.map((finding) => finding.id)).not.toContain('EXP020');
      expect(result.recommendations[1]).toMatchObject({ serviceType: 'ClusterIP', entryPoint: 'ingress' });
      expect(at(result.recommendations, 1).rationale.join(' ')).toContain('IPAllowList');
    });

    it('a Middleware that admits more than allowedSources does not count as a restriction', () => {
      const result = routedWith({ platform: 'k3s' }, ['192.168.1.0/24']);
      const widened = result.manifests.map((object) =>
        object.kind === 'Middleware' ? { ...object, spec: { ipAllowList: { sourceRange: ['0.0.0.0/0'] } } } : object,
      );
      const findings = assessSecurity(result.topology, result.recommendations, result.ingress, widened, result.cost);
      expect(findings.find((finding) => finding.id === 'EXP020')).toMatchObject({
        severity: 'high',
        component: 'admin',
      });
    });

    it.each([
      [{ platform: 'aws' }, ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']],
      [{ platform: 'gcp' }, ['203.0.113.0/24']],
      [{ platform: 'digitalocean', ingressController: 'nginx' }, ['203.0.113.0/24']],
    ] as const)(
      '%j with %j: the class cannot restrict the route, so admin gets its own load balancer limited to them',
      (environment, sources) => {
        const result = routedWith(environment, [...sources]);
        expect(result.recommendations[1]).toMatchObject({
          serviceType: 'LoadBalancer',
          entryPoint: 'load-balancer',
          scheme: 'internet-facing',
        });
        const service = result.manifests.find(
          (object) => object.kind === 'Service' && object.metadata.name === 'admin',
        );
        expect((service?.spec as { loadBalancerSourceRanges?: string[] }).loadBalancerSourceRanges).toEqual([
          ...sources,
        ]);
        expect(result.cost.items.some((item) => item.component === 'admin')).toBe(true);
        expect(result.findings.map((finding) => finding.id)).not.toContain('EXP020');
        expect(at(at(result.recommendations, 1).alternatives, 0).reason).toContain('would NOT hold');
        expect(validateManifests(result.manifests)).toEqual([]);
      },
    );

    it('AWS: the own NLB preserves the client IP, without which it ignores the source ranges', () => {
      const result = routedWith({ platform: 'aws' }, ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']);
      const service = result.manifests.find((object) => object.kind === 'Service' && object.metadata.name === 'admin');
      expect(
        service?.metadata.annotations?.['service.beta.kubernetes.io/aws-load-balancer-target-group-attributes'],
      ).toBe('preserve_client_ip.enabled=true');
    });

    it.each([
      [{ platform: 'other-cloud', ingressController: 'nginx' }],
      [{ platform: 'bare-metal', ingressController: 'nginx' }],
    ] as const)('%j: no load balancer here can hold them, so a high finding says so', (environment) => {
      const result = routedWith(environment, ['203.0.113.0/24']);
      expect(result.recommendations[1]).toMatchObject({ serviceType: 'ClusterIP', entryPoint: 'ingress' });
      const finding = result.findings.find((candidate) => candidate.id === 'EXP020');
      expect(finding).toMatchObject({ severity: 'high', component: 'admin' });
      expect(at(result.recommendations, 1).rationale.join(' ')).toContain('NOT enforced');
    });
  });

  describe('EXP022: two host-less public frontends on "/"', () => {
    const frontends = (environment: Record<string, unknown>, second: Record<string, unknown> = {}) => ({
      name: 'shop',
      environment,
      components: [
        { name: 'web', role: 'frontend', ports: [{ name: 'http', port: 80 }], exposure: 'public' },
        { name: 'chat', role: 'frontend', ports: [{ name: 'http', port: 80 }], exposure: 'public', ...second },
      ],
    });

    it('no longer moves the second under /chat (EXP019 gone): its own load balancer, and the saving a host brings', () => {
      const findings = findingsOf(frontends({ platform: 'aws', ingressController: 'alb' }));
      expect(findings.map((finding) => finding.id)).not.toContain('EXP019');
      const separate = findings.filter((finding) => finding.id === 'EXP022');
      expect(separate.map((finding) => [finding.component, finding.severity])).toEqual([['chat', 'info']]);
      expect(at(separate, 0).remediation).toMatch(/saving \$\d+\.\d\d\/mo/);
      expect(at(separate, 0).remediation).not.toContain('$0.00');
    });

    it('is not raised when the second asks for a path of its own: both share the Ingress', () => {
      const findings = findingsOf(frontends({ platform: 'aws', ingressController: 'alb' }, { path: '/chat' }));
      expect(findings.map((finding) => finding.id)).not.toContain('EXP022');
    });
  });

  describe('EXP021: an HTTPS backend port behind the Ingress', () => {
    const httpsBackends = (environment: Record<string, unknown>, port: Record<string, unknown>) => ({
      name: 'vault',
      environment,
      components: [
        { name: 'console', role: 'frontend', ports: [port], exposure: 'public', host: 'c.example.com', tls: true },
        publicFrontend('docs', { host: 'd.example.com', tls: true }),
      ],
    });
    const HTTPS_PORT = { name: 'https', port: 443, targetPort: 8443, appProtocol: 'https' };

    it.each([
      ['aws', { platform: 'aws' }],
      ['gcp', { platform: 'gcp' }],
      ['k3s with Traefik', { platform: 'k3s', ingressController: 'traefik' }],
    ])('is not raised on %s: the Service carries what the class reads', (_label, environment) => {
      expect(findingsOf(httpsBackends(environment, HTTPS_PORT)).map((finding) => finding.id)).not.toContain('EXP021');
    });

    it('is raised for a class whose backend-protocol setting the plan cannot cite, naming what to set', () => {
      const findings = findingsOf(httpsBackends({ platform: 'aws', ingressController: 'haproxy' }, HTTPS_PORT)).filter(
        (finding) => finding.id === 'EXP021',
      );
      expect(findings.map((finding) => [finding.component, finding.severity])).toEqual([['console', 'high']]);
      expect(at(findings, 0).remediation).toContain('"haproxy" class');
    });

    it('is raised on GKE for an unnamed HTTPS port, which cloud.google.com/app-protocols cannot key', () => {
      const findings = findingsOf(
        httpsBackends({ platform: 'gcp' }, { port: 443, targetPort: 8443, appProtocol: 'https' }),
      ).filter((finding) => finding.id === 'EXP021');
      expect(findings.map((finding) => finding.component)).toEqual(['console']);
      expect(at(findings, 0).remediation).toContain('name the port');
    });
  });
});
