import { DNS1123_LABEL_MAX_LENGTH, dns1035LabelProblem, dnsNameProblem, qualifiedNameProblem } from '../names.js';
import { HEADLESS_SUFFIX, headlessServiceName } from '../manifest-conventions.js';
import { NODE_PORT_RANGE, getsHeadlessService } from '../rules.js';
import { GATEWAY_CATALOG } from '../routing/gateway-classes.js';
import { knownGatewayClasses, otherPlatformsClass } from '../routing/gateway-class-choice.js';
import { LOAD_BALANCER_PROVIDERS, PROTOCOLS, type LoadBalancerProvider, type Platform } from '../types.js';
import { describeValue, didYouMean, quote } from './messages.js';
import { checkAllowFrom } from './allow-from.js';
import { checkPortExposure, internalServiceOwners } from './port-exposure.js';
import { SelectorNesting, labelPair } from './selector-nesting.js';
import type { FoundProblem, Segment } from './problems.js';
import {
  MAX_COMPONENTS,
  MAX_LABELS,
  MAX_PORTS_PER_COMPONENT,
  MAX_STATEFULSET_NAME_LENGTH,
  ROUTE_PATH_PATTERN,
} from './schema.js';

/* ------------------------------------------------------------------------------------------------
 * Pass 2: meaning, over the raw input. Every read checks its type first, because this pass also
 * runs when the shape is wrong; only well-formed values take part, so one mistake is not reported
 * twice under two names. Lookups use Maps: names such as "constructor" must not hit Object.prototype.
 * ---------------------------------------------------------------------------------------------- */

type RawObject = Record<string, unknown>;

