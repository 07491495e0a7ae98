import fc from 'fast-check';
import { validTopologyInput } from './testing/arbitraries.js';
import { networkPolicyBreaches } from './testing/network-policy-oracle.js';
import { planOf, publicFrontend } from './testing/topology-inputs.js';
import type { KubeObject, PlanResult } from './types.js';

// The oracle, and how it reads a NetworkPolicy, is in testing/network-policy-oracle.ts.
describe('the NetworkPolicies admit who the topology says, and the coverage tells the truth', () => {
  /** validTopologyInput with what only the policies read: a namespace of its own, the cluster's ranges, allowFrom. */
  const withPolicyInputs = fc
    .record({
      input: validTopologyInput,
      ownsNamespace: fc.boolean(),
      ranges: fc.constantFrom('unknown', 'pods', 'pods-and-nodes', 'pods-on-node-addresses'),
      allowFrom: fc.array(
        fc.record({
          namespace: fc.constantFrom('monitoring', 'mesh'),
          podLabels: fc.boolean(),
          port: fc.option(fc.nat()),
        }),
        { maxLength: 3 },
      ),
    })
    .map(({ input, ownsNamespace, ranges, allowFrom }) => {
      const environment = input.environment as Record<string, unknown>;
      if (ownsNamespace) {
        environment.ownsNamespace = true;
      }
      // pods-on-node-addresses is the AWS VPC CNI: pods take addresses from the nodes' range.
      const podCidr =
        ranges === 'unknown' ? undefined : ranges === 'pods-on-node-addresses' ? ['10.0.0.0/16'] : ['10.244.0.0/16'];
      if (podCidr !== undefined) {
        environment.podCidr = podCidr;
      }
      if (ranges === 'pods-and-nodes' || ranges === 'pods-on-node-addresses') {
        environment.nodeCidr = ['10.0.0.0/16'];
      }
      const components = input.components as {
        externalName?: string;
        ports: { port: number }[];
        allowFrom?: unknown[];
      }[];
      allowFrom.forEach((entry, index) => {
        const component = components[index % components.length];
        // allowFrom admits into pods through a port: refused on an alias or a component without ports.
        if (component === undefined || component.externalName !== undefined || component.ports.length === 0) {
          return;
        }
        const entries = (component.allowFrom ??= []) as { namespace: string }[];
        if (entries.some((existing) => existing.namespace === entry.namespace)) {
          return;
        }
        const port = entry.port === null ? undefined : component.ports[entry.port % component.ports.length];
        entries.push({
          namespace: entry.namespace,
          ...(entry.podLabels ? { podLabels: { app: 'prometheus' } } : {}),
          ...(port === undefined ? {} : { ports: [port.port] }),
        });
      });
      return input;
    });

  it('on random topologies, egress restricted or not, in a namespace of their own or shared', () => {
    fc.assert(
      fc.property(withPolicyInputs, (input) => {
        expect(networkPolicyBreaches(planOf(input))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  describe('catches policies that do not keep the word of the topology', () => {
    const planned = planOf({
      name: 'shop',
      namespace: 'shop',
      environment: { platform: 'aws', egress: 'restrict', podCidr: ['10.244.0.0/16'], nodeCidr: ['10.0.0.0/16'] },
      components: [
        {
          name: 'web',
          role: 'frontend',
          exposure: 'public',
          ports: [{ name: 'http', port: 80, targetPort: 8080 }],
          dependsOn: ['api'],
        },
        { name: 'api', role: 'api', ports: [{ port: 8080 }], dependsOn: ['db'] },
        { name: 'db', role: 'database', workload: 'StatefulSet', ports: [{ port: 5432 }] },
        { name: 'job', role: 'worker' },
      ],
    });
    /** The plan with one NetworkPolicy's spec changed. */
    const withPolicy = (
      name: string,
      change: (spec: Record<string, unknown>) => Record<string, unknown>,
    ): PlanResult => ({
      ...planned,
      manifests: planned.manifests.map((object: KubeObject) =>
        object.kind === 'NetworkPolicy' && object.metadata.name === name
          ? { ...object, spec: change(object.spec as Record<string, unknown>) }
          : object,
      ),
    });

    it('finds nothing in the plan as rendered', () => {
      expect(networkPolicyBreaches(planned)).toEqual([]);
    });

    it('an internal component admitting an address block, or a component that does not call it', () => {
      const widened = withPolicy('allow-db', (spec) => ({
        ...spec,
        ingress: [
          ...(spec.ingress as unknown[]),
          { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }, { podSelector: { matchLabels: { app: 'web' } } }] },
        ],
      }));
      expect(networkPolicyBreaches(widened)).toEqual([
        'db is counted as fully covered, but admits 10.0.0.0/8, which can hold pods',
        'db keeps 5432/TCP in the cluster, but admits the address block 10.0.0.0/8',
        'db keeps 5432/TCP in the cluster, but admits web',
      ]);
    });

    it('a caller left out, in ingress or in egress', () => {
      const noCaller = withPolicy('allow-db', (spec) => ({ ...spec, ingress: [] }));
      expect(networkPolicyBreaches(noCaller)).toEqual(['api depends on db, but no policy admits it on 5432/TCP']);
      const noWay = withPolicy('egress-api', (spec) => ({
        ...spec,
        egress: (spec.egress as { to: unknown[] }[]).slice(0, 1),
      }));
      expect(networkPolicyBreaches(noWay)).toEqual(['api depends on db, but its egress does not reach 5432/TCP']);
    });

    it('coverage that counts a component no policy isolates', () => {
      const unselected: PlanResult = {
        ...planned,
        manifests: planned.manifests.filter(
          (object) =>
            !(object.kind === 'NetworkPolicy' && ['default-deny-ingress', 'allow-api'].includes(object.metadata.name)),
        ),
      };
      // The worker job has no allow policy of its own: the default deny alone isolates it.
      expect(networkPolicyBreaches(unselected)).toEqual([
        'api is counted as covered, but no policy isolates its pods',
        'job is counted as covered, but no policy isolates its pods',
      ]);
    });

    it("a GKE Ingress's proxies left out: a namespace selector never matches them", () => {
      const gke = (ingressController: string) =>
        planOf({
          name: 'shop',
          environment: { platform: 'gcp', ingressController },
          components: [publicFrontend('web', { host: 'shop.example.com' })],
        });
      const byNamespace = (result: PlanResult): PlanResult => ({
        ...result,
        manifests: result.manifests.map((object) =>
          object.kind === 'NetworkPolicy' && object.metadata.name === 'allow-web'
            ? {
                ...object,
                spec: {
                  ...(object.spec as Record<string, unknown>),
                  ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80, protocol: 'TCP' }] }],
                },
              }
            : object,
        ),
      });
      expect(networkPolicyBreaches(gke('gce-internal'))).toEqual([]);
      expect(networkPolicyBreaches(byNamespace(gke('gce-internal')))).toEqual([
        'web is routed by the GKE Ingress shop, but no policy admits its proxies (0.0.0.0/0) on 80/TCP',
      ]);
      expect(networkPolicyBreaches(byNamespace(gke('gce')))).toEqual([
        'web is routed by the GKE Ingress shop, but no policy admits its proxies (130.211.0.0/22, 35.191.0.0/16) on 80/TCP',
      ]);
    });

    it('egress to a component that is not a dependency, or to another namespace than DNS', () => {
      const wider = withPolicy('egress-job', (spec) => ({
        ...spec,
        egress: [
          ...(spec.egress as unknown[]),
          { to: [{ podSelector: { matchLabels: { app: 'db' } } }, { namespaceSelector: {} }] },
        ],
      }));
      expect(networkPolicyBreaches(wider)).toEqual([
        "job's egress admits db",
        `job's egress admits another namespace beyond DNS ({"namespaceSelector":{}})`,
      ]);
    });
  });
});
