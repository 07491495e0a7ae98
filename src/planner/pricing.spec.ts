import {
  DEFAULT_PRICING,
  DEFAULT_ZONES,
  pricingForEnvironment,
  pricingOverrideSchema,
  resolvePricing,
} from './pricing.js';
import { CLOUD_PLATFORMS, PLATFORMS } from './types.js';

describe('DEFAULT_PRICING', () => {
  // A source the user cannot open is no source: every one names public pages and when they were read.
  it.each(PLATFORMS)('%s cites only public pages, each with the date it was read', (platform) => {
    const { source } = DEFAULT_PRICING.providers[platform];
    for (const text of [source, DEFAULT_PRICING.source]) {
      expect(text).not.toMatch(/research|anchors|\.md\b|DESIGN|STYLE|shared\//i);
    }
    const urls = source.match(/https:\/\/\S+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    // Each cited page is followed, before the next one, by the day it was read.
    for (const part of source.split(/(?=https:\/\/)/).slice(1)) {
      expect(part).toMatch(/read \d{4}-\d{2}-\d{2}/);
    }
  });

  it.each(PLATFORMS)('%s has a source and an ISO date', (platform) => {
    const provider = DEFAULT_PRICING.providers[platform];
    expect(provider.source.length).toBeGreaterThan(10);
    expect(provider.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICING.asOf >= provider.asOf).toBe(true);
  });

  it.each(['aws', 'gcp', 'azure', 'digitalocean'] as const)('%s cites at least one URL', (platform) => {
    expect(DEFAULT_PRICING.providers[platform].source).toMatch(/https:\/\//);
  });

  it('labels other-cloud as an assumption, not a quote', () => {
    expect(DEFAULT_PRICING.providers['other-cloud'].product).toContain('ASSUMPTION');
    expect(DEFAULT_PRICING.providers['other-cloud'].source).toContain('ASSUMPTION');
  });

  it.each(['bare-metal', 'kind', 'minikube', 'k3s'] as const)('%s charges nothing', (platform) => {
    const provider = DEFAULT_PRICING.providers[platform];
    const charges = [
      provider.loadBalancerHourly,
      provider.capacityUnitHourly,
      provider.publicIpv4Hourly,
      provider.extraRuleHourly,
      provider.nodeMonthly,
    ];
    expect(charges).toEqual([0, 0, 0, 0, 0]);
  });

  it.each(CLOUD_PLATFORMS)('%s charges something for a load balancer', (platform) => {
    const provider = DEFAULT_PRICING.providers[platform];
    expect(provider.loadBalancerHourly + provider.nodeMonthly).toBeGreaterThan(0);
  });

  // The figures of the public pages each provider's source names, so a change to the table is a deliberate one.
  it('matches the list prices of the pages it cites', () => {
    const { aws, gcp, azure, digitalocean } = DEFAULT_PRICING.providers;
    expect([
      aws.loadBalancerHourly,
      aws.capacityUnitHourly,
      aws.l7LoadBalancerHourly,
      aws.l7CapacityUnitHourly,
    ]).toEqual([0.0225, 0.006, 0.0225, 0.008]);
    expect([aws.publicIpv4Hourly, aws.publicIpsPerLoadBalancer, aws.publicIpsPerZone]).toEqual([
      0.005,
      DEFAULT_ZONES,
      true,
    ]);
    expect([azure.publicLoadBalancerExists, azure.existingRules]).toEqual([true, 1]);
    expect([gcp.loadBalancerHourly, gcp.includedRules, gcp.extraRuleHourly]).toEqual([0.025, 5, 0.01]);
    expect([azure.loadBalancerHourly, azure.includedRules, azure.extraRuleHourly, azure.publicIpv4Hourly]).toEqual([
      0.025, 5, 0.01, 0.005,
    ]);
    expect([digitalocean.nodeMonthly, digitalocean.assumedNodes]).toEqual([10, 1]);
    expect(DEFAULT_PRICING.hoursPerMonth).toBe(730);
  });

  it('gcp: says the $0.025/h is a minimum charge per scope (global, each region), not a price per rule', () => {
    const { gcp } = DEFAULT_PRICING.providers;
    expect(gcp.source).toContain('a minimum charge for up to 5 rules, not a price per rule');
    expect(gcp.source).toContain('billed once for the global rules and once per region');
    expect(gcp.source).not.toContain('first 5 $0.025/h each');
    expect(gcp.asOf).toBe('2026-12-03');
    expect(DEFAULT_PRICING.asOf).toBe(gcp.asOf);
  });
});

describe(resolvePricing.name, () => {
  it('without overrides is the built-in table', () => {
    expect(resolvePricing()).toEqual(DEFAULT_PRICING);
    expect(resolvePricing(undefined, undefined)).toEqual(DEFAULT_PRICING);
  });

  it('merges per provider and per field, later overrides winning', () => {
    const table = resolvePricing(
      { providers: { aws: { loadBalancerHourly: 0.03, publicIpv4Hourly: 0.004 }, gcp: { extraRuleHourly: 0.02 } } },
      undefined,
      { providers: { aws: { loadBalancerHourly: 0.04 } } },
    );
    expect(table.providers.aws).toMatchObject({
      loadBalancerHourly: 0.04,
      publicIpv4Hourly: 0.004,
      capacityUnitHourly: DEFAULT_PRICING.providers.aws.capacityUnitHourly,
      product: DEFAULT_PRICING.providers.aws.product,
    });
    expect(table.providers.gcp.extraRuleHourly).toBe(0.02);
    expect(table.providers.azure).toEqual(DEFAULT_PRICING.providers.azure);
  });

  it('leaves the built-in table untouched', () => {
    const before = structuredClone(DEFAULT_PRICING);
    resolvePricing({ providers: { aws: { loadBalancerHourly: 9 } } });
    expect(DEFAULT_PRICING).toEqual(before);
  });

  it('says which figures were overridden when the override names no source', () => {
    const table = resolvePricing({ providers: { aws: { loadBalancerHourly: 0.03 } } });
    expect(table.providers.aws.source).toContain('overridden: loadBalancerHourly');
    expect(table.source).toContain('overrides for aws');
    expect(table.source).toContain(DEFAULT_PRICING.source);
  });

  it('takes the source and date of the overrides', () => {
    const table = resolvePricing(
      { source: 'server configuration', asOf: '2026-10-01' },
      { source: 'our negotiated rates', providers: { azure: { source: 'EA price sheet', asOf: '2026-11-02' } } },
    );
    expect(table.source).toMatch(/^server configuration; our negotiated rates, over /);
    expect(table.asOf).toBe('2026-10-01');
    expect(table.providers.azure).toMatchObject({ source: 'EA price sheet', asOf: '2026-11-02' });
  });

  it('dates the table by its newest provider when no override gives a date', () => {
    const table = resolvePricing({ providers: { gcp: { asOf: '2027-01-15', loadBalancerHourly: 0.03 } } });
    expect(table.asOf).toBe('2027-01-15');
  });
});

describe('pricingOverrideSchema', () => {
  it('accepts a partial override of any provider', () => {
    const override = {
      source: 'x',
      providers: { 'bare-metal': { loadBalancerHourly: 0.1 }, aws: { l7CapacityUnitHourly: 0.01 } },
    };
    expect(pricingOverrideSchema.parse(override)).toEqual(override);
  });

  it.each([
    ['a negative price', { providers: { aws: { loadBalancerHourly: -1 } } }],
    ['an unknown field', { providers: { aws: { bogus: 1 } } }],
    ['an unknown provider', { providers: { hetzner: { loadBalancerHourly: 1 } } }],
    ['an unknown model', { providers: { aws: { loadBalancerModel: 'free' } } }],
  ])('rejects %s', (_, override) => {
    expect(pricingOverrideSchema.safeParse(override).success).toBe(false);
  });
});

describe(pricingForEnvironment.name, () => {
  it('gives an AWS load balancer one public IPv4 address per zone the topology names', () => {
    const table = pricingForEnvironment(DEFAULT_PRICING, { zones: 2 });
    expect(table.providers.aws).toMatchObject({ publicIpsPerLoadBalancer: 2 });
    expect(table.providers.aws.publicIpsAssumption).toContain('2 zones (environment.zones)');
  });

  it('assumes DEFAULT_ZONES (3) when the topology names none, and says why', () => {
    const table = pricingForEnvironment(DEFAULT_PRICING, {});
    expect(DEFAULT_ZONES).toBe(3);
    expect(table.providers.aws.publicIpsPerLoadBalancer).toBe(3);
    expect(table.providers.aws.publicIpsAssumption).toMatch(
      /3 zones assumed: environment.zones is not given and EKS clusters usually span 3/,
    );
  });

  it('leaves providers that do not bill per zone alone, and an override can opt out', () => {
    const table = pricingForEnvironment(DEFAULT_PRICING, { zones: 5 });
    expect(table.providers.azure).toEqual(DEFAULT_PRICING.providers.azure);
    const fixed = pricingForEnvironment(
      resolvePricing({ providers: { aws: { publicIpsPerZone: false, publicIpsPerLoadBalancer: 1 } } }),
      { zones: 5 },
    );
    expect(fixed.providers.aws.publicIpsPerLoadBalancer).toBe(1);
  });
});
