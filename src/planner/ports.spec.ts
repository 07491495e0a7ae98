import { plan } from './plan.js';
import { planOf } from './testing/topology-inputs.js';
import {
  internalPorts,
  internalServiceOf,
  nonPublicReason,
  publishedNonPublicPorts,
  publishedPorts,
  publishedTopology,
  resolvePortExposures,
} from './ports.js';
import { validateManifests } from './testing/kube-validation.js';
import { PLATFORMS, type KubeObject, type PlanResult, type Platform } from './types.js';
import { at } from './testing/items.js';

const HTTP = { name: 'http', port: 80, targetPort: 8080 };
const METRICS = { name: 'metrics', port: 9090 };

function webInput(platform: Platform, ports: unknown[], extra: Record<string, unknown> = {}): unknown {
  return {
    name: 'shop',
    namespace: 'shop',
    environment: {
      platform,
      ...(platform === 'bare-metal' ? { loadBalancerProvider: 'metallb' } : {}),
    },
    components: [
      { name: 'web', role: 'frontend', ports, exposure: 'public', host: 'shop.example.com', tls: true, ...extra },
      { name: 'scraper', role: 'other', ports: [{ name: 'web', port: 9090 }], dependsOn: ['web'] },
    ],
  };
}

function service(result: PlanResult, name: string): KubeObject | undefined {
  return result.manifests.find((object) => object.kind === 'Service' && object.metadata.name === name);
}

function servicePorts(object: KubeObject | undefined): unknown[] {
  return ((object?.spec as { ports?: { port: number }[] } | undefined)?.ports ?? []).map((port) => port.port);
}

describe('nonPublicReason', () => {
  it.each([
    'metrics',
    'http-metrics',
    'admin',
    'admin-api',
    'healthz',
    'debug',
    'management',
    'pprof',
    'prometheus',
    'gossip',
    'cluster',
    'peer',
    'raft',
    'epmd',
    'intra-node',
    'jmx',
  ])('a port named %s is not public traffic', (name) => {
    expect(nonPublicReason({ name, port: 12345 })).toContain(`"${name}"`);
  });

  it.each([9090, 9100, 9187, 15020, 15090, 7946, 4369, 25672, 2380, 7000, 9300, 9229, 5005, 2345, 5678])(
    'port %i is a well-known non-public port, named or not',
    (port) => {
      expect(nonPublicReason({ port })).toContain(String(port));
      expect(nonPublicReason({ name: 'prom', port })).toContain(String(port));
    },
  );

  it.each(['http', 'web', 'grpc', 'https-ui'])('a port named %s on 9090 carries traffic', (name) => {
    expect(nonPublicReason({ name, port: 9090 })).toBeUndefined();
  });

  it('leaves ordinary traffic ports alone', () => {
    expect(nonPublicReason({ name: 'http', port: 80 })).toBeUndefined();
    expect(nonPublicReason({ port: 8080 })).toBeUndefined();
    expect(nonPublicReason({ name: 'game', port: 7777 })).toBeUndefined();
  });
});

describe('resolvePortExposures', () => {
  it('keeps a metrics port in-cluster beside a traffic port', () => {
    expect(resolvePortExposures([HTTP, METRICS], false)).toEqual(['inherit', 'internal']);
  });

  it('never hides every port: a component made only of such ports is published as it is', () => {
    expect(resolvePortExposures([METRICS], false)).toEqual(['inherit']);
    expect(resolvePortExposures([METRICS, { name: 'admin', port: 8081 }], false)).toEqual(['inherit', 'inherit']);
  });

  it("lets the user's exposure win both ways", () => {
    expect(resolvePortExposures([HTTP, { ...METRICS, exposure: 'inherit' }], false)).toEqual(['inherit', 'inherit']);
    expect(resolvePortExposures([HTTP, { name: 'extra', port: 8443, exposure: 'internal' }], false)).toEqual([
      'inherit',
      'internal',
    ]);
  });

  it('does not count a port the user keeps internal as the published one', () => {
    expect(resolvePortExposures([{ ...HTTP, exposure: 'internal' }, METRICS], false)).toEqual(['internal', 'inherit']);
  });

  it('publishes a metrics port that sends to the container port of a published traffic port', () => {
    const sameSocket = { ...METRICS, targetPort: 8080 };
    expect(resolvePortExposures([HTTP, sameSocket], false)).toEqual(['inherit', 'inherit']);
    // Another protocol is another socket, and a port the user keeps internal publishes nothing.
    expect(resolvePortExposures([{ ...HTTP, protocol: 'UDP' }, sameSocket], false)).toEqual(['inherit', 'internal']);
    expect(
      resolvePortExposures(
        [HTTP, { name: 'api', port: 81, targetPort: 8081 }, { ...METRICS, targetPort: 8081 }],
        false,
      ),
    ).toEqual(['inherit', 'inherit', 'inherit']);
  });

  it('changes nothing on an internal component', () => {
    expect(resolvePortExposures([HTTP, METRICS], true)).toEqual(['inherit', 'inherit']);
  });
});

