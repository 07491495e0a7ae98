import { validateManifests } from '../testing/kube-validation.js';
import { PLATFORMS, type PlanResult } from '../types.js';
import { RETIRING_INGRESS_CONTROLLERS } from './gateway-classes.js';
import { validateGatewayApiObject } from './testing/gateway-api-validation.js';
import { at } from '../testing/items.js';
import { planOf } from '../testing/topology-inputs.js';

function sitePlan(platform: string, environment: Record<string, unknown> = {}): PlanResult {
  return planOf({
    name: 'site',
    namespace: 'web',
    environment: { platform, routing: 'gateway-api', ...environment },
    components: [
      {
        name: 'front',
        role: 'frontend',
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        exposure: 'public',
        host: 'site.example.com',
        tls: true,
      },
      {
        name: 'secure-api',
        role: 'api',
        ports: [{ name: 'https', port: 443, targetPort: 8443, appProtocol: 'https' }],
        exposure: 'public',
        host: 'api.example.com',
      },
    ],
  });
}

describe('environment.routing gateway-api', () => {
  it.each(PLATFORMS)('%s: valid Gateway API objects, a priced Gateway, and no retiring class', (platform) => {
    const result = sitePlan(platform);
    expect(validateManifests(result.manifests)).toEqual([]);
    expect(result.gateway?.components).toEqual(['front', 'secure-api']);
    const retiring = RETIRING_INGRESS_CONTROLLERS.flatMap((controller) => controller.classNames);
    expect(retiring).not.toContain(result.gateway?.className);
    expect(result.manifests.map((object) => object.kind)).not.toContain('Ingress');
  });

  it('writes a BackendTLSPolicy for an HTTPS backend where the class supports it (Envoy Gateway on bare metal)', () => {
    const result = sitePlan('bare-metal', { loadBalancerProvider: 'metallb' });
    const policy = result.manifests.find((object) => object.kind === 'BackendTLSPolicy');
    expect(policy?.spec).toMatchObject({
      targetRefs: [expect.objectContaining({ kind: 'Service', name: 'secure-api', sectionName: 'https' })],
    });
  });

  it('trusts a CA the user provides for the backend, never the system bundle, which cannot validate a .svc name', () => {
    const result = sitePlan('bare-metal', { loadBalancerProvider: 'metallb' });
    const policy = result.manifests.find((object) => object.kind === 'BackendTLSPolicy');
    expect((policy?.spec as { validation: unknown }).validation).toEqual({
      caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'secure-api-backend-ca' }],
      hostname: 'secure-api.web.svc',
    });
    expect(validateManifests(result.manifests)).toEqual([]);
    expect(result.recommendations.find((r) => r.component === 'secure-api')?.rationale.join(' ')).toMatch(
      /ConfigMap secure-api-backend-ca \(key ca\.crt\), which you create in namespace web/,
    );
  });

  it('says so when the class cannot speak TLS to an HTTPS backend (AWS ALB Gateway), never silently', () => {
    const result = sitePlan('aws');
    expect(result.manifests.some((object) => object.kind === 'BackendTLSPolicy')).toBe(false);
    const api = result.recommendations.find((r) => r.component === 'secure-api');
    expect(api?.rationale.join(' ')).toMatch(/has no BackendTLSPolicy/);
  });

  it('admits the Gateway data plane on the backend port only', () => {
    const result = sitePlan('azure');
    const policy = result.manifests.find((object) => object.metadata.name === 'allow-front') as
      { spec: { ingress: { from: unknown[]; ports: unknown[] }[] } } | undefined;
    expect(policy?.spec.ingress).toContainEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } },
          podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'site' } },
        },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  it('says what to write instead where no NetworkPolicy can select the data plane (Cilium on DOKS)', () => {
    const result = sitePlan('digitalocean');
    expect(result.recommendations.find((r) => r.component === 'front')?.rationale.join(' ')).toMatch(
      /CiliumNetworkPolicy/,
    );
  });

  it('prices the Gateway as one cost item, by the load balancer formula', () => {
    const result = sitePlan('gcp');
    const item = result.cost.items.find((entry) => entry.description.includes('Gateway'));
    expect(item?.monthly).toBeGreaterThan(0);
    expect(result.cost.monthlyTotal).toBeCloseTo(
      result.cost.items.reduce((total, entry) => total + entry.monthly, 0),
      2,
    );
  });
});

