import {
  INGRESS_CONTROLLER_PORTS,
  ingressForwardingRules,
  ingressLoadBalancerLayer,
  isGceClass,
  type LoadBalancerLayer,
} from './routing/classes.js';
import { ingressServesTls, renderedScheme, routedComponents } from './manifest-conventions.js';
import type { PricingTable, ProviderPricing } from './pricing.js';
import type { GatewayWiring } from './routing/gateway-plan.js';
import { routedTrafficNoun } from './routing/grpc.js';
import { isLocalPlatform } from './rules.js';
import {
  CLOUD_PLATFORMS,
  type CostBreakdown,
  type CostItem,
  type Environment,
  type IngressPlan,
  type LoadBalancerScheme,
  type Platform,
  type PricingSource,
  type Recommendation,
  type Saving,
  type Topology,
} from './types.js';

/**
 * Who gives a LoadBalancer Service its address: the cloud's controller, a pool the operator runs
 * (MetalLB, kube-vip, k3s ServiceLB), or nobody (the Service would stay `<pending>`). THE answer:
 * the recommender, the cost and the security findings (EXP007) all read it from here.
 */
export type LoadBalancerSupport = 'cloud' | 'pool' | 'none';

export function loadBalancerSupport(environment: Environment): LoadBalancerSupport {
  const { platform } = environment;
  if ((CLOUD_PLATFORMS as readonly Platform[]).includes(platform)) {
    return 'cloud';
  }
  if (isLocalPlatform(platform)) {
    // MetalLB and kube-vip run on local clusters too (minikube even ships a metallb addon), with
    // a range from the cluster's Docker or VM network. ServiceLB is k3s's own and does not.
    const provider = environment.loadBalancerProvider;
    return provider === 'metallb' || provider === 'kube-vip' ? 'pool' : 'none';
  }
  // k3s ships ServiceLB on by default; validation fills it in, this covers a topology built by hand.
  const provider = environment.loadBalancerProvider ?? (platform === 'k3s' ? 'servicelb' : 'none');
  return provider === 'none' ? 'none' : 'pool';
}

/** One load balancer the plan makes someone pay for: a LoadBalancer Service, or the ingress controller's. */
export type LoadBalancerUse = {
  /** Absent: the ingress controller's load balancer, shared by every component behind the Ingress. */
  component?: string;
  /** The ingress class, for the controller's load balancer. */
  ingressClass?: string;
  /** Set for a Gateway's data plane (Gateway API), instead of ingressClass. */
  gatewayClass?: string;
  scheme: LoadBalancerScheme;
  layer: LoadBalancerLayer;
  /** Service ports: one load-balancing rule each where rules are billed (Azure). */
  ports: number;
  /**
   * Forwarding rules where rules are billed (GCP); 1 when absent. A GKE Ingress with TLS has 2: HTTP and
   * HTTPS; a mixed TCP/UDP LoadBalancer Service has 2: TCP and UDP (see serviceForwardingRules).
   * Global or regional by what made them (forwardingRuleScope).
   */
  forwardingRules?: number;
};

/**
 * Forwarding rules a LoadBalancer Service with these ports takes on GKE: 2 when it mixes TCP and UDP
 * (one per protocol, one shared address), else 1. Mixed-protocol Services need a cluster created at
 * GKE 1.34.1-gke.2190000 or later (external), 1.36.2-gke.1498000 with GKE subsetting (internal):
 * https://cloud.google.com/kubernetes-engine/docs/how-to/mixed-protocol-lb
 */
export function serviceForwardingRules(ports: readonly { protocol: string }[]): number {
  const protocols = new Set(ports.map((port) => port.protocol));
  return protocols.has('TCP') && protocols.has('UDP') ? 2 : 1;
}

