import { planOf, publicFrontend } from '../testing/topology-inputs.js';
import type { PlanResult } from '../types.js';

/** One public component with allowedSources, routed through the plan's shared L7 entry point. */
function routed(environment: Record<string, unknown>, allowedSources: string[]): PlanResult {
  return planOf({
    name: 't',
    environment,
    components: [publicFrontend('admin', { host: 'a.example.com', tls: true, allowedSources })],
  });
}

const finding = (result: PlanResult) => result.findings.find((candidate) => candidate.id === 'EXP040');
const rationale = (result: PlanResult) => result.recommendations[0]?.rationale.join('\n') ?? '';
const RANGES = { podCidr: ['10.42.0.0/16'], nodeCidr: ['192.168.1.0/24'] };

describe('allowedSources held inside Traefik or Envoy, judged on the address the proxy sees', () => {
  it('k3s ServiceLB, sources over the pod range: every client passes, a high EXP040 and the rationale say so', () => {
    const result = routed({ platform: 'k3s', ...RANGES }, ['10.0.0.0/8']);
    expect(result.manifests.some((object) => object.kind === 'Middleware')).toBe(true);
    expect(finding(result)).toMatchObject({ severity: 'high', component: 'admin' });
    expect(finding(result)?.detail).toContain('klipper-lb');
    expect(finding(result)?.detail).toContain('EVERY client passes');
    expect(rationale(result)).toContain('EVERY client passes, and allowedSources are NOT enforced');
    expect(rationale(result)).not.toContain('hold on the shared Traefik');
  });

  it('k3s ServiceLB, sources clear of the pod range: every client is refused, whatever externalTrafficPolicy says', () => {
    const result = routed({ platform: 'k3s', ...RANGES }, ['203.0.113.0/24']);
    expect(finding(result)).toMatchObject({ severity: 'high' });
    expect(finding(result)?.detail).toContain('every client, allowed or not, is refused with 403');
    expect(finding(result)?.remediation).toContain('--disable=servicelb');
  });

  it.each([
    ['Traefik on MetalLB', { platform: 'bare-metal', loadBalancerProvider: 'metallb', ingressController: 'traefik' }],
    ['Traefik on AKS', { platform: 'azure', routing: 'ingress', ingressController: 'traefik' }],
  ])('%s, sources over the node range: every client passes unless its Service is Local (EXP040)', (_, environment) => {
    const result = routed({ ...environment, ...RANGES }, ['192.168.0.0/16']);
    expect(finding(result)).toMatchObject({ severity: 'high' });
    expect(finding(result)?.detail).toContain("unless Traefik's own Service");
    expect(finding(result)?.detail).toContain('192.168.0.0/16 can hold');
  });

  it('Traefik on MetalLB, sources clear of the declared ranges: they hold if Traefik sees the client, as the rationale says', () => {
    const result = routed(
      { platform: 'bare-metal', loadBalancerProvider: 'metallb', ingressController: 'traefik', ...RANGES },
      ['203.0.113.0/24'],
    );
    expect(finding(result)).toBeUndefined();
    expect(rationale(result)).toContain('hold on the shared Traefik');
    expect(rationale(result)).toContain('or every client is refused');
  });

  it('undeclared ranges: any private range may be the cluster, so a private source raises EXP040 and says why', () => {
    const result = routed({ platform: 'bare-metal', loadBalancerProvider: 'metallb', ingressController: 'traefik' }, [
      '172.20.0.0/16',
    ]);
    expect(finding(result)?.detail).toContain(
      '(environment.nodeCidr and environment.podCidr not given: any private range)',
    );
    expect(finding(routed({ platform: 'bare-metal', loadBalancerProvider: 'metallb' }, ['203.0.113.0/24']))).toBe(
      undefined,
    );
  });

  it('Envoy Gateway on MetalLB: its Service is Local by default, so Envoy sees the client and nothing is raised', () => {
    const result = routed(
      { platform: 'bare-metal', loadBalancerProvider: 'metallb', routing: 'gateway-api', ...RANGES },
      ['10.0.0.0/8'],
    );
    expect(result.manifests.some((object) => object.kind === 'SecurityPolicy')).toBe(true);
    expect(finding(result)).toBeUndefined();
    expect(rationale(result)).toContain('externalTrafficPolicy Local, its default');
  });

  it('Envoy Gateway on k3s ServiceLB: klipper-lb masquerades whatever Envoy asks, so EXP040 is raised', () => {
    const result = routed({ platform: 'k3s', routing: 'gateway-api', gatewayClassName: 'eg', ...RANGES }, [
      '10.0.0.0/8',
    ]);
    expect(result.manifests.some((object) => object.kind === 'SecurityPolicy')).toBe(true);
    expect(finding(result)?.detail).toContain('forwards to Envoy');
    expect(rationale(result)).toContain('checked on the Gateway by an Envoy Gateway SecurityPolicy');
  });
});