describe('the published view', () => {
  const topology = planOf(webInput('aws', [HTTP, METRICS])).topology;
  const web = at(topology.components, 0);
  const scraper = at(topology.components, 1);

  it('fills exposure on every port of the normalized topology', () => {
    expect(web.ports.map((port) => port.exposure)).toEqual(['inherit', 'internal']);
    expect(scraper.ports.map((port) => port.exposure)).toEqual(['inherit']);
  });

  it('splits a public component and leaves an internal one whole', () => {
    expect(publishedPorts(web).map((port) => port.port)).toEqual([80]);
    expect(internalPorts(web).map((port) => port.port)).toEqual([9090]);
    expect(internalServiceOf(web)).toEqual({
      name: 'web-internal',
      ports: [{ name: 'metrics', port: 9090, protocol: 'TCP' }],
    });
    expect(publishedPorts(scraper)).toEqual(scraper.ports);
    expect(internalServiceOf(scraper)).toBeNull();
  });

  it('is the topology itself when nothing is held back', () => {
    const whole = planOf(webInput('aws', [HTTP])).topology;
    expect(publishedTopology(whole)).toBe(whole);
    expect(at(publishedTopology(topology).components, 0).ports.map((port) => port.port)).toEqual([80]);
  });

  it('re-plans the normalized topology identically', () => {
    const first = planOf(webInput('aws', [HTTP, METRICS]));
    expect(JSON.stringify(planOf(first.topology))).toBe(JSON.stringify(first));
  });

  it('names the ports the user published against the heuristic', () => {
    const published = at(planOf(webInput('aws', [HTTP, { ...METRICS, exposure: 'inherit' }])).topology.components, 0);
    expect(publishedNonPublicPorts(published).map(({ port }) => port.name)).toEqual(['metrics']);
    expect(publishedNonPublicPorts(web)).toEqual([]);
  });
});

describe.each(PLATFORMS)('a public HTTP component with a metrics port on %s', (platform) => {
  const mixed = planOf(webInput(platform, [HTTP, METRICS]));
  const httpOnly = planOf(webInput(platform, [HTTP]));

  it('gets the decision and entry point the same component without it gets', () => {
    const decided = at(mixed.recommendations, 0);
    const reference = at(httpOnly.recommendations, 0);
    expect([decided.serviceType, decided.entryPoint]).toEqual([reference.serviceType, reference.entryPoint]);
    expect(mixed.ingress?.components ?? null).toEqual(httpOnly.ingress?.components ?? null);
    expect(mixed.cost.monthlyTotal).toBe(httpOnly.cost.monthlyTotal);
  });

  it('says which port stays in-cluster, on what Service, and why', () => {
    const web = at(mixed.recommendations, 0);
    expect('internalService' in web && web.internalService).toEqual({
      name: 'web-internal',
      ports: [{ name: 'metrics', port: 9090, protocol: 'TCP' }],
    });
    expect(web.rationale.join('\n')).toMatch(/kept in-cluster on the ClusterIP Service web-internal.*"metrics"/);
  });

  it('renders the published port on its Service and the metrics port on a ClusterIP web-internal', () => {
    expect(servicePorts(service(mixed, 'web'))).toEqual([80]);
    const internal = service(mixed, 'web-internal');
    expect(internal?.spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }],
    });
    expect(validateManifests(mixed.manifests)).toEqual([]);
  });

  it('admits the metrics port from the callers only, never from outside or the L7 entry point', () => {
    const policy = mixed.manifests.find((object) => object.metadata.name === 'allow-web');
    const rules = (policy?.spec as { ingress: { from: Record<string, unknown>[]; ports: { port: number }[] }[] })
      .ingress;
    for (const rule of rules) {
      const fromCallersOnly = rule.from.every((peer) => 'podSelector' in peer && !('namespaceSelector' in peer));
      expect(fromCallersOnly || rule.ports.every((port) => port.port !== 9090)).toBe(true);
    }
    expect(rules.some((rule) => rule.ports.some((port) => port.port === 9090))).toBe(true);
  });

  it('verifies the metrics port from inside the cluster only', () => {
    const steps = mixed.verification.filter((step) => step.component === 'web' && step.command.includes('9090'));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((step) => /svc\/web-internal|web-internal\.shop\.svc/.test(step.command))).toBe(true);
  });
});

