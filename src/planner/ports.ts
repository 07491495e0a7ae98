import type { Component, InternalService, PortExposure, PortReference, PortSpec, Topology } from './types.js';
import { dependentsByComponent } from './topology-lookups.js';
import { keptAnswers } from './kept-answers.js';

/**
 * Per-port exposure: a component that is not internal publishes only the ports that carry its
 * traffic. Its observability, admin and cluster ports (a `metrics` port on 9090, a gossip port)
 * stay on a second ClusterIP Service, `<component>-internal`, reachable from the pods that call it,
 * so that one of them neither puts the internet in front of a Prometheus endpoint or a cluster
 * protocol nor turns the whole component into L4 and costs its HTTP port the shared Ingress and TLS.
 *
 * The user says it per port with `exposure` (`inherit` or `internal`); left out, the heuristic below
 * fills it, and the normalized topology carries the result so that it re-plans the same.
 */

/**
 * Port names that say "not the component's public traffic". Matched against each "-"-separated
 * part of the name, as a prefix (so `metrics`, `http-metrics`, `admin-api`, `healthz`,
 * `intra-node` and `peer2` all match), like the protocol prefixes of http.ts:
 *   - observability: metrics, prometheus, telemetry, monitor(ing), stats/status, pprof, debug,
 *     health/probe endpoints, scraped or called by in-cluster agents and the kubelet;
 *   - operations: admin, management/mgmt, jmx, for operators, who use port-forward or a VPN;
 *   - cluster: gossip, cluster, peer, raft, replication, epmd, inter/intra-node, spoken between the
 *     component's own pods (they reach each other through the headless Service or pod addresses).
 */
const NON_PUBLIC_NAME_PARTS = [
  'metrics',
  'prometheus',
  'telemetry',
  'monitor',
  'stats',
  'status',
  'pprof',
  'debug',
  'health',
  'probe',
  'admin',
  'management',
  'mgmt',
  'jmx',
  'gossip',
  'cluster',
  'peer',
  'raft',
  'replication',
  'epmd',
  'inter',
  'intra',
] as const;

/**
 * Well-known port numbers that are not public traffic, each with why. A port number is weaker
 * evidence than a name: it counts only when the name does not say the port carries traffic (a
 * port named `http`, `web`, `grpc`… on 9090 is published).
 *   Left out on purpose: 8086 (InfluxDB's HTTP API is its data API, not an admin port), 9093
 *   (Alertmanager, but also Kafka's TLS listener), 9200 (Elasticsearch's REST API, its traffic),
 *   15672 (RabbitMQ's management UI, on a queue, which is never public anyway).
 */
