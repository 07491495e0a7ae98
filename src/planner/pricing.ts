import { z } from 'zod';
import { PLATFORMS, type Platform } from './types.js';

/**
 * How a provider turns LoadBalancer Services into a bill. The shapes differ enough that one
 * "hourly rate per load balancer" would misprice two of the four clouds:
 * - `per-load-balancer`: every LoadBalancer Service is its own load balancer with its own hourly
 *   fee, capacity units and public addresses (AWS NLB/ALB, DigitalOcean, the generic assumption).
 * - `per-forwarding-rule`: every load balancer is one forwarding rule (or two, see cost.ts), global
 *   or regional; per scope (the global rules, the rules of the cluster's region) `loadBalancerHourly`
 *   is a minimum charge that covers up to `includedRules` rules, each further rule of the scope costs
 *   `extraRuleHourly` (GCP). Until 2026-12-03 `loadBalancerHourly` was read as the price of each of
 *   the plan's first `includedRules` rules; the key is the same, so an override that sets it now
 *   sets the minimum charge of a scope.
 * - `shared-per-cluster`: the cluster has ONE load balancer per scheme that every LoadBalancer
 *   Service adds rules (one per port) and, when public, a frontend public IP to; `loadBalancerHourly`
 *   covers the first `includedRules` rules, each further rule costs `extraRuleHourly` (AKS Standard LB).
 */
export const LOAD_BALANCER_MODELS = ['per-load-balancer', 'per-forwarding-rule', 'shared-per-cluster'] as const;
export type LoadBalancerModel = (typeof LOAD_BALANCER_MODELS)[number];

/**
 * What one provider charges for the things a Service type creates. Every figure is USD and hourly
 * unless its name says otherwise. Data processed (per GB) is not priced: a plan knows no traffic.
 */
export type ProviderPricing = {
  /** What a LoadBalancer Service becomes here, e.g. "AWS Network Load Balancer". */
  product: string;
  loadBalancerModel: LoadBalancerModel;
  loadBalancerHourly: number;
  /** Capacity units (AWS NLCU/LCU): the hourly price of one, and how many a small service uses. */
  capacityUnitName?: string;
  capacityUnitHourly: number;
  assumedCapacityUnits: number;
  /** Public IPv4 addresses: the hourly price of one, and how many an internet-facing LB holds. */
  publicIpv4Hourly: number;
  publicIpsPerLoadBalancer: number;
  /** Why an internet-facing LB holds that many addresses, e.g. "one frontend public IP per Service". */
  publicIpsAssumption?: string;
  /**
   * One public address per zone the load balancer spans (AWS NLB and ALB: one node, one address per
   * enabled Availability Zone). Then `publicIpsPerLoadBalancer` is replaced by the topology's
   * `environment.zones` (DEFAULT_ZONES when absent) in `pricingForEnvironment`.
   */
  publicIpsPerZone?: boolean;
  /**
   * An L7 (HTTP) load balancer, when the provider prices it apart from the L4 one: the AWS ALB an
   * `alb` Ingress creates. Absent: an L7 load balancer costs what an L4 one does.
   */
  l7Product?: string;
  l7LoadBalancerHourly?: number;
  l7CapacityUnitName?: string;
  l7CapacityUnitHourly?: number;
  l7AssumedCapacityUnits?: number;
  /** Rules included in the base price (GCP: forwarding rules per scope covered by its minimum charge; Azure: LB rules). */
  includedRules: number;
  /** The hourly price of each rule beyond `includedRules`. */
  extraRuleHourly: number;
  /**
   * `shared-per-cluster` only: the cluster's public load balancer exists before the plan, because the
   * cluster sends its outbound traffic through it (AKS outboundType loadBalancer, the default). Its
   * base fee is then already paid, and `existingRules` of its included rules (the outbound rule AKS
   * makes) are taken: the plan's public Services add rules, not a second load balancer.
   */
  publicLoadBalancerExists?: boolean;
  existingRules?: number;
  /** A flat monthly fee per load-balancer node (DigitalOcean) and the nodes assumed per LB. */
  nodeMonthly: number;
  assumedNodes: number;
  source: string;
  asOf: string;
};

export type PricingTable = {
  currency: 'USD';
  hoursPerMonth: number;
  /** The date of the table as a whole: the newest of the providers' dates. */
  asOf: string;
  source: string;
  providers: Record<Platform, ProviderPricing>;
};

