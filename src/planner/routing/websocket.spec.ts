import { plan } from '../plan.js';
import { buildPort } from '../testing/security-builders.js';
import { validateManifests } from '../testing/kube-validation.js';
import { GKE_BACKEND_CONFIG_ANNOTATION, speaksWebSocket } from './websocket.js';

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
    const outcome = plan(input('gcp'));
    if (!outcome.ok) {
      throw new Error(JSON.stringify(outcome.problems));
    }
    const { manifests } = outcome.plan;
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
