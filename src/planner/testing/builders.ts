import type { Component, Environment, PortSpec, Topology } from '../types.js';

/**
 * Builders of NORMALIZED topologies (every default filled, as validation returns them), so unit
 * tests of the recommender, cost, manifests or security modules need neither validation nor JSON.
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
