import type { AllowFrom, Component, Environment, PortExposure, PortSpec, Topology } from '../types.js';
import { resolvePortExposures } from '../ports.js';
import { GATEWAY_CATALOG } from '../routing/gateway-classes.js';
import type { ParsedComponent, ParsedTopology } from './schema.js';

/* ------------------------------------------------------------------------------------------------
 * Defaults. Objects are built key by key in the order of the types, whatever the input's order,
 * because the plan (which embeds the topology) must be byte-identical for the same input.
 * ---------------------------------------------------------------------------------------------- */

// Optional keys are assigned in place rather than spread in: spreading `{}` or `{ key }` per field
// made normalizing the largest topology slower than validating it.

function normalizeEnvironment(environment: ParsedTopology['environment']): Environment {
  const k3s = environment.platform === 'k3s';
  // k3s bundles Traefik and ServiceLB unless they are disabled, so absent means "there", not "none".
  const ingressController = environment.ingressController ?? (k3s ? 'traefik' : undefined);
  const loadBalancerProvider = environment.loadBalancerProvider ?? (k3s ? 'servicelb' : undefined);
  const normalized: Partial<Environment> = { platform: environment.platform };
  if (environment.region !== undefined) {
    normalized.region = environment.region;
  }
  // "none" is dropped where absent already means none, but kept on k3s, where absent means
  // Traefik: a portal that sends a stored plan's topology back must get the same plan.
  if (ingressController !== undefined && (ingressController !== 'none' || k3s)) {
    normalized.ingressController = ingressController;
  }
  if (loadBalancerProvider !== undefined) {
    normalized.loadBalancerProvider = loadBalancerProvider;
  }
  if (environment.addressPool !== undefined) {
    normalized.addressPool = environment.addressPool;
  }
  normalized.routing = environment.routing ?? GATEWAY_CATALOG[environment.platform].routing;
  if (environment.gateway !== undefined) {
    normalized.gateway = { name: environment.gateway.name, namespace: environment.gateway.namespace };
  }
  if (environment.gatewayClassName !== undefined) {
    normalized.gatewayClassName = environment.gatewayClassName;
  }
  // Left absent when not given (priced as DEFAULT_ZONES): filled in, the stored topology would pin today's default.
  if (environment.zones !== undefined) {
    normalized.zones = environment.zones;
  }
  // Kept as given: absent reads as false (a shared namespace), and the echo does not pin a default.
  if (environment.ownsNamespace !== undefined) {
    normalized.ownsNamespace = environment.ownsNamespace;
  }
  if (environment.podCidr !== undefined) {
    normalized.podCidr = [...environment.podCidr];
  }
  if (environment.nodeCidr !== undefined) {
    normalized.nodeCidr = [...environment.nodeCidr];
  }
  // Kept as given: absent reads as open (as before the field existed), and the echo does not pin a default.
  if (environment.egress !== undefined) {
    normalized.egress = environment.egress;
  }
  normalized.stage = environment.stage;
  return normalized as Environment;
}

function normalizePort(port: ParsedComponent['ports'][number], exposure: PortExposure): PortSpec {
  const normalized: Partial<PortSpec> = {};
  if (port.name !== undefined) {
    normalized.name = port.name;
  }
  normalized.port = port.port;
  normalized.targetPort = port.targetPort ?? port.port;
  normalized.protocol = port.protocol;
  if (port.appProtocol !== undefined) {
    normalized.appProtocol = port.appProtocol;
  }
  if (port.nodePort !== undefined) {
    normalized.nodePort = port.nodePort;
  }
  // Always written, the heuristic's choice included: the normalized topology must re-plan the same.
  normalized.exposure = exposure;
  return normalized as PortSpec;
}

function normalizeComponent(component: ParsedComponent): Component {
  const exposures = resolvePortExposures(component.ports, component.exposure === 'internal');
  const normalized: Partial<Component> = {
    name: component.name,
    role: component.role,
    workload: component.workload,
    replicas: component.replicas,
    ports: component.ports.map((port, index) => {
      const exposure = exposures[index];
      if (exposure === undefined) {
        throw new Error(`no exposure was resolved for port ${index} of component ${component.name}`);
      }
      return normalizePort(port, exposure);
    }),
    exposure: component.exposure,
    allowedSources: [...component.allowedSources],
  };
  if (component.externalName !== undefined) {
    normalized.externalName = component.externalName;
  }
  normalized.dependsOn = [...component.dependsOn];
  if (component.host !== undefined) {
    normalized.host = component.host;
  }
  // A path is kept when given, and defaults to "/" only with a host: no host and no path, no routing hint.
  const path = component.path ?? (component.host === undefined ? undefined : '/');
  if (path !== undefined) {
    normalized.path = path;
  }
  if (component.tls !== undefined) {
    normalized.tls = component.tls;
  }
  if (component.certificate !== undefined) {
    normalized.certificate = component.certificate;
  }
  normalized.preserveClientIp = component.preserveClientIp;
  // Written only when some are given: absent means none, and the echo of a topology without them stays as it was.
  if (component.allowFrom.length > 0) {
    normalized.allowFrom = component.allowFrom.map((caller) => {
      const entry: AllowFrom = { namespace: caller.namespace };
      if (caller.podLabels !== undefined) {
        entry.podLabels = Object.fromEntries(Object.entries(caller.podLabels));
      }
      if (caller.ports !== undefined) {
        entry.ports = [...caller.ports];
      }
      return entry;
    });
  }
  normalized.labels =
    component.labels === undefined ? { app: component.name } : Object.fromEntries(Object.entries(component.labels));
  return normalized as Component;
}

export function normalize(parsed: ParsedTopology): Topology {
  const topology: Topology = {
    name: parsed.name,
    namespace: parsed.namespace,
    environment: normalizeEnvironment(parsed.environment),
    components: parsed.components.map(normalizeComponent),
  };
  if (parsed.pricing !== undefined) {
    topology.pricing = parsed.pricing;
  }
  return topology;
}