describe('a shared Gateway in another namespace', () => {
  it('gets a ReferenceGrant for the TLS Secrets of the plan, to Gateways of that namespace only, and it validates', () => {
    const result = sitePlan('bare-metal', {
      loadBalancerProvider: 'metallb',
      gateway: { name: 'edge', namespace: 'infra' },
    });
    const grants = result.manifests.filter((object) => object.kind === 'ReferenceGrant');
    expect(grants.map((grant) => [grant.metadata.name, grant.metadata.namespace, grant.spec])).toEqual([
      [
        'site-from-infra',
        'web',
        {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }],
          to: [{ group: '', kind: 'Secret', name: 'front-tls' }],
        },
      ],
    ]);
    expect(validateManifests(result.manifests)).toEqual([]);
    expect(validateGatewayApiObject(at(grants, 0))).toEqual([]);
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain('ReferenceGrant site-from-infra');
  });

  it('gets none in its own namespace, nor where the class finds certificates itself (AWS)', () => {
    const same = sitePlan('bare-metal', {
      loadBalancerProvider: 'metallb',
      gateway: { name: 'edge', namespace: 'web' },
    });
    expect(same.manifests.some((object) => object.kind === 'ReferenceGrant')).toBe(false);
    const aws = sitePlan('aws', { gateway: { name: 'edge', namespace: 'infra' } });
    expect(aws.manifests.some((object) => object.kind === 'ReferenceGrant')).toBe(false);
  });
});

describe('a TLS host on an existing Gateway: the redirect must be able to win on plain HTTP', () => {
  const existing = { gateway: { name: 'edge', namespace: 'infra' } };
  const routesOf = (result: PlanResult) =>
    result.manifests
      .filter((object) => object.kind === 'HTTPRoute')
      .map((object) => [object.metadata.name, (object.spec as { parentRefs: unknown[] }).parentRefs]);

  it('attaches the application to the HTTPS port and the redirect to the HTTP port where the class takes a parentRef port (Envoy Gateway)', () => {
    const result = sitePlan('bare-metal', { loadBalancerProvider: 'metallb', ...existing });
    expect(routesOf(result)).toContainEqual(['front', [{ name: 'edge', namespace: 'infra', port: 443 }]]);
    expect(routesOf(result)).toContainEqual(['front-redirect', [{ name: 'edge', namespace: 'infra', port: 80 }]]);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP037');
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('renders no redirect that could never win, and says loudly that plain HTTP is the owner’s, where the class takes no port (GKE)', () => {
    const result = sitePlan('gcp', existing);
    const routes = routesOf(result);
    expect(routes.map(([name]) => name)).not.toContain('front-redirect');
    expect(routes).toContainEqual(['front', [{ name: 'edge', namespace: 'infra' }]]);
    expect(result.findings.find((finding) => finding.id === 'EXP037')).toMatchObject({
      component: 'front',
      severity: 'medium',
    });
    expect(at(result.recommendations, 0).rationale.join(' ')).toMatch(
      /tls: true is NOT held by the plan on the existing Gateway/,
    );
  });

  it('keeps the redirect on the plan’s own Gateway, by listener name, with no EXP037', () => {
    const result = sitePlan('gcp');
    expect(routesOf(result)).toContainEqual(['front-redirect', [{ name: 'site', sectionName: 'http' }]]);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP037');
  });
});

describe('the AWS Gateway classes: scheme and target type are not left to the controller defaults', () => {
  it('a public Gateway names an internet-facing LoadBalancerConfiguration, and each routed ClusterIP Service gets ip targets', () => {
    const result = sitePlan('aws');
    const gateway = result.manifests.find((object) => object.kind === 'Gateway');
    expect(gateway?.spec).toMatchObject({
      infrastructure: {
        parametersRef: { group: 'gateway.k8s.aws', kind: 'LoadBalancerConfiguration', name: 'site-lb' },
      },
    });
    const config = result.manifests.find((object) => object.kind === 'LoadBalancerConfiguration');
    expect([config?.metadata.name, config?.metadata.namespace, config?.spec]).toEqual([
      'site-lb',
      'web',
      { scheme: 'internet-facing' },
    ]);
    const targets = result.manifests.filter((object) => object.kind === 'TargetGroupConfiguration');
    expect(targets.map((object) => object.spec)).toEqual(
      ['front', 'secure-api'].map((name) => ({
        targetReference: { name },
        defaultConfiguration: { targetType: 'ip' },
      })),
    );
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('on an existing Gateway the scheme is its owner’s, but the plan’s Services still get ip targets', () => {
    const result = sitePlan('aws', { gateway: { name: 'edge', namespace: 'infra' } });
    expect(result.manifests.some((object) => object.kind === 'LoadBalancerConfiguration')).toBe(false);
    expect(result.manifests.filter((object) => object.kind === 'TargetGroupConfiguration')).toHaveLength(2);
  });
});

describe('a Gateway behind MetalLB with an address pool', () => {
  it('carries the pool annotation in spec.infrastructure.annotations, for the Service its data plane gets', () => {
    const result = sitePlan('bare-metal', { loadBalancerProvider: 'metallb', addressPool: 'public-pool' });
    const gateway = result.manifests.find((object) => object.kind === 'Gateway');
    expect(gateway?.spec).toMatchObject({
      infrastructure: { annotations: { 'metallb.io/address-pool': 'public-pool' } },
    });
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('carries none without a pool', () => {
    const result = sitePlan('bare-metal', { loadBalancerProvider: 'metallb' });
    expect(result.manifests.find((object) => object.kind === 'Gateway')?.spec).not.toHaveProperty('infrastructure');
  });
});
