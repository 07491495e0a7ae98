import { formatUsd, toCents } from '../planner/cost.js';
import { asRecord } from '../planner/findings/manifest-reading.js';
import { publishedPorts } from '../planner/ports.js';
import type {
  Component,
  CostItem,
  Finding,
  KubeObject,
  PlanResult,
  Recommendation,
  Severity,
} from '../planner/types.js';
import { dependencyReach, type Reach } from './network-policy-reach.js';

/**
 * The traffic diagram of a plan, as data: what the renderers (Mermaid, DOT → SVG) draw, and what
 * the tests read. A pure function of the stored plan; it never plans again, so a stored revision
 * is drawn as it was planned.
 *
 * Read left to right: who may connect (the internet, the VPC) → each entry point (a load
 * balancer, the shared Ingress or Gateway, a NodePort on the nodes) → the Services → the
 * components' pods → what they depend on, as the plan's NetworkPolicies allow it.
 */

export type DiagramNodeKind = 'source' | 'entry-point' | 'service' | 'component' | 'external' | 'caller';

/** In a diff diagram: what happened to a node or edge between the two revisions; absent when unchanged. */
export type DiagramChange = 'added' | 'removed' | 'changed';

export type DiagramNode = {
  /** Stable across revisions (kind and name), so a diff can match nodes; never shown. */
  id: string;
  kind: DiagramNodeKind;
  /** The first line of the label. */
  title: string;
  /** The following lines, in order. */
  details: string[];
  /** Drawn inside the namespace's box. */
  inCluster: boolean;
  /** The ids of its high or critical findings, worst first: the node is marked. */
  severeFindings?: { severity: Severity; ids: string[] };
  change?: DiagramChange;
};

export type DiagramEdgeKind = 'traffic' | 'depends-on' | 'alias';

export type DiagramEdge = {
  from: string;
  to: string;
  kind: DiagramEdgeKind;
  label?: string;
  /** A dependsOn call the NetworkPolicies refuse: drawn dashed, in red. */
  blocked?: boolean;
  change?: Exclude<DiagramChange, 'changed'>;
};

export type Diagram = {
  /** One line: the plan, its platform and namespace, the monthly total (or the revisions of a diff). */
  title: string;
  /** Sentences for screen readers and the SVG's description: what the picture shows. */
  description: string;
  namespace: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** Lines under the picture: namespace-wide severe findings, shared costs no entry point carries. */
  notes: string[];
};

/** What the diagram reads of a plan: a stored revision, a preview, or a bare planner result. */
export type DiagramPlan = PlanResult & { revision?: number };

const INTERNET = 'source:internet';
const VPC = 'source:vpc';
const SEVERE: readonly Severity[] = ['critical', 'high'];

