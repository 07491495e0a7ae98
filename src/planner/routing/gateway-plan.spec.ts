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
