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
      reason: 'a api port with no other clue is taken as HTTP',
    });
    expect(classifyPort(port({}), 'worker').http).toBe(false);
  });

  it('well-known numbers still apply to a named port that matches neither list', () => {
    expect(classifyPort(port({ name: 'main', port: 8080 }), 'other')).toEqual({
      http: true,
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
});