export function diagramOf(plan: DiagramPlan): Diagram {
  const { topology } = plan;
  const nodes = new Map<string, DiagramNode>();
  const edges: DiagramEdge[] = [];
  const add = (node: DiagramNode): void => {
    if (!nodes.has(node.id)) {
      nodes.set(node.id, node);
    }
  };
  const byName = new Map(topology.components.map((component) => [component.name, component]));
  const recommendations = new Map(plan.recommendations.map((r) => [r.component, r]));
  const services = servicesByName(plan.manifests);
  const findings = severeFindingsByComponent(plan.findings);
  const costs = costsByEntryPoint(plan);

  // Sources first, so both renderers put them at the left edge in a fixed order.
  const sources = new Set<string>();
  const source = (id: typeof INTERNET | typeof VPC): string => {
    sources.add(id);
    return id;
  };

  // One edge from a source to each entry point, however many components it serves.
  const sourceEdges = new Set<string>();
  // The shared L7 entry point: the Ingress or the Gateway, with its class.
  const shared = sharedEntryPoint(plan, costs.shared);
  for (const component of topology.components) {
    const recommendation = recommendations.get(component.name);
    if (recommendation === undefined) {
      continue;
    }
    const serviceId = `service:${component.name}`;
    if (recommendation.serviceType === 'ExternalName') {
      add(serviceNode(component, recommendation, services, findings));
      add({
        id: `external:${component.name}`,
        kind: 'external',
        title: component.externalName ?? services.get(component.name)?.externalName ?? component.name,
        details: ['outside the cluster'],
        inCluster: false,
      });
      edges.push({ from: serviceId, to: `external:${component.name}`, kind: 'alias', label: 'DNS alias (CNAME)' });
      continue;
    }
    add(componentNode(component, findings));
    if (recommendation.serviceType === null) {
      continue;
    }
    add(serviceNode(component, recommendation, services, findings));
    edges.push({
      from: serviceId,
      to: `component:${component.name}`,
      kind: 'traffic',
      label: targetPortsLabel(component),
    });
    const entry = entryPointOf(component, recommendation, services, costs, shared);
    if (entry !== undefined) {
      add(entry.node);
      const from = source(entry.publicSource ? INTERNET : VPC);
      if (!sourceEdges.has(`${from} ${entry.node.id}`)) {
        sourceEdges.add(`${from} ${entry.node.id}`);
        // A shared entry point admits the sources of every component it routes: no one component's ranges.
        const label = entry.node === shared?.node ? undefined : sourcesLabel(component);
        edges.push({ from, to: entry.node.id, kind: 'traffic', ...(label === undefined ? {} : { label }) });
      }
      edges.push({
        from: entry.node.id,
        to: serviceId,
        kind: 'traffic',
        ...(entry.label === undefined ? {} : { label: entry.label }),
      });
    }
    for (const caller of component.allowFrom ?? []) {
      const id = `caller:${caller.namespace}/${labelsText(caller.podLabels ?? {})}`;
      add({
        id,
        kind: 'caller',
        title: `namespace ${caller.namespace}`,
        details: caller.podLabels === undefined ? ['every pod'] : [`pods ${labelsText(caller.podLabels)}`],
        inCluster: false,
      });
      edges.push({
        from: id,
        to: serviceId,
        kind: 'depends-on',
        label: caller.ports === undefined ? 'every port' : caller.ports.map(String).join(', '),
      });
    }
  }

  for (const component of topology.components) {
    for (const dependency of component.dependsOn) {
      const target = byName.get(dependency);
      if (target === undefined) {
        continue;
      }
      const targetService = recommendations.get(dependency)?.serviceType ?? null;
      const reach = dependencyReach(plan, component, target);
      edges.push({
        from: `component:${component.name}`,
        to: targetService === null ? `component:${dependency}` : `service:${dependency}`,
        kind: 'depends-on',
        ...reachLabel(reach),
      });
    }
  }

  const sourceNodes = [...sources].sort().map((id): DiagramNode => sourceNode(id, plan));
  const ordered = [...sourceNodes, ...orderedByKind([...nodes.values()])];
  return {
    title: titleOf(plan),
    description: describe(plan, ordered),
    namespace: topology.namespace,
    nodes: ordered,
    edges,
    notes: notesOf(plan, costs.unassigned),
  };
}

/** Sources, entry points, then Services, then components, then what lies outside: each group in the order given. */
export function orderedByKind(nodes: DiagramNode[]): DiagramNode[] {
  const rank: Record<DiagramNodeKind, number> = {
    source: 0,
    'entry-point': 1,
    caller: 2,
    service: 3,
    component: 4,
    external: 5,
  };
  return nodes
    .map((node, index) => ({ node, index }))
    .sort((a, b) => rank[a.node.kind] - rank[b.node.kind] || a.index - b.index)
    .map(({ node }) => node);
}

function sourceNode(id: string, plan: DiagramPlan): DiagramNode {
  if (id === INTERNET) {
    return { id, kind: 'source', title: 'Internet', details: [], inCluster: false };
  }
  const cloud = ['aws', 'gcp', 'azure', 'digitalocean', 'other-cloud'].includes(plan.topology.environment.platform);
  return {
    id,
    kind: 'source',
    title: cloud ? 'VPC' : 'Private network',
    details: plan.topology.environment.nodeCidr ?? [],
    inCluster: false,
  };
}

