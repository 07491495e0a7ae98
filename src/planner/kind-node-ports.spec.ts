import fc from 'fast-check';
import { planOf } from './testing/topology-inputs.js';
import { kindClusterConfig, nodePortKey, plannedNodePorts } from './kind-node-ports.js';
import { NODE_PORT_RANGE } from './rules.js';
import { buildComponent, buildPort, topologyWith, buildRecommendation } from './testing/builders.js';
import type { KubeObject, PortSpec, Recommendation } from './types.js';

const NODE_PORT: Partial<Recommendation> = { serviceType: 'NodePort', entryPoint: 'node-port' };

function servicePorts(manifests: KubeObject[], name: string): PortSpec[] {
  const service = manifests.find((object) => object.kind === 'Service' && object.metadata.name === name);
  return (service?.spec as { ports?: PortSpec[] } | undefined)?.ports ?? [];
}

describe(plannedNodePorts.name, () => {
  const components = [
    buildComponent({ name: 'web', ports: [buildPort({ name: 'http', port: 80 })] }),
    buildComponent({
      name: 'edge',
      ports: [
        buildPort({ name: 'mqtt', port: 1883, nodePort: 30001 }),
        buildPort({ name: 'dns', port: 53, protocol: 'UDP' }),
        buildPort({ name: 'dns-tcp', port: 53 }),
      ],
    }),
    buildComponent({ name: 'db', ports: [buildPort({ name: 'pg', port: 5432, nodePort: 30002 })] }),
  ];
  const recommendations = [
    buildRecommendation('web', NODE_PORT),
    buildRecommendation('edge', NODE_PORT),
    // A pin on a ClusterIP Service is ignored, but its number still stays out of the way.
    buildRecommendation('db', { serviceType: 'ClusterIP' }),
  ];

  it('on kind: pins every NodePort port from 30000 up, keeping and skipping the topology’s own pins', () => {
    const pins = plannedNodePorts(topologyWith(components, { platform: 'kind' }), recommendations);
    expect([...pins]).toEqual([
      ['web/80/TCP', 30000],
      ['edge/1883/TCP', 30001],
      ['edge/53/UDP', 30003],
      ['edge/53/TCP', 30004],
    ]);
  });

  it.each(['minikube', 'bare-metal', 'k3s', 'aws'] as const)('pins nothing on %s: Kubernetes picks', (platform) => {
    expect(plannedNodePorts(topologyWith(components, { platform }), recommendations).size).toBe(0);
  });

  it('never gives two ports of a plan the same node port, and stays in the node-port range', () => {
    const port = fc.record({
      port: fc.integer({ min: 1, max: 65_535 }),
      nodePort: fc.option(fc.integer({ min: NODE_PORT_RANGE.min, max: NODE_PORT_RANGE.min + 40 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(port, { selector: (each) => each.port, maxLength: 5 }), { maxLength: 8 }),
        (raw) => {
          // Pins are unique across a plan (validation refuses duplicates), so keep the first of each.
          const seen = new Set<number>();
          const topology = topologyWith(
            raw.map((ports, index) =>
              buildComponent({
                name: `c${index}`,
                ports: ports.map((each) => {
                  const unique = each.nodePort !== undefined && !seen.has(each.nodePort) ? each.nodePort : undefined;
                  if (unique !== undefined) {
                    seen.add(unique);
                  }
                  return buildPort({ port: each.port, ...(unique === undefined ? {} : { nodePort: unique }) });
                }),
              }),
            ),
            { platform: 'kind' },
          );
          const pins = plannedNodePorts(
            topology,
            topology.components.map((component) => buildRecommendation(component.name, NODE_PORT)),
          );
          const values = [...pins.values()];
          expect(new Set(values).size).toBe(values.length);
          expect(values.every((value) => value >= NODE_PORT_RANGE.min && value <= NODE_PORT_RANGE.max)).toBe(true);
          expect(pins.size).toBe(topology.components.reduce((sum, component) => sum + component.ports.length, 0));
        },
      ),
    );
  });

  it('the kind config maps each pin to the same port on the loopback of the machine, with its protocol', () => {
    const pins = new Map([
      [nodePortKey('web', buildPort({ port: 80 })), 30000],
      [nodePortKey('edge', buildPort({ port: 53, protocol: 'UDP' })), 30001],
    ]);
    // Without listenAddress kind binds 0.0.0.0: every interface of the machine.
    expect(kindClusterConfig(pins)).toBe(
      '{kind: Cluster, apiVersion: kind.x-k8s.io/v1alpha4, nodes: [{role: control-plane, extraPortMappings: [{containerPort: 30000, hostPort: 30000, listenAddress: "127.0.0.1", protocol: TCP}, {containerPort: 30001, hostPort: 30001, listenAddress: "127.0.0.1", protocol: UDP}]}]}',
    );
  });
});

describe('the kind pins in the plan', () => {
  const planned = planOf({
    name: 'dev',
    environment: { platform: 'kind' },
    components: [
      { name: 'web', role: 'frontend', exposure: 'public', ports: [{ name: 'http', port: 80 }] },
      { name: 'edge', role: 'api', exposure: 'node', ports: [{ name: 'http', port: 8080, nodePort: 30000 }] },
      { name: 'db', role: 'database', ports: [{ name: 'pg', port: 5432 }] },
    ],
  });
  const { manifests, verification, topology } = planned;

  it('are written on the NodePort Services, and only there', () => {
    expect(servicePorts(manifests, 'web')).toEqual([expect.objectContaining({ port: 80, nodePort: 30001 })]);
    expect(servicePorts(manifests, 'edge')).toEqual([expect.objectContaining({ port: 8080, nodePort: 30000 })]);
    expect(servicePorts(manifests, 'db')[0]).not.toHaveProperty('nodePort');
  });

  it('are the ports the verification curls on 127.0.0.1', () => {
    const curled = verification.flatMap((step) => /127\.0\.0\.1:(3[0-9]{4})\//.exec(step.command)?.[1] ?? []);
    expect(curled).toEqual(['30001', '30000']);
  });

  it('are mapped on 127.0.0.1 only, public, node and private alike: kind is planned as this machine', () => {
    const mappings = verification.flatMap((step) =>
      [
        ...step.expect.matchAll(/\{containerPort: (\d+), hostPort: \d+, listenAddress: "([^"]+)", protocol: \w+\}/g),
      ].map((match) => `${match[1]} on ${match[2]}`),
    );
    expect(new Set(mappings)).toEqual(new Set(['30001 on 127.0.0.1', '30000 on 127.0.0.1']));
    expect(verification.some((step) => /containerPort: \d+, hostPort: \d+, protocol/.test(step.expect))).toBe(false);
  });

  it('do not show in the echoed topology: the user pinned nothing there', () => {
    expect(topology.components.find((component) => component.name === 'web')?.ports[0]).not.toHaveProperty('nodePort');
  });
});
