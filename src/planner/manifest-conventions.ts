import { httpPorts } from './http.js';
import { publishedView } from './ports.js';
import type {
  Component,
  IngressPlan,
  KubeObject,
  LoadBalancerScheme,
  Platform,
  PortSpec,
  Recommendation,
  Topology,
} from './types.js';

/**
 * What the Service, Ingress and NetworkPolicy renderers must agree on: labels, names, which
 * components the Ingress routes and to which port. Kept in one place so the NetworkPolicy that
 * admits the ingress controller opens exactly the port the Ingress sends traffic to.
 */

export const MANAGED_BY = 'exposure-planner';

/**
 * Labels on every rendered object. `backstage.io/kubernetes-id` is how the Backstage Kubernetes
 * plugin finds a catalog entity's objects
 * (https://backstage.io/docs/features/kubernetes/configuration): one entity per topology.
 */
export function objectLabels(topology: Topology, name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': topology.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'backstage.io/kubernetes-id': topology.name,
  };
}

/** One metadata builder for every rendered object, so each carries the common labels and none an empty annotations map. */
export function objectMetadata(
  topology: Topology,
  name: string,
  labelsName: string,
  annotations: Record<string, string>,
): KubeObject['metadata'] {
  return {
    name,
    namespace: topology.namespace,
    labels: objectLabels(topology, labelsName),
    ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
}

/** MetalLB's pool choice on a LoadBalancer Service (https://metallb.io/usage/#requesting-specific-ips). */
export const METALLB_ADDRESS_POOL_ANNOTATION = 'metallb.io/address-pool';

export const HEADLESS_SUFFIX = '-headless';

/**
 * The headless (governing) Service of a StatefulSet: always `<component>-headless`. Validation
 * makes that name safe by construction (a StatefulSet name leaves room for the suffix within 63
 * characters, and no component may be named after another's headless Service), so the Service
 * the manifests create, the name the rationale tells the user to put in spec.serviceName and the
 * name the verification resolves are the same string.
 */
export function headlessServiceName(componentName: string): string {
  return `${componentName}${HEADLESS_SUFFIX}`;
}

export function recommendationsByComponent(recommendations: Recommendation[]): Map<string, Recommendation> {
  const byComponent = new Map<string, Recommendation>();
  for (const recommendation of recommendations) {
    // The first one wins, so a duplicated entry cannot change the output depending on order of arrival.
    if (!byComponent.has(recommendation.component)) {
      byComponent.set(recommendation.component, recommendation);
    }
  }
  return byComponent;
}

/** The component's pods answer a Service of this plan (a selector-based one: not ExternalName). */
export function hasSelectorService(recommendation: Recommendation | undefined): boolean {
  if (recommendation === undefined) {
    return false;
  }
  return recommendation.serviceType !== null && recommendation.serviceType !== 'ExternalName';
}

/**
 * The components the Ingress routes, in topology order (never in the order the plan happened to
 * list them): named in the plan, with a selector Service that has ports.
 */
export function routedComponents(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
): Component[] {
  if (ingress === null) {
    return [];
  }
  const routed = new Set(ingress.components);
  // The service types of the routed components only (the first recommendation of each wins, as in
  // recommendationsByComponent): a plan asks this six times, and a map of every component each
  // time was about 1 % of its allocations at 1,000 components.
  const serviceTypes = new Map<string, Recommendation['serviceType']>();
  for (const recommendation of recommendations) {
    if (routed.has(recommendation.component) && !serviceTypes.has(recommendation.component)) {
      serviceTypes.set(recommendation.component, recommendation.serviceType);
    }
  }
  return topology.components.filter((component) => {
    const serviceType = serviceTypes.get(component.name);
    return (
      routed.has(component.name) &&
      component.ports.length > 0 &&
      (serviceType === 'ClusterIP' || serviceType === 'NodePort' || serviceType === 'LoadBalancer')
    );
  });
}

/**
 * The port the Ingress sends a component's traffic to: its first published HTTP port (its first
 * published port if none is). Never a port kept in-cluster (ports.ts), whatever its protocol.
 */
export function ingressBackendPort(component: Component): PortSpec {
  const published = publishedView(component);
  const port = httpPorts(published)[0] ?? published.ports[0];
  if (port === undefined) {
    throw new Error(`component ${component.name} has no published port for an Ingress to send traffic to`);
  }
  return port;
}

const IANA_SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * An Ingress backend names the Service port when it can (renumbering the port then keeps working),
 * but the API server only accepts IANA service names there (≤ 15 characters), while Service port
 * names may be longer DNS labels: those are referenced by number.
 */
export function backendPortReference(port: PortSpec): { name: string } | { number: number } {
  const name = port.name;
  return name !== undefined &&
    name.length <= 15 &&
    IANA_SERVICE_NAME.test(name) &&
    !name.includes('--') &&
    /[a-z]/.test(name)
    ? { name }
    : { number: port.port };
}

/** The Ingress has a tls entry when any component it routes asks for TLS. */
export function ingressServesTls(routed: Component[]): boolean {
  return routed.some((component) => component.tls === true);
}

/** The Secret a component's tls entry names: created by the user or cert-manager, never by the plan. */
export function tlsSecretName(component: Component): string {
  return `${component.name}-tls`;
}

/**
 * Whether the plan can write an annotation that makes a LoadBalancer internal here. Not on
 * other-cloud: every provider has its own (and none is portable), so the Service carries none.
 */
export function canMarkLoadBalancerInternal(platform: Platform): boolean {
  return platform !== 'other-cloud';
}

/**
 * The scheme a LoadBalancer Service actually gets as rendered. Where no internal annotation can be
 * written, the provider's default applies, which is internet-facing on the clouds whose defaults
 * are known (the in-tree AWS, Azure and GKE controllers: see loadBalancerAnnotations): the plan assumes that, so findings (EXP016) and prices
 * describe what applying the manifests as they are would create, not what was meant.
 */
export function renderedScheme(platform: Platform, scheme: LoadBalancerScheme): LoadBalancerScheme {
  return canMarkLoadBalancerInternal(platform) ? scheme : 'internet-facing';
}

/** Every IPv4 and IPv6 address: "anyone", for clusters with either address family. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'] as const;

/** A bare address becomes a one-address CIDR; Kubernetes fields take CIDRs only. */
export function toCidr(source: string): string {
  const trimmed = source.trim();
  if (trimmed.includes('/')) {
    return trimmed;
  }
  return trimmed.includes(':') ? `${trimmed}/128` : `${trimmed}/32`;
}

/** The Ingress is internet-facing when any component it routes is public. */
export function ingressIsPublic(routed: Component[]): boolean {
  return routed.some((component) => component.exposure === 'public');
}

/**
 * Whether the pods of a NodePort or LoadBalancer Service see the client's own address, so that a
 * NetworkPolicy ipBlock on the client's CIDR can match it:
 *   - AWS (NLB, ip targets): only with client IP preservation, which the Service turns on when
 *     it keeps the client IP or restricts sources (see the AWS annotations in manifests.ts);
 *   - DigitalOcean: never; its REGIONAL load balancers (the type manifests.ts asks for) proxy
 *     connections, even with externalTrafficPolicy Local (docs.digitalocean.com, "Configure Load
 *     Balancers": PROXY protocol is the way);
 *   - elsewhere (GKE and Azure passthrough LBs, MetalLB, kube-vip, NodePort): only with
 *     externalTrafficPolicy Local; with Cluster, kube-proxy SNATs to a node address.
 */
export function clientAddressReachesPods(
  topology: Topology,
  component: Component,
  serviceType: 'NodePort' | 'LoadBalancer',
): boolean {
  if (serviceType === 'LoadBalancer') {
    switch (topology.environment.platform) {
      case 'aws':
        return awsPreservesClientIp(component);
      case 'digitalocean':
        return false;
      case 'gcp':
      case 'azure':
      case 'other-cloud':
      case 'bare-metal':
      case 'kind':
      case 'minikube':
      case 'k3s':
        return component.preserveClientIp;
    }
  }
  return component.preserveClientIp;
}

/**
 * The AWS Load Balancer Controller ignores loadBalancerSourceRanges for ip targets unless client
 * IP preservation is on, and it is off by default for ip targets
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/).
 */
export function awsPreservesClientIp(component: Component): boolean {
  return component.preserveClientIp || component.allowedSources.length > 0;
}

/**
 * Whether the plan's load balancer here sends to pod IPs directly, bypassing node ports and
 * kube-proxy: the AWS NLB with ip targets
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/nlb/).
 */
export function loadBalancerSendsToPods(platform: Platform): boolean {
  return platform === 'aws';
}

/**
 * Whether externalTrafficPolicy shapes the outside traffic of a Service of this type here. Where the
 * load balancer sends to pod IPs, Local does nothing, and the client IP comes from preserve_client_ip instead.
 */
export function trafficPolicyApplies(platform: Platform, serviceType: 'NodePort' | 'LoadBalancer'): boolean {
  return !(serviceType === 'LoadBalancer' && loadBalancerSendsToPods(platform));
}
