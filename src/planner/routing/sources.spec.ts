import { planOf } from '../testing/topology-inputs.js';
import { validateManifests } from '../testing/kube-validation.js';
import { buildComponent } from '../testing/builders.js';
import { albSourceCidrLimit } from './sources.js';

describe(albSourceCidrLimit.name, () => {
  // Five match evaluations per rule, three per condition; the host takes one, a Prefix path "/" one
  // ("/*") and any other two ("/admin" and "/admin/*").
  it.each([
    [undefined, undefined, 3],
    [undefined, '/admin', 3],
    ['c.example.com', undefined, 3],
    ['c.example.com', '/', 3],
    ['c.example.com', '/admin', 2],
    ['c.example.com', '/admin/', 2],
  ] as const)('host %s, path %s: %i CIDRs', (host, path, limit) => {
    const component = buildComponent({
      name: 'c',
      ...(host === undefined ? {} : { host }),
      ...(path === undefined ? {} : { path }),
    });
    expect(albSourceCidrLimit(component)).toBe(limit);
  });
});

describe('allowedSources on an ALB route with a host and a path other than "/"', () => {
  const routed = (allowedSources: string[]) =>
    planOf({
      name: 'shop',
      environment: { platform: 'aws' },
      components: [
        {
          name: 'c',
          role: 'frontend',
          exposure: 'public',
          host: 'c.example.com',
          path: '/admin',
          tls: true,
          ports: [{ name: 'http', port: 80 }],
          allowedSources,
        },
      ],
    });

  it('two CIDRs fit beside the host and the two path patterns: a source-ip condition on the shared ALB', () => {
    const result = routed(['10.1.0.0/16', '10.2.0.0/16']);
    expect(result.recommendations[0]).toMatchObject({ serviceType: 'ClusterIP', entryPoint: 'ingress' });
    const ingress = result.manifests.find((object) => object.kind === 'Ingress');
    expect(JSON.parse(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/conditions.c'] ?? 'null')).toEqual([
      { field: 'source-ip', sourceIpConfig: { values: ['10.1.0.0/16', '10.2.0.0/16'] } },
    ]);
  });

  it('three CIDRs would make six match evaluations: c gets a load balancer of its own, and the rationale says why', () => {
    const result = routed(['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']);
    expect(result.recommendations[0]).toMatchObject({ serviceType: 'LoadBalancer', entryPoint: 'load-balancer' });
    expect(result.manifests.some((object) => object.kind === 'Ingress')).toBe(false);
    const service = result.manifests.find((object) => object.kind === 'Service' && object.metadata.name === 'c');
    expect((service?.spec as { loadBalancerSourceRanges?: string[] }).loadBalancerSourceRanges).toEqual([
      '10.1.0.0/16',
      '10.2.0.0/16',
      '10.3.0.0/16',
    ]);
    expect(result.recommendations[0]?.rationale.join('\n')).toContain(
      "an ALB rule takes at most 5 match evaluations, and c's spends 1 on the host c.example.com and 2 on the path /admin (the controller matches /admin and /admin/*), which leaves 2 CIDRs for its source-ip condition where 3 are listed",
    );
    expect(validateManifests(result.manifests)).toEqual([]);
  });
});
