import type { Platform, ServiceType, Topology, VerificationStep } from '../types.js';
import { DO_LOADBALANCER_TYPE, DO_REGIONAL } from './l4-tls.js';

/**
 * How a provider's controller turns a LoadBalancer Service into listeners or forwarding rules,
 * where its default would not give what the plan says.
 *
 * DigitalOcean: the plan asks for a REGIONAL load balancer on every Service (manifests.ts). The
 * cloud controller's default type is REGIONAL_NETWORK since v0.1.61 ("Ensure Network LoadBalancer
 * (NLB) is the default loadbalancer type", CHANGELOG.md; docs/controllers/services/annotations.md
 * "Defaults to REGIONAL_NETWORK"), on DOKS clusters of Kubernetes 1.33 and later (DigitalOcean
 * release notes, 16 June 2025: https://docs.digitalocean.com/release-notes/). That type passes
 * packets through: `buildRegionalNetworkForwardingRule` makes every port a plain TCP or UDP rule
 * and never reads do-loadbalancer-protocol, -tls-ports or -certificate-id, and the firewall
 * controller opens each Service port on the worker nodes to 0.0.0.0/0 and ::/0
 * (cloud-controller-manager/do/loadbalancers.go and firewall_controller.go in
 * https://github.com/digitalocean/digitalocean-cloud-controller-manager, commit 70d527e38). What
 * the plan says of DigitalOcean load balancers (HTTP and HTTPS forwarding rules, the client address
 * replaced by the load balancer's, forwarding to node ports, the price per node) is what the
 * REGIONAL type does.
 *
 * The type is chosen when the load balancer is created: on every sync the controller writes the
 * existing load balancer's type back into the annotation before it builds the update
 * (`retrieveAndAnnotateLoadBalancer`), so a Service created without it keeps its REGIONAL_NETWORK
 * load balancer. The rationale says so and a verification step reads the annotation back.
 */

/** The rationale line of a DigitalOcean component on its own load balancer. */
export function doLoadBalancerTypeNote(platform: Platform, serviceType: ServiceType | null): string[] {
  if (platform !== 'digitalocean' || serviceType !== 'LoadBalancer') {
    return [];
  }
  return [
    `its DigitalOcean load balancer is a REGIONAL one (do-loadbalancer-type "${DO_REGIONAL}"), the proxying type this plan describes (forwarding rules by protocol, certificates, the load balancer firewall for loadBalancerSourceRanges, the price per node); without the annotation DOKS 1.33 and later create a REGIONAL_NETWORK one, which passes packets through to the nodes: plain TCP and UDP rules, no HTTP, no certificate. The type is fixed when the load balancer is created: a Service that already has a REGIONAL_NETWORK load balancer keeps it (the cloud controller writes that type back into the annotation), so delete and re-create such a Service`,
  ];
}

/** The verification step that reads the load balancer type back, where the plan asks for one. */
export function doLoadBalancerTypeStep(topology: Topology, component: string): VerificationStep[] {
  if (topology.environment.platform !== 'digitalocean') {
    return [];
  }
  const key = DO_LOADBALANCER_TYPE.replaceAll('.', '\\.');
  return [
    {
      component,
      command: `kubectl get svc ${component} -n ${topology.namespace} -o jsonpath='{.metadata.annotations.${key}}'`,
      expect: `${DO_REGIONAL}, once the load balancer exists: the cloud controller writes the type it created back into this annotation. REGIONAL_NETWORK means the Service had a load balancer before it asked for REGIONAL; that one keeps its type, forwards plain TCP and UDP and ignores the certificate: delete and re-create the Service.`,
    },
  ];
}