export const NON_PUBLIC_PORTS: ReadonlyMap<number, string> = new Map([
  // https://prometheus.io/docs/introduction/first_steps/ and the exporter port allocations,
  // https://github.com/prometheus/prometheus/wiki/Default-port-allocations
  [9090, 'the Prometheus server and metrics port'],
  [9100, 'the Prometheus node exporter'],
  [9102, 'the Prometheus StatsD exporter'],
  [9104, 'the Prometheus MySQL exporter'],
  [9113, 'the Prometheus NGINX exporter'],
  [9121, 'the Prometheus Redis exporter'],
  [9187, 'the Prometheus PostgreSQL exporter'],
  // https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio
  [15020, "the Istio sidecar's merged Prometheus telemetry port"],
  [15021, "the Istio sidecar's health check port"],
  [15090, "Envoy's Prometheus telemetry port (Istio)"],
  // https://github.com/hashicorp/memberlist/blob/master/config.go (DefaultLANConfig: BindPort 7946), used by Loki, Mimir, MetalLB…
  [7946, 'memberlist gossip between cluster members'],
  // https://developer.hashicorp.com/consul/docs/install/ports
  [8301, 'Consul Serf LAN gossip'],
  [8302, 'Consul Serf WAN gossip'],
  // https://www.rabbitmq.com/docs/networking#ports
  [4369, 'epmd, the Erlang peer discovery port (RabbitMQ, CouchDB)'],
  [25672, 'RabbitMQ inter-node and CLI tool communication (Erlang distribution)'],
  // https://etcd.io/docs/v3.5/op-guide/configuration/
  [2380, 'etcd peer traffic'],
  // https://docs.datastax.com/en/cassandra-oss/3.x/cassandra/configuration/secureFireWall.html
  [7000, 'Cassandra inter-node traffic (storage_port)'],
  [7001, 'Cassandra inter-node TLS traffic (ssl_storage_port)'],
  [7199, 'Cassandra JMX monitoring'],
  // https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-network.html
  [9300, 'Elasticsearch transport between nodes'],
  // Debuggers run any code sent to them: https://nodejs.org/en/learn/getting-started/debugging
  // (--inspect's default 9229), JDWP's customary 5005 (the JDK's -agentlib:jdwp examples) and
  // Delve's 2345 (https://github.com/go-delve/delve/blob/master/Documentation/usage/dlv.md), and
  // debugpy's 5678, its documented `--listen` port ("anyone who can connect to the specified port
  // can then execute arbitrary code": https://github.com/microsoft/debugpy#debugpy-cli-usage).
  [9229, 'the Node.js inspector, which runs any code sent to it'],
  [9230, 'a second Node.js inspector, which runs any code sent to it'],
  [5005, 'the Java debugger (JDWP), which runs any code sent to it'],
  [2345, 'the Go debugger (Delve), which runs any code sent to it'],
  [5678, 'the Python debugger (debugpy), which runs any code sent to it'],
]);

/** Names that say the port carries the component's traffic: the number then does not hide it. */
const TRAFFIC_NAME_PREFIXES = ['http', 'https', 'h2c', 'web', 'ws', 'wss', 'grpc', 'tls', 'tcp', 'udp'];

/** The least a port must have for the heuristic (raw input is read through this too). */
type PortClue = { name?: unknown; port?: unknown; targetPort?: unknown; protocol?: unknown };

/**
 * The container port a Service port sends to, as `<protocol>/<targetPort>` (targetPort defaults to
 * the port): two Service ports with the same one reach the same socket in the pod, so one of them
 * cannot be kept in-cluster while the other is published.
 */
export function containerPortKey(port: PortClue): string {
  const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
  const target = port.targetPort ?? port.port;
  return `${protocol}/${typeof target === 'number' || typeof target === 'string' ? target : ''}`;
}

/** Why the port looks like it is not public traffic, or undefined when it does not. */
// Asked several times per port of every component (validation, recommendation, findings), of a
// few distinct name and number pairs: each answer is kept.
export const nonPublicReason: (port: PortClue) => string | undefined = keptAnswers(
  (port: PortClue) =>
    `${typeof port.name === 'string' ? port.name : ''}\u0000${typeof port.port === 'number' ? port.port : ''}`,
  findNonPublicReason,
);

function findNonPublicReason(port: PortClue): string | undefined {
  const name = typeof port.name === 'string' ? port.name.toLowerCase() : undefined;
  if (name !== undefined) {
    const part = name
      .split('-')
      .find((segment) => NON_PUBLIC_NAME_PARTS.some((keyword) => segment.startsWith(keyword)));
    if (part !== undefined) {
      return `its name "${port.name as string}" says ${part} traffic, not the component's own`;
    }
    if (TRAFFIC_NAME_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      return undefined;
    }
  }
  const why = typeof port.port === 'number' ? NON_PUBLIC_PORTS.get(port.port) : undefined;
  return why === undefined ? undefined : `${port.port as number} is ${why}`;
}

/**
 * The exposure of each port, in order: the user's when given, else the heuristic's. A port that
 * looks non-public (nonPublicReason) is internal only beside a port that carries traffic and stays
 * published: a component is never left without a published port by the heuristic, and one made
 * only of such ports (a public Prometheus) is taken to mean what it says. Nor does the heuristic
 * keep in-cluster a port whose container port a published port also sends to (containerPortKey):
 * that socket is published all the same, and the plan would say otherwise.
 * `componentIsInternal`: on an internal component every port is in-cluster already; left out, inherit.
 */
