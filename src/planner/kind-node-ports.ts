import { recommendationsByComponent } from './manifest-conventions.js';
import { publishedView } from './ports.js';
import { NODE_PORT_RANGE } from './rules.js';
import type { Component, PortSpec, Recommendation, Topology } from './types.js';

/**
 * The node port of every NodePort Service port on kind, keyed by nodePortKey. kind runs its nodes as
 * containers, so a node port is reachable from the machine only through an `extraPortMappings` entry
 * of the cluster config, written before `kind create cluster`
 * (https://kind.sigs.k8s.io/docs/user/configuration/#extra-port-mappings). That entry must name the
 * port, so the plan pins one wherever the topology does not: the Service manifest carries it, and the
 * verification step names it and the mapping it needs.
 *
 * Deterministic: components in input order, ports in Service order, each unpinned port taking the
 * lowest free port from 30000 up, skipping every port the topology pins itself, so no two ports of a
 * plan collide. The low end is the static band (rules.ts nodePortStaticBand), where the API server
 * hands out ports automatically only once the upper band is full. Empty on every other platform.
 */
export function plannedNodePorts(topology: Topology, recommendations: Recommendation[]): ReadonlyMap<string, number> {
  const pins = new Map<string, number>();
  if (topology.environment.platform !== 'kind') {
    return pins;
  }
  const byComponent = recommendationsByComponent(recommendations);
  const taken = new Set(
    topology.components.flatMap((component) => component.ports.flatMap((port) => port.nodePort ?? [])),
  );
  let next: number = NODE_PORT_RANGE.min;
  for (const component of topology.components) {
    if (byComponent.get(component.name)?.serviceType !== 'NodePort') {
      continue;
    }
    for (const port of publishedView(component).ports) {
      if (port.nodePort !== undefined) {
        pins.set(nodePortKey(component.name, port), port.nodePort);
        continue;
      }
      while (taken.has(next)) {
        next += 1;
      }
      if (next > NODE_PORT_RANGE.max) {
        // Past the range (validation keeps plans far below it): Kubernetes picks, as it would anyway.
        return pins;
      }
      pins.set(nodePortKey(component.name, port), next);
      taken.add(next);
    }
  }
  return pins;
}

/** A Service port is unique by number and protocol (53/TCP and 53/UDP are two ports). */
export function nodePortKey(component: string, port: PortSpec): string {
  return `${component}/${port.port}/${port.protocol}`;
}

/** The component with the planned node ports written into its ports, as its Service renders them. */
export function withPlannedNodePorts(component: Component, pins: ReadonlyMap<string, number>): Component {
  if (pins.size === 0) {
    return component;
  }
  return {
    ...component,
    ports: component.ports.map((port) => {
      const nodePort = pins.get(nodePortKey(component.name, port));
      return nodePort === undefined || nodePort === port.nodePort ? port : { ...port, nodePort };
    }),
  };
}

/**
 * The host address every mapping of the plan listens on: this machine's loopback. kind binds a
 * mapping without listenAddress to 0.0.0.0 (:: on an IPv6 cluster), every interface of the machine
 * (generatePortMappings in pkg/cluster/internal/providers/{docker,podman,nerdctl}/provision.go,
 * github.com/kubernetes-sigs/kind at fed268827e21ca48a74c38215c316dd343364ef5), which would put a
 * private database on the LAN. kind is planned as a local cluster (docs/planner.md): what the
 * topology calls public, private or node is reached from this machine, so every mapping, public
 * ones included, listens here, and the verification reaches it at this address.
 */
export const KIND_LISTEN_ADDRESS = '127.0.0.1';

/** One extraPortMappings entry, flow-style YAML: the node port to the same port on KIND_LISTEN_ADDRESS. */
export function kindPortMapping(nodePort: number, protocol: string): string {
  // Quoted as kind's own example writes it (site/static/examples/config-with-port-mapping.yaml).
  return `{containerPort: ${nodePort}, hostPort: ${nodePort}, listenAddress: "${KIND_LISTEN_ADDRESS}", protocol: ${protocol}}`;
}

/**
 * The kind cluster config that maps each planned node port to the same port on this machine's
 * loopback (KIND_LISTEN_ADDRESS), as one-line YAML (flow style) for a file given to
 * `kind create cluster --config`. Ports are listed in plan order; the mappings go on the
 * control-plane node, which the default one-node cluster is.
 */
export function kindClusterConfig(pins: ReadonlyMap<string, number>): string {
  const mappings = [...pins].map(([key, nodePort]) => kindPortMapping(nodePort, key.slice(key.lastIndexOf('/') + 1)));
  return `{kind: Cluster, apiVersion: kind.x-k8s.io/v1alpha4, nodes: [{role: control-plane, extraPortMappings: [${mappings.join(', ')}]}]}`;
}
