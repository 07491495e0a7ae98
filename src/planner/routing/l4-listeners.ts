import { describePort } from '../ports.js';
import type { Component, Platform, PortSpec, ServiceType, Topology, VerificationStep } from '../types.js';
import { ereLiteral } from '../verification-patterns.js';
import { DO_LOADBALANCER_TYPE, DO_REGIONAL, withL4TlsPort } from './l4-tls.js';

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
 *
 * AWS: an NLB has one listener per port number. Given a TCP and a UDP Service port of one number
 * (DNS on 53), the AWS Load Balancer Controller builds the listener of the first and silently drops
 * the other (listeners and target groups are keyed by port number, and `NewListener` ignores the
 * duplicate's error: pkg/service/model_build_listener.go `buildListenersLegacy`,
 * pkg/model/elbv2/listener.go; issue #4405), unless the Service sets
 * aws-load-balancer-enable-tcp-udp-listener "true" (default false, or the controller flag
 * --feature-gates=EnableTCPUDPListener=true: docs/guide/service/annotations.md#tcp-udp-listener,
 * docs/deploy/configurations.md). Then `buildListenersWithTCPUDPSupport` merges them into one
 * TCP_UDP listener and target group, built from the first port: one TCP and one UDP port only
 * (`validateMultiProtocolUsage` refuses anything else and fails the whole Service), both sent to the
 * first one's container port, and no TLS on it. The annotation came with v2.13.0 (PR #4161);
 * https://github.com/kubernetes-sigs/aws-load-balancer-controller at commit 225f445.
 * So the plan writes the annotation when every shared number is one TCP and one UDP port with one
 * targetPort, and otherwise writes nothing and raises EXP038 (a UDP port 443 beside a TLS listener
 * never gets this far: routing/l4-tls.ts `l4TlsBlocked`).
 */

export const AWS_TCP_UDP_LISTENER = 'service.beta.kubernetes.io/aws-load-balancer-enable-tcp-udp-listener';

/** The first AWS Load Balancer Controller release that reads AWS_TCP_UDP_LISTENER. */
export const AWS_TCP_UDP_MIN_CONTROLLER = 'v2.13.0';

/** Service ports that share one number, in Service order (without TCP_UDP the first one's listener is kept). */
export type SharedPortNumber<P> = {
  port: number;
  ports: P[];
  /** Why one TCP_UDP listener cannot carry them all as asked; absent when it can. */
  unmergeable?: string;
};

export type ServicePortLike = { port: number; protocol: string; targetPort?: number | string; name?: string };

/** `dns-tcp (53/TCP)`, or `53/TCP` for an unnamed port: describePort for ports read back from a Service. */
export function describeServicePort(port: ServicePortLike): string {
  return port.name === undefined ? `${port.port}/${port.protocol}` : `${port.name} (${port.port}/${port.protocol})`;
}

/** Every number more than one of these Service ports uses, with whether a TCP_UDP listener can carry them. */
export function sharedPortNumbers<P extends ServicePortLike>(ports: readonly P[]): SharedPortNumber<P>[] {
  const byNumber = new Map<number, P[]>();
  for (const port of ports) {
    const group = byNumber.get(port.port);
    if (group === undefined) {
      byNumber.set(port.port, [port]);
    } else {
      group.push(port);
    }
  }
  const shared: SharedPortNumber<P>[] = [];
  for (const [port, group] of byNumber) {
    if (group.length > 1) {
      const why = whyUnmergeable(group);
      shared.push(why === undefined ? { port, ports: group } : { port, ports: group, unmergeable: why });
    }
  }
  return shared;
}

/**
 * Whether ports of one number are the one TCP and one UDP port a TCP_UDP listener takes: the
 * controller refuses any other group, and with it the whole Service (`validateMultiProtocolUsage`).
 */
export function isTcpUdpPair(group: readonly ServicePortLike[]): boolean {
  const protocols = group.map((port) => port.protocol);
  return group.length === 2 && protocols.includes('TCP') && protocols.includes('UDP');
}

function whyUnmergeable(group: readonly ServicePortLike[]): string | undefined {
  const [first, second] = group;
  if (first === undefined || second === undefined || !isTcpUdpPair(group)) {
    return `one TCP_UDP listener carries one TCP and one UDP port, not ${group.map((port) => port.protocol).join(', ')}`;
  }
  if (String(first.targetPort ?? first.port) !== String(second.targetPort ?? second.port)) {
    return `one TCP_UDP listener would send both protocols to the first one's container port, but ${describeServicePort(first)} targets ${first.targetPort ?? first.port} and ${describeServicePort(second)} ${second.targetPort ?? second.port}`;
  }
  return undefined;
}

/** The ports an AWS LoadBalancer Service of the component publishes (the TLS port moved to 443). */
function awsServicePorts(component: Component): PortSpec[] {
  return withL4TlsPort('aws', component);
}

/** aws-load-balancer-enable-tcp-udp-listener, when the Service shares port numbers and one TCP_UDP listener each can carry them. */
export function awsTcpUdpAnnotations(component: Component): Record<string, string> {
  const shared = sharedPortNumbers(awsServicePorts(component));
  return shared.length > 0 && shared.every((group) => group.unmergeable === undefined)
    ? { [AWS_TCP_UDP_LISTENER]: 'true' }
    : {};
}

/** The rationale lines of an AWS component on its own NLB whose ports share numbers. */
export function awsTcpUdpNote(platform: Platform, component: Component, serviceType: ServiceType | null): string[] {
  if (platform !== 'aws' || serviceType !== 'LoadBalancer') {
    return [];
  }
  const shared = sharedPortNumbers(awsServicePorts(component));
  if (shared.length === 0) {
    return [];
  }
  const blocked = shared.filter((group) => group.unmergeable !== undefined);
  const names = (group: SharedPortNumber<PortSpec>) => group.ports.map(describePort).join(' and ');
  if (blocked.length === 0) {
    return shared.map(
      (group) =>
        `${names(group)} share port ${group.port}: the plan writes aws-load-balancer-enable-tcp-udp-listener "true", so the AWS Load Balancer Controller (${AWS_TCP_UDP_MIN_CONTROLLER} or later) gives the NLB one TCP_UDP listener that carries both; an older controller ignores the annotation and serves only ${describePort(group.ports[0] as PortSpec)}`,
    );
  }
  return shared.map((group) => {
    const [first, ...dropped] = group.ports;
    return `${dropped.map(describePort).join(' and ')} NOT served: ${names(group)} share port ${group.port}; ${group.unmergeable ?? 'another port number of this Service cannot share one listener, and the annotation is for the whole Service'}, so the plan asks for no TCP_UDP listener and the NLB builds the listener of ${first === undefined ? 'the first' : describePort(first)} only (finding EXP038)`;
  });
}

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
      expectOutput: `^${ereLiteral(DO_REGIONAL)}$`,
    },
  ];
}