export const providerPricingOverrideSchema = z
  .object({
    product: z.string().min(1).max(200),
    loadBalancerModel: z.enum(LOAD_BALANCER_MODELS),
    loadBalancerHourly: z.number().nonnegative().max(1000),
    capacityUnitName: z.string().min(1).max(50),
    capacityUnitHourly: z.number().nonnegative().max(1000),
    assumedCapacityUnits: z.number().nonnegative().max(10_000),
    publicIpv4Hourly: z.number().nonnegative().max(1000),
    publicIpsPerLoadBalancer: z.number().int().nonnegative().max(100),
    publicIpsAssumption: z.string().min(1).max(200),
    publicIpsPerZone: z.boolean(),
    l7Product: z.string().min(1).max(200),
    l7LoadBalancerHourly: z.number().nonnegative().max(1000),
    l7CapacityUnitName: z.string().min(1).max(50),
    l7CapacityUnitHourly: z.number().nonnegative().max(1000),
    l7AssumedCapacityUnits: z.number().nonnegative().max(10_000),
    includedRules: z.number().int().nonnegative().max(1000),
    extraRuleHourly: z.number().nonnegative().max(1000),
    publicLoadBalancerExists: z.boolean(),
    existingRules: z.number().int().nonnegative().max(1000),
    nodeMonthly: z.number().nonnegative().max(100_000),
    assumedNodes: z.number().int().nonnegative().max(100),
    source: z.string().min(1).max(500),
    asOf: z.string().min(1).max(40),
  })
  .partial()
  .strict();
export type ProviderPricingOverride = z.infer<typeof providerPricingOverrideSchema>;

/** Prices a request (or the server's configuration) puts over the built-in table, per provider. */
export const pricingOverrideSchema = z
  .object({
    source: z.string().min(1).max(500).optional(),
    asOf: z.string().min(1).max(40).optional(),
    providers: z.partialRecord(z.enum(PLATFORMS), providerPricingOverrideSchema).optional(),
  })
  .strict();
export type PricingOverride = z.infer<typeof pricingOverrideSchema>;

export const HOURS_PER_MONTH = 730;

/** The day the built-in figures were last checked against the public pages each source names. */
const CHECKED = '2026-09-20';
/** The day the Azure and GKE figures and rules were read again for the shared-load-balancer and mixed-protocol rules. */
const RECHECKED = '2026-12-02';
/** The day GCP's forwarding-rule charges were read again as a minimum charge per scope (global, each region). */
const GCP_RULES_READ = '2026-12-03';

/**
 * Availability Zones an AWS load balancer is assumed to span when `environment.zones` is absent:
 * EKS clusters usually span 3 (the eksctl default and the AWS reference VPC put one subnet in each
 * of 3 zones), and an internet-facing NLB or ALB holds one public IPv4 address per enabled zone.
 * Left absent in the normalized topology (priced by this default), so the stored topology re-plans
 * the same and a later change of this default is a change of the engine, not of the user's input.
 */
export const DEFAULT_ZONES = 3;

/** Every charge at zero: each provider below states only what it does charge. */
const NOTHING_BILLED = {
  loadBalancerModel: 'per-load-balancer',
  loadBalancerHourly: 0,
  capacityUnitHourly: 0,
  assumedCapacityUnits: 0,
  publicIpv4Hourly: 0,
  publicIpsPerLoadBalancer: 0,
  includedRules: 0,
  extraRuleHourly: 0,
  nodeMonthly: 0,
  assumedNodes: 0,
  asOf: CHECKED,
} as const satisfies Omit<ProviderPricing, 'product' | 'source'>;

/** A platform where nobody bills for the load balancer: you bring the addresses (MetalLB, kube-vip, ServiceLB). */
function noFee(product: string, why: string, page: string): ProviderPricing {
  return {
    ...NOTHING_BILLED,
    product,
    source: `No load balancer fee: ${why}: ${page} (read ${RECHECKED})`,
    asOf: RECHECKED,
  };
}

/**
 * The built-in list prices (USD, us-east-1 / us-central1 / list price), each figure with where it
 * came from. The corpora are stored copies, so a figure is as fresh as its copy; override any of
 * them per request. Data processing (per GB) is left out on purpose: a plan knows no traffic.
 */