describe('a metrics port on the same container port as the traffic', () => {
  /** Public web on AWS whose metrics port sends to http's container port 8080, with the exposure given. */
  const sharingInput = (exposure: Record<string, unknown> = {}): unknown => ({
    name: 'shop',
    environment: { platform: 'aws' },
    components: [
      {
        name: 'web',
        role: 'frontend',
        exposure: 'public',
        ports: [HTTP, { ...METRICS, targetPort: 8080, ...exposure }],
      },
    ],
  });
  const result = planOf(sharingInput());
  const web = at(result.recommendations, 0);

  it('publishes both on the load balancer, says why, and raises no EXP023 whose remedy would be refused', () => {
    expect(web.serviceType).toBe('LoadBalancer');
    expect(servicePorts(service(result, 'web'))).toEqual([80, 9090]);
    expect(service(result, 'web-internal')).toBeUndefined();
    expect(web.rationale).toContain(
      `metrics (9090/TCP) is published although its name "metrics" says metrics traffic, not the component's own: it sends to the same container port (TCP/8080) as http (80/TCP), which carries the component's traffic, so keeping it in-cluster would not keep that socket in; give it a container port of its own (targetPort) to keep it in-cluster`,
    );
    expect(result.findings.filter((finding) => finding.id === 'EXP023')).toEqual([]);
  });

  it('refuses exposure internal on it: the socket is published all the same', () => {
    const outcome = plan(sharingInput({ exposure: 'internal' }));
    expect(outcome.ok ? [] : outcome.problems).toEqual([
      {
        path: 'components[0].ports[1].exposure',
        message:
          'port "metrics" (9090/TCP) has exposure "internal", but port "http" (80/TCP) is published and sends to the same container port (TCP/8080): that socket is reachable from outside all the same; give the two ports different targetPorts, or remove exposure "internal"',
      },
    ]);
  });
});

describe('a public L4 component with a cluster port', () => {
  const input = {
    name: 'arena',
    environment: { platform: 'gcp' },
    components: [
      {
        name: 'match',
        role: 'other',
        workload: 'StatefulSet',
        replicas: 3,
        exposure: 'public',
        ports: [
          { name: 'game', port: 7777, protocol: 'UDP' },
          { name: 'gossip', port: 7946 },
        ],
      },
    ],
  };
  const result = planOf(input);

  it('publishes the game port only, keeps the gossip port on the headless Service for its peers', () => {
    expect(servicePorts(service(result, 'match'))).toEqual([7777]);
    expect(servicePorts(service(result, 'match-headless'))).toEqual([7777, 7946]);
    expect(servicePorts(service(result, 'match-internal'))).toEqual([7946]);
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('raises EXP023 when the user publishes the gossip port, and nothing when the heuristic keeps it in', () => {
    expect(result.findings.filter((finding) => finding.id === 'EXP023')).toEqual([]);
    const exposed = planOf({
      ...input,
      components: [
        {
          ...input.components[0],
          ports: [
            at(at(input.components, 0).ports, 0),
            { ...at(at(input.components, 0).ports, 1), exposure: 'inherit' },
          ],
        },
      ],
    });
    const findings = exposed.findings.filter((finding) => finding.id === 'EXP023');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'medium', component: 'match' });
    expect(at(findings, 0).detail).toContain('gossip (7946/TCP)');
    expect(at(findings, 0).remediation).toContain('match-internal');
    expect(servicePorts(service(exposed, 'match'))).toEqual([7777, 7946]);
    expect(service(exposed, 'match-internal')).toBeUndefined();
  });
});

describe('a data store asked to be public, with a metrics port', () => {
  const result = planOf({
    name: 'x',
    environment: { platform: 'aws' },
    components: [
      {
        name: 'db',
        role: 'database',
        exposure: 'public',
        ports: [
          { name: 'postgres', port: 5432 },
          { name: 'metrics', port: 9187 },
        ],
      },
    ],
  });

  it('stays ClusterIP and does not claim to publish its main port', () => {
    const db = at(result.recommendations, 0);
    expect([db.serviceType, db.entryPoint]).toEqual(['ClusterIP', 'none']);
    expect(db.rationale.join('\n')).not.toMatch(/only postgres .* is published/);
    expect(db.rationale.join('\n')).toContain('nothing is published');
    expect(validateManifests(result.manifests)).toEqual([]);
  });
});
