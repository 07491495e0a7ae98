import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../test/support/golden-fixtures.js';
import { toCents } from '../planner/cost.js';
import { plan } from '../planner/plan.js';
import type { KubeObject, PlanResult } from '../planner/types.js';
import type { StoredPlan } from '../plans/plans.types.js';
import { diffDiagramOf } from './diagram-diff.js';
import { diagramOf, type Diagram, type DiagramEdge, type DiagramNode } from './diagram-model.js';

function fixturePlan(name: string, change: (topology: Record<string, unknown>) => void = () => undefined): PlanResult {
  const topology = JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
  change(topology);
  const outcome = plan(topology);
  if (!outcome.ok) {
    throw new Error(`${name} does not plan: ${JSON.stringify(outcome.problems)}`);
  }
  return outcome.plan;
}

function node(diagram: Diagram, id: string): DiagramNode {
  const found = diagram.nodes.find((n) => n.id === id);
  if (found === undefined) {
    throw new Error(`no node ${id} among ${diagram.nodes.map((n) => n.id).join(', ')}`);
  }
  return found;
}

function edge(diagram: Diagram, from: string, to: string): DiagramEdge {
  const found = diagram.edges.find((e) => e.from === from && e.to === to);
  if (found === undefined) {
    throw new Error(`no edge ${from} -> ${to}`);
  }
  return found;
}

/** The plan with its manifests changed: what a stored plan could hold, or a hand-edited policy. */
function withManifests(result: PlanResult, change: (manifests: KubeObject[]) => KubeObject[]): PlanResult {
  return { ...result, manifests: change(structuredClone(result.manifests)) };
}

