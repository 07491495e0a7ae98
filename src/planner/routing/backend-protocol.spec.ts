import { buildPort } from '../testing/builders.js';
import {
  ALB_BACKEND_PROTOCOL_ANNOTATION,
  GCE_APP_PROTOCOLS_ANNOTATION,
  TRAEFIK_SERVERS_SCHEME_ANNOTATION,
  backendProtocol,
  backendProtocolSettings,
} from './backend-protocol.js';
import { present } from '../testing/items.js';

describe(backendProtocol.name, () => {
  it.each([
    [{ appProtocol: 'https' }, 'HTTPS'],
    [{ appProtocol: 'kubernetes.io/wss' }, 'HTTPS'],
    [{ name: 'https' }, 'HTTPS'],
    [{ name: 'https-ui' }, 'HTTPS'],
    [{ name: 'wss' }, 'HTTPS'],
    // appProtocol is the stronger clue: a port named https that says http is plain.
    [{ name: 'https', appProtocol: 'http' }, 'HTTP'],
    [{ name: 'http', port: 443 }, 'HTTP'],
    [{ port: 8443 }, 'HTTP'],
  ] as const)('%o → %s', (overrides, expected) => {
    expect(backendProtocol(buildPort(overrides))).toBe(expected);
  });
});

describe(backendProtocolSettings.name, () => {
  const https = buildPort({ name: 'https', port: 443, appProtocol: 'https' });

  it('writes nothing for a plain HTTP port, whatever the class', () => {
    expect(backendProtocolSettings('haproxy', buildPort({ name: 'http', port: 80 }))).toEqual({
      ok: true,
      serviceAnnotations: {},
    });
  });

  it('ALB: backend and health-check protocol HTTPS on the Service', () => {
    const settings = backendProtocolSettings('alb', https);
    expect(settings.ok && settings.serviceAnnotations[ALB_BACKEND_PROTOCOL_ANNOTATION]).toBe('HTTPS');
  });

  it('GKE: app-protocols keyed by the port name', () => {
    const settings = backendProtocolSettings('gce', https);
    expect(
      settings.ok &&
        JSON.parse(present(settings.serviceAnnotations[GCE_APP_PROTOCOLS_ANNOTATION], 'the app-protocols annotation')),
    ).toEqual({
      https: 'HTTPS',
    });
  });

  it('GKE: an unnamed port cannot be keyed, so nothing is written and the reason is given', () => {
    const settings = backendProtocolSettings('gce', buildPort({ port: 443, appProtocol: 'https' }));
    expect(settings.ok).toBe(false);
  });

  it('Traefik: serversscheme https', () => {
    const settings = backendProtocolSettings('traefik', https);
    expect(settings.ok && settings.serviceAnnotations[TRAEFIK_SERVERS_SCHEME_ANNOTATION]).toBe('https');
  });

  it.each(['nginx', 'haproxy', 'istio', 'my-class'])('%s: no invented annotation, the reason instead', (className) => {
    const settings = backendProtocolSettings(className, https);
    expect(settings.ok).toBe(false);
    expect(!settings.ok && settings.missing).toContain(`"${className}"`);
  });
});
