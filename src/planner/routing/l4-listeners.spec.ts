import { planOf } from '../testing/topology-inputs.js';
import type { KubeObject, PlanResult } from '../types.js';
import { at } from '../testing/items.js';

/** One component on its own load balancer, on a platform. */
function ownLoadBalancer(platform: string, component: Record<string, unknown>): PlanResult {
  return planOf({ name: 'edge', namespace: 'edge', environment: { platform }, components: [component] });
}

function service(result: PlanResult, name: string): KubeObject {
  const found = result.manifests.find((object) => object.kind === 'Service' && object.metadata.name === name);
  if (found === undefined) {
    throw new Error(`no Service ${name}`);
  }
  return found;
}

const DO_TYPE = 'service.beta.kubernetes.io/do-loadbalancer-type';

describe('DigitalOcean load balancer type', () => {
  const mqtt = {
    name: 'mqtt',
    role: 'other',
    exposure: 'public',
    ports: [{ name: 'mqtt', port: 1883 }],
  };

  it.each([
    ['public', { ...mqtt }],
    ['private', { ...mqtt, exposure: 'private', allowedSources: ['10.0.0.0/8'] }],
  ])('a %s component gets a REGIONAL load balancer, said and checked', (_label, component) => {
    const result = ownLoadBalancer('digitalocean', component);
    expect(service(result, 'mqtt').metadata.annotations?.[DO_TYPE]).toBe('REGIONAL');
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain('delete and re-create such a Service');
    const check = result.verification.find((step) => step.command.includes('do-loadbalancer-type'));
    expect(check?.command).toBe(
      "kubectl get svc mqtt -n edge -o jsonpath='{.metadata.annotations.service\\.beta\\.kubernetes\\.io/do-loadbalancer-type}'",
    );
    expect(check?.expect).toMatch(/^REGIONAL, /);
  });

  it('an internal component (ClusterIP) gets no type, no note and no check', () => {
    const result = ownLoadBalancer('digitalocean', { ...mqtt, exposure: 'internal' });
    expect(service(result, 'mqtt').metadata.annotations?.[DO_TYPE]).toBeUndefined();
    expect(at(result.recommendations, 0).rationale.join(' ')).not.toContain('REGIONAL');
    expect(result.verification.some((step) => step.command.includes('do-loadbalancer-type'))).toBe(false);
  });

  it('other platforms get neither the annotation nor the check', () => {
    const result = ownLoadBalancer('gcp', mqtt);
    expect(JSON.stringify(result.manifests)).not.toContain('do-loadbalancer');
    expect(result.verification.some((step) => step.command.includes('do-loadbalancer-type'))).toBe(false);
  });
});
