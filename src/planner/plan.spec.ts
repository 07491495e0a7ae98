import fc from 'fast-check';
import { generateTopology } from '../../test/support/generate-topology.js';
import { validateManifests } from './testing/kube-validation.js';
import { fixtures } from '../../test/support/golden-fixtures.js';
import { plan } from './plan.js';
import { invalidTopologyInput, validTopologyInput } from './testing/arbitraries.js';
import type { PlanResult } from './types.js';
import { toYaml } from './yaml.js';
import { at } from './testing/items.js';

function planOrFail(input: unknown): PlanResult {
  const outcome = plan(input);
  if (!outcome.ok) {
    throw new Error(`expected a plan, got problems: ${JSON.stringify(outcome.problems, null, 2)}`);
  }
  return outcome.plan;
}

describe(plan.name, () => {
  it('has at least five realistic fixtures to plan', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(fixtures)('fixture %s', (fixtureName, input) => {
    it('plans every component and renders manifests the API server would accept', () => {
      const result = planOrFail(input);
      expect(result.recommendations.map((r) => r.component)).toEqual(result.topology.components.map((c) => c.name));
      expect(validateManifests(result.manifests)).toEqual([]);
    });

    it('speaks of the L7 entry point it renders: a Gateway plan names no Ingress, its class or its checks', () => {
      const result = planOrFail(input);
      const rendersIngress = result.manifests.some((object) => object.kind === 'Ingress');
      if (result.gateway === null) {
        expect(rendersIngress).toBe(result.ingress !== null);
        return;
      }
      expect(rendersIngress).toBe(false);
      const routed = result.recommendations.filter((r) => r.entryPoint === 'ingress');
      expect(routed.length).toBeGreaterThan(0);
      for (const recommendation of routed) {
        expect(recommendation.rationale.join('\n')).not.toMatch(/shared Ingress|ingress controller|Ingress \(class/);
      }
      expect(result.verification.filter((step) => /kubectl get ingress |<ingress-address>/.test(step.command))).toEqual(
        [],
      );
    });

    it('matches the golden YAML', async () => {
      await expect(toYaml(planOrFail(input).manifests)).toMatchFileSnapshot(`__snapshots__/${fixtureName}.yaml`);
    });

    it('matches the golden recommendations, cost and findings', async () => {
      const { recommendations, ingress, gateway, networkPolicyCoverage, cost, findings, verification } =
        planOrFail(input);
      await expect(
        JSON.stringify(
          { recommendations, ingress, gateway, networkPolicyCoverage, cost, findings, verification },
          null,
          2,
        ),
      ).toMatchFileSnapshot(`__snapshots__/${fixtureName}.plan.json`);
    });

    it('counts as partly covered exactly the components EXP034 names, and as not covered those EXP013 names', () => {
      const { networkPolicyCoverage, findings } = planOrFail(input);
      const named = (id: string) => findings.filter((finding) => finding.id === id).map((finding) => finding.component);
      expect(networkPolicyCoverage?.partlyCovered.map((entry) => entry.component)).toEqual(named('EXP034'));
      expect(networkPolicyCoverage?.uncovered).toEqual(named('EXP013'));
    });

    it('is deterministic: the same input gives byte-identical output', () => {
      expect(JSON.stringify(planOrFail(input))).toBe(JSON.stringify(planOrFail(structuredClone(input))));
    });

    it('adds up its cost', () => {
      const { cost } = planOrFail(input);
      const sum = cost.items.reduce((total, item) => total + item.monthly, 0);
      expect(cost.monthlyTotal).toBeCloseTo(sum, 2);
      expect(cost.pricing.source).not.toBe('');
      expect(cost.pricing.asOf).toMatch(/^\d{4}-\d{2}-\d{2}/);
    });
  });

  describe.each(fixtures.filter(([name]) => name.startsWith('gateway-')))('Gateway API fixture %s', (_name, input) => {
    it('routes public HTTP through a Gateway and HTTPRoutes instead of an Ingress, with the Ingress road priced', () => {
      const result = planOrFail(input);
      const kinds = result.manifests.map((object) => object.kind);
      expect(result.topology.environment.routing).toBe('gateway-api');
      expect(result.ingress).toBeNull();
      expect(kinds).not.toContain('Ingress');
      expect(kinds).toContain('Gateway');
      const routed = result.gateway?.components ?? [];
      expect(routed.length).toBeGreaterThan(0);
      for (const component of routed) {
        const routes = result.manifests.filter(
          (object) => object.kind === 'HTTPRoute' && object.metadata.labels?.['app.kubernetes.io/name'] === component,
        );
        expect(routes.length).toBeGreaterThan(0);
        const recommendation = result.recommendations.find((r) => r.component === component);
        expect(recommendation?.alternatives.some((a) => a.reason.startsWith('an Ingress of class'))).toBe(true);
      }
      // Every tls host has an HTTPS listener (certificateRefs unless the cloud finds the certificate).
      const gateway = result.manifests.find((object) => object.kind === 'Gateway') as
        { spec: { listeners: { protocol: string; hostname?: string }[] } } | undefined;
      const tlsHosts = result.topology.components.filter((c) => c.tls === true && routed.includes(c.name));
      for (const component of tlsHosts) {
        expect(gateway?.spec.listeners).toContainEqual(
          expect.objectContaining({ protocol: 'HTTPS', hostname: component.host }),
        );
      }
      expect(result.verification.some((step) => step.command.includes('kubectl get gateway'))).toBe(true);
    });
  });

  it('on AKS proposes no retiring controller: Gateway API by default, Traefik when an Ingress is asked for', () => {
    const input = fixtures.find(([name]) => name === 'gateway-portal-azure')?.[1] as { environment: object };
    const byDefault = planOrFail(input);
    expect(byDefault.gateway?.className).toBe('approuting-istio');
    const asIngress = planOrFail({ ...input, environment: { ...input.environment, routing: 'ingress' } });
    expect(asIngress.gateway).toBeNull();
    expect(asIngress.ingress?.className).toBe('traefik');
    const web = asIngress.recommendations.find((r) => r.component === 'portal-web');
    expect(web?.alternatives.some((a) => a.reason.includes('class approuting-istio'))).toBe(true);
  });

  it('attaches to an existing shared Gateway without creating one, and refuses it with an Ingress', () => {
    const input = fixtures.find(([name]) => name === 'gateway-store-aws')?.[1] as { environment: object };
    const gateway = { name: 'edge', namespace: 'gateways' };
    const shared = planOrFail({ ...input, environment: { ...input.environment, gateway } });
    expect(shared.gateway).toMatchObject({ ...gateway, shared: true });
    expect(shared.manifests.some((object) => object.kind === 'Gateway' || object.kind === 'GatewayClass')).toBe(false);
    const route = shared.manifests.find((object) => object.kind === 'HTTPRoute') as
      { spec: { parentRefs: unknown[] } } | undefined;
    // The ALB takes a parentRef port (HTTPRouteParentRefPort): a route attaches to one port, never the whole Gateway.
    expect(route?.spec.parentRefs).toEqual([{ ...gateway, port: expect.any(Number) }]);
    expect(validateManifests(shared.manifests)).toEqual([]);
    const refused = plan({ ...input, environment: { ...input.environment, routing: 'ingress', gateway } });
    expect(refused.ok ? [] : refused.problems.map((problem) => problem.path)).toEqual(['environment.gateway']);
  });

  it('never emits a LoadBalancer or NodePort for a data store, even when asked to be public', () => {
    const result = planOrFail(fixtures.find(([name]) => name === 'demo-minikube')?.[1]);
    const mongo = result.recommendations.find((r) => r.component === 'mongo');
    expect(mongo?.serviceType).toBe('ClusterIP');
    expect(result.findings.some((f) => f.component === 'mongo' && f.severity === 'critical')).toBe(true);
  });

  it('plans the largest allowed topology (2,000 components) with valid manifests', () => {
    const result = planOrFail(generateTopology(2000));
    expect(result.recommendations).toHaveLength(2000);
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('lets the request override prices, and says so in the plan', () => {
    const input = { ...generateTopology(10), pricing: { source: 'our negotiated rates', asOf: '2026-10-01' } };
    const base = planOrFail(generateTopology(10));
    const overridden = planOrFail({
      ...input,
      pricing: { ...input.pricing, providers: { aws: { loadBalancerHourly: 1 } } },
    });
    expect(overridden.cost.pricing.source).toContain('our negotiated rates');
    expect(overridden.cost.monthlyTotal).toBeGreaterThan(base.cost.monthlyTotal);
  });

  it('names the headless Service the same in the manifests, the rationale and the verification', () => {
    const name = `k${'a'.repeat(53)}`;
    const result = planOrFail({
      name: 'store',
      environment: { platform: 'aws' },
      components: [
        { name, role: 'database', workload: 'StatefulSet', replicas: 3, ports: [{ name: 'cql', port: 9042 }] },
      ],
    });
    const headless = `${name}-headless`;
    expect(
      result.manifests.filter((object) => object.kind === 'Service').map((object) => object.metadata.name),
    ).toEqual([name, headless]);
    expect(at(result.recommendations, 0).rationale.join('\n')).toContain(`headless Service ${headless} `);
    expect(result.verification.map((step) => step.command).join('\n')).toContain(`nslookup ${headless}.default.svc`);
  });

  it('refuses a component named after a StatefulSet\u2019s headless Service instead of renaming either', () => {
    const outcome = plan({
      name: 'store',
      environment: { platform: 'aws' },
      components: [
        { name: 'db', role: 'database', workload: 'StatefulSet', ports: [{ port: 5432 }] },
        { name: 'db-headless', role: 'api', ports: [{ port: 80 }] },
      ],
    });
    expect(outcome).toMatchObject({ ok: false, problems: [{ path: 'components[1].name' }] });
  });

  describe('properties', () => {
    it('random valid topologies never throw and always give valid manifests', () => {
      fc.assert(
        fc.property(validTopologyInput, (input) => {
          const outcome = plan(input);
          if (!outcome.ok) {
            throw new Error(`valid input refused: ${JSON.stringify(outcome.problems)}\n${JSON.stringify(input)}`);
          }
          expect(validateManifests(outcome.plan.manifests)).toEqual([]);
          expect(outcome.plan.recommendations).toHaveLength((input.components as unknown[]).length);
          // The normalized topology (per-port exposure filled in, among the rest) re-plans the same.
          const replanned = plan(outcome.plan.topology);
          expect(replanned.ok && JSON.stringify(replanned.plan)).toBe(JSON.stringify(outcome.plan));
        }),
        { numRuns: 300 },
      );
    });

    // Plans are stored and answered as JSON text: with one character past ASCII in it, V8 builds
    // that text as a two-byte string and every step after (the database write, the HTTP answer)
    // takes a slower path, ~120 us more per plan (docs/performance.md). So the planner's own words
    // are ASCII ("x", not "\u00d7"); only what the user wrote may add others.
    it('adds no character past ASCII to what the user wrote', () => {
      const ascii = /^[\x00-\x7f]*$/;
      for (const [, input] of fixtures) {
        expect(JSON.stringify(planOrFail(input))).toMatch(ascii);
      }
      fc.assert(
        fc.property(validTopologyInput, (input) => {
          fc.pre(ascii.test(JSON.stringify(input)));
          const outcome = plan(input);
          expect(outcome.ok && JSON.stringify(outcome.plan)).toMatch(ascii);
        }),
        { numRuns: 200 },
      );
    });

    it('random invalid topologies give the expected problem, never an exception', () => {
      fc.assert(
        fc.property(invalidTopologyInput, ({ input, mutation }) => {
          const outcome = plan(input);
          expect(outcome.ok, mutation.describe).toBe(false);
          if (!outcome.ok) {
            expect(
              outcome.problems.map((p) => p.path),
              mutation.describe,
            ).toContain(mutation.path);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('arbitrary JSON never throws', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (input) => {
          const outcome = plan(input);
          expect(outcome.ok).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  });
});
