import type { LoadBalancerSupport } from '../cost.js';
import { formatMonthly } from '../cost.js';
import type { Alternative, Component, Topology } from '../types.js';
import { isAlbClass } from './classes.js';
import { routingApi } from './gateway-plan.js';
import { albSourceLimitReason, sourcesEnforcedAtL7 } from './sources.js';

/**
 * allowedSources on a public HTTP component whose shared Ingress class cannot restrict one route
 * (gce; an ALB given more CIDRs than one condition takes; a class the plan knows no way for): the
 * component gets its own load balancer with loadBalancerSourceRanges, priced, where the provider
 * honours the field:
 *  - AWS NLB: security-group rules, only with client IP preservation on ip targets, which the plan
 *    turns on (manifest-conventions.ts, awsPreservesClientIp):
 *    https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/service/annotations.md#lb-source-ranges
 *  - GKE: VPC firewall rules for the passthrough load balancer:
 *    https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters (spec.loadBalancerSourceRanges)
 *  - AKS: network security group rules:
 *    https://learn.microsoft.com/en-us/azure/aks/load-balancer-standard (restrict inbound traffic to specific IP ranges)
 *  - DigitalOcean: load balancer firewall rules (cloud controller v0.1.52 and later):
 *    https://github.com/digitalocean/digitalocean-cloud-controller-manager/blob/master/CHANGELOG.md
 *  - MetalLB and kube-vip addresses: kube-proxy filters by source on the nodes:
 *    https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer (loadBalancerSourceRanges)
 * Elsewhere (other-cloud, where the provider is unknown; no provider; Gateway API routing, see
 * gateway-plan.ts) the component stays on the shared entry point and EXP020 says what does not hold.
 */

const HONOURING_CLOUDS = new Set(['aws', 'gcp', 'azure', 'digitalocean']);
const HONOURING_POOLS = new Set(['metallb', 'kube-vip', 'servicelb']);

/** Whether the provider of a LoadBalancer Service here enforces loadBalancerSourceRanges. */
export function honoursSourceRanges(topology: Topology, support: LoadBalancerSupport): boolean {
  const { platform, loadBalancerProvider } = topology.environment;
  switch (support) {
    case 'cloud':
      return HONOURING_CLOUDS.has(platform);
    case 'pool':
      return HONOURING_POOLS.has(loadBalancerProvider ?? (platform === 'k3s' ? 'servicelb' : 'none'));
    case 'none':
      return false;
  }
}

/** A public HTTP component the shared Ingress would route without its allowedSources holding, which a load balancer of its own can restrict. */
export function needsOwnLoadBalancerForSources(
  topology: Topology,
  support: LoadBalancerSupport,
  className: string,
  component: Component,
): boolean {
  return (
    component.allowedSources.length > 0 &&
    !sourcesEnforcedAtL7(className, component) &&
    routingApi(topology) === 'ingress' &&
    honoursSourceRanges(topology, support)
  );
}

function whyNotAtL7(className: string, component: Component): string {
  return isAlbClass(className)
    ? albSourceLimitReason(component)
    : `the plan knows no per-route source restriction for class ${className} (one on the whole Ingress would restrict every component on its load balancer)`;
}

export function ownLoadBalancerForSourcesRationale(
  topology: Topology,
  className: string,
  component: Component,
  product: string,
  monthly: number,
): string {
  const sources = component.allowedSources.join(', ');
  const how =
    topology.environment.platform === 'aws'
      ? 'the NLB admits them through its security group, which needs client IP preservation on its ip targets (preserve_client_ip.enabled=true, set by the plan)'
      : topology.environment.platform === 'gcp'
        ? 'GKE turns them into VPC firewall rules'
        : topology.environment.platform === 'azure'
          ? 'AKS turns them into network security group rules'
          : topology.environment.platform === 'digitalocean'
            ? 'DigitalOcean turns them into load balancer firewall rules'
            : 'kube-proxy drops other sources on the nodes';
  return `allowedSources ${sources}: ${whyNotAtL7(className, component)}, so ${component.name} leaves the shared Ingress for an internet-facing ${product} of its own (${formatMonthly(monthly)}) whose loadBalancerSourceRanges admit only them; ${how}`;
}

export function sharedIngressWithoutSources(className: string, component: Component, monthly: number): Alternative {
  return {
    serviceType: 'ClusterIP',
    entryPoint: 'ingress',
    reason: `behind the shared Ingress (class ${className}): no load balancer of its own, but allowedSources would NOT hold, because ${whyNotAtL7(className, component)} (EXP020); ${formatMonthly(monthly)}`,
    monthlyCost: monthly,
  };
}
