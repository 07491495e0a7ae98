import { planOf } from '../testing/topology-inputs.js';
import type { KubeObject, PlanResult } from '../types.js';
import { at } from '../testing/items.js';
import { sharedPortNumbers, type ServicePortLike } from './l4-listeners.js';

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

const TCP_UDP = 'service.beta.kubernetes.io/aws-load-balancer-enable-tcp-udp-listener';

describe('TCP and UDP on one port number on AWS', () => {
  /** The resolver of the review: private, one source range, DNS over UDP and TCP on 53. */
  const dns = (ports: unknown[]) => ({
    name: 'dns',
    role: 'other',
    exposure: 'private',
    allowedSources: ['10.50.0.0/16'],
    ports,
  });
  const UDP_53 = { name: 'dns-udp', port: 53, protocol: 'UDP' };
  const TCP_53 = { name: 'dns-tcp', port: 53, protocol: 'TCP' };

  it('asks for one TCP_UDP listener, names the controller version, and raises nothing', () => {
    const result = ownLoadBalancer('aws', dns([UDP_53, TCP_53]));
    const rendered = service(result, 'dns');
    expect(rendered.metadata.annotations?.[TCP_UDP]).toBe('true');
    // Both ports stay on the Service: the controller merges them, Kubernetes does not.
    expect((rendered.spec as { ports: { protocol: string }[] }).ports.map((port) => port.protocol)).toEqual([
      'UDP',
      'TCP',
    ]);
    const rationale = at(result.recommendations, 0).rationale.join(' ');
    expect(rationale).toContain('dns-udp (53/UDP) and dns-tcp (53/TCP) share port 53');
    expect(rationale).toContain('v2.13.0 or later');
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP038');
  });

  it('different targetPorts: no annotation (both would go to the first one), the dropped port said NOT served, EXP038', () => {
    const result = ownLoadBalancer('aws', dns([UDP_53, { ...TCP_53, targetPort: 5353 }]));
    expect(service(result, 'dns').metadata.annotations?.[TCP_UDP]).toBeUndefined();
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain(
      'dns-tcp (53/TCP) NOT served: dns-udp (53/UDP) and dns-tcp (53/TCP) share port 53',
    );
    const finding = result.findings.find((candidate) => candidate.id === 'EXP038');
    expect(finding).toMatchObject({ component: 'dns', severity: 'medium' });
    expect(finding?.detail).toContain('dns-tcp (53/TCP) is not served (on 53 only dns-udp (53/UDP) gets a listener)');
  });

  it('ports of different numbers need nothing', () => {
    const result = ownLoadBalancer('aws', dns([UDP_53, { ...TCP_53, port: 853 }]));
    expect(service(result, 'dns').metadata.annotations?.[TCP_UDP]).toBeUndefined();
    expect(at(result.recommendations, 0).rationale.join(' ')).not.toContain('TCP_UDP');
  });

  it('only AWS gets the annotation', () => {
    for (const platform of ['gcp', 'azure', 'digitalocean']) {
      const result = ownLoadBalancer(platform, dns([UDP_53, TCP_53]));
      expect(service(result, 'dns').metadata.annotations?.[TCP_UDP]).toBeUndefined();
      expect(result.findings.map((finding) => finding.id)).not.toContain('EXP038');
    }
  });
});

describe(sharedPortNumbers.name, () => {
  const tcp = { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 };
  const udp = { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 };
  it.each([
    ['one TCP and one UDP port with one targetPort', [udp, tcp], undefined],
    ['a targetPort left to default to the port', [{ name: 'dns-udp', port: 53, protocol: 'UDP' }, tcp], undefined],
    ['two targetPorts', [udp, { ...tcp, targetPort: 5353 }], 'dns-udp (53/UDP) targets 53 and dns-tcp (53/TCP) 5353'],
    ['SCTP beside them', [udp, tcp, { port: 53, protocol: 'SCTP' }], 'not UDP, TCP, SCTP'],
    ['TCP and SCTP', [tcp, { port: 53, protocol: 'SCTP' }], 'not TCP, SCTP'],
  ] satisfies [string, ServicePortLike[], string | undefined][])('%s', (_label, ports, why) => {
    const [group] = sharedPortNumbers(ports);
    expect(group?.port).toBe(53);
    if (why === undefined) {
      expect(group?.unmergeable).toBeUndefined();
    } else {
      expect(group?.unmergeable).toContain(why);
    }
  });

  it('ports of distinct numbers share nothing', () => {
    expect(sharedPortNumbers([udp, { ...tcp, port: 853 }])).toEqual([]);
  });
});