/** Why a load balancer has more than one forwarding rule: the names of its rules. */
function ruleNames(use: LoadBalancerUse): { names: string[]; why: string } {
  return use.component === undefined
    ? { names: ['HTTP', 'HTTPS'], why: 'an HTTP and an HTTPS forwarding rule, as GKE Ingress makes with TLS' }
    : {
        names: ['TCP', 'UDP'],
        why: `a TCP and a UDP forwarding rule sharing one address, as GKE makes for a mixed-protocol LoadBalancer Service; ${
          use.scheme === 'internal'
            ? 'an internal one needs GKE 1.36.2-gke.1498000 or later with GKE subsetting enabled'
            : 'it needs a cluster created at GKE 1.34.1-gke.2190000 or later'
        }`,
      };
}

/**
 * toCents's answers, shared by every plan: a plan asks ~5,500 times at 1,000 components, for few
 * distinct amounts (the same prices for every component), and the string toFixed makes and parses
 * each time was ~2 % of the plan's time. Cleared when full, so no input grows it without bound.
 */
const centsOfAmount = new Map<number, number>();
const KEEP_CENTS_AT_MOST = 4_096;

/** Integer cents, rounded half up; `toFixed(6)` first so 16.425 (stored as 16.42499…) becomes 1643. */
export function toCents(amount: number): number {
  let cents = centsOfAmount.get(amount);
  if (cents === undefined) {
    cents = Math.round(Number((amount * 100).toFixed(6)));
    if (centsOfAmount.size >= KEEP_CENTS_AT_MOST) {
      centsOfAmount.clear();
    }
    centsOfAmount.set(amount, cents);
  }
  return cents;
}

export function roundCents(amount: number): number {
  return toCents(amount) / 100;
}

/** "$16.43". */
export function formatUsd(amount: number): string {
  return `$${roundCents(amount).toFixed(2)}`;
}

/** What an option adds per month, in words: "+$16.43/mo", or "$0.00/mo" when nothing is billed. */
export function formatMonthly(amount: number): string {
  return toCents(amount) > 0 ? `+${formatUsd(amount)}/mo` : '$0.00/mo';
}

