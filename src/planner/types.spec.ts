import type {
  ClusterIpRecommendation,
  ExternalNameRecommendation,
  LoadBalancerRecommendation,
  NoServiceRecommendation,
  NodePortRecommendation,
  Recommendation,
} from './types.js';

// Type tests: the compiler checks them (`npm run check`, which covers the specs); at run time they
// do nothing. A `@ts-expect-error` that stops finding an error is itself an error, so each one
// fails the check the day the impossible recommendation below becomes writable again.
describe('Recommendation', () => {
  const base = { component: 'db', rationale: [], alternatives: [] };

  it('cannot put a headless Service beside an ExternalName, or where there is no Service', () => {
    expectTypeOf<ExternalNameRecommendation['headless']>().toEqualTypeOf<false>();
    expectTypeOf<NoServiceRecommendation['headless']>().toEqualTypeOf<false>();
    // @ts-expect-error an ExternalName is a DNS alias: no pods, so no governing Service for them
    const external: Recommendation = { ...base, serviceType: 'ExternalName', headless: true, entryPoint: 'none' };
    // @ts-expect-error a component without ports gets no Service at all, headless or not
    const none: Recommendation = { ...base, serviceType: null, headless: true, entryPoint: 'none' };
    expectTypeOf(external).toEqualTypeOf<Recommendation>();
    expectTypeOf(none).toEqualTypeOf<Recommendation>();
  });

  it('lets every selector Service carry a headless one', () => {
    expectTypeOf<ClusterIpRecommendation['headless']>().toEqualTypeOf<boolean>();
    expectTypeOf<NodePortRecommendation['headless']>().toEqualTypeOf<boolean>();
    expectTypeOf<LoadBalancerRecommendation['headless']>().toEqualTypeOf<boolean>();
  });

  it('gives each Service type its entry point', () => {
    expectTypeOf<ClusterIpRecommendation['entryPoint']>().toEqualTypeOf<'none' | 'ingress'>();
    expectTypeOf<NodePortRecommendation['entryPoint']>().toEqualTypeOf<'node-port'>();
    expectTypeOf<LoadBalancerRecommendation['entryPoint']>().toEqualTypeOf<'load-balancer'>();
    expectTypeOf<ExternalNameRecommendation['entryPoint']>().toEqualTypeOf<'none'>();
    // @ts-expect-error a NodePort is reached on the node ports, not through a load balancer
    const nodePort: Recommendation = { ...base, serviceType: 'NodePort', headless: false, entryPoint: 'load-balancer' };
    expectTypeOf(nodePort).toEqualTypeOf<Recommendation>();
  });

  it('puts a scheme on a LoadBalancer, always, and on nothing else', () => {
    expectTypeOf<Extract<Recommendation, { scheme: unknown }>>().toEqualTypeOf<LoadBalancerRecommendation>();
    // @ts-expect-error a LoadBalancer says whether it is internet-facing or internal
    const loadBalancer: Recommendation = {
      ...base,
      serviceType: 'LoadBalancer',
      headless: false,
      entryPoint: 'load-balancer',
    };
    expectTypeOf(loadBalancer).toEqualTypeOf<Recommendation>();
  });
});
