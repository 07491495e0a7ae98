import { classifyPort, speaksOnlyHttp } from './http.js';
import { buildComponent } from './testing/builders.js';
import type { PortSpec, Role } from './types.js';

function port(overrides: Partial<PortSpec>): PortSpec {
  return { port: 9000, targetPort: 9000, protocol: 'TCP', ...overrides };
}

describe(classifyPort.name, () => {
  it('a named port that matches neither list is not HTTP, whatever the role', () => {
    const turn = port({ name: 'turn-tcp', port: 3478, targetPort: 3478 });
    for (const role of ['gateway', 'api', 'frontend'] as const satisfies readonly Role[]) {
      const verdict = classifyPort(turn, role);
      expect(verdict.http).toBe(false);
      expect(verdict.reason).toContain('turn-tcp');
    }
    expect(speaksOnlyHttp(buildComponent({ role: 'gateway', ports: [turn] }))).toBe(false);
  });

  it('the role decides only for an unnamed port with no other clue', () => {
    expect(classifyPort(port({}), 'api')).toEqual({
      http: true,
      grpc: false,
      reason: 'a api port with no other clue is taken as HTTP',
    });
    expect(classifyPort(port({}), 'worker').http).toBe(false);
  });

  it('well-known numbers still apply to a named port that matches neither list', () => {
    expect(classifyPort(port({ name: 'main', port: 8080 }), 'other')).toEqual({
      http: true,
      grpc: false,
      reason: 'port 8080 is a well-known HTTP port',
    });
    expect(classifyPort(port({ name: 'main', port: 5432 }), 'api').http).toBe(false);
  });

  it('name prefixes and appProtocol still win over the numbers', () => {
    expect(classifyPort(port({ name: 'http-admin', port: 5432 }), 'worker').http).toBe(true);
    expect(classifyPort(port({ name: 'grpc', port: 8080 }), 'api').http).toBe(false);
    expect(classifyPort(port({ name: 'turn-tcp', appProtocol: 'http' }), 'gateway').http).toBe(true);
    expect(classifyPort(port({ name: 'http', protocol: 'UDP' }), 'api').http).toBe(false);
  });

  it('says gRPC for appProtocol grpc, a grpc name prefix or port 50051, never for an HTTP or UDP port', () => {
    expect(classifyPort(port({ appProtocol: 'grpc', name: 'api' }), 'api')).toMatchObject({ http: false, grpc: true });
    expect(classifyPort(port({ name: 'grpc-public' }), 'api')).toMatchObject({ http: false, grpc: true });
    expect(classifyPort(port({ port: 50051, targetPort: 50051 }), 'worker')).toMatchObject({ http: false, grpc: true });
    expect(classifyPort(port({ port: 50051, appProtocol: 'tcp' }), 'api').grpc).toBe(false);
    expect(classifyPort(port({ name: 'grpc', protocol: 'UDP' }), 'api').grpc).toBe(false);
    expect(classifyPort(port({ appProtocol: 'kubernetes.io/h2c' }), 'api')).toMatchObject({ http: true, grpc: false });
    expect(classifyPort(port({ name: 'postgres', port: 5432 }), 'api').grpc).toBe(false);
  });
});
