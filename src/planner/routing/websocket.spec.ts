import { plan } from '../plan.js';
import { planOf } from '../testing/topology-inputs.js';
import { buildPort } from '../testing/builders.js';
import { validateManifests } from '../testing/kube-validation.js';
import {
  ALB_LOAD_BALANCER_ATTRIBUTES_ANNOTATION,
  GKE_BACKEND_CONFIG_ANNOTATION,
  NGINX_PROXY_READ_TIMEOUT_ANNOTATION,
  NGINX_PROXY_SEND_TIMEOUT_ANNOTATION,
  speaksWebSocket,
} from './websocket.js';
import { at } from '../testing/items.js';

describe(speaksWebSocket.name, () => {
  it.each([
    [{ appProtocol: 'kubernetes.io/ws' }, true],
    [{ appProtocol: 'wss' }, true],
    [{ name: 'ws' }, true],
    [{ name: 'http' }, false],
    [{ name: 'ws', appProtocol: 'http' }, false],
  ] as const)('%o → %s', (overrides, expected) => {
    expect(speaksWebSocket(buildPort(overrides))).toBe(expected);
  });
});

describe('a WebSocket component behind GKE Ingress', () => {
  const input = (platform: string) => ({
    name: 'live',
    environment: { platform },
    components: [
      { name: 'socket', role: 'api', ports: [{ name: 'ws', port: 80 }], exposure: 'public', host: 'a.example.com' },
      { name: 'web', role: 'frontend', ports: [{ name: 'http', port: 80 }], exposure: 'public', host: 'b.example.com' },
    ],
  });

  it('gets a BackendConfig raising the 30 s backend timeout, referenced by its Service, and nothing else does', () => {
    const { manifests } = planOf(input('gcp'));
    const configs = manifests.filter((object) => object.kind === 'BackendConfig');
    expect(configs.map((object) => [object.metadata.name, object.spec])).toEqual([
      ['socket-websocket', { timeoutSec: 3600 }],
    ]);
    const annotationOf = (name: string) =>
      manifests.find((object) => object.kind === 'Service' && object.metadata.name === name)?.metadata.annotations?.[
        GKE_BACKEND_CONFIG_ANNOTATION
      ];
    expect(JSON.parse(annotationOf('socket') ?? '{}')).toEqual({ default: 'socket-websocket' });
    expect(annotationOf('web')).toBeUndefined();
    expect(validateManifests(manifests)).toEqual([]);
  });

  it('is not given one on AWS, where no GKE object applies', () => {
    const outcome = plan(input('aws'));
    expect(outcome.ok && outcome.plan.manifests.some((object) => object.kind === 'BackendConfig')).toBe(false);
  });

  it('the validator refuses a BackendConfig of the wrong shape', () => {
    const problems = validateManifests([
      {
        apiVersion: 'cloud.google.com/v1',
        kind: 'BackendConfig',
        metadata: { name: 'x', namespace: 'default' },
        spec: { timeoutSec: -1 },
      },
    ]);
    expect(problems).toHaveLength(1);
  });
});

describe('a WebSocket component behind another class', () => {
  const input = (environment: Record<string, unknown>, socketPorts: unknown[] = [{ name: 'ws', port: 80 }]) => ({
    name: 'live',
    environment,
    components: [
      { name: 'socket', role: 'api', ports: socketPorts, exposure: 'public', host: 'a.example.com', tls: true },
      { name: 'web', role: 'frontend', ports: [{ name: 'http', port: 80 }], exposure: 'public', host: 'b.example.com' },
    ],
  });
  const planned = (environment: Record<string, unknown>, socketPorts?: unknown[]) => {
    return planOf(input(environment, socketPorts));
  };
  const ingressOf = (result: ReturnType<typeof planned>) =>
    result.manifests.find((object) => object.kind === 'Ingress');

  it('raises the ALB idle timeout (60 s by default) on the Ingress, says it applies to the whole ALB, and raises nothing', () => {
    const result = planned({ platform: 'aws' });
    expect(ingressOf(result)?.metadata.annotations?.[ALB_LOAD_BALANCER_ATTRIBUTES_ANNOTATION]).toBe(
      'idle_timeout.timeout_seconds=3600',
    );
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain('a setting of the whole ALB');
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP028');
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('leaves the ALB idle timeout alone when nothing routed speaks WebSocket', () => {
    const result = planned({ platform: 'aws' }, [{ name: 'http', port: 80 }]);
    expect(ingressOf(result)?.metadata.annotations?.[ALB_LOAD_BALANCER_ATTRIBUTES_ANNOTATION]).toBeUndefined();
  });

  it('raises the NGINX proxy timeouts (60 s by default) on an nginx class the cluster names', () => {
    const annotations = ingressOf(planned({ platform: 'aws', ingressController: 'nginx' }))?.metadata.annotations;
    expect(annotations?.[NGINX_PROXY_READ_TIMEOUT_ANNOTATION]).toBe('3600');
    expect(annotations?.[NGINX_PROXY_SEND_TIMEOUT_ANNOTATION]).toBe('3600');
  });

  it.each([
    [{ platform: 'gcp', routing: 'gateway-api' }, 'high', 'GCPBackendPolicy'],
    [{ platform: 'aws', routing: 'gateway-api' }, 'medium', 'LoadBalancerConfiguration'],
  ])(
    'on a %o Gateway, whose limit lives in a provider object, EXP028 says how to raise it',
    (environment, severity, fix) => {
      const finding = planned(environment).findings.find((candidate) => candidate.id === 'EXP028');
      expect(finding).toMatchObject({ severity, component: 'socket' });
      expect(finding?.remediation).toContain(fix);
    },
  );

  it('is not flagged behind Envoy Gateway, which documents no limit that ends an active socket', () => {
    const result = planned({ platform: 'bare-metal', loadBalancerProvider: 'metallb', routing: 'gateway-api' });
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP028');
  });
});