export function resolvePortExposures(
  ports: readonly (PortClue & { exposure?: unknown })[],
  componentIsInternal: boolean,
): PortExposure[] {
  const given = ports.map((port) =>
    port.exposure === 'inherit' || port.exposure === 'internal' ? port.exposure : undefined,
  );
  if (componentIsInternal) {
    return given.map((exposure) => exposure ?? 'inherit');
  }
  const carriesTraffic = ports.some(
    (port, index) => given[index] !== 'internal' && nonPublicReason(port) === undefined,
  );
  // The ports the heuristic may keep in-cluster: most components have none.
  const candidates = ports.filter((port, index) => given[index] === undefined && nonPublicReason(port) !== undefined);
  if (!carriesTraffic || candidates.length === 0) {
    return given.map((exposure) => exposure ?? 'inherit');
  }
  // The container ports published whatever the heuristic decides: given inherit, or carrying traffic.
  const published = new Set<string>();
  ports.forEach((port, index) => {
    if (given[index] === 'inherit' || (given[index] === undefined && nonPublicReason(port) === undefined)) {
      published.add(containerPortKey(port));
    }
  });
  return ports.map((port, index) => {
    const exposure = given[index];
    if (exposure !== undefined) {
      return exposure;
    }
    return candidates.includes(port) && !published.has(containerPortKey(port)) ? 'internal' : 'inherit';
  });
}

/** Whether the component's exposure applies per port at all: not for internal components nor ExternalName aliases. */
function splitsPorts(component: Pick<Component, 'exposure' | 'externalName'>): boolean {
  return component.exposure !== 'internal' && component.externalName === undefined;
}

/** The ports the component's Service publishes with its exposure: every port of an internal component. */
export function publishedPorts(component: Component): PortSpec[] {
  return splitsPorts(component) ? component.ports.filter((port) => port.exposure !== 'internal') : component.ports;
}

/** The ports kept in-cluster on `<component>-internal`: none on an internal component. */
export function internalPorts(component: Component): PortSpec[] {
  return splitsPorts(component) ? component.ports.filter((port) => port.exposure === 'internal') : [];
}

/** The component as its entry point sees it: its published ports only. The same object when nothing is held back. */
export function publishedView(component: Component): Component {
  const ports = publishedPorts(component);
  return ports.length === component.ports.length ? component : { ...component, ports };
}

/**
 * The topology as everything that decides, prices or verifies an entry point sees it: each
 * component with its published ports only. The Services that carry every port (headless,
 * `-internal`) and the NetworkPolicies for in-cluster callers read the full topology.
 */
export function publishedTopology(topology: Topology): Topology {
  return topology.components.every((component) => internalPorts(component).length === 0)
    ? topology
    : { ...topology, components: topology.components.map(publishedView) };
}

export const INTERNAL_SERVICE_SUFFIX = '-internal';

/** Validation refuses a component named after another's internal Service, and names too long to take the suffix. */
export function internalServiceName(componentName: string): string {
  return `${componentName}${INTERNAL_SERVICE_SUFFIX}`;
}

export function portReference(port: PortSpec): PortReference {
  const reference = (port.name === undefined ? {} : { name: port.name }) as PortReference;
  reference.port = port.port;
  reference.protocol = port.protocol;
  return reference;
}

/** What a recommendation says about the ports kept in-cluster: null when every port is published. */
export function internalServiceOf(component: Component): InternalService | null {
  const ports = internalPorts(component);
  return ports.length === 0 ? null : { name: internalServiceName(component.name), ports: ports.map(portReference) };
}