export function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function read(object: RawObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function readString(object: RawObject, key: string): string | undefined {
  const value = read(object, key);
  return typeof value === 'string' ? value : undefined;
}

function readWhole(object: RawObject, key: string, min: number, max: number): number | undefined {
  const value = read(object, key);
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

function readProtocol(port: RawObject): string | undefined {
  const value = read(port, 'protocol');
  if (value === undefined) {
    return 'TCP';
  }
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value) ? value : undefined;
}

function isLoadBalancerProvider(value: unknown): value is LoadBalancerProvider {
  return typeof value === 'string' && (LOAD_BALANCER_PROVIDERS as readonly string[]).includes(value);
}

/** Only these providers take addresses from a named pool. */
const POOL_PROVIDERS: ReadonlySet<LoadBalancerProvider> = new Set(['metallb', 'kube-vip']);

export function checkEnvironment(environment: RawObject, into: FoundProblem[]): void {
  checkSharedGateway(environment, into);
  checkGatewayClassName(environment, into);
  const provider = read(environment, 'loadBalancerProvider');
  if (read(environment, 'addressPool') === undefined || (provider !== undefined && !isLoadBalancerProvider(provider))) {
    return;
  }
  const effective: LoadBalancerProvider | undefined = isLoadBalancerProvider(provider)
    ? provider
    : read(environment, 'platform') === 'k3s'
      ? 'servicelb'
      : undefined;
  if (effective === undefined || !POOL_PROVIDERS.has(effective)) {
    into.push({
      segments: ['environment', 'addressPool'],
      message: `addressPool is only used by MetalLB or kube-vip, and the load balancer provider here is ${effective ?? 'none'}; set loadBalancerProvider to metallb or kube-vip, or remove addressPool`,
    });
  }
}

type PinnedNodePort = {
  component: number;
  componentName: string | undefined;
  port: number;
  servicePort?: number | undefined;
  protocol?: string | undefined;
};

function componentLabel(index: number, name: string | undefined): string {
  return name === undefined ? `components[${index}]` : `component ${quote(name)} (components[${index}])`;
}

function checkPorts(
  component: RawObject,
  componentIndex: number,
  componentName: string | undefined,
  pinned: Map<number, PinnedNodePort>,
  into: FoundProblem[],
): void {
  const ports = read(component, 'ports');
  if (!Array.isArray(ports) || ports.length > MAX_PORTS_PER_COMPONENT) {
    return;
  }
  const base: Segment[] = ['components', componentIndex, 'ports'];
  const byName = new Map<string, number>();
  const byNumber = new Map<string, number>();
  ports.forEach((port: unknown, portIndex) => {
    if (!isObject(port)) {
      return;
    }
    const name = read(port, 'name');
    const servicePort = readWhole(port, 'port', 1, 65_535);
    const protocol = readProtocol(port);
    if (name === undefined && ports.length > 1) {
      into.push({
        segments: [...base, portIndex, 'name'],
        message: `${servicePort === undefined ? 'this port' : `port ${servicePort}`} needs a name: when a component has several ports, each must be named`,
      });
    }
    if (typeof name === 'string') {
      const first = byName.get(name);
      if (first === undefined) {
        byName.set(name, portIndex);
      } else {
        into.push({
          segments: [...base, portIndex, 'name'],
          message: `port name ${quote(name)} is already used by ports[${first}]`,
        });
      }
    }
    if (servicePort !== undefined && protocol !== undefined) {
      const key = `${servicePort}/${protocol}`;
      const first = byNumber.get(key);
      if (first === undefined) {
        byNumber.set(key, portIndex);
      } else {
        into.push({
          segments: [...base, portIndex, 'port'],
          message: `port ${key} is already declared by ports[${first}]`,
        });
      }
    }
    const nodePort = readWhole(port, 'nodePort', NODE_PORT_RANGE.min, NODE_PORT_RANGE.max);
    if (nodePort === undefined) {
      return;
    }
    const first = pinned.get(nodePort);
    if (first === undefined) {
      pinned.set(nodePort, { component: componentIndex, componentName, port: portIndex, servicePort, protocol });
      return;
    }
    // One Service may serve the same port on TCP and UDP through one node port (DNS does);
    // otherwise a node port number is unique in the cluster whatever the protocol.
    const sameServiceOtherProtocol =
      first.component === componentIndex &&
      first.servicePort !== undefined &&
      first.servicePort === servicePort &&
      first.protocol !== protocol;
    if (sameServiceOtherProtocol) {
      return;
    }
    into.push({
      segments: [...base, portIndex, 'nodePort'],
      message:
        first.component === componentIndex
          ? `nodePort ${nodePort} is already pinned by ports[${first.port}] of this component; only the same port on another protocol may share a nodePort`
          : `nodePort ${nodePort} is already pinned by ${componentLabel(first.component, first.componentName)}, ports[${first.port}]; a nodePort is unique in the whole cluster, whatever the protocol`,
    });
  });
}

function checkDependencies(
  component: RawObject,
  index: number,
  name: string | undefined,
  firstIndexByName: ReadonlyMap<string, number>,
  into: FoundProblem[],
): void {
  const dependsOn = read(component, 'dependsOn');
  if (!Array.isArray(dependsOn) || dependsOn.length > MAX_COMPONENTS) {
    return;
  }
  const seen = new Map<string, number>();
  dependsOn.forEach((dependency: unknown, dependencyIndex) => {
    if (typeof dependency !== 'string') {
      return;
    }
    const segments = ['components', index, 'dependsOn', dependencyIndex];
    const earlier = seen.get(dependency);
    if (earlier !== undefined) {
      into.push({
        segments,
        message: `${quote(dependency)} is listed twice in dependsOn (also dependsOn[${earlier}])`,
      });
      return;
    }
    seen.set(dependency, dependencyIndex);
    if (dependency === name) {
      into.push({ segments, message: `a component cannot depend on itself (${quote(dependency)})` });
    } else if (!firstIndexByName.has(dependency)) {
      into.push({
        segments,
        message: `${quote(dependency)} is not a component of this topology${didYouMean(dependency, [...firstIndexByName.keys()])}`,
      });
    }
  });
}

/**
 * The pod selector a component ends up with, as sorted label pairs (selector-nesting.ts): its
 * labels, or `app: <name>` by default; undefined when it is not well-formed.
 */
function selectorPairs(component: RawObject, name: string | undefined): string[] | undefined {
  const labels = read(component, 'labels');
  if (labels === undefined) {
    return name === undefined ? undefined : [labelPair('app', name)];
  }
  if (!isObject(labels)) {
    return undefined;
  }
  const entries = Object.entries(labels);
  if (entries.length === 0 || entries.some(([, value]) => typeof value !== 'string')) {
    return undefined;
  }
  return entries.map(([key, value]) => labelPair(key, String(value))).sort();
}

function checkLabels(component: RawObject, index: number, external: boolean, into: FoundProblem[]): void {
  const labels = read(component, 'labels');
  if (!isObject(labels)) {
    return;
  }
  const keys = Object.keys(labels);
  const segments = ['components', index, 'labels'];
  if (keys.length > MAX_LABELS) {
    into.push({ segments, message: `at most ${MAX_LABELS} labels are allowed, got ${keys.length}` });
  }
  if (keys.length === 0 && !external) {
    into.push({
      segments,
      message:
        'labels must not be empty: they are the pod selector, and an empty one would select every pod in the namespace; leave labels out to use { app: <name> }',
    });
  }
  // zod skips a "__proto__" key (so that it cannot replace a prototype), so it is reported here.
  if (keys.includes('__proto__')) {
    into.push({
      segments: [...segments, '__proto__'],
      message: `label key "__proto__" is not valid: ${qualifiedNameProblem('__proto__') ?? 'it is reserved'}`,
    });
  }
}

/** What the meaning checks of one component need to know about the others. */
type MeaningContext = {
  components: readonly unknown[];
  names: readonly (string | undefined)[];
  firstIndexByName: ReadonlyMap<string, number>;
  pinned: Map<number, PinnedNodePort>;
  routes: Map<string, number>;
  selectors: Map<string, number>;
  /** The earlier selectors, to find one nested in another (selector-nesting.ts). */
  nesting: SelectorNesting;
  /** The headless Service names the plan will create, each with the index of its StatefulSet. */
  headlessOwners: ReadonlyMap<string, number>;
  /** The `-internal` Service names the plan will create (port-exposure.ts), each with the index of its component. */
  internalOwners: ReadonlyMap<string, number>;
};

export function meaningContext(components: readonly unknown[]): MeaningContext {
  // Every name first: a component may depend on one listed after it.
  const firstIndexByName = new Map<string, number>();
  const names = components.map((component, index) => {
    const name = isObject(component) ? readString(component, 'name') : undefined;
    if (name !== undefined && !firstIndexByName.has(name)) {
      firstIndexByName.set(name, index);
    }
    return name;
  });
  const headlessOwners = new Map<string, number>();
  components.forEach((component, index) => {
    const name = names[index];
    if (name !== undefined && rawGetsHeadlessService(component) && !headlessOwners.has(headlessServiceName(name))) {
      headlessOwners.set(headlessServiceName(name), index);
    }
  });
  return {
    components,
    names,
    firstIndexByName,
    pinned: new Map(),
    routes: new Map(),
    selectors: new Map(),
    nesting: new SelectorNesting(),
    headlessOwners,
    internalOwners: internalServiceOwners(components, names),
  };
}

/**
 * The checks of components[index] that involve other components only ever compare it with EARLIER
 * ones (a clash is reported at the second occurrence), so components can be checked in order and
 * the checking can stop anywhere with every problem up to there found.
 */
export function checkComponent(context: MeaningContext, index: number, into: FoundProblem[]): void {
  const component = context.components[index];
  if (!isObject(component)) {
    return;
  }
  const name = context.names[index];
  const duplicateName = name !== undefined && context.firstIndexByName.get(name) !== index;
  if (name !== undefined) {
    const first = context.firstIndexByName.get(name);
    if (duplicateName && first !== undefined) {
      into.push({
        segments: ['components', index, 'name'],
        message: `component name ${quote(name)} is already used by components[${first}]`,
      });
    }
  }
  const workload = read(component, 'workload');
  if (
    workload === 'StatefulSet' &&
    name !== undefined &&
    name.length > MAX_STATEFULSET_NAME_LENGTH &&
    dns1035LabelProblem(name) === undefined
  ) {
    into.push({
      segments: ['components', index, 'name'],
      message: `a StatefulSet's name is at most ${MAX_STATEFULSET_NAME_LENGTH} characters (${quote(name)} has ${name.length}): its headless Service is named "<name>${HEADLESS_SUFFIX}", and a Service name is at most ${DNS1123_LABEL_MAX_LENGTH}`,
    });
  }

  if (name !== undefined && !duplicateName) {
    checkHeadlessNameClash(context, name, index, into);
  }

  checkPorts(component, index, name, context.pinned, into);
  checkPortExposure(component, index, duplicateName ? undefined : name, context.internalOwners, context.names, into);
  checkDependencies(component, index, name, context.firstIndexByName, into);
  checkAllowFrom(component, index, into);

  const externalName = read(component, 'externalName');
  const exposure = read(component, 'exposure');
  const external = externalName !== undefined;
  if (external && exposure !== undefined && exposure !== 'internal') {
    into.push({
      segments: ['components', index, 'exposure'],
      message: `exposure ${typeof exposure === 'string' ? quote(exposure) : describeValue(exposure)} cannot go with externalName: externalName is for a dependency outside the cluster, which this cluster does not expose; remove exposure or externalName`,
    });
  }
  checkRouting(context, component, index, exposure, into);
  checkLabels(component, index, external, into);
  // A duplicate name with default labels repeats the name's selector: one mistake, reported once (above).
  if (!external && !(duplicateName && read(component, 'labels') === undefined)) {
    checkSelector(context, component, index, into);
  }
}

/** Whether the raw component will get a headless Service, by the rule the recommender applies. */
function rawGetsHeadlessService(component: unknown): boolean {
  if (!isObject(component)) {
    return false;
  }
  const ports = read(component, 'ports');
  return getsHeadlessService({
    workload: read(component, 'workload'),
    externalName: read(component, 'externalName'),
    ports: Array.isArray(ports) ? ports : [],
  });
}

/**
 * A component named `db-headless` next to a StatefulSet `db` with ports would share its Service
 * name with db's headless Service: two Services cannot share a name, and renaming either one
 * behind the user's back would break the StatefulSet's spec.serviceName or the callers' DNS name.
 * Reported at the component that took the name, wherever the StatefulSet is listed.
 */
function checkHeadlessNameClash(context: MeaningContext, name: string, index: number, into: FoundProblem[]): void {
  const ownerIndex = context.headlessOwners.get(name);
  if (ownerIndex === undefined) {
    return;
  }
  into.push({
    segments: ['components', index, 'name'],
    message: `component name ${quote(name)} is the name of the headless Service of StatefulSet ${quote(context.names[ownerIndex] ?? '')} (components[${ownerIndex}]), and two Services cannot share a name; rename one of them`,
  });
}

function checkRouting(
  context: MeaningContext,
  component: RawObject,
  index: number,
  exposure: unknown,
  into: FoundProblem[],
): void {
  const host = read(component, 'host');
  const path = read(component, 'path');
  if (read(component, 'tls') === true && host === undefined) {
    into.push({
      segments: ['components', index, 'tls'],
      message: 'tls needs a host: a TLS certificate is issued for a host name; add host or remove tls',
    });
  }
  if (exposure !== 'public' || (host === undefined && path === undefined)) {
    return;
  }
  const hostOk =
    host === undefined || (typeof host === 'string' && dnsNameProblem(host, { wildcard: true }) === undefined);
  const pathOk = path === undefined || (typeof path === 'string' && ROUTE_PATH_PATTERN.test(path));
  if (!hostOk || !pathOk) {
    return;
  }
  const routePath = typeof path === 'string' ? path : '/';
  const key = `${typeof host === 'string' ? host : ''}\n${routePath}`;
  const first = context.routes.get(key);
  if (first === undefined) {
    context.routes.set(key, index);
    return;
  }
  const route =
    typeof host === 'string'
      ? `host ${quote(host)} with path ${quote(routePath)}`
      : `path ${quote(routePath)} on any host`;
  into.push({
    segments: ['components', index, host === undefined ? 'path' : 'host'],
    message: `${route} is already routed to ${componentLabel(first, context.names[first])}; give each public component its own host or path`,
  });
}

function checkSelector(context: MeaningContext, component: RawObject, index: number, into: FoundProblem[]): void {
  const pairs = selectorPairs(component, context.names[index]);
  if (pairs === undefined) {
    return;
  }
  // Pairs are sorted and each joins a key and value with NUL, so two equal selectors give one key.
  const selector = pairs.join('\u0000\u0000');
  const first = context.selectors.get(selector);
  if (first !== undefined) {
    into.push({
      segments: ['components', index, 'labels'],
      message: `these labels are the same pod selector as ${componentLabel(first, context.names[first])}'s: each Service would send traffic to the other's pods; give each component its own labels`,
    });
    return;
  }
  context.selectors.set(selector, index);
  const { selectsPodsOf, podsSelectedBy } = context.nesting.nesting(pairs);
  context.nesting.add(index, pairs);
  if (selectsPodsOf !== undefined) {
    const other = componentLabel(selectsPodsOf, context.names[selectsPodsOf]);
    into.push({
      segments: ['components', index, 'labels'],
      message: `these labels (the pod selector) are all among those of ${other}, so they select its pods too: whatever the plan aims at this component by its labels (its Services, its NetworkPolicies) would reach those pods as well; add a label those pods do not carry`,
    });
  }
  if (podsSelectedBy !== undefined) {
    const other = componentLabel(podsSelectedBy, context.names[podsSelectedBy]);
    into.push({
      segments: ['components', index, 'labels'],
      message: `every label of ${other} is among these, so its pod selector selects this component's pods too: whatever the plan aims at it by its labels (its Services, its NetworkPolicies) would reach these pods as well; give it a label these pods do not carry`,
    });
  }
}

/**
 * A GatewayClass override only means something to Gateway API routes, and a class the catalog
 * knows for another platform only (a GKE class on AWS) would never be served: both refused. A
 * class the catalog does not know at all is accepted and used as named (routing/gateway-class-choice.ts).
 */
function checkGatewayClassName(environment: RawObject, into: FoundProblem[]): void {
  const platform = read(environment, 'platform');
  const className = read(environment, 'gatewayClassName');
  if (typeof className !== 'string' || typeof platform !== 'string' || !(platform in GATEWAY_CATALOG)) {
    return;
  }
  const routing = read(environment, 'routing');
  const effective = routing ?? GATEWAY_CATALOG[platform as Platform].routing;
  if (effective === 'ingress') {
    into.push({
      segments: ['environment', 'gatewayClassName'],
      message: `gatewayClassName names the class of the plan's Gateway, but routing here is ingress${routing === undefined ? ` (the ${platform} default)` : ''}; set routing to "gateway-api", or remove gatewayClassName`,
    });
    return;
  }
  const elsewhere = otherPlatformsClass(platform as Platform, className);
  if (elsewhere !== undefined) {
    into.push({
      segments: ['environment', 'gatewayClassName'],
      message: `"${className}" is a GatewayClass of ${elsewhere.join(', ')}, not of ${platform}; use one of ${knownGatewayClasses(platform as Platform).join(', ')}, or your own class`,
    });
  }
}

/** A shared Gateway only means something to Gateway API routes: with an Ingress it would be silently ignored. */
function checkSharedGateway(environment: RawObject, into: FoundProblem[]): void {
  const platform = read(environment, 'platform');
  const routing = read(environment, 'routing');
  if (read(environment, 'gateway') === undefined || typeof platform !== 'string' || !(platform in GATEWAY_CATALOG)) {
    return;
  }
  const effective = routing ?? GATEWAY_CATALOG[platform as Platform].routing;
  if (effective === 'ingress') {
    into.push({
      segments: ['environment', 'gateway'],
      message: `gateway names an existing Gateway for Gateway API routes, but routing here is ingress${routing === undefined ? ` (the ${platform} default)` : ''}; set routing to "gateway-api", or remove gateway`,
    });
  }
}
