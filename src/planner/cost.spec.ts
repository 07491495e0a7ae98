import fc from 'fast-check';
import { planOf, publicFrontend } from './testing/topology-inputs.js';
import {
  estimateCost,
  formatMonthly,
  formatUsd,
  loadBalancerMonthly,
  loadBalancerSupport,
  priceLoadBalancers,
  roundCents,
  toCents,
} from './cost.js';
import { DEFAULT_PRICING, pricingForEnvironment, resolvePricing, type PricingTable } from './pricing.js';
import { plan } from './plan.js';
import { recommendAll } from './recommend.js';
import { buildComponent, buildTopology, httpPort, tcpPort } from './testing/builders.js';
import {
  CLOUD_PLATFORMS,
  EXPOSURES,
  PLATFORMS,
  ROLES,
  type Component,
  type CostBreakdown,
  type Environment,
  type Topology,
} from './types.js';
import { at } from './testing/items.js';

const pricing = resolvePricing();
const HOURS = DEFAULT_PRICING.hoursPerMonth;
const aws = DEFAULT_PRICING.providers.aws;

/** Priced as plan() prices it: the table, then the environment's zones. */
function costOf(topology: Topology, resolved: PricingTable = pricing): CostBreakdown {
  const table = pricingForEnvironment(resolved, topology.environment);
  const { recommendations, ingress } = recommendAll(topology, table);
  return estimateCost(topology, recommendations, ingress, table);
}

function publicTcp(name: string, ports = [tcpPort()]): Component {
  return buildComponent({ name, role: 'gateway', exposure: 'public', ports });
}

function publicHttp(name: string): Component {
  // A host each: host-less components asking for the same "/" never share an Ingress.
  return buildComponent({
    name,
    role: 'frontend',
    exposure: 'public',
    ports: [httpPort()],
    host: `${name}.example.com`,
  });
}

function sumOfItems(cost: CostBreakdown): number {
  return cost.items.reduce((total, item) => total + toCents(item.monthly), 0) / 100;
}