/** `metrics (9090/TCP)`, or `9090/TCP` for an unnamed port. */
export function describePort(port: PortSpec): string {
  return port.name === undefined ? `${port.port}/${port.protocol}` : `${port.name} (${port.port}/${port.protocol})`;
}

/**
 * The rationale lines of a component that keeps ports in-cluster: which, why (what the port looks
 * like, or else the user's exposure internal), and on what Service.
 */
export function internalPortsRationale(
  component: Component,
  topology: Topology,
  /** false when the plan publishes nothing of the component (a data store asked to be public stays ClusterIP). */
  publishesSomething = true,
): string[] {
  const ports = internalPorts(component);
  if (ports.length === 0) {
    return [];
  }
  const reasons = ports.map((port) => `${describePort(port)}: ${nonPublicReason(port) ?? 'exposure internal'}`);
  const pinned = ports.filter((port) => port.nodePort !== undefined);
  const service = internalServiceName(component.name);
  const published = publishedPorts(component);
  const callers = (dependentsByComponent(topology).get(component.name) ?? [])
    .filter((other) => other.externalName === undefined)
    .map((other) => other.name);
  const peers = component.workload === 'StatefulSet' ? ['its own pods (StatefulSet peers)'] : [];
  const admitted = [...(callers.length === 0 ? [] : [`its callers (${callers.join(', ')})`]), ...peers];
  return [
    `${
      publishesSomething
        ? `only ${published.map(describePort).join(', ')} ${published.length === 1 ? 'is' : 'are'} published (exposure ${component.exposure})`
        : `nothing is published, and the ports that would stay in-cluster anyway have a Service of their own`
    }; kept in-cluster on the ClusterIP Service ${service} (${service}.${topology.namespace}.svc), same pods: ${reasons.join('; ')}. ${
      admitted.length === 0
        ? 'No component calls it, so its NetworkPolicy admits no one there: list the scraper or client in the topology with dependsOn, or reach them with kubectl port-forward'
        : `Its NetworkPolicy admits them from ${admitted.join(' and ')} only`
    } (set exposure "inherit" on a port to publish it)`,
    ...(pinned.length === 0
      ? []
      : [
          `the pinned nodePort ${pinned.map((port) => `${port.nodePort} (port ${port.name ?? port.port})`).join(', ')} is ignored: ${service} is a ClusterIP Service and opens no node port`,
        ]),
  ];
}

/**
 * Published ports the heuristic would keep in-cluster, each with why it looks non-public and the
 * published port that carries traffic to the same container port, if one does: such a port cannot
 * be kept in-cluster (the socket is published anyway), so it is said in the rationale
 * (sharedContainerPortRationale); the others were published because the port says exposure
 * inherit (EXP023).
 */
export function publishedNonPublicPorts(
  component: Component,
): { port: PortSpec; reason: string; sharesWith: PortSpec | undefined }[] {
  if (!splitsPorts(component)) {
    return [];
  }
  const published = publishedPorts(component);
  // The heuristic hides such a port only beside a published port that carries traffic.
  const traffic = published.filter((port) => nonPublicReason(port) === undefined);
  if (traffic.length === 0) {
    return [];
  }
  return published.flatMap((port) => {
    const reason = nonPublicReason(port);
    if (reason === undefined) {
      return [];
    }
    const key = containerPortKey(port);
    return [{ port, reason, sharesWith: traffic.find((other) => containerPortKey(other) === key) }];
  });
}

/** The rationale line of published ports that look non-public but share their container port with a traffic port. */
export function sharedContainerPortRationale(component: Component): string[] {
  const shared = publishedNonPublicPorts(component).filter(({ sharesWith }) => sharesWith !== undefined);
  return shared.map(
    ({ port, reason, sharesWith }) =>
      `${describePort(port)} is published although ${reason}: it sends to the same container port (${containerPortKey(port)}) as ${describePort(sharesWith as PortSpec)}, which carries the component's traffic, so keeping it in-cluster would not keep that socket in; give it a container port of its own (targetPort) to keep it in-cluster`,
  );
}
