import { DNS1123_LABEL_MAX_LENGTH } from '../names.js';
import { INTERNAL_SERVICE_SUFFIX, containerPortKey, internalServiceName, resolvePortExposures } from '../ports.js';
import { EXPOSURES, PROTOCOLS } from '../types.js';
import { quote } from './messages.js';
import type { FoundProblem } from './problems.js';

/* ------------------------------------------------------------------------------------------------
 * The meaning checks of per-port exposure (ports.ts), over the raw input like the others in
 * meaning.ts: every read checks its type first.
 * ---------------------------------------------------------------------------------------------- */

type RawObject = Record<string, unknown>;

function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function read(object: RawObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** A component whose exposure applies per port: not internal (the default), not an ExternalName alias. */
function splitsPorts(component: RawObject): boolean {
  const exposure = read(component, 'exposure');
  return (
    typeof exposure === 'string' &&
    (EXPOSURES as readonly string[]).includes(exposure) &&
    exposure !== 'internal' &&
    read(component, 'externalName') === undefined
  );
}

function rawPorts(component: RawObject): RawObject[] {
  const ports = read(component, 'ports');
  return Array.isArray(ports) ? ports.filter(isObject) : [];
}

/**
 * Whether the raw component will get the Service `<name>-internal`, by the rule the defaults apply:
 * some of its ports stay in-cluster and some are published.
 */
export function rawGetsInternalService(component: unknown): boolean {
  if (!isObject(component) || !splitsPorts(component)) {
    return false;
  }
  const exposures = resolvePortExposures(rawPorts(component), false);
  return exposures.includes('internal') && exposures.includes('inherit');
}

/** The `-internal` Service names the plan will create, each with the index of its component. */
export function internalServiceOwners(
  components: readonly unknown[],
  names: readonly (string | undefined)[],
): ReadonlyMap<string, number> {
  const owners = new Map<string, number>();
  components.forEach((component, index) => {
    const name = names[index];
    if (name !== undefined && rawGetsInternalService(component) && !owners.has(internalServiceName(name))) {
      owners.set(internalServiceName(name), index);
    }
  });
  return owners;
}

/** A Service name is a DNS label of at most 63 characters, and the suffix takes 9 of them. */
export const MAX_NAME_WITH_INTERNAL_SERVICE = DNS1123_LABEL_MAX_LENGTH - INTERNAL_SERVICE_SUFFIX.length;

/**
 * The problems of one component's per-port exposure:
 *   - a component that is not internal and keeps every port in-cluster publishes nothing: its
 *     exposure would be a promise no object keeps;
 *   - a port kept in-cluster that shares its container port with a published one: the socket is
 *     published all the same, so "internal" would be a promise no object keeps;
 *   - a component named after another's `-internal` Service (two Services cannot share a name, and
 *     renaming either behind the user's back would break its callers' DNS name);
 *   - a name too long to take the `-internal` suffix.
 */
export function checkPortExposure(
  component: RawObject,
  index: number,
  name: string | undefined,
  owners: ReadonlyMap<string, number>,
  names: readonly (string | undefined)[],
  into: FoundProblem[],
): void {
  const ports = rawPorts(component);
  if (splitsPorts(component) && ports.length > 0 && ports.every((port) => read(port, 'exposure') === 'internal')) {
    const exposure = read(component, 'exposure');
    into.push({
      segments: ['components', index, 'ports'],
      message: `every port has exposure "internal", so nothing of this ${String(exposure)} component would be published; set exposure "inherit" on the port that carries its traffic, or make the component internal`,
    });
  }
  if (splitsPorts(component)) {
    checkSharedContainerPorts(component, index, into);
  }
  if (name === undefined) {
    return;
  }
  const ownerIndex = owners.get(name);
  if (ownerIndex !== undefined && ownerIndex !== index) {
    into.push({
      segments: ['components', index, 'name'],
      message: `component name ${quote(name)} is the name of the Service that keeps the in-cluster ports of ${quote(names[ownerIndex] ?? '')} (components[${ownerIndex}]), and two Services cannot share a name; rename one of them, or set exposure "inherit" on those ports`,
    });
  }
  if (name.length > MAX_NAME_WITH_INTERNAL_SERVICE && rawGetsInternalService(component)) {
    into.push({
      segments: ['components', index, 'name'],
      message: `a component that keeps ports in-cluster gets a second Service "<name>${INTERNAL_SERVICE_SUFFIX}", so its name is at most ${MAX_NAME_WITH_INTERNAL_SERVICE} characters (${quote(name)} has ${name.length}); shorten it, or set exposure "inherit" on those ports`,
    });
  }
}

/** A port whose container port can be told: a port number, a targetPort number or name if given, a known protocol. */
function containerPortIsKnown(port: RawObject): boolean {
  const protocol = read(port, 'protocol');
  const targetPort = read(port, 'targetPort');
  return (
    typeof read(port, 'port') === 'number' &&
    (targetPort === undefined || typeof targetPort === 'number' || typeof targetPort === 'string') &&
    (protocol === undefined || (PROTOCOLS as readonly unknown[]).includes(protocol))
  );
}

function describeRawPort(port: RawObject): string {
  const name = read(port, 'name');
  // Only ports whose protocol is known get here (containerPortIsKnown).
  const protocol = read(port, 'protocol');
  const number = `${String(read(port, 'port'))}/${typeof protocol === 'string' ? protocol : 'TCP'}`;
  return typeof name === 'string' ? `${quote(name)} (${number})` : number;
}

/** Ports with exposure "internal" whose container port a published port of the same component sends to. */
function checkSharedContainerPorts(component: RawObject, index: number, into: FoundProblem[]): void {
  const raw = read(component, 'ports');
  // Only a port the user keeps internal can be refused here.
  if (!Array.isArray(raw) || !raw.some((port: unknown) => isObject(port) && read(port, 'exposure') === 'internal')) {
    return;
  }
  const known = raw.map((port: unknown) => (isObject(port) && containerPortIsKnown(port) ? port : undefined));
  const ports = known.filter((port) => port !== undefined);
  const exposures = resolvePortExposures(ports, false);
  const publishedBy = new Map<string, RawObject>();
  ports.forEach((port, at) => {
    const key = containerPortKey(port);
    if (exposures[at] === 'inherit' && !publishedBy.has(key)) {
      publishedBy.set(key, port);
    }
  });
  known.forEach((port, portIndex) => {
    if (port === undefined || read(port, 'exposure') !== 'internal') {
      return;
    }
    const key = containerPortKey(port);
    const published = publishedBy.get(key);
    if (published !== undefined) {
      into.push({
        segments: ['components', index, 'ports', portIndex, 'exposure'],
        message: `port ${describeRawPort(port)} has exposure "internal", but port ${describeRawPort(published)} is published and sends to the same container port (${key}): that socket is reachable from outside all the same; give the two ports different targetPorts, or remove exposure "internal"`,
      });
    }
  });
}
