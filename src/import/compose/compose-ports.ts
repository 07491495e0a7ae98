import { MAX_PORTS_PER_COMPONENT } from '../../planner/topology/schema.js';
import type { Problem, Protocol } from '../../planner/types.js';
import type { ComposePortObject } from './compose-document.js';

/** One container port a Compose service declares, in `ports` (published) or `expose` (internal). */
export type ComposePort = {
  /** The container port: the Service's targetPort. */
  target: number;
  /** The port on the host, when `ports` names one. */
  published?: number;
  /** `ports` binds it on the host; `expose` only opens it to the other services. */
  publishedOnHost: boolean;
  /** The host address it is bound to, when `ports` names one (127.0.0.1: the host alone reaches it). */
  hostIp?: string;
  protocol: Protocol;
  name?: string;
  appProtocol?: string;
  /** Where it was read: `ports[1]`, `expose[0]`. */
  path: string;
};

// [HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]; an IPv6 host address is in brackets
// (https://github.com/compose-spec/compose-spec/blob/main/spec.md#ports).
const SHORT_PORT =
  /^(?:(?<hostIp>\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(?:(?<published>\d+(?:-\d+)?)?:)?(?<target>\d+(?:-\d+)?)(?:\/(?<protocol>tcp|udp|sctp))?$/i;
const EXPOSE_PORT = /^(?<target>\d+(?:-\d+)?)(?:\/(?<protocol>tcp|udp|sctp))?$/i;

type Range = { first: number; last: number };

function rangeOf(text: string): Range | undefined {
  const [first, last = first] = text.split('-').map(Number);
  if (first === undefined || last === undefined || !isPort(first) || !isPort(last) || last < first) {
    return undefined;
  }
  return { first, last };
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65_535;
}

function protocolOf(text: string | undefined): Protocol {
  return (text?.toUpperCase() ?? 'TCP') as Protocol;
}

/**
 * The ports of one service, from `ports` (short and long syntax, ranges, host addresses, /udp) and
 * `expose`, with a problem for each entry that cannot be read.
 */
export function composePorts(
  service: { ports?: unknown[]; expose?: unknown[] },
  servicePath: string,
): { ports: ComposePort[]; problems: Problem[] } {
  const ports: ComposePort[] = [];
  const problems: Problem[] = [];
  (service.ports ?? []).forEach((entry, index) => {
    const path = `ports[${index}]`;
    const read =
      typeof entry === 'object' && entry !== null
        ? longSyntax(entry as ComposePortObject, path)
        : shortSyntax(String(entry), path);
    if (typeof read === 'string') {
      problems.push({ path: `${servicePath}.${path}`, message: read });
    } else {
      ports.push(...read);
    }
  });
  (service.expose ?? []).forEach((entry, index) => {
    const path = `expose[${index}]`;
    const match = EXPOSE_PORT.exec(String(entry));
    const range = match?.groups?.target === undefined ? undefined : rangeOf(match.groups.target);
    if (match === null || range === undefined) {
      problems.push({
        path: `${servicePath}.${path}`,
        message: `${JSON.stringify(entry)} is not a port or range such as "3000", "8000-8010" or "53/udp"`,
      });
      return;
    }
    for (let port = range.first; port <= range.last; port++) {
      ports.push({ target: port, publishedOnHost: false, protocol: protocolOf(match.groups?.protocol), path });
    }
  });
  if (ports.length > MAX_PORTS_PER_COMPONENT) {
    problems.push({
      path: servicePath,
      message: `${ports.length} ports after expanding ranges; a component has at most ${MAX_PORTS_PER_COMPONENT}`,
    });
  }
  return { ports, problems };
}

function shortSyntax(text: string, path: string): ComposePort[] | string {
  const match = SHORT_PORT.exec(text);
  const groups = match?.groups;
  const target = groups?.target === undefined ? undefined : rangeOf(groups.target);
  if (groups === undefined || target === undefined) {
    return `${JSON.stringify(text)} is not a Compose port such as "80", "8080:80", "127.0.0.1:9229:9229" or "53:53/udp"`;
  }
  const published = groups.published === undefined ? undefined : rangeOf(groups.published);
  if (groups.published !== undefined && published === undefined) {
    return `${JSON.stringify(text)}: the host port ${groups.published} is not a port or range`;
  }
  const count = target.last - target.first + 1;
  const hostCount = published === undefined ? 0 : published.last - published.first + 1;
  if (published !== undefined && hostCount !== count && hostCount !== 1 && count !== 1) {
    return `${JSON.stringify(text)}: the host range and the container range differ in length`;
  }
  const hostIp = groups.hostIp?.replace(/^\[|\]$/g, '');
  const result: ComposePort[] = [];
  for (let offset = 0; offset < count; offset++) {
    // A host range for one container port lets Compose pick any one of them: the first stands for it.
    const host = published === undefined ? undefined : hostCount === count ? published.first + offset : published.first;
    result.push({
      target: target.first + offset,
      ...(host === undefined ? {} : { published: host }),
      publishedOnHost: true,
      ...(hostIp === undefined ? {} : { hostIp }),
      protocol: protocolOf(groups.protocol),
      path,
    });
  }
  return result;
}

function longSyntax(entry: ComposePortObject, path: string): ComposePort[] | string {
  if (!isPort(entry.target)) {
    return `target ${JSON.stringify(entry.target)} is not a port (1-65535)`;
  }
  const published = entry.published === undefined ? undefined : rangeOf(String(entry.published));
  if (entry.published !== undefined && published === undefined) {
    return `published ${JSON.stringify(entry.published)} is not a port or range`;
  }
  const protocol = entry.protocol?.toLowerCase();
  if (protocol !== undefined && !['tcp', 'udp', 'sctp'].includes(protocol)) {
    return `protocol ${JSON.stringify(entry.protocol)} is not tcp, udp or sctp`;
  }
  return [
    {
      target: entry.target,
      ...(published === undefined ? {} : { published: published.first }),
      publishedOnHost: true,
      ...(entry.host_ip === undefined ? {} : { hostIp: entry.host_ip }),
      protocol: protocolOf(protocol),
      ...(entry.name === undefined ? {} : { name: entry.name }),
      ...(entry.app_protocol === undefined ? {} : { appProtocol: entry.app_protocol }),
      path,
    },
  ];
}

/** Bound to a loopback address, a published port is reachable from the host alone, like `expose`. */
export function isLoopbackOnly(port: ComposePort): boolean {
  return (
    port.hostIp !== undefined &&
    (port.hostIp.startsWith('127.') || port.hostIp === '::1' || port.hostIp === 'localhost')
  );
}