export const DEFAULT_PRICING: PricingTable = {
  currency: 'USD',
  hoursPerMonth: HOURS_PER_MONTH,
  asOf: GCP_RULES_READ,
  source:
    'Exposure Planner built-in list prices, each with the public page it was read from and when: load balancer hours, capacity units, rules and public IPv4 only; data processed and egress not included',
  providers: {
    aws: {
      ...NOTHING_BILLED,
      product: 'AWS Network Load Balancer',
      loadBalancerHourly: 0.0225,
      capacityUnitName: 'NLCU',
      capacityUnitHourly: 0.006,
      assumedCapacityUnits: 1,
      publicIpv4Hourly: 0.005,
      publicIpsPerLoadBalancer: DEFAULT_ZONES,
      publicIpsPerZone: true,
      l7Product: 'AWS Application Load Balancer',
      l7LoadBalancerHourly: 0.0225,
      l7CapacityUnitName: 'LCU',
      l7CapacityUnitHourly: 0.008,
      l7AssumedCapacityUnits: 1,
      source:
        'ALB $0.0225/h + $0.008/LCU-h and NLB $0.006/NLCU-h: https://aws.amazon.com/elasticloadbalancing/pricing/ (read 2026-09-20); ' +
        'NLB $0.0225/h: https://awsnegotiations.com/elastic-load-balancer-cost.html (third party, published May 2026, read 2026-09-20); ' +
        'public IPv4 $0.005/IP-h since 2024-02-01: https://repost.aws/articles/ARknH_OR0cTvqoTfJrVGaB8A (read 2026-09-20); ' +
        'one IPv4 address per enabled Availability Zone: https://docs.aws.amazon.com/elasticloadbalancing/latest/network/availability-zones.html (read 2026-12-02)',
    },
    gcp: {
      ...NOTHING_BILLED,
      product: 'Google Cloud load balancer forwarding rule',
      loadBalancerModel: 'per-forwarding-rule',
      loadBalancerHourly: 0.025,
      includedRules: 5,
      extraRuleHourly: 0.01,
      source:
        'forwarding rules: "First 5 forwarding rules $0.025 per hour, per additional forwarding rule $0.01", a minimum charge for up to 5 rules, not a price per rule: https://cloud.google.com/load-balancing/pricing (read 2026-12-03); ' +
        'billed once for the global rules and once per region, each scope with its own minimum and additional SKUs: https://cloud.google.com/skus/sku-groups/cloud-load-balancing (read 2026-12-03); ' +
        'the SKU is the "Minimum Service Charge" for the first 5 rules: https://github.com/infracost/infracost/issues/469 (read 2026-12-03); ' +
        'a mixed TCP/UDP LoadBalancer Service is 2 forwarding rules and 1 address, on clusters created at GKE 1.34.1-gke.2190000 or later (internal: 1.36.2-gke.1498000 with GKE subsetting): https://cloud.google.com/kubernetes-engine/docs/how-to/mixed-protocol-lb (read 2026-12-02); ' +
        'the forwarding rule address is not priced here',
      asOf: GCP_RULES_READ,
    },
    azure: {
      ...NOTHING_BILLED,
      product: 'Azure Standard Load Balancer (shared by the AKS cluster)',
      loadBalancerModel: 'shared-per-cluster',
      loadBalancerHourly: 0.025,
      publicIpv4Hourly: 0.005,
      publicIpsPerLoadBalancer: 1,
      publicIpsAssumption: 'one frontend public IP per Service',
      includedRules: 5,
      extraRuleHourly: 0.01,
      publicLoadBalancerExists: true,
      existingRules: 1,
      source:
        'Standard LB $0.025/h for the first 5 rules (outbound rules count), $0.01/rule-h after, the rates of https://azure.microsoft.com/en-us/pricing/details/load-balancer/ (read 2026-12-02 through a third-party transcription) as given by https://c3x.dev/resources/azure/azurerm_lb (read 2026-12-02); ' +
        "the cluster's public Standard LB already serves its outbound traffic (outboundType loadBalancer, the default): https://learn.microsoft.com/azure/aks/egress (read 2026-12-02); " +
        'Standard public IPv4 $0.005/h: https://c3x.dev/resources/azure/azurerm_public_ip (third party, read 2026-12-02)',
      asOf: RECHECKED,
    },
    // The price of a REGIONAL (proxying) load balancer per node, the type every DigitalOcean
    // Service of the plan asks for (routing/l4-listeners.ts): the default REGIONAL_NETWORK type is
    // never rendered, so its price is not needed.
    digitalocean: {
      ...NOTHING_BILLED,
      product: 'DigitalOcean Load Balancer',
      nodeMonthly: 10,
      assumedNodes: 1,
      source:
        '$10.00 per node per month, no bandwidth charge: https://docs.digitalocean.com/products/networking/load-balancers/ (read 2026-09-20)',
    },
    'other-cloud': {
      ...NOTHING_BILLED,
      product: 'generic cloud load balancer (ASSUMPTION, not a quote)',
      loadBalancerHourly: 0.025,
      publicIpv4Hourly: 0.005,
      publicIpsPerLoadBalancer: 1,
      publicIpsAssumption: 'one public address per load balancer assumed',
      source:
        'ASSUMPTION for an unnamed cloud, not a quote: the $0.025/h list rate AWS, GCP and Azure share plus one $0.005/h public IPv4 (https://aws.amazon.com/elasticloadbalancing/pricing/ (read 2026-09-20) and https://cloud.google.com/load-balancing/pricing (read 2026-09-20)); override it with your provider prices',
    },
    'bare-metal': noFee(
      'MetalLB / kube-vip address from your own pool',
      'you supply the addresses (MetalLB, kube-vip)',
      'https://metallb.universe.tf/',
    ),
    kind: noFee(
      'local kind cluster',
      'a local development cluster (cloud-provider-kind runs on your machine)',
      'https://kind.sigs.k8s.io/docs/user/loadbalancer',
    ),
    minikube: noFee(
      'local minikube cluster',
      'a local development cluster (minikube tunnel routes to it)',
      'https://minikube.sigs.k8s.io/docs/commands/tunnel',
    ),
    k3s: noFee(
      'k3s ServiceLB (klipper-lb) on the node addresses',
      'ServiceLB binds ports on your own nodes',
      'https://docs.k3s.io/networking/networking-services',
    ),
  },
};

function isoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(value);
}

function applyProviderOverride(base: ProviderPricing, override: ProviderPricingOverride): ProviderPricing {
  const merged: ProviderPricing = { ...base };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(override) as [keyof ProviderPricing, unknown][]) {
    if (value === undefined) {
      continue;
    }
    (merged as Record<keyof ProviderPricing, unknown>)[key] = value;
    if (key !== 'source' && key !== 'asOf') {
      changed.push(key);
    }
  }
  // An overridden figure must not go on claiming the built-in source.
  if (override.source === undefined && changed.length > 0) {
    merged.source = `${base.source}; overridden: ${changed.join(', ')}`;
  }
  return merged;
}

/**
 * The built-in table with each override laid over it in order (later wins, per provider, per
 * field). `undefined` overrides are skipped so callers can pass optional ones straight through.
 * The table's `source` names the overrides' sources; its `asOf` is the last override's date when
 * one is given, else the newest provider date.
 */
export function resolvePricing(...overrides: (PricingOverride | undefined)[]): PricingTable {
  const providers = { ...DEFAULT_PRICING.providers };
  const sources: string[] = [];
  let asOf: string | undefined;
  for (const override of overrides) {
    if (override === undefined) {
      continue;
    }
    const touched: Platform[] = [];
    for (const platform of PLATFORMS) {
      const providerOverride = override.providers?.[platform];
      if (providerOverride !== undefined) {
        providers[platform] = applyProviderOverride(providers[platform], providerOverride);
        touched.push(platform);
      }
    }
    if (override.source !== undefined) {
      sources.push(override.source);
    } else if (touched.length > 0) {
      sources.push(`overrides for ${touched.join(', ')}`);
    }
    asOf = override.asOf ?? asOf;
  }
  const newestProviderDate = PLATFORMS.map((platform) => providers[platform].asOf)
    .filter(isoDate)
    .reduce((newest, date) => (date > newest ? date : newest), DEFAULT_PRICING.asOf);
  return {
    currency: 'USD',
    hoursPerMonth: HOURS_PER_MONTH,
    asOf: asOf ?? newestProviderDate,
    source: sources.length === 0 ? DEFAULT_PRICING.source : `${sources.join('; ')}, over ${DEFAULT_PRICING.source}`,
    providers,
  };
}

/**
 * The table as one topology's environment prices it: a provider that bills one public address per
 * zone (AWS) holds `environment.zones` of them, DEFAULT_ZONES when the topology names none. Applied
 * after the overrides, so `publicIpsPerZone: false` in an override keeps a fixed count instead.
 */
export function pricingForEnvironment(table: PricingTable, environment: { zones?: number }): PricingTable {
  const zones = environment.zones ?? DEFAULT_ZONES;
  const assumption =
    environment.zones === undefined
      ? `one per Availability Zone, ${DEFAULT_ZONES} zones assumed: environment.zones is not given and EKS clusters usually span ${DEFAULT_ZONES}`
      : `one per Availability Zone, ${zones} ${zones === 1 ? 'zone' : 'zones'} (environment.zones)`;
  const providers = { ...table.providers };
  for (const platform of PLATFORMS) {
    if (providers[platform].publicIpsPerZone === true) {
      providers[platform] = {
        ...providers[platform],
        publicIpsPerLoadBalancer: zones,
        publicIpsAssumption: assumption,
      };
    }
  }
  return { ...table, providers };
}
