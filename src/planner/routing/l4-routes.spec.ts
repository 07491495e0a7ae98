import { planOf, publicFrontend } from '../testing/topology-inputs.js';
import type { PlanResult } from '../types.js';
import { at } from '../testing/items.js';

function planned(environment: Record<string, unknown>, ports: unknown[] = [{ name: 'mqtts', port: 8883 }]): PlanResult {
  return planOf({
    name: 'fleet',
    environment,
    components: [
      publicFrontend('console', { host: 'a.example.com' }),
      { name: 'broker', role: 'gateway', ports, exposure: 'public' },
    ],
  });
}

function routeAlternatives(result: PlanResult) {
  const broker = result.recommendations.find((recommendation) => recommendation.component === 'broker');
  return (broker?.alternatives ?? []).filter((alternative) => /TCPRoute|UDPRoute/.test(alternative.reason));
}

describe('TCPRoute and UDPRoute for a public non-HTTP component', () => {
  it('on AWS with Gateway API: listed and priced on the NLB Gateway class, experimental channel, never rendered', () => {
    const result = planned({ platform: 'aws', routing: 'gateway-api' });
    const broker = result.recommendations.find((recommendation) => recommendation.component === 'broker');
    expect(broker?.entryPoint).toBe('load-balancer');
    const alternative = at(routeAlternatives(result), 0);
    expect(alternative.reason).toContain('TCPRoute gateway.networking.k8s.io/v1alpha2 (experimental channel)');
    expect(alternative.reason).toContain('aws-nlb-gateway-class');
    expect(alternative.monthlyCost).toBeGreaterThan(0);
    expect(result.manifests.some((object) => object.kind === 'TCPRoute' || object.kind === 'UDPRoute')).toBe(false);
  });

  it('a UDP port asks for a UDPRoute, which Envoy Gateway serves', () => {
    const result = planned({ platform: 'bare-metal', loadBalancerProvider: 'metallb', routing: 'gateway-api' }, [
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
    expect(at(routeAlternatives(result), 0).reason).toMatch(/^a UDPRoute .* class eg /);
  });

  it('is not offered where the class serves neither kind (GKE) nor on an Ingress plan', () => {
    expect(routeAlternatives(planned({ platform: 'gcp', routing: 'gateway-api' }))).toEqual([]);
    expect(routeAlternatives(planned({ platform: 'aws', routing: 'ingress' }))).toEqual([]);
  });
});