function titleOf(plan: DiagramPlan): string {
  const { topology } = plan;
  const revision = plan.revision === undefined ? '' : ` (revision ${plan.revision})`;
  return (
    `${topology.name}${revision}: ${topology.environment.platform}, namespace ${topology.namespace}, ` +
    `${formatUsd(plan.cost.monthlyTotal)}/mo`
  );
}

function describe(plan: DiagramPlan, nodes: DiagramNode[]): string {
  // A screen reader reads this text aloud: "1 entry point", never "1 entry points".
  const count = (kind: DiagramNodeKind, one: string, many: string): string => {
    const n = nodes.filter((node) => node.kind === kind).length;
    return `${n} ${n === 1 ? one : many}`;
  };
  const marked = nodes.filter((node) => node.severeFindings !== undefined).map((node) => node.title);
  return (
    `Traffic diagram of plan ${plan.topology.name}: ${count('entry-point', 'entry point', 'entry points')}, ` +
    `${count('service', 'Service', 'Services')}, ` +
    `${count('component', 'component with pods', 'components with pods')}, ` +
    `${count('external', 'target outside the cluster', 'targets outside the cluster')}. ` +
    (marked.length === 0
      ? 'No component has a high or critical finding.'
      : `Components with a high or critical finding: ${marked.join(', ')}.`)
  );
}

function notesOf(plan: DiagramPlan, unassigned: CostItem[]): string[] {
  const notes = plan.findings
    .filter((finding) => finding.component === undefined && SEVERE.includes(finding.severity))
    .map((finding) => `${finding.severity} ${finding.id} (namespace): ${finding.title}`);
  for (const item of unassigned) {
    notes.push(`${formatUsd(item.monthly)}/mo not on one entry point: ${item.description}`);
  }
  return notes;
}

function componentNode(component: Component, findings: Map<string, Finding[]>): DiagramNode {
  const severe = findings.get(component.name);
  return {
    id: `component:${component.name}`,
    kind: 'component',
    title: component.name,
    details: [`${component.workload} x${component.replicas}, ${component.role}`],
    inCluster: true,
    ...(severe === undefined ? {} : { severeFindings: severeMark(severe) }),
  };
}

function serviceNode(
  component: Component,
  recommendation: Recommendation,
  services: Map<string, RenderedService>,
  findings: Map<string, Finding[]>,
): DiagramNode {
  const service = services.get(component.name);
  const details = [recommendation.serviceType ?? 'no Service'];
  if (service !== undefined && service.ports.length > 0) {
    details.push(service.ports.join(', '));
  }
  if (recommendation.serviceType !== 'ExternalName' && recommendation.serviceType !== null) {
    if (recommendation.internalService !== null) {
      const ports = recommendation.internalService.ports.map((port) => `${port.port}/${port.protocol}`).join(', ');
      details.push(`+ ${recommendation.internalService.name} (ClusterIP): ${ports}`);
    }
    if (recommendation.headless) {
      details.push(`+ ${component.name}-headless (clusterIP: None)`);
    }
  }
  // An ExternalName has no pods: its findings mark the Service, the only node it has in the cluster.
  const severe = recommendation.serviceType === 'ExternalName' ? findings.get(component.name) : undefined;
  return {
    id: `service:${component.name}`,
    kind: 'service',
    title: `Service ${component.name}`,
    details,
    inCluster: true,
    ...(severe === undefined ? {} : { severeFindings: severeMark(severe) }),
  };
}

function severeMark(findings: Finding[]): { severity: Severity; ids: string[] } {
  const worst = SEVERE.find((severity) => findings.some((finding) => finding.severity === severity)) ?? 'high';
  return { severity: worst, ids: [...new Set(findings.map((finding) => finding.id))] };
}