describe(estimateCost.name, () => {
  describe('AWS', () => {
    it('prices an internet-facing NLB: hours, one NLCU, and a public IPv4 address per zone (3 by default)', () => {
      const cost = costOf(buildTopology({ environment: { platform: 'aws' }, components: [publicTcp('mqtt')] }));
      expect(cost.items.map((item) => [item.component, item.resource, item.monthly])).toEqual([
        ['mqtt', 'load-balancer', roundCents(aws.loadBalancerHourly * HOURS)],
        ['mqtt', 'capacity-units', roundCents(aws.capacityUnitHourly * aws.assumedCapacityUnits * HOURS)],
        ['mqtt', 'public-ipv4', roundCents(aws.publicIpv4Hourly * aws.publicIpsPerLoadBalancer * HOURS)],
      ]);
      expect(at(cost.items, 2).basis).toMatch(
        /^3 public IPv4 addresses \(one per Availability Zone, 3 zones assumed: environment.zones is not given and EKS clusters usually span 3\)/,
      );
      expect(at(cost.items, 0).basis).toContain(`$${aws.loadBalancerHourly}/h x ${HOURS} h`);
      expect(cost.monthlyTotal).toBe(sumOfItems(cost));
    });

    it('holds one public IPv4 address per zone the topology names (environment.zones)', () => {
      const cost = costOf(
        buildTopology({ environment: { platform: 'aws', zones: 2 }, components: [publicTcp('mqtt')] }),
      );
      expect(cost.items[2]).toMatchObject({
        resource: 'public-ipv4',
        monthly: roundCents(aws.publicIpv4Hourly * 2 * HOURS),
        basis: expect.stringMatching(
          /^2 public IPv4 addresses \(one per Availability Zone, 2 zones \(environment.zones\)\)/,
        ),
      });
      const oneZone = costOf(
        buildTopology({ environment: { platform: 'aws', zones: 1 }, components: [publicTcp('mqtt')] }),
      );
      expect(at(oneZone.items, 2).monthly).toBe(roundCents(aws.publicIpv4Hourly * HOURS));
    });

    it('an internal NLB holds no public address', () => {
      const partner = buildComponent({ name: 'partner', exposure: 'private', allowedSources: ['10.0.0.0/8'] });
      const cost = costOf(buildTopology({ environment: { platform: 'aws' }, components: [partner] }));
      expect(cost.items.map((item) => item.resource)).toEqual(['load-balancer', 'capacity-units']);
      expect(cost.monthlyTotal).toBe(
        roundCents(aws.loadBalancerHourly * HOURS) +
          roundCents(aws.capacityUnitHourly * aws.assumedCapacityUnits * HOURS),
      );
    });

    it('prices the ALB of an alb Ingress once, at the L7 rates, with no component', () => {
      const cost = costOf(
        buildTopology({ environment: { platform: 'aws' }, components: [publicHttp('web'), publicHttp('api')] }),
      );
      expect(cost.items.every((item) => item.component === undefined)).toBe(true);
      expect(cost.items.every((item) => !('component' in item))).toBe(true);
      expect(cost.items.map((item) => [item.resource, item.monthly])).toEqual([
        ['ingress-controller', roundCents((aws.l7LoadBalancerHourly ?? NaN) * HOURS)],
        ['capacity-units', roundCents((aws.l7CapacityUnitHourly ?? NaN) * (aws.l7AssumedCapacityUnits ?? NaN) * HOURS)],
        ['public-ipv4', roundCents(aws.publicIpv4Hourly * aws.publicIpsPerLoadBalancer * HOURS)],
      ]);
      expect(at(cost.items, 0).description).toContain(aws.l7Product);
    });

    it('a named L4 controller (traefik) on AWS is priced as an NLB', () => {
      const cost = costOf(
        buildTopology({
          environment: { platform: 'aws', ingressController: 'traefik' },
          components: [publicHttp('web')],
        }),
      );
      expect(cost.items[0]).toMatchObject({
        resource: 'ingress-controller',
        monthly: roundCents(aws.loadBalancerHourly * HOURS),
      });
      expect(at(cost.items, 1).description).toContain(aws.capacityUnitName);
    });
  });

  describe("GCP forwarding rules: per scope (global, the cluster's region) a minimum charge for up to 5, $0.01/h each beyond", () => {
    const gcp = DEFAULT_PRICING.providers.gcp;
    const minimum = roundCents(gcp.loadBalancerHourly * HOURS);
    const extra = roundCents(gcp.extraRuleHourly * HOURS);

    it.each([
      [1, minimum],
      [2, minimum],
      [5, minimum],
      [6, minimum + extra],
      [7, minimum + 2 * extra],
    ])('%i regional rules cost %d: the first carries the minimum, the rest to 5 are covered by it', (count, total) => {
      const components = Array.from({ length: count }, (_, index) => publicTcp(`gw-${index}`));
      const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components }));
      const expected = Array.from({ length: count }, (_, index) =>
        index === 0 ? minimum : index < gcp.includedRules ? 0 : extra,
      );
      expect(cost.items.map((item) => item.monthly)).toEqual(expected);
      expect(cost.items.every((item) => item.resource === 'forwarding-rules')).toBe(true);
      expect(cost.monthlyTotal).toBe(roundCents(total));
      expect(cost.monthlyTotal).toBe(sumOfItems(cost));
      expect(at(cost.items, 0).basis).toContain(
        `Regional forwarding rule 1 of ${count} in this plan (one per load balancer; counted from this plan alone`,
      );
      expect(at(cost.items, 0).basis).toContain('it carries the minimum charge of the regional forwarding rules');
      for (const [index, item] of cost.items.entries()) {
        if (index > 0 && index < gcp.includedRules) {
          expect(item.basis).toContain('$0.00: covered by the minimum charge of this scope');
        }
        if (index >= gcp.includedRules) {
          expect(item.basis).toContain(`beyond the first ${gcp.includedRules} of this scope`);
        }
      }
    });

    it("two public TCP Services cost one minimum charge, not two (the reviewer's repro)", () => {
      const planned = planOf({
        name: 'shop',
        namespace: 'shop',
        environment: { platform: 'gcp' },
        components: [
          { name: 'mqtt', role: 'other', ports: [{ port: 1883 }], exposure: 'public' },
          { name: 'game', role: 'other', ports: [{ port: 7777 }], exposure: 'public' },
        ],
      });
      expect(planned.cost.monthlyTotal).toBe(18.25);
    });

    it('the global rules of a GKE Ingress and the regional rules of the Services each pay their own minimum', () => {
      const components = [
        buildComponent({
          name: 'web',
          role: 'frontend',
          exposure: 'public',
          ports: [httpPort()],
          host: 'shop.example.com',
          tls: true,
        }),
        publicHttp('api'),
        ...Array.from({ length: 7 }, (_, i) => publicTcp(`gw-${i}`)),
      ];
      const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components }));
      // 7 regional rules: the minimum and 2 beyond it; 2 global (HTTP, HTTPS): the minimum alone.
      expect(cost.monthlyTotal).toBe(roundCents(2 * minimum + 2 * extra));
      expect(cost.items.slice(7).map((item) => [item.resource, item.monthly])).toEqual([
        ['ingress-controller', minimum],
        ['ingress-controller', 0],
      ]);
      expect(at(cost.items, 7).basis).toMatch(/^Global forwarding rule 1 of 2 in this plan/);
      expect(at(cost.items, 8).basis).toContain(
        'covered by the minimum charge of this scope (the global forwarding rules)',
      );
    });

    it('reads the scope from what makes the rules: gce and global Gateways global, the rest regional', () => {
      const twoOf = (use: Omit<Parameters<typeof priceLoadBalancers>[1][number], 'scheme' | 'layer' | 'ports'>) =>
        priceLoadBalancers(
          'gcp',
          [
            { component: 'mqtt', scheme: 'internet-facing', layer: 'L4', ports: 1 },
            { ...use, scheme: 'internet-facing', layer: 'L7', ports: 2 },
          ],
          pricing,
        ).reduce((total, item) => total + toCents(item.monthly), 0) / 100;
      expect(twoOf({ ingressClass: 'gce' })).toBe(roundCents(2 * minimum));
      expect(twoOf({ gatewayClass: 'gke-l7-global-external-managed' })).toBe(roundCents(2 * minimum));
      expect(twoOf({ ingressClass: 'gce-internal' })).toBe(minimum);
      expect(twoOf({ ingressClass: 'traefik' })).toBe(minimum);
      expect(twoOf({ gatewayClass: 'gke-l7-regional-external-managed' })).toBe(minimum);
      expect(twoOf({ gatewayClass: 'gke-l7-rilb' })).toBe(minimum);
    });

    it('for random GKE plans, the total is what Google bills for the rules the manifests make, per scope', () => {
      // Counted from the rendered objects, not from the planner's own uses: a LoadBalancer Service is
      // regional (2 rules when it mixes TCP and UDP), a gce Ingress global (2 with a tls entry).
      const draft = fc.record({
        exposure: fc.constantFrom('public', 'private', 'internal'),
        http: fc.boolean(),
        tls: fc.boolean(),
        udp: fc.boolean(),
      });
      fc.assert(
        fc.property(fc.array(draft, { minLength: 1, maxLength: 10 }), (drafts) => {
          const components = drafts.map((entry, index) => ({
            name: `c-${index}`,
            role: entry.http ? 'frontend' : 'other',
            exposure: entry.exposure,
            ...(entry.exposure === 'private' ? { allowedSources: ['10.0.0.0/8'] } : {}),
            ...(entry.http ? { host: `c-${index}.example.com`, ...(entry.tls ? { tls: true } : {}) } : {}),
            ports: entry.http
              ? [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }]
              : [{ name: 'tcp', port: 9000 }, ...(entry.udp ? [{ name: 'udp', port: 9001, protocol: 'UDP' }] : [])],
          }));
          const planned = planOf({ name: 'shop', environment: { platform: 'gcp' }, components });
          const rules = { global: 0, regional: 0 };
          for (const object of planned.manifests) {
            const spec = object.spec as
              | { type?: string; ports?: { protocol?: string }[]; tls?: unknown[]; ingressClassName?: string }
              | undefined;
            if (object.kind === 'Service' && spec?.type === 'LoadBalancer') {
              const protocols = new Set((spec.ports ?? []).map((port) => port.protocol ?? 'TCP'));
              rules.regional += protocols.size > 1 ? 2 : 1;
            }
            if (object.kind === 'Ingress') {
              const className = object.metadata.annotations?.['kubernetes.io/ingress.class'] ?? spec?.ingressClassName;
              const count = className === 'gce' ? 1 + ((spec?.tls ?? []).length > 0 ? 1 : 0) : 1;
              rules[className === 'gce' ? 'global' : 'regional'] += count;
            }
          }
          const billed = (count: number) =>
            count === 0
              ? 0
              : toCents(gcp.loadBalancerHourly * HOURS) +
                Math.max(0, count - gcp.includedRules) * toCents(gcp.extraRuleHourly * HOURS);
          expect(toCents(planned.cost.monthlyTotal)).toBe(billed(rules.global) + billed(rules.regional));
          for (const saving of planned.cost.savings) {
            expect(saving.monthly).toBeGreaterThan(0);
          }
        }),
        { numRuns: 150 },
      );
    });

    it('an override of loadBalancerHourly sets the minimum of each scope, includedRules how many it covers', () => {
      const table = resolvePricing({ providers: { gcp: { loadBalancerHourly: 0.03, includedRules: 1 } } });
      const cost = costOf(
        buildTopology({ environment: { platform: 'gcp' }, components: [publicTcp('a'), publicTcp('b')] }),
        table,
      );
      expect(cost.items.map((item) => item.monthly)).toEqual([roundCents(0.03 * HOURS), extra]);
      expect(at(cost.items, 1).basis).toContain('beyond the first 1 of this scope');
    });
  });

  describe('GKE mixed-protocol LoadBalancer: TCP and UDP on one Service are two forwarding rules', () => {
    const gcp = DEFAULT_PRICING.providers.gcp;
    const dns = () =>
      publicTcp('dns', [
        tcpPort({ name: 'dns-tcp', port: 53 }),
        tcpPort({ name: 'dns-udp', port: 53, protocol: 'UDP' }),
      ]);

    it('lists a TCP and a UDP forwarding rule, the second covered by the minimum, and says it needs GKE 1.34.1+ on a new cluster', () => {
      const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components: [dns()] }));
      expect(cost.items.map((item) => [item.component, item.resource, item.monthly])).toEqual([
        ['dns', 'forwarding-rules', roundCents(gcp.loadBalancerHourly * HOURS)],
        ['dns', 'forwarding-rules', 0],
      ]);
      expect(cost.items.map((item) => item.description)).toEqual([
        expect.stringContaining('TCP for dns'),
        expect.stringContaining('UDP for dns'),
      ]);
      expect(at(cost.items, 0).basis).toContain('2 for this one: a TCP and a UDP forwarding rule sharing one address');
      expect(at(cost.items, 0).basis).toContain('a cluster created at GKE 1.34.1-gke.2190000 or later');
    });

    it('says an internal one needs GKE 1.36.2 with subsetting', () => {
      const internal = buildComponent({
        name: 'dns',
        exposure: 'private',
        allowedSources: ['10.0.0.0/8'],
        ports: [tcpPort({ name: 'dns-tcp', port: 53 }), tcpPort({ name: 'dns-udp', port: 53, protocol: 'UDP' })],
      });
      const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components: [internal] }));
      expect(cost.items).toHaveLength(2);
      expect(at(cost.items, 0).basis).toContain(
        'an internal one needs GKE 1.36.2-gke.1498000 or later with GKE subsetting',
      );
    });

    it('the rationale quotes the same two-rule price as the cost', () => {
      const topology = buildTopology({ environment: { platform: 'gcp' }, components: [dns()] });
      const cost = costOf(topology);
      const { recommendations } = recommendAll(topology, pricing);
      expect(at(recommendations, 0).serviceType).toBe('LoadBalancer');
      expect(at(recommendations, 0).rationale.join(' ')).toContain(formatUsd(cost.monthlyTotal));
    });

    it('one protocol is one forwarding rule', () => {
      const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components: [publicTcp('mqtt')] }));
      expect(cost.items).toHaveLength(1);
    });
  });

  describe('GKE Ingress: one forwarding rule for HTTP, a second for HTTPS when it serves TLS', () => {
    const gcp = DEFAULT_PRICING.providers.gcp;
    const withTls = (name: string, host: string) =>
      buildComponent({ name, role: 'frontend', exposure: 'public', ports: [httpPort()], host, tls: true });

    it('prices one rule without TLS', () => {
      const cost = costOf(
        buildTopology({ environment: { platform: 'gcp' }, components: [publicHttp('web'), publicHttp('api')] }),
      );
      expect(cost.items.map((item) => [item.resource, item.monthly])).toEqual([
        ['ingress-controller', roundCents(gcp.loadBalancerHourly * HOURS)],
      ]);
    });

    it('lists two rules (HTTP and HTTPS) when a routed component sets tls, both under one global minimum', () => {
      const components = [withTls('web', 'shop.example.com'), publicHttp('api')];
      const topology = buildTopology({ environment: { platform: 'gcp' }, components });
      const cost = costOf(topology);
      expect(cost.items.map((item) => [item.resource, item.monthly])).toEqual([
        ['ingress-controller', roundCents(gcp.loadBalancerHourly * HOURS)],
        ['ingress-controller', 0],
      ]);
      expect(at(cost.items, 0).description).toContain('HTTP');
      expect(at(cost.items, 1).description).toContain('HTTPS');
      expect(cost.monthlyTotal).toBe(roundCents(gcp.loadBalancerHourly * HOURS));
      // The rationale quotes the same figure as the breakdown.
      const { recommendations, ingress } = recommendAll(topology, pricing);
      expect(at(recommendations, 0).rationale.join(' ')).toContain(`(${formatUsd(cost.monthlyTotal)}/mo)`);
      expect(ingress?.install).toContain(`${formatUsd(cost.monthlyTotal)}/mo`);
    });

    it('counts its rules in the global scope, apart from the regional rules of the Services', () => {
      const components = [
        withTls('web', 'shop.example.com'),
        publicHttp('api'),
        ...Array.from({ length: 4 }, (_, i) => publicTcp(`gw-${i}`)),
      ];
      const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components }));
      expect(cost.items.slice(4).map((item) => [item.resource, item.monthly])).toEqual([
        ['ingress-controller', roundCents(gcp.loadBalancerHourly * HOURS)],
        ['ingress-controller', 0],
      ]);
      expect(at(cost.items, 3).basis).toContain('Regional forwarding rule 4 of 4');
      expect(at(cost.items, 5).basis).toContain('Global forwarding rule 2 of 2');
      expect(cost.monthlyTotal).toBe(roundCents(2 * gcp.loadBalancerHourly * HOURS));
    });

    it('prices the Ingress alternative of a lone public HTTP component by its own tls', () => {
      const alone = (component: Component) =>
        at(
          recommendAll(buildTopology({ environment: { platform: 'gcp' }, components: [component] }), pricing)
            .recommendations,
          0,
        ).alternatives.find((alternative) => alternative.entryPoint === 'ingress')?.monthlyCost;
      expect(alone(publicHttp('web'))).toBe(roundCents(gcp.loadBalancerHourly * HOURS));
      // With tls: true the lone component is routed through the Ingress itself (no L4 TLS listener), priced so.
      const tlsAlone = buildTopology({
        environment: { platform: 'gcp' },
        components: [withTls('web', 'shop.example.com')],
      });
      expect(costOf(tlsAlone).monthlyTotal).toBe(roundCents(gcp.loadBalancerHourly * HOURS));
    });
  });

  describe('Azure: one shared Standard Load Balancer per scheme', () => {
    const azure = DEFAULT_PRICING.providers.azure;

    it('adds rules to the public load balancer the cluster already has (no second base fee), and charges the internal one', () => {
      const components = [
        publicTcp('a'),
        publicTcp('b', [tcpPort(), tcpPort({ name: 'tcp-2', port: 2000 }), tcpPort({ name: 'tcp-3', port: 3000 })]),
        publicTcp('c', [tcpPort(), tcpPort({ name: 'tcp-2', port: 2000 })]),
        buildComponent({ name: 'partner', exposure: 'private', allowedSources: ['10.0.0.0/8'] }),
      ];
      const cost = costOf(buildTopology({ environment: { platform: 'azure' }, components }));
      const ip = roundCents(azure.publicIpv4Hourly * azure.publicIpsPerLoadBalancer * HOURS);
      const publicRules = 1 + 3 + 2;
      // AKS's outbound rule takes one of the five included rules: 6 + 1 - 5 = 2 are billed.
      const billedRules = publicRules + (azure.existingRules ?? NaN) - azure.includedRules;
      expect(billedRules).toBe(2);
      expect(cost.items.map((item) => [item.component, item.resource, item.monthly])).toEqual([
        [undefined, 'forwarding-rules', roundCents(billedRules * azure.extraRuleHourly * HOURS)],
        ['a', 'public-ipv4', ip],
        ['b', 'public-ipv4', ip],
        ['c', 'public-ipv4', ip],
        [undefined, 'load-balancer', roundCents(azure.loadBalancerHourly * HOURS)],
      ]);
      expect(at(cost.items, 0).description).toContain('existing public load balancer "kubernetes"');
      expect(at(cost.items, 0).basis).toMatch(
        /^No second base fee: the cluster already sends its outbound traffic through this load balancer/,
      );
      expect(at(cost.items, 0).basis).toContain(`${publicRules} rules from this plan`);
      expect(at(cost.items, 0).basis).toContain('+ 1 outbound rule AKS made = 7');
      expect(at(cost.items, 0).basis).toMatch(
        /outboundType userDefinedRouting or a NAT gateway.*\$18\.25\/mo base fee/,
      );
      expect(at(cost.items, 4).description).toContain('kubernetes-internal');
      expect(cost.monthlyTotal).toBe(sumOfItems(cost));
    });

    it('says why one public Service costs only its address: the rules item stays at $0.00', () => {
      const cost = costOf(buildTopology({ environment: { platform: 'azure' }, components: [publicTcp('mqtt')] }));
      expect(cost.items.map((item) => [item.component, item.resource, item.monthly])).toEqual([
        [undefined, 'forwarding-rules', 0],
        ['mqtt', 'public-ipv4', roundCents(azure.publicIpv4Hourly * HOURS)],
      ]);
      expect(at(cost.items, 0).basis).toContain('No second base fee');
    });

    it('prices the base fee when an override says the cluster has no public load balancer yet', () => {
      const overridden = resolvePricing({ providers: { azure: { publicLoadBalancerExists: false } } });
      const cost = costOf(
        buildTopology({ environment: { platform: 'azure' }, components: [publicTcp('mqtt')] }),
        overridden,
      );
      expect(cost.items.map((item) => [item.resource, item.monthly])).toEqual([
        ['load-balancer', roundCents(azure.loadBalancerHourly * HOURS)],
        ['public-ipv4', roundCents(azure.publicIpv4Hourly * HOURS)],
      ]);
    });

    it('the ingress controller adds its rules and public IP to the existing load balancer', () => {
      const cost = costOf(
        buildTopology({ environment: { platform: 'azure' }, components: [publicHttp('web'), publicHttp('api')] }),
      );
      expect(cost.items.map((item) => [item.resource, item.monthly])).toEqual([
        ['forwarding-rules', 0],
        ['ingress-controller', roundCents(azure.publicIpv4Hourly * HOURS)],
      ]);
    });
  });

  it('DigitalOcean: a flat fee per load-balancer node', () => {
    const digitalocean = DEFAULT_PRICING.providers.digitalocean;
    const cost = costOf(buildTopology({ environment: { platform: 'digitalocean' }, components: [publicTcp('mqtt')] }));
    expect(cost.items).toEqual([
      expect.objectContaining({
        component: 'mqtt',
        resource: 'load-balancer',
        monthly: digitalocean.nodeMonthly * digitalocean.assumedNodes,
        basis: expect.stringContaining('per node per month'),
      }),
    ]);
  });

  it('other-cloud: priced from the generic assumption, and the plan says so', () => {
    const cost = costOf(buildTopology({ environment: { platform: 'other-cloud' }, components: [publicTcp('mqtt')] }));
    const generic = DEFAULT_PRICING.providers['other-cloud'];
    expect(cost.monthlyTotal).toBe(
      roundCents(generic.loadBalancerHourly * HOURS) +
        roundCents(generic.publicIpv4Hourly * generic.publicIpsPerLoadBalancer * HOURS),
    );
    expect(cost.pricing.source).toContain('ASSUMPTION');
  });

  it('other-cloud: an internal-intended load balancer is priced as internet-facing (no annotation can make it internal)', () => {
    const partner = buildComponent({ name: 'partner', exposure: 'private', allowedSources: ['10.0.0.0/8'] });
    const topology = buildTopology({ environment: { platform: 'other-cloud' }, components: [partner] });
    const cost = costOf(topology);
    const generic = DEFAULT_PRICING.providers['other-cloud'];
    expect(cost.items.map((item) => item.resource)).toEqual(['load-balancer', 'public-ipv4']);
    expect(cost.monthlyTotal).toBe(loadBalancerMonthly('other-cloud', 'internet-facing', 'L4', pricing));
    expect(cost.monthlyTotal).toBe(
      roundCents(generic.loadBalancerHourly * HOURS) +
        roundCents(generic.publicIpv4Hourly * generic.publicIpsPerLoadBalancer * HOURS),
    );
    // The rationale quotes the same figure.
    const { recommendations } = recommendAll(topology, pricing);
    expect(recommendations[0]).toMatchObject({ serviceType: 'LoadBalancer', scheme: 'internal' });
    expect(at(recommendations, 0).rationale.join(' ')).toContain(formatUsd(cost.monthlyTotal));
  });

  describe('free platforms give no items at all', () => {
    const FREE: Partial<Environment>[] = [
      { platform: 'bare-metal', loadBalancerProvider: 'metallb', ingressController: 'traefik' },
      { platform: 'bare-metal', loadBalancerProvider: 'kube-vip' },
      { platform: 'bare-metal' },
      { platform: 'kind', ingressController: 'traefik' },
      { platform: 'minikube' },
      { platform: 'k3s' },
      { platform: 'k3s', loadBalancerProvider: 'none' },
    ];

    it.each(FREE)('%o', (environment) => {
      const components = [
        publicHttp('web'),
        publicHttp('api'),
        publicTcp('mqtt'),
        buildComponent({ name: 'p', exposure: 'private' }),
      ];
      const cost = costOf(buildTopology({ environment, components }));
      expect(cost).toMatchObject({ currency: 'USD', monthlyTotal: 0, items: [], savings: [] });
    });

    it('unless an override prices them (e.g. a hardware appliance in front of MetalLB)', () => {
      const table = resolvePricing({ providers: { 'bare-metal': { loadBalancerHourly: 0.05 } } });
      const cost = costOf(
        buildTopology({
          environment: { platform: 'bare-metal', loadBalancerProvider: 'metallb' },
          components: [publicTcp('mqtt')],
        }),
        table,
      );
      expect(cost.items).toEqual([expect.objectContaining({ component: 'mqtt', monthly: roundCents(0.05 * HOURS) })]);
    });

    it('a LoadBalancer nobody provisions (<pending>) is never billed', () => {
      const topology = buildTopology({ environment: { platform: 'kind' }, components: [publicTcp('mqtt')] });
      const pending = [
        {
          component: 'mqtt',
          serviceType: 'LoadBalancer' as const,
          headless: false,
          entryPoint: 'load-balancer' as const,
          scheme: 'internet-facing' as const,
          rationale: [],
          alternatives: [],
          internalService: null,
        },
      ];
      const table = resolvePricing({ providers: { kind: { loadBalancerHourly: 1 } } });
      expect(estimateCost(topology, pending, null, table).items).toEqual([]);
    });
  });

  describe('savings', () => {
    const gcpPrices = DEFAULT_PRICING.providers.gcp;

    it.each(CLOUD_PLATFORMS.filter((platform) => platform !== 'gcp'))(
      '%s: three public HTTP components behind one Ingress instead of three LoadBalancers',
      (platform) => {
        const topology = buildTopology({ environment: { platform }, components: ['a', 'b', 'c'].map(publicHttp) });
        const cost = costOf(topology);
        // What the same three would cost as LoadBalancer Services, priced by the same formula.
        const separately = priceLoadBalancers(
          platform,
          ['a', 'b', 'c'].map((component) => ({
            component,
            scheme: 'internet-facing' as const,
            layer: 'L4' as const,
            ports: 1,
          })),
          pricing,
        ).reduce((total, item) => total + toCents(item.monthly), 0);
        const saved = (separately - toCents(cost.monthlyTotal)) / 100;
        expect(saved).toBeGreaterThan(0);
        expect(cost.savings).toEqual([
          {
            description: expect.stringContaining(
              '3 public HTTP components (a, b, c) behind one Ingress instead of 3 LoadBalancers',
            ),
            monthly: saved,
          },
        ]);
        expect(at(cost.savings, 0).description).toContain(`saves ${formatUsd(saved)}/mo`);
        expect(at(cost.savings, 0).description).toContain(`instead of ${formatUsd(separately / 100)}/mo`);
      },
    );

    it('gcp: none for up to five public HTTP components, whose own rules would share one regional minimum', () => {
      for (const count of [1, 2, 5]) {
        const components = Array.from({ length: count }, (_, i) => publicHttp(`web-${i}`));
        const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components }));
        expect(cost.monthlyTotal).toBe(roundCents(gcpPrices.loadBalancerHourly * HOURS));
        expect(cost.savings).toEqual([]);
      }
    });

    it('gcp: from six on, what the rules beyond the regional minimum would add', () => {
      const names = Array.from({ length: 7 }, (_, i) => `web-${i}`);
      const cost = costOf(buildTopology({ environment: { platform: 'gcp' }, components: names.map(publicHttp) }));
      const saved = roundCents(2 * gcpPrices.extraRuleHourly * HOURS);
      expect(cost.savings).toEqual([
        {
          description: expect.stringContaining(
            `the plan costs ${formatUsd(cost.monthlyTotal)}/mo instead of ${formatUsd(cost.monthlyTotal + saved)}/mo, saves ${formatUsd(saved)}/mo`,
          ),
          monthly: saved,
        },
      ]);
    });

    it('names the Gateway, not an Ingress, when the plan routes through Gateway API', () => {
      const outcome = plan({
        name: 'shop',
        environment: { platform: 'aws', routing: 'gateway-api' },
        components: [
          publicFrontend('web', { host: 'a.example.com' }),
          publicFrontend('api', { role: 'api', host: 'b.example.com' }),
        ],
      });
      const description = outcome.ok ? outcome.plan.cost.savings[0]?.description : undefined;
      expect(description).toContain('behind one Gateway (default/shop, class aws-alb-gateway-class) instead of');
      expect(description).not.toContain('Ingress');
    });

    it('none when one component sits behind a controller that costs what its own LoadBalancer would', () => {
      const cost = costOf(
        buildTopology({
          environment: { platform: 'aws', ingressController: 'nginx' },
          components: [publicHttp('web')],
        }),
      );
      expect(cost.savings).toEqual([]);
      expect(cost.monthlyTotal).toBe(roundCents(loadBalancerMonthly('aws', 'internet-facing', 'L4', pricing, 2)));
    });

    it('none without an Ingress', () => {
      expect(
        costOf(buildTopology({ environment: { platform: 'aws' }, components: [publicHttp('web')] })).savings,
      ).toEqual([]);
    });
  });

  describe('overrides', () => {
    it('change the figures, per field, the rest staying from the table', () => {
      const table = resolvePricing({ providers: { aws: { loadBalancerHourly: 0.05 } } });
      const cost = costOf(buildTopology({ environment: { platform: 'aws' }, components: [publicTcp('mqtt')] }), table);
      expect(cost.items.map((item) => item.monthly)).toEqual([
        roundCents(0.05 * HOURS),
        roundCents(aws.capacityUnitHourly * aws.assumedCapacityUnits * HOURS),
        roundCents(aws.publicIpv4Hourly * aws.publicIpsPerLoadBalancer * HOURS),
      ]);
      expect(cost.pricing.source).toContain('overridden: loadBalancerHourly');
    });

    it('carry their source and date into the plan', () => {
      const table = resolvePricing({
        source: 'our negotiated rates',
        asOf: '2026-10-01',
        providers: { aws: { publicIpv4Hourly: 0 } },
      });
      const cost = costOf(buildTopology({ environment: { platform: 'aws' }, components: [publicTcp('mqtt')] }), table);
      expect(cost.pricing).toEqual({ source: expect.stringContaining('our negotiated rates'), asOf: '2026-10-01' });
      expect(cost.items.map((item) => item.resource)).not.toContain('public-ipv4');
    });
  });

  describe('rounding: items rounded to cents once, the total is their exact sum', () => {
    it('rounds half up, even when the float sits just below the half', () => {
      expect(1.005 * 100).toBeLessThan(100.5);
      expect(toCents(1.005)).toBe(101);
      expect(toCents(0.0225 * 730)).toBe(1643);
      expect(roundCents(16.425)).toBe(16.43);
      expect(formatUsd(16.425)).toBe('$16.43');
      expect(formatMonthly(16.425)).toBe('+$16.43/mo');
      expect(formatMonthly(0)).toBe('$0.00/mo');
    });

    it('holds for random topologies on every platform, with random prices', () => {
      const component = fc.record({
        role: fc.constantFrom(...ROLES),
        exposure: fc.constantFrom(...EXPOSURES),
        http: fc.boolean(),
        ports: fc.integer({ min: 1, max: 7 }),
      });
      fc.assert(
        fc.property(
          fc.constantFrom(...PLATFORMS),
          fc.option(fc.constantFrom('traefik', 'nginx'), { nil: undefined }),
          fc.array(component, { minLength: 1, maxLength: 12 }),
          fc.double({ min: 0, max: 2, noNaN: true }),
          fc.double({ min: 0, max: 0.1, noNaN: true }),
          (platform, ingressController, drafts, lbHourly, ipHourly) => {
            const components = drafts.map((draft, index) =>
              buildComponent({
                name: `c-${index}`,
                role: draft.role,
                exposure: draft.exposure,
                ports: Array.from({ length: draft.ports }, (_, p) =>
                  draft.http
                    ? httpPort({ name: `http-${p}`, port: 8000 + p })
                    : tcpPort({ name: `tcp-${p}`, port: 9000 + p }),
                ),
              }),
            );
            const table = resolvePricing({
              providers: { [platform]: { loadBalancerHourly: lbHourly, publicIpv4Hourly: ipHourly } },
            });
            const cost = costOf(buildTopology({ environment: { platform, ingressController }, components }), table);
            for (const item of cost.items) {
              expect(toCents(item.monthly) / 100).toBe(item.monthly);
              expect(item.monthly).toBeGreaterThanOrEqual(0);
              expect(item.basis).toMatch(/\.$/);
            }
            expect(cost.monthlyTotal).toBe(sumOfItems(cost));
            for (const saving of cost.savings) {
              expect(saving.monthly).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  it('is deterministic', () => {
    const topology = buildTopology({
      environment: { platform: 'azure' },
      components: [publicHttp('web'), publicHttp('api'), publicTcp('mqtt')],
    });
    expect(costOf(structuredClone(topology))).toEqual(costOf(topology));
    expect(JSON.stringify(costOf(structuredClone(topology)))).toBe(JSON.stringify(costOf(topology)));
  });
});

describe(loadBalancerMonthly.name, () => {
  it.each(CLOUD_PLATFORMS)('%s: the total of the items one load balancer gives', (platform) => {
    for (const scheme of ['internet-facing', 'internal'] as const) {
      const items = priceLoadBalancers(platform, [{ component: 'x', scheme, layer: 'L4', ports: 1 }], pricing);
      // Summed in whole cents, as the plan's total is, so quoted figures and the breakdown agree.
      expect(loadBalancerMonthly(platform, scheme, 'L4', pricing)).toBe(
        items.reduce((cents, item) => cents + Math.round(item.monthly * 100), 0) / 100,
      );
      expect(loadBalancerMonthly(platform, scheme, 'L4', pricing)).toBeGreaterThan(0);
    }
  });

  it('an internal load balancer never costs more than an internet-facing one, except beside an existing public one (AKS)', () => {
    // AKS's public load balancer exists for outbound traffic; the internal one is created and billed for the plan.
    expect(loadBalancerMonthly('azure', 'internal', 'L4', pricing)).toBeGreaterThan(
      loadBalancerMonthly('azure', 'internet-facing', 'L4', pricing),
    );
    for (const platform of PLATFORMS.filter((candidate) => candidate !== 'azure')) {
      expect(loadBalancerMonthly(platform, 'internal', 'L4', pricing)).toBeLessThanOrEqual(
        loadBalancerMonthly(platform, 'internet-facing', 'L4', pricing),
      );
    }
  });
});

describe(loadBalancerSupport.name, () => {
  it.each([
    [{ platform: 'aws' }, 'cloud'],
    [{ platform: 'other-cloud' }, 'cloud'],
    [{ platform: 'bare-metal', loadBalancerProvider: 'metallb' }, 'pool'],
    [{ platform: 'bare-metal', loadBalancerProvider: 'kube-vip' }, 'pool'],
    [{ platform: 'bare-metal', loadBalancerProvider: 'none' }, 'none'],
    [{ platform: 'bare-metal' }, 'none'],
    [{ platform: 'k3s' }, 'pool'],
    [{ platform: 'k3s', loadBalancerProvider: 'servicelb' }, 'pool'],
    [{ platform: 'k3s', loadBalancerProvider: 'none' }, 'none'],
    [{ platform: 'kind', loadBalancerProvider: 'metallb' }, 'pool'],
    [{ platform: 'kind', loadBalancerProvider: 'kube-vip' }, 'pool'],
    [{ platform: 'minikube', loadBalancerProvider: 'metallb' }, 'pool'],
    [{ platform: 'minikube', loadBalancerProvider: 'kube-vip' }, 'pool'],
    [{ platform: 'kind', loadBalancerProvider: 'servicelb' }, 'none'],
    [{ platform: 'kind', loadBalancerProvider: 'none' }, 'none'],
    [{ platform: 'kind' }, 'none'],
    [{ platform: 'minikube' }, 'none'],
  ] as const)('%o → %s', (environment, expected) => {
    expect(loadBalancerSupport({ stage: 'production', ...environment })).toBe(expected);
  });
});

describe('per-port exposure in the price', () => {
  // AKS charges per load-balancing rule beyond the first 5, one rule per Service port: a game
  // server with five metrics/cluster ports would pay for a sixth rule if they were published.
  const ports = [
    { name: 'game', port: 7777, protocol: 'UDP' },
    { name: 'metrics', port: 9090 },
    { name: 'gossip', port: 7946 },
    { name: 'admin', port: 8081 },
    { name: 'debug', port: 6060 },
    { name: 'health', port: 8086 },
  ];
  const planned = (exposure?: 'inherit') => {
    const planned = planOf({
      name: 'arena',
      environment: { platform: 'azure' },
      components: [
        {
          name: 'match',
          role: 'other',
          exposure: 'public',
          ports: ports.map((port, index) => (index === 0 || exposure === undefined ? port : { ...port, exposure })),
        },
      ],
    });
    return planned.cost;
  };

  it('prices a load balancer on its published ports only', () => {
    const extraRules = (cost: ReturnType<typeof planned>) =>
      cost.items.filter((item) => item.resource === 'forwarding-rules').reduce((sum, item) => sum + item.monthly, 0);
    expect(extraRules(planned())).toBe(0);
    expect(extraRules(planned('inherit'))).toBeGreaterThan(0);
    expect(planned().monthlyTotal).toBeLessThan(planned('inherit').monthlyTotal);
  });
});

describe('prices in the plan', () => {
  const input = (environment: Record<string, unknown>) => ({
    name: 'shop',
    environment,
    components: [
      { name: 'web', role: 'frontend', exposure: 'public', ports: [{ port: 80 }] },
      { name: 'mqtt', role: 'gateway', exposure: 'public', ports: [{ port: 1883 }] },
    ],
  });

  it.each(PLATFORMS)('%s: every source is a public page with the date it was read', (platform) => {
    const planned = planOf(input({ platform }));
    const { source } = planned.cost.pricing;
    expect(source).toMatch(/https:\/\/\S+ \((read|transcribed) \d{4}-\d{2}-\d{2}/);
    expect(JSON.stringify(planned)).not.toMatch(/research\/|anchors\.md|\.md\b|DESIGN\.md|STYLE\.md|\.\.\/shared/);
  });

  it('environment.zones stays absent when not given, and the stored topology re-plans to the same plan', () => {
    for (const environment of [{ platform: 'aws' }, { platform: 'aws', zones: 2 }]) {
      const first = plan(input(environment));
      if (!first.ok) {
        throw new Error(JSON.stringify(first.problems));
      }
      expect(first.plan.topology.environment.zones).toBe(environment.zones);
      expect(plan(first.plan.topology)).toEqual(first);
    }
  });

  it('rejects zones that are not a whole number from 1 to 32, with the path', () => {
    for (const zones of [0, 2.5, 33, '3']) {
      const outcome = plan(input({ platform: 'aws', zones }));
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? [] : outcome.problems.map((problem) => problem.path)).toEqual(['environment.zones']);
    }
  });
});