function stored(result: PlanResult, revision: number): StoredPlan {
  return {
    ...result,
    id: '11111111-2222-4333-8444-555555555555',
    name: result.topology.name,
    revision,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function usd(amount: number): string {
  return `$${(toCents(amount) / 100).toFixed(2)}/mo`;
}

describe(diagramOf.name, () => {
  describe('entry points', () => {
    it('routes the internet through the shared Ingress, with its class, its cost and each host, to the Services', () => {
      const result = fixturePlan('shop-aws');
      const diagram = diagramOf(result);
      const ingress = node(diagram, 'entry:ingress');
      expect(ingress.title).toBe('Ingress shop');
      expect(ingress.details[0]).toBe('class alb (controller to install)');
      // Every line of the plan's cost is the ALB's: the node carries the whole total.
      expect(ingress.details).toContain(usd(result.cost.monthlyTotal));
      expect(edge(diagram, 'source:internet', 'entry:ingress').kind).toBe('traffic');
      expect(edge(diagram, 'entry:ingress', 'service:web').label).toBe('https://shop.example.com/');
      expect(edge(diagram, 'entry:ingress', 'service:api').label).toBe('https://api.shop.example.com/');
      expect(node(diagram, 'service:db').details).toEqual([
        'ClusterIP',
        '5432→5432/TCP',
        '+ db-headless (clusterIP: None)',
      ]);
      // In-cluster components have no entry point: nothing from a source reaches their Services.
      expect(diagram.edges.filter((e) => e.to === 'service:db' && e.kind === 'traffic')).toEqual([]);
      expect(diagram.nodes.filter((n) => n.kind === 'source').map((n) => n.id)).toEqual(['source:internet']);
    });

    it('draws a load balancer per LoadBalancer Service: internet-facing from the internet, internal from the VPC, each with its own cost', () => {
      const result = fixturePlan('game-findings-aws');
      const diagram = diagramOf(result);
      const costOf = (component: string): number =>
        result.cost.items.filter((item) => item.component === component).reduce((sum, item) => sum + item.monthly, 0);
      expect(node(diagram, 'entry:load-balancer:game').details).toEqual(['internet-facing', usd(costOf('game'))]);
      expect(node(diagram, 'entry:load-balancer:admin-api').details).toEqual(['internal', usd(costOf('admin-api'))]);
      expect(edge(diagram, 'source:internet', 'entry:load-balancer:game')).toBeDefined();
      const vpc = edge(diagram, 'source:vpc', 'entry:load-balancer:admin-api');
      // The allowed sources narrower than everything are on the edge from the VPC.
      expect(vpc.label).toBe(result.topology.components.find((c) => c.name === 'admin-api')!.allowedSources.join(', '));
      expect(edge(diagram, 'entry:load-balancer:game', 'service:game').label).toBe('7777/UDP');
    });

    it('draws a NodePort on the nodes with the node ports the Service pins', () => {
      const diagram = diagramOf(fixturePlan('dev-kind'));
      const entry = node(diagram, 'entry:node-port:web');
      expect(entry.title).toBe('NodePort on every node');
      expect(entry.details).toContain('node ports 30001');
      expect(node(diagram, 'service:api').details).toContain('+ api-internal (ClusterIP): 9090/TCP');
      expect(node(diagram, 'source:vpc').title).toBe('Private network');
    });

    it('draws the Gateway with its namespace, name, class and route kinds', () => {
      const result = fixturePlan('gateway-shop-gcp');
      const diagram = diagramOf(result);
      const gateway = node(diagram, 'entry:gateway');
      expect(gateway.title).toBe('Gateway shop/shop');
      expect(gateway.details).toEqual([
        'class gke-l7-global-external-managed',
        'HTTPRoute',
        usd(result.cost.monthlyTotal),
      ]);
      expect(diagram.nodes.some((n) => n.id === 'entry:ingress')).toBe(false);
      expect(edge(diagram, 'entry:gateway', 'service:storefront')).toBeDefined();
    });
  });

  describe('ExternalName', () => {
    it('draws the target outside the cluster, behind its Service, and names a cost no entry point carries', () => {
      const diagram = diagramOf(fixturePlan('partner-api-azure'));
      const external = node(diagram, 'external:erp');
      expect(external).toMatchObject({ kind: 'external', title: 'erp.corp.example.com', inCluster: false });
      expect(node(diagram, 'service:erp').details[0]).toBe('ExternalName');
      expect(edge(diagram, 'service:erp', 'external:erp').kind).toBe('alias');
      expect(edge(diagram, 'component:orders', 'service:erp')).toMatchObject({ kind: 'depends-on', label: '443/TCP' });
      // No pods: no component node for it.
      expect(diagram.nodes.some((n) => n.id === 'component:erp')).toBe(false);
      // AKS's internal load balancer is the cluster's, shared: a note, not one entry point's figure.
      expect(diagram.notes).toEqual([
        expect.stringMatching(/^\$18\.25\/mo not on one entry point: .*kubernetes-internal/),
      ]);
    });
  });

  describe('dependsOn as the NetworkPolicies allow it', () => {
    it('labels each call with the ports the target admits from the caller', () => {
      const diagram = diagramOf(fixturePlan('netpol-egress-kind'));
      expect(edge(diagram, 'component:orders-api', 'service:orders-db')).toEqual({
        from: 'component:orders-api',
        to: 'service:orders-db',
        kind: 'depends-on',
        label: '5432/TCP, 9187/TCP',
      });
      expect(edge(diagram, 'component:invoicer', 'service:payments').label).toBe('443/TCP');
    });

    it('marks a call blocked when the target policy does not admit the caller', () => {
      const result = withManifests(fixturePlan('shop-aws'), (manifests) =>
        manifests.map((object) => {
          if (object.metadata.name !== 'allow-db') {
            return object;
          }
          // Admit mailer only: api's calls to db are refused.
          const spec = object.spec as {
            ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[];
          };
          spec.ingress = spec.ingress.map((rule) => ({
            ...rule,
            from: rule.from.filter((peer) => peer.podSelector?.matchLabels?.app !== 'api'),
          }));
          return object;
        }),
      );
      const diagram = diagramOf(result);
      expect(edge(diagram, 'component:api', 'service:db')).toMatchObject({
        blocked: true,
        label: 'blocked by NetworkPolicy (ingress)',
      });
      expect(edge(diagram, 'component:mailer', 'service:db').blocked).toBeUndefined();
    });

    it('says so when no policy selects the target: every port is open to every pod', () => {
      const result = withManifests(fixturePlan('shop-aws'), (manifests) =>
        manifests.filter((object) => object.kind !== 'NetworkPolicy'),
      );
      expect(edge(diagramOf(result), 'component:api', 'service:cache').label).toBe('6379/TCP (no NetworkPolicy)');
    });

    it("marks a call blocked when the caller's egress policy does not let it out", () => {
      const result = withManifests(fixturePlan('netpol-egress-kind'), (manifests) =>
        manifests.map((object) => {
          if (object.metadata.name === 'egress-orders-api') {
            const spec = object.spec as { egress: { to: Record<string, unknown>[] }[] };
            // Keep DNS only: neither the database nor the payments API.
            spec.egress = spec.egress.slice(0, 1);
          }
          return object;
        }),
      );
      const diagram = diagramOf(result);
      expect(edge(diagram, 'component:orders-api', 'service:orders-db').label).toBe(
        'blocked by NetworkPolicy (egress)',
      );
      expect(edge(diagram, 'component:orders-api', 'service:payments').blocked).toBe(true);
      expect(edge(diagram, 'component:invoicer', 'service:payments').blocked).toBeUndefined();
    });

    it('draws a dependency on a component without ports as a call with nothing to answer it', () => {
      const diagram = diagramOf(fixturePlan('game-findings-aws'));
      expect(edge(diagram, 'component:game', 'component:matchmaker')).toMatchObject({
        blocked: true,
        label: 'no port to call',
      });
    });

    it('draws callers from other namespaces the policies admit, with their ports', () => {
      const diagram = diagramOf(fixturePlan('netpol-shared-namespace-aws'));
      const monitoring = node(diagram, 'caller:monitoring/app.kubernetes.io/name=prometheus');
      expect(monitoring.details).toEqual(['pods app.kubernetes.io/name=prometheus']);
      expect(edge(diagram, monitoring.id, 'service:api').label).toBe('metrics');
      expect(edge(diagram, 'caller:billing/', 'service:api').label).toBe('every port');
    });
  });

  describe('findings', () => {
    it('marks a component with a high finding, and only those with high or critical ones', () => {
      const result = fixturePlan('game-findings-aws');
      const diagram = diagramOf(result);
      expect(node(diagram, 'component:scores').severeFindings).toEqual({ severity: 'high', ids: ['EXP001'] });
      const marked = diagram.nodes.filter((n) => n.severeFindings !== undefined).map((n) => n.id);
      const severe = result.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
      expect(marked).toEqual([...new Set(severe.map((f) => `component:${f.component}`))]);
      expect(diagram.description).toContain('high or critical finding: scores');
    });

    it('shows critical over high, and namespace-wide severe findings as notes', () => {
      const result = fixturePlan('shop-aws');
      const withFindings: PlanResult = {
        ...result,
        findings: [
          { id: 'EXP100', severity: 'high', component: 'db', title: 't', detail: 'd', remediation: 'r' },
          { id: 'EXP101', severity: 'critical', component: 'db', title: 't', detail: 'd', remediation: 'r' },
          { id: 'EXP102', severity: 'medium', component: 'api', title: 't', detail: 'd', remediation: 'r' },
          { id: 'EXP103', severity: 'critical', title: 'open namespace', detail: 'd', remediation: 'r' },
        ],
      };
      const diagram = diagramOf(withFindings);
      expect(node(diagram, 'component:db').severeFindings).toEqual({ severity: 'critical', ids: ['EXP101', 'EXP100'] });
      expect(node(diagram, 'component:api').severeFindings).toBeUndefined();
      expect(diagram.notes).toEqual(['critical EXP103 (namespace): open namespace']);
    });
  });

  it('counts in its description as it is read aloud: one entry point, several Services', () => {
    expect(diagramOf(fixturePlan('shop-aws')).description).toMatch(
      /^Traffic diagram of plan shop: 1 entry point, \d+ Services, \d+ components with pods, 0 targets outside the cluster\./,
    );
    expect(diagramOf(fixturePlan('partner-api-azure')).description).toContain(', 1 target outside the cluster.');
  });

  it('names the revision in the title when the plan is a stored one', () => {
    expect(diagramOf(stored(fixturePlan('shop-aws'), 3)).title).toBe(
      'shop (revision 3): aws, namespace production, $33.22/mo',
    );
  });
});

describe(diffDiagramOf.name, () => {
  it('marks what the newer revision added, removed and changed, and says the cost moved', () => {
    const before = stored(fixturePlan('shop-aws'), 1);
    const after = stored(
      fixturePlan('shop-aws', (topology) => {
        const components = topology.components as Record<string, unknown>[];
        const api = components.find((c) => c.name === 'api')!;
        // Kept in-cluster: it leaves the Ingress.
        Object.assign(api, { exposure: 'internal' });
        delete api.host;
        delete api.tls;
        (api.dependsOn as string[]).splice((api.dependsOn as string[]).indexOf('cache'), 1);
        components.push({ name: 'broker', role: 'api', ports: [{ name: 'mqtt', port: 1883 }], exposure: 'public' });
        topology.components = components.filter((c) => c.name !== 'cache');
      }),
      2,
    );
    const diagram = diffDiagramOf(before, after);
    expect(diagram.title).toMatch(/^shop: revision 1 → 2, \$33\.22\/mo → \$\d+\.\d\d\/mo \(\+\$\d+\.\d\d\)$/);
    expect(edge(diagram, 'entry:ingress', 'service:api').change).toBe('removed');
    expect(edge(diagram, 'component:api', 'service:cache').change).toBe('removed');
    expect(node(diagram, 'component:cache').change).toBe('removed');
    expect(node(diagram, 'component:broker').change).toBe('added');
    expect(node(diagram, 'entry:load-balancer:broker').change).toBe('added');
    expect(edge(diagram, 'entry:load-balancer:broker', 'service:broker').change).toBe('added');
    // Unchanged parts carry no mark.
    expect(edge(diagram, 'entry:ingress', 'service:web').change).toBeUndefined();
    expect(node(diagram, 'component:web').change).toBeUndefined();
  });

  it('is empty of changes between a revision and itself', () => {
    const revision = stored(fixturePlan('shop-aws'), 1);
    const diagram = diffDiagramOf(revision, revision);
    expect(diagram.nodes.filter((n) => n.change !== undefined)).toEqual([]);
    expect(diagram.edges.filter((e) => e.change !== undefined)).toEqual([]);
    expect(diagram.notes).toEqual([]);
  });
});
