import {
  type Json,
  baseInput,
  problemsOf,
  topologyOf,
  withComponent,
  withComponents,
  withPorts,
} from '../testing/topology-inputs.js';
import type { Topology } from '../types.js';
import { validateTopology } from './index.js';
import { at } from '../testing/items.js';

describe(validateTopology.name, () => {
  describe('fills in the defaults', () => {
    it('fills every default of a minimal input, keys in the order of the Topology type', () => {
      const topology = topologyOf({
        name: 'shop',
        environment: { platform: 'aws' },
        components: [{ role: 'frontend', ports: [{ port: 80 }], name: 'web' }],
      });
      const expected: Topology = {
        name: 'shop',
        namespace: 'default',
        environment: { platform: 'aws', routing: 'ingress', stage: 'production' },
        components: [
          {
            name: 'web',
            role: 'frontend',
            workload: 'Deployment',
            replicas: 1,
            ports: [{ port: 80, targetPort: 80, protocol: 'TCP', exposure: 'inherit' }],
            exposure: 'internal',
            allowedSources: [],
            dependsOn: [],
            preserveClientIp: false,
            labels: { app: 'web' },
          },
        ],
      };
      // JSON text, not toEqual: the key order is part of the byte-identical plan.
      expect(JSON.stringify(topology)).toBe(JSON.stringify(expected));
    });

    it('keeps what is given, in the order of the types whatever the order of the input', () => {
      const topology = topologyOf({
        components: [
          {
            labels: { tier: 'web', app: 'shop-web' },
            preserveClientIp: true,
            tls: true,
            path: '/shop',
            host: 'shop.example.com',
            dependsOn: ['api'],
            allowedSources: ['203.0.113.0/24'],
            exposure: 'public',
            ports: [
              {
                nodePort: 30_443,
                appProtocol: 'https',
                protocol: 'TCP',
                targetPort: 'https',
                port: 443,
                name: 'https',
              },
            ],
            replicas: 3,
            workload: 'StatefulSet',
            role: 'frontend',
            name: 'web',
          },
          { name: 'api', role: 'api' },
        ],
        environment: {
          stage: 'staging',
          gateway: { namespace: 'gateways', name: 'edge' },
          routing: 'gateway-api',
          addressPool: 'edge',
          loadBalancerProvider: 'metallb',
          ingressController: 'nginx',
          region: 'eu-1',
          platform: 'bare-metal',
        },
        namespace: 'prod',
        name: 'shop',
      });
      expect(Object.keys(topology)).toEqual(['name', 'namespace', 'environment', 'components']);
      expect(Object.keys(topology.environment)).toEqual([
        'platform',
        'region',
        'ingressController',
        'loadBalancerProvider',
        'addressPool',
        'routing',
        'gateway',
        'stage',
      ]);
      expect(Object.keys(at(topology.components, 0))).toEqual([
        'name',
        'role',
        'workload',
        'replicas',
        'ports',
        'exposure',
        'allowedSources',
        'dependsOn',
        'host',
        'path',
        'tls',
        'preserveClientIp',
        'labels',
      ]);
      expect(Object.keys(at(at(topology.components, 0).ports, 0))).toEqual([
        'name',
        'port',
        'targetPort',
        'protocol',
        'appProtocol',
        'nodePort',
        'exposure',
      ]);
      expect(topology.components[0]).toMatchObject({
        path: '/shop',
        labels: { tier: 'web', app: 'shop-web' },
        replicas: 3,
      });
    });

    it.each<[string, Json, string | undefined]>([
      ['"/" when a host is given', { host: 'shop.example.com' }, '/'],
      ['none without host or path', {}, undefined],
      ['the given path, even without a host', { path: '/app' }, '/app'],
    ])('path: %s', (_description, routing, expected) => {
      const component = at(topologyOf(withComponent(routing)).components, 0);
      expect(component.path).toBe(expected);
      expect('path' in component).toBe(expected !== undefined);
    });

    it('defaults targetPort to the port, and keeps a named one', () => {
      const component = at(
        topologyOf(withPorts({ name: 'http', port: 80 }, { name: 'https', port: 443, targetPort: 'tls' })).components,
        0,
      );
      expect(component.ports.map((port) => port.targetPort)).toEqual([80, 'tls']);
    });

    it.each<[string, Json, string | undefined, string | undefined]>([
      ['k3s, nothing said: its bundled Traefik and ServiceLB', { platform: 'k3s' }, 'traefik', 'servicelb'],
      [
        'k3s with both disabled ("none")',
        { platform: 'k3s', ingressController: 'none', loadBalancerProvider: 'none' },
        'none',
        'none',
      ],
      [
        'k3s with its own choices',
        { platform: 'k3s', ingressController: 'nginx', loadBalancerProvider: 'metallb' },
        'nginx',
        'metallb',
      ],
      ['aws, nothing said', { platform: 'aws' }, undefined, undefined],
      ['aws with ingressController "none"', { platform: 'aws', ingressController: 'none' }, undefined, undefined],
      [
        'bare metal with loadBalancerProvider "none"',
        { platform: 'bare-metal', loadBalancerProvider: 'none' },
        undefined,
        'none',
      ],
      ['minikube with nginx', { platform: 'minikube', ingressController: 'nginx' }, 'nginx', undefined],
    ])('environment: %s', (_description, environment, ingressController, loadBalancerProvider) => {
      const topology = topologyOf({ ...baseInput(), environment });
      expect(topology.environment.ingressController).toBe(ingressController);
      expect('ingressController' in topology.environment).toBe(ingressController !== undefined);
      expect(topology.environment.loadBalancerProvider).toBe(loadBalancerProvider);
      expect('loadBalancerProvider' in topology.environment).toBe(loadBalancerProvider !== undefined);
    });

    it('does not change its input', () => {
      const input = deepFreeze(
        withComponents({ name: 'web', role: 'frontend', ports: [{ port: 80 }], labels: { app: 'web' } }),
      );
      const before = JSON.stringify(input);
      expect(validateTopology(input)).toMatchObject({ ok: true });
      expect(JSON.stringify(input)).toBe(before);
    });

    it('returns arrays and label maps of its own, not the input’s', () => {
      const input = withComponent({ dependsOn: [], allowedSources: ['10.0.0.0/8'], labels: { app: 'web' } });
      const component = at(topologyOf(input).components, 0);
      const given = at(input.components as Json[], 0);
      expect(component.allowedSources).not.toBe(given.allowedSources);
      expect(component.labels).not.toBe(given.labels);
    });
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) {
      deepFreeze(inner);
    }
    Object.freeze(value);
  }
  return value;
}

describe('the cluster facts for NetworkPolicies', () => {
  it('keeps ownsNamespace, podCidr and nodeCidr as given, and leaves them absent when not', () => {
    const input = baseInput();
    const given = topologyOf({
      ...input,
      environment: { platform: 'aws', ownsNamespace: true, podCidr: ['10.1.0.0/16'], nodeCidr: ['10.0.0.0/16'] },
    });
    expect(given.environment).toMatchObject({
      ownsNamespace: true,
      podCidr: ['10.1.0.0/16'],
      nodeCidr: ['10.0.0.0/16'],
    });
    const absent = topologyOf({ ...input, environment: { platform: 'aws' } });
    expect(Object.keys(absent.environment)).not.toContain('ownsNamespace');
    expect(Object.keys(absent.environment)).not.toContain('podCidr');
  });

  it('reports a bad CIDR, an empty list and a non-boolean at their paths', () => {
    const problems = problemsOf({
      ...baseInput(),
      environment: { platform: 'aws', ownsNamespace: 'yes', podCidr: ['10.1.0.0/16', '10.1.0.0'], nodeCidr: [] },
    });
    expect(problems.map((problem) => problem.path)).toEqual([
      'environment.ownsNamespace',
      'environment.podCidr[1]',
      'environment.nodeCidr',
    ]);
    expect(at(problems, 1).message).toContain('podCidr entry "10.1.0.0" is not a CIDR');
  });

  it('keeps egress as given and leaves it absent (open) when not', () => {
    const input = baseInput();
    const restricted = topologyOf({ ...input, environment: { platform: 'aws', egress: 'restrict' } });
    expect(restricted.environment.egress).toBe('restrict');
    const absent = topologyOf({ ...input, environment: { platform: 'aws' } });
    expect(Object.keys(absent.environment)).not.toContain('egress');
  });

  it.each<[unknown, RegExp]>([
    ['restricted', /unknown egress "restricted"; expected one of .*open.*restrict/],
    [true, /egress must be one of .*open.*restrict/],
  ])('refuses egress %o at its path', (egress, message) => {
    const problems = problemsOf({ ...baseInput(), environment: { platform: 'aws', egress } });
    expect(problems.map((problem) => problem.path)).toEqual(['environment.egress']);
    expect(at(problems, 0).message).toMatch(message);
  });
});

describe('allowFrom', () => {
  const component = (
    allowFrom: unknown,
    ports: unknown = [
      { name: 'http', port: 80 },
      { name: 'metrics', port: 9090 },
    ],
  ) => ({
    ...baseInput(),
    components: [{ name: 'api', role: 'api', ports, allowFrom }],
  });

  it('keeps the entries as given, and writes nothing when there are none', () => {
    const topology = topologyOf(
      component([{ namespace: 'monitoring', podLabels: { app: 'prometheus' }, ports: ['metrics', 80] }]),
    );
    expect(at(topology.components, 0).allowFrom).toEqual([
      { namespace: 'monitoring', podLabels: { app: 'prometheus' }, ports: ['metrics', 80] },
    ]);
    expect(Object.keys(at(topologyOf(component([])).components, 0))).not.toContain('allowFrom');
  });

  it('reports a bad namespace, a bad label and a port the component does not have at their paths', () => {
    const problems = problemsOf(
      component([
        { namespace: 'Monitoring' },
        { namespace: 'ops', podLabels: { app: 'bad value' } },
        { namespace: 'ops', ports: ['admin', 9090, 8080] },
      ]),
    );
    expect(problems.map((problem) => problem.path)).toEqual([
      'components[0].allowFrom[0].namespace',
      'components[0].allowFrom[1].podLabels.app',
      'components[0].allowFrom[2].ports[0]',
      'components[0].allowFrom[2].ports[2]',
    ]);
    expect(at(problems, 2).message).toContain('"admin" is not a port of this component');
  });

  it('refuses allowFrom on a component without ports', () => {
    expect(problemsOf(component([{ namespace: 'ops' }], [])).map((problem) => problem.path)).toEqual([
      'components[0].allowFrom',
    ]);
  });
});
