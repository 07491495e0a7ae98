import type { Component, Environment, PortSpec, Recommendation, Topology } from '../types.js';

/**
 * Builders of NORMALIZED topologies (every default filled, as validation returns them), so unit
 * tests of the recommender, cost, manifests or security modules need neither validation nor JSON,
 * and of the recommendations that the manifests, findings and chat replies read.
 * Each builder takes only what a test cares about; the rest is a plain, realistic default.
 */

export function httpPort(overrides: Partial<PortSpec> = {}): PortSpec {
  return { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', ...overrides };
}

/** A port with no sign of HTTP: MQTT on 1883. */
export function tcpPort(overrides: Partial<PortSpec> = {}): PortSpec {
  return { name: 'mqtt', port: 1883, targetPort: 1883, protocol: 'TCP', ...overrides };
}

export function udpPort(overrides: Partial<PortSpec> = {}): PortSpec {
  return { name: 'turn-udp', port: 3478, targetPort: 3478, protocol: 'UDP', ...overrides };
}

/** An internal api Deployment with one HTTP port, unless told otherwise. */
export function buildComponent(overrides: Partial<Component> = {}): Component {
  const name = overrides.name ?? 'web';
  return {
    name,
    role: 'api',
    workload: 'Deployment',
    replicas: 1,
    ports: [httpPort()],
    exposure: 'internal',
    allowedSources: [],
    dependsOn: [],
    preserveClientIp: false,
    labels: { app: name },
    ...overrides,
  };
}

export type TopologyOverrides = Partial<Omit<Topology, 'environment'>> & { environment?: Partial<Environment> };

/**
 * A topology on AWS by default. k3s gets the defaults validation fills in (Traefik, ServiceLB);
 * pass `ingressController: undefined` or `loadBalancerProvider: 'none'` to take them away.
 */
export function buildTopology(overrides: TopologyOverrides = {}): Topology {
  const platform = overrides.environment?.platform ?? 'aws';
  const platformDefaults: Partial<Environment> =
    platform === 'k3s' ? { ingressController: 'traefik', loadBalancerProvider: 'servicelb' } : {};
  return {
    name: 'shop',
    namespace: 'production',
    components: [buildComponent()],
    ...overrides,
    environment: { stage: 'production', ...platformDefaults, ...overrides.environment, platform },
  };
}

/**
 * A recommendation as a test states it: a ClusterIP reached from inside the cluster unless told
 * otherwise, the entry point the Service type gives (a ClusterIP may say `ingress`), and an
 * internet-facing LoadBalancer unless a scheme is given. The overrides are one variant's fields,
 * so a test cannot state what the planner can never return (a headless Service beside an
 * ExternalName, a scheme on a NodePort).
 */
export function buildRecommendation(component: string, overrides: Partial<Recommendation> = {}): Recommendation {
  const rationale = overrides.rationale ?? ['chosen by the test'];
  const alternatives = overrides.alternatives ?? [];
  const internalService = ('internalService' in overrides ? overrides.internalService : undefined) ?? null;
  switch (overrides.serviceType) {
    case null:
      return { component, serviceType: null, headless: false, entryPoint: 'none', rationale, alternatives };
    case 'ExternalName':
      return { component, serviceType: 'ExternalName', headless: false, entryPoint: 'none', rationale, alternatives };
    case 'NodePort':
      return {
        component,
        serviceType: 'NodePort',
        headless: overrides.headless ?? false,
        entryPoint: 'node-port',
        rationale,
        alternatives,
        internalService,
      };
    case 'LoadBalancer':
      return {
        component,
        serviceType: 'LoadBalancer',
        headless: overrides.headless ?? false,
        entryPoint: 'load-balancer',
        scheme: overrides.scheme ?? 'internet-facing',
        rationale,
        alternatives,
        internalService,
      };
    case 'ClusterIP':
    case undefined: {
      const entryPoint = overrides.entryPoint ?? 'none';
      if (entryPoint !== 'none' && entryPoint !== 'ingress') {
        throw new Error(`a ClusterIP is reached through no entry point or the Ingress, not ${entryPoint}`);
      }
      return {
        component,
        serviceType: 'ClusterIP',
        headless: overrides.headless ?? false,
        entryPoint,
        rationale,
        alternatives,
        internalService,
      };
    }
  }
}
