import type { Component, Environment, IngressPlan, KubeObject, PortSpec, Recommendation, Topology } from '../types.js';

/**
 * Hand-built plan pieces for the security and verification specs. They stand in for topology/,
 * recommend.ts and manifests.ts on purpose: those specs must pin down what findings/ and
 * verification.ts do with a given plan, whatever the other modules currently produce.
 */

export const NAMESPACE = 'production';

export function buildPort(overrides: Partial<PortSpec> = {}): PortSpec {
  const port = overrides.port ?? 80;
  return { port, targetPort: port, protocol: 'TCP', ...overrides };
}

export function buildComponent(overrides: Partial<Component> & { name: string }): Component {
  return {
    role: 'api',
    workload: 'Deployment',
    replicas: 2,
    ports: [buildPort({ name: 'http', port: 80, targetPort: 8080 })],
    exposure: 'internal',
    allowedSources: [],
    dependsOn: [],
    preserveClientIp: false,
    labels: { app: overrides.name },
    ...overrides,
  };
}

export function buildTopology(components: Component[], environment: Partial<Environment> = {}): Topology {
  return {
    name: 'shop',
    namespace: NAMESPACE,
    environment: { platform: 'aws', stage: 'production', ...environment },
    components,
  };
}

export function buildService(
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE, ...(annotations === undefined ? {} : { annotations }) },
    spec,
  };
}

export function buildNetworkPolicy(
  name: string,
  podSelector: Record<string, unknown>,
  extra: { namespace?: string; policyTypes?: string[] } = {},
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: extra.namespace ?? NAMESPACE },
    spec: { podSelector, policyTypes: extra.policyTypes ?? ['Ingress'] },
  };
}

export function buildIngress(tls: { hosts?: string[]; secretName: string }[] = [], name = 'shop'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: NAMESPACE },
    spec: { ingressClassName: 'traefik', rules: [], ...(tls.length === 0 ? {} : { tls }) },
  };
}

export function buildIngressPlan(overrides: Partial<IngressPlan> = {}): IngressPlan {
  return { className: 'traefik', controllerPresent: true, components: [], ...overrides };
}

/**
 * What a correct manifests.ts renders for the security checks to read: one Service per component
 * (source ranges and traffic policy as the topology asks), the namespace's default deny and an allow
 * policy per component, and the Ingress with tls for the components that ask for it.
 */
export function renderSafeManifests(topology: Topology, recommendations: Recommendation[]): KubeObject[] {
  const objects: KubeObject[] = [];
  const tlsHosts: string[] = [];
  for (const component of topology.components) {
    const recommendation = recommendations.find((candidate) => candidate.component === component.name);
    const type = recommendation?.serviceType;
    if (type !== undefined && type !== null) {
      const external = type === 'NodePort' || type === 'LoadBalancer';
      objects.push(
        buildService(component.name, {
          type,
          ...(component.ports.length === 0
            ? {}
            : { ports: component.ports.map(({ name, port, protocol }) => ({ name, port, protocol })) }),
          ...(type === 'LoadBalancer' && component.allowedSources.length > 0
            ? { loadBalancerSourceRanges: component.allowedSources }
            : {}),
          ...(external ? { externalTrafficPolicy: component.preserveClientIp ? 'Local' : 'Cluster' } : {}),
        }),
      );
    }
    if (recommendation?.entryPoint === 'ingress' && component.tls === true && component.host !== undefined) {
      tlsHosts.push(component.host);
    }
  }
  objects.push(buildNetworkPolicy('default-deny-ingress', {}));
  for (const component of topology.components) {
    if (component.externalName === undefined) {
      objects.push(buildNetworkPolicy(`allow-${component.name}`, { matchLabels: component.labels }));
    }
  }
  if (recommendations.some((recommendation) => recommendation.entryPoint === 'ingress')) {
    objects.push(buildIngress(tlsHosts.length === 0 ? [] : [{ hosts: tlsHosts, secretName: 'shop-tls' }]));
  }
  return objects;
}