/** An hourly rate as the price list writes it: "$0.0225/h". */
function rate(amount: number): string {
  return `$${amount}/h`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * A charge of `use`, with its `component` key left out (not undefined) for the shared ingress
 * controller's. Two literal shapes rather than `{ ...owner, … }`: spreading an object of varying
 * shape is V8's slow path, and it made pricing a load balancer cost twice as much as its math.
 */
function costItem(use: LoadBalancerUse, charge: Omit<CostItem, 'component'>): CostItem {
  const { resource, description, monthly, basis } = charge;
  return use.component === undefined
    ? { resource, description, monthly, basis }
    : { component: use.component, resource, description, monthly, basis };
}

function whoFor(use: LoadBalancerUse): string {
  if (use.gatewayClass !== undefined) {
    return `the Gateway (class ${use.gatewayClass})`;
  }
  return use.component ?? `the ingress controller (class ${use.ingressClass ?? 'unknown'})`;
}

type LayerPrices = { product: string; hourly: number; unitName: string; unitHourly: number; units: number };

function layerPrices(provider: ProviderPricing, layer: LoadBalancerLayer): LayerPrices {
  const l4: LayerPrices = {
    product: provider.product,
    hourly: provider.loadBalancerHourly,
    unitName: provider.capacityUnitName ?? 'capacity unit',
    unitHourly: provider.capacityUnitHourly,
    units: provider.assumedCapacityUnits,
  };
  if (layer === 'L4') {
    return l4;
  }
  return {
    product: provider.l7Product ?? l4.product,
    hourly: provider.l7LoadBalancerHourly ?? l4.hourly,
    unitName: provider.l7CapacityUnitName ?? l4.unitName,
    unitHourly: provider.l7CapacityUnitHourly ?? l4.unitHourly,
    units: provider.l7AssumedCapacityUnits ?? l4.units,
  };
}

/** Capacity units and public addresses: billed per load balancer in every model. */
function perLoadBalancerExtras(use: LoadBalancerUse, provider: ProviderPricing, hours: number): CostItem[] {
  const prices = layerPrices(provider, use.layer);
  const items: CostItem[] = [];
  items.push(
    costItem(use, {
      resource: 'capacity-units',
      description: `${prices.unitName} for ${whoFor(use)}`,
      monthly: prices.unitHourly * prices.units * hours,
      basis: `${prices.units} ${prices.unitName} assumed for a small service x ${rate(prices.unitHourly)} x ${hours} h.`,
    }),
  );
  if (use.scheme === 'internet-facing') {
    const addresses = provider.publicIpsPerLoadBalancer;
    const assumption = provider.publicIpsAssumption === undefined ? '' : ` (${provider.publicIpsAssumption})`;
    items.push(
      costItem(use, {
        resource:
          use.component === undefined && provider.loadBalancerModel === 'shared-per-cluster'
            ? 'ingress-controller'
            : 'public-ipv4',
        description: `public IPv4 for ${whoFor(use)}`,
        monthly: provider.publicIpv4Hourly * addresses * hours,
        basis: `${plural(addresses, 'public IPv4 address', 'public IPv4 addresses')}${assumption} x ${rate(provider.publicIpv4Hourly)} x ${hours} h; an internal load balancer holds none.`,
      }),
    );
  }
  return items;
}

function dedicatedLoadBalancers(uses: LoadBalancerUse[], provider: ProviderPricing, hours: number): CostItem[] {
  return uses.flatMap((use) => {
    const prices = layerPrices(provider, use.layer);
    const parts: string[] = [];
    if (prices.hourly > 0) {
      parts.push(`${rate(prices.hourly)} x ${hours} h`);
    }
    if (provider.nodeMonthly > 0) {
      parts.push(
        `${formatUsd(provider.nodeMonthly)} per node per month x ${plural(provider.assumedNodes, 'node')} (assumed)`,
      );
    }
    const hour = costItem(use, {
      resource: use.component === undefined ? 'ingress-controller' : 'load-balancer',
      description: `${prices.product} (${use.scheme}) for ${whoFor(use)}`,
      monthly: prices.hourly * hours + provider.nodeMonthly * provider.assumedNodes,
      basis: `${parts.length === 0 ? 'no hourly fee' : parts.join(' + ')} for one load balancer.`,
    });
    return [hour, ...perLoadBalancerExtras(use, provider, hours)];
  });
}

/**
 * Items reported even at $0.00: the rules on AKS's existing public load balancer, so the plan says
 * why there is no base fee instead of leaving the load balancer out as if it were free of rules;
 * and GCP forwarding rules covered by their scope's minimum charge, so each rule is listed with why.
 */
const REPORTED_AT_ZERO = new WeakSet<CostItem>();

/**
 * Where Google bills a forwarding rule: global rules (the global external Application Load Balancer
 * a GKE Ingress of class gce or a global GKE Gateway makes) and each region's rules (LoadBalancer
 * Services, every other Ingress controller's Service, gce-internal and regional Gateways) have
 * SKUs of their own, the "minimum" and the "additional" one per scope
 * (https://cloud.google.com/skus/sku-groups/cloud-load-balancing): the minimum is paid once per
 * scope for its first rules, not once per rule. A plan's regional rules are all in its cluster's region.
 */
type ForwardingRuleScope = 'global' | 'regional';

/** GKE GatewayClasses whose Gateway is a global external Application Load Balancer (global forwarding rules). */
const GLOBAL_GATEWAY_CLASSES: ReadonlySet<string> = new Set(['gke-l7-global-external-managed', 'gke-l7-gxlb']);

function forwardingRuleScope(use: LoadBalancerUse): ForwardingRuleScope {
  if (use.component !== undefined) {
    return 'regional';
  }
  if (use.gatewayClass !== undefined) {
    return GLOBAL_GATEWAY_CLASSES.has(use.gatewayClass.toLowerCase()) ? 'global' : 'regional';
  }
  return use.ingressClass !== undefined && isGceClass(use.ingressClass) ? 'global' : 'regional';
}

const SCOPE_NAMES: Record<ForwardingRuleScope, string> = {
  global: 'the global forwarding rules',
  regional: "the regional forwarding rules in the cluster's region",
};

/**
 * GCP: per scope (global, the cluster's region) a minimum charge of `loadBalancerHourly` covers up
 * to `includedRules` rules, each further rule costs `extraRuleHourly`; a scope without rules costs
 * nothing. The scope's first rule carries the minimum, the other covered ones are reported at $0.00
 * with why, so the items add up to what Google bills for the plan's rules.
 */
function forwardingRules(uses: LoadBalancerUse[], provider: ProviderPricing, hours: number): CostItem[] {
  const totals = new Map<ForwardingRuleScope, number>();
  for (const use of uses) {
    const scope = forwardingRuleScope(use);
    totals.set(scope, (totals.get(scope) ?? 0) + (use.forwardingRules ?? 1));
  }
  const positions = new Map<ForwardingRuleScope, number>();
  const included = provider.includedRules;
  const minimum = `${rate(provider.loadBalancerHourly)} x ${hours} h`;
  return uses.flatMap((use) => {
    const scope = forwardingRuleScope(use);
    const total = totals.get(scope) ?? 0;
    const count = use.forwardingRules ?? 1;
    const rules = Array.from({ length: count }, (_, index): CostItem => {
      const position = (positions.get(scope) ?? 0) + 1;
      positions.set(scope, position);
      const carriesMinimum = position === 1;
      const beyond = position > included;
      const charges: string[] = [];
      if (carriesMinimum) {
        charges.push(
          `it carries the minimum charge of ${SCOPE_NAMES[scope]}, ${minimum}, which covers the first ${plural(included, 'rule')} of that scope`,
        );
      } else if (!beyond) {
        charges.push(
          `$0.00: covered by the minimum charge of this scope (${SCOPE_NAMES[scope]}), which its rule 1 in this plan carries`,
        );
      }
      if (beyond) {
        charges.push(`beyond the first ${included} of this scope, ${rate(provider.extraRuleHourly)} x ${hours} h`);
      }
      const { names, why: several } = ruleNames(use);
      const listener = count === 1 ? '' : ` ${names[index] ?? `#${index + 1}`}`;
      const why = count === 1 ? 'one per load balancer' : `${count} for this one: ${several}`;
      const item = costItem(use, {
        resource: use.component === undefined ? 'ingress-controller' : 'forwarding-rules',
        description: `${layerPrices(provider, use.layer).product} (${use.scheme})${listener} for ${whoFor(use)}`,
        monthly:
          (carriesMinimum ? provider.loadBalancerHourly : 0) * hours + (beyond ? provider.extraRuleHourly : 0) * hours,
        basis:
          `${scope === 'global' ? 'Global' : 'Regional'} forwarding rule ${position} of ${total} in this plan ` +
          `(${why}; counted from this plan alone: rules the project already has in the same scope share its minimum charge): ${charges.join('; ')}.`,
      });
      if (!carriesMinimum && !beyond) {
        REPORTED_AT_ZERO.add(item);
      }
      return item;
    });
    return [...rules, ...perLoadBalancerExtras(use, provider, hours)];
  });
}

function sharedClusterLoadBalancers(uses: LoadBalancerUse[], provider: ProviderPricing, hours: number): CostItem[] {
  const items: CostItem[] = [];
  for (const scheme of ['internet-facing', 'internal'] as const) {
    const group = uses.filter((use) => use.scheme === scheme);
    if (group.length === 0) {
      continue;
    }
    const planRules = group.reduce((total, use) => total + use.ports, 0);
    const users = group.map(whoFor).join(', ');
    const perPort = `one per Service port: ${INGRESS_CONTROLLER_PORTS} for an ingress controller, a Gateway's listener and status ports`;
    if (scheme === 'internet-facing' && provider.publicLoadBalancerExists === true) {
      items.push(...existingPublicLoadBalancerRules(planRules, users, perPort, provider, hours));
    } else {
      const name =
        scheme === 'internet-facing'
          ? 'public load balancer "kubernetes"'
          : 'internal load balancer "kubernetes-internal"';
      items.push({
        resource: 'load-balancer',
        description: `${provider.product}: the cluster's ${name}, shared by ${users}`,
        monthly: provider.loadBalancerHourly * hours,
        basis: `${rate(provider.loadBalancerHourly)} x ${hours} h covers its first ${provider.includedRules} rules; AKS puts every ${scheme} LoadBalancer Service on this one load balancer, created with the first of them.`,
      });
      const extra = Math.max(0, planRules - provider.includedRules);
      items.push({
        resource: 'forwarding-rules',
        description: `${plural(extra, 'load-balancing rule')} beyond the first ${provider.includedRules} on the ${name}`,
        monthly: extra * provider.extraRuleHourly * hours,
        basis: `${planRules} rules in all (${perPort}), ${extra} beyond the first ${provider.includedRules} x ${rate(provider.extraRuleHourly)} x ${hours} h.`,
      });
    }
    items.push(...group.flatMap((use) => perLoadBalancerExtras(use, provider, hours)));
  }
  return items;
}

/**
 * AKS's public load balancer "kubernetes" already carries the cluster's outbound traffic, so the
 * plan's public Services pay no base fee: they add load-balancing rules to it, and only the rules
 * beyond the included ones (after the outbound rule AKS made) are billed.
 */
function existingPublicLoadBalancerRules(
  planRules: number,
  users: string,
  perPort: string,
  provider: ProviderPricing,
  hours: number,
): CostItem[] {
  const existing = provider.existingRules ?? 0;
  const total = planRules + existing;
  const extra = Math.max(0, total - provider.includedRules);
  const baseFee = formatUsd(provider.loadBalancerHourly * hours);
  const rules: CostItem = {
    resource: 'forwarding-rules',
    description: `${plural(planRules, 'load-balancing rule')} on the cluster's existing public load balancer "kubernetes" for ${users}`,
    monthly: extra * provider.extraRuleHourly * hours,
    basis:
      `No second base fee: the cluster already sends its outbound traffic through this load balancer (AKS outboundType loadBalancer, the default), ` +
      `so its ${rate(provider.loadBalancerHourly)} base fee is paid and the plan's public Services add rules to it. ` +
      `${planRules} rules from this plan (${perPort}) + ${plural(existing, 'outbound rule')} AKS made = ${total}; ` +
      `the first ${provider.includedRules} are covered by the base fee, ${extra} beyond x ${rate(provider.extraRuleHourly)} x ${hours} h. ` +
      `With outboundType userDefinedRouting or a NAT gateway, the first public Service creates this load balancer and its ${baseFee}/mo base fee applies too.`,
  };
  REPORTED_AT_ZERO.add(rules);
  return [rules];
}

/**
 * The unrounded monthly charges for a set of load balancers on one platform: THE formula, used for
 * the plan's cost items, for each alternative's price and for the savings, so they never disagree.
 * Charges of exactly zero (a free platform, an internal LB's public addresses) give no item.
 */
export function priceLoadBalancers(platform: Platform, uses: LoadBalancerUse[], pricing: PricingTable): CostItem[] {
  const provider = pricing.providers[platform];
  const hours = pricing.hoursPerMonth;
  let items: CostItem[];
  switch (provider.loadBalancerModel) {
    case 'per-load-balancer':
      items = dedicatedLoadBalancers(uses, provider, hours);
      break;
    case 'per-forwarding-rule':
      items = forwardingRules(uses, provider, hours);
      break;
    case 'shared-per-cluster':
      items = sharedClusterLoadBalancers(uses, provider, hours);
      break;
  }
  return items.filter((item) => item.monthly !== 0 || REPORTED_AT_ZERO.has(item));
}

/** What a set of load balancers costs per month together (unrounded): shared rules and tiers included. */
export function loadBalancersMonthly(platform: Platform, uses: LoadBalancerUse[], pricing: PricingTable): number {
  // Summed from cent-rounded items, as the plan's cost is, so a figure quoted in a rationale
  // always equals the one the cost breakdown shows for the same load balancers.
  return totalCents(priceLoadBalancers(platform, uses, pricing)) / 100;
}

/**
 * What one load balancer costs per month on its own (unrounded): the price of an alternative that
 * adds one. On GCP that is the minimum charge of a scope with this one rule (a plan whose rules in
 * the same scope are fewer than 5 adds it for $0.00: the plan's cost and its savings price the rules
 * together); on AKS a cluster load balancer with this Service as its only user (later Services on
 * it cost less: they add a public IP and rules).
 */
export function loadBalancerMonthly(
  platform: Platform,
  scheme: LoadBalancerScheme,
  layer: LoadBalancerLayer,
  pricing: PricingTable,
  ports = 1,
  forwardingRules = 1,
): number {
  // The recommender asks this for every public component, with few distinct arguments: each answer
  // prices whole cost items (their descriptions and bases written out), so it is kept per table.
  let known = oneLoadBalancerMonthly.get(pricing);
  if (known === undefined) {
    known = new Map();
    oneLoadBalancerMonthly.set(pricing, known);
  }
  const key = `${platform} ${scheme} ${layer} ${ports} ${forwardingRules}`;
  let monthly = known.get(key);
  if (monthly === undefined) {
    monthly = loadBalancersMonthly(platform, [{ component: 'one', scheme, layer, ports, forwardingRules }], pricing);
    known.set(key, monthly);
  }
  return monthly;
}

/** loadBalancerMonthly's answers per pricing table (a table is never changed once resolved) and arguments. */
const oneLoadBalancerMonthly = new WeakMap<PricingTable, Map<string, number>>();

/** The load balancers a plan creates, in input order, the ingress controller's last. */
export function loadBalancerUses(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  gateway?: GatewayWiring,
): LoadBalancerUse[] {
  // Where nothing hands out addresses, a LoadBalancer Service stays <pending> and nobody bills it.
  if (loadBalancerSupport(topology.environment) === 'none') {
    return [];
  }
  const ports = new Map(topology.components.map((component) => [component.name, component.ports]));
  const uses: LoadBalancerUse[] = recommendations
    .filter((recommendation) => recommendation.serviceType === 'LoadBalancer')
    .map((recommendation) => ({
      component: recommendation.component,
      // Priced as rendered, not as meant: on other-cloud no annotation makes it internal, so the
      // provider's default (internet-facing, with a public address) is what gets billed until the
      // user adds one. An estimate that is high until then beats one that is low by an address.
      scheme: renderedScheme(topology.environment.platform, recommendation.scheme),
      layer: 'L4',
      ports: Math.max(1, ports.get(recommendation.component)?.length ?? 1),
      forwardingRules: serviceForwardingRules(ports.get(recommendation.component) ?? []),
    }));
  if (gateway !== undefined) {
    // Gateway API replaces the Ingress: its data plane, priced by the same formula (null: a shared Gateway, already paid for).
    if (gateway.charge !== null) {
      uses.push({ gatewayClass: gateway.routing.className, scheme: 'internet-facing', ...gateway.charge });
    }
  } else if (ingress !== null && ingress.components.length > 0) {
    const servesTls = ingressServesTls(routedComponents(topology, recommendations, ingress));
    uses.push({
      ingressClass: ingress.className,
      scheme: 'internet-facing',
      layer: ingressLoadBalancerLayer(topology.environment.platform, ingress.className),
      ports: INGRESS_CONTROLLER_PORTS,
      forwardingRules: ingressForwardingRules(ingress.className, servesTls),
    });
  }
  return uses;
}

function totalCents(items: CostItem[]): number {
  return items.reduce((total, item) => total + toCents(item.monthly), 0);
}

/**
 * totalCents(priceLoadBalancers(platform, uses, pricing)), without writing out every item where no
 * item depends on another load balancer: billed per load balancer, a use's cents depend on its
 * scheme and layer alone, so each kind is priced once (loadBalancerMonthly keeps it). The savings
 * price a load balancer per routed component, and the descriptions and bases of those items were
 * ~40 % of the cost estimate's time at 1,000 components. Whole cents add up exactly in any order.
 */
function loadBalancersCents(platform: Platform, uses: LoadBalancerUse[], pricing: PricingTable): number {
  if (pricing.providers[platform].loadBalancerModel !== 'per-load-balancer') {
    return totalCents(priceLoadBalancers(platform, uses, pricing));
  }
  return uses.reduce((total, use) => total + toCents(loadBalancerMonthly(platform, use.scheme, use.layer, pricing)), 0);
}

/** The table's source and date, with the figures this platform's plan used. */
export function pricingSource(pricing: PricingTable, platform: Platform): PricingSource {
  const provider = pricing.providers[platform];
  return {
    source: `${pricing.source}. ${platform}: ${provider.source}`,
    asOf: pricing.asOf,
  };
}

function consolidationSavings(
  topology: Topology,
  uses: LoadBalancerUse[],
  ingress: IngressPlan | null,
  pricing: PricingTable,
  actualCents: number,
  gateway: GatewayWiring | null,
): Saving[] {
  if (ingress === null || ingress.components.length === 0 || uses.length === 0) {
    return [];
  }
  const { platform } = topology.environment;
  const ports = new Map(topology.components.map((component) => [component.name, component.ports.length]));
  const separate: LoadBalancerUse[] = [
    ...uses.filter((use) => use.component !== undefined),
    ...ingress.components.map((component): LoadBalancerUse => ({
      component,
      scheme: 'internet-facing',
      layer: 'L4',
      ports: Math.max(1, ports.get(component) ?? 1),
    })),
  ];
  const separateCents = loadBalancersCents(platform, separate, pricing);
  const savedCents = separateCents - actualCents;
  if (savedCents <= 0) {
    return [];
  }
  const count = ingress.components.length;
  const routed = new Set(ingress.components);
  const noun = routedTrafficNoun(topology.components.filter((component) => routed.has(component.name)));
  // With Gateway API the same components sit behind the Gateway, which the sentence names.
  const entryPoint =
    gateway === null
      ? 'one Ingress'
      : `one Gateway (${gateway.routing.namespace}/${gateway.routing.name}, class ${gateway.routing.className})`;
  return [
    {
      description:
        `${count} ${noun} ${count === 1 ? 'component' : 'components'} (${ingress.components.join(', ')}) behind ${entryPoint} instead of ` +
        `${plural(count, 'LoadBalancer')}: the plan costs ${formatUsd(actualCents / 100)}/mo instead of ` +
        `${formatUsd(separateCents / 100)}/mo, saves ${formatUsd(savedCents / 100)}/mo`,
      monthly: savedCents / 100,
    },
  ];
}

/**
 * The plan's monthly cost. Each item is computed unrounded and rounded to cents once; the total is
 * the sum of the rounded items (in integer cents), so it always equals what the items add up to.
 */
export function estimateCost(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  pricing: PricingTable,
  gateway: GatewayWiring | null = null,
): CostBreakdown {
  const { platform } = topology.environment;
  const uses = loadBalancerUses(topology, recommendations, ingress, gateway ?? undefined);
  const items = priceLoadBalancers(platform, uses, pricing).map((item) => ({
    ...item,
    monthly: roundCents(item.monthly),
  }));
  const cents = totalCents(items);
  return {
    currency: 'USD',
    monthlyTotal: cents / 100,
    items,
    savings: consolidationSavings(topology, uses, ingress, pricing, cents, gateway),
    pricing: pricingSource(pricing, platform),
  };
}