/** Each component's high and critical findings, critical first, in plan order within a severity. */
function severeFindingsByComponent(findings: Finding[]): Map<string, Finding[]> {
  const byComponent = new Map<string, Finding[]>();
  for (const severity of SEVERE) {
    for (const finding of findings) {
      if (finding.severity !== severity || finding.component === undefined) {
        continue;
      }
      appendTo(byComponent, finding.component, finding);
    }
  }
  return byComponent;
}

type EntryPoint = { node: DiagramNode; label?: string; publicSource: boolean };

type SharedEntryPoint = { node: DiagramNode; kind: 'ingress' | 'gateway'; components: Set<string> };

function sharedEntryPoint(plan: DiagramPlan, cost: CostItem[]): SharedEntryPoint | undefined {
  const costLine = cost.length === 0 ? [] : [`${formatUsd(sum(cost))}/mo`];
  if (plan.gateway !== null) {
    const gateway = plan.gateway;
    return {
      kind: 'gateway',
      components: new Set(gateway.components),
      node: {
        id: 'entry:gateway',
        kind: 'entry-point',
        title: `Gateway ${gateway.namespace}/${gateway.name}`,
        details: [
          `class ${gateway.className}${gateway.shared ? ' (existing, shared)' : ''}`,
          gateway.routeKinds.map((route) => route.kind).join(', '),
          ...costLine,
        ].filter((line) => line !== ''),
        inCluster: false,
      },
    };
  }
  if (plan.ingress !== null) {
    const ingress = plan.ingress;
    const names = plan.manifests.filter((object) => object.kind === 'Ingress').map((object) => object.metadata.name);
    return {
      kind: 'ingress',
      components: new Set(ingress.components),
      node: {
        id: 'entry:ingress',
        kind: 'entry-point',
        title: names.length === 0 ? 'Ingress' : `Ingress ${[...new Set(names)].join(', ')}`,
        details: [
          `class ${ingress.className}${ingress.controllerPresent ? '' : ' (controller to install)'}`,
          ...costLine,
        ],
        inCluster: false,
      },
    };
  }
  return undefined;
}

function entryPointOf(
  component: Component,
  recommendation: Recommendation,
  services: Map<string, RenderedService>,
  costs: EntryPointCosts,
  shared: SharedEntryPoint | undefined,
): EntryPoint | undefined {
  const own = costs.byComponent.get(component.name) ?? [];
  const costLine = own.length === 0 ? [] : [`${formatUsd(sum(own))}/mo`];
  switch (recommendation.serviceType) {
    case 'LoadBalancer':
      return {
        publicSource: recommendation.scheme === 'internet-facing',
        node: {
          id: `entry:load-balancer:${component.name}`,
          kind: 'entry-point',
          title: `Load balancer for ${component.name}`,
          details: [recommendation.scheme, ...costLine],
          inCluster: false,
        },
        label: publishedPortsLabel(component),
      };
    case 'NodePort': {
      const nodePorts = services.get(component.name)?.nodePorts ?? [];
      return {
        publicSource: component.exposure === 'public',
        node: {
          id: `entry:node-port:${component.name}`,
          kind: 'entry-point',
          title: `NodePort on every node`,
          details: [
            `for ${component.name}`,
            nodePorts.length === 0 ? 'node port assigned by Kubernetes' : `node ports ${nodePorts.join(', ')}`,
            ...costLine,
          ],
          inCluster: false,
        },
        label: publishedPortsLabel(component),
      };
    }
    case 'ClusterIP':
      if (recommendation.entryPoint !== 'ingress' || shared === undefined || !shared.components.has(component.name)) {
        return undefined;
      }
      return {
        publicSource: component.exposure === 'public',
        node: shared.node,
        label: routeLabel(component),
      };
    case 'ExternalName':
    case null:
      return undefined;
  }
}

function routeLabel(component: Component): string {
  const host = component.host ?? '*';
  const scheme = component.tls === true ? 'https' : 'http';
  return `${scheme}://${host}${component.path ?? '/'}`;
}

function publishedPortsLabel(component: Component): string {
  return publishedPorts(component)
    .map((port) => `${port.port}/${port.protocol}`)
    .join(', ');
}

function targetPortsLabel(component: Component): string {
  return component.ports.map((port) => `${String(port.targetPort)}/${port.protocol}`).join(', ');
}

/** The allowed source ranges, when they are narrower than every address. */
function sourcesLabel(component: Component): string | undefined {
  const narrowed = component.allowedSources.filter((cidr) => cidr !== '0.0.0.0/0' && cidr !== '::/0');
  return narrowed.length === 0 ? undefined : narrowed.join(', ');
}

function reachLabel(reach: Reach): Pick<DiagramEdge, 'label' | 'blocked'> {
  switch (reach.kind) {
    case 'allowed':
      return { label: reach.ports.join(', ') };
    case 'unrestricted':
      return { label: `${reach.ports.join(', ')} (no NetworkPolicy)` };
    case 'blocked':
      return { label: `blocked by NetworkPolicy (${reach.why})`, blocked: true };
    case 'no-ports':
      return { label: 'no port to call', blocked: true };
  }
}

function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

type RenderedService = { ports: string[]; nodePorts: number[]; externalName?: string };

/** The Services as rendered (a TLS listener may have moved a port, a node port may be pinned), by name. */
function servicesByName(manifests: KubeObject[]): Map<string, RenderedService> {
  const services = new Map<string, RenderedService>();
  for (const object of manifests) {
    if (object.kind !== 'Service' || services.has(object.metadata.name)) {
      continue;
    }
    const spec = asRecord(object.spec) ?? {};
    const ports = (Array.isArray(spec.ports) ? (spec.ports as unknown[]) : []).map((port) => asRecord(port) ?? {});
    services.set(object.metadata.name, {
      ports: ports.map((port) => {
        const target = port.targetPort === undefined ? '' : `→${scalar(port.targetPort)}`;
        return `${scalar(port.port)}${target}/${port.protocol === undefined ? 'TCP' : scalar(port.protocol)}`;
      }),
      nodePorts: ports.flatMap((port) => (typeof port.nodePort === 'number' ? [port.nodePort] : [])),
      ...(typeof spec.externalName === 'string' ? { externalName: spec.externalName } : {}),
    });
  }
  return services;
}

/** A number or string field of a manifest as text; anything else (never rendered so) as "?". */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
}

type EntryPointCosts = {
  byComponent: Map<string, CostItem[]>;
  /** The shared Ingress's or Gateway's lines. */
  shared: CostItem[];
  /** Lines no single entry point carries (AKS's load balancer shared by the whole cluster). */
  unassigned: CostItem[];
};

/**
 * Cost lines by the entry point they pay for: a component's own load balancer names the
 * component; the shared L7 entry point's lines name none and say whom they are for ("for the
 * ingress controller (class …)", "for the Gateway (class …)", cost.ts).
 */
function costsByEntryPoint(plan: DiagramPlan): EntryPointCosts {
  const costs: EntryPointCosts = { byComponent: new Map(), shared: [], unassigned: [] };
  const hasShared = plan.ingress !== null || plan.gateway !== null;
  for (const item of plan.cost.items) {
    if (item.component !== undefined) {
      appendTo(costs.byComponent, item.component, item);
    } else if (hasShared && /for the (ingress controller|Gateway) \(class /.test(item.description)) {
      costs.shared.push(item);
    } else if (item.monthly > 0) {
      costs.unassigned.push(item);
    }
  }
  return costs;
}

/** Appends in place: a plan of 2,000 components must not copy a list per item. */
export function appendTo<T>(lists: Map<string, T[]>, key: string, item: T): void {
  const list = lists.get(key);
  if (list === undefined) {
    lists.set(key, [item]);
  } else {
    list.push(item);
  }
}

function sum(items: CostItem[]): number {
  // In cents, so that three lines add up to what the cost table says.
  return items.reduce((total, item) => total + toCents(item.monthly), 0) / 100;
}
