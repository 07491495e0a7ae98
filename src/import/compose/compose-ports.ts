import { isIP } from 'node:net';
import { isLoopbackAddress } from '../../common/loopback-address.js';
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
  /**
   * The host address it is bound to, when `ports` names one: an IPv4 or IPv6 address, without
   * brackets, as written (127.0.0.1, ::1, ::ffff:127.0.0.1: the host alone reaches it).
   */
  hostIp?: string;
  protocol: Protocol;
  name?: string;
  appProtocol?: string;
  /** Where it was read: `ports[1]`, `expose[0]`. */
  path: string;
};

// The short syntax, as the Compose Specification gives it (05-services.md, "ports", "Short syntax",
// https://github.com/compose-spec/compose-spec/blob/170098ba07d9f53c383a41bfd4c5166b0a4529a6/05-services.md):
// `[HOST:]CONTAINER[/PROTOCOL]`, HOST being `[IP:](port | range)`, an IPv6 address bare (`::1:6000:6000`)
// or in brackets (`[::1]:6001:6001`). Split as Docker splits it: the last colon-separated field is the container
// port, the one before it the host port, and everything before that the host address.
const SHORT_SYNTAX =
  '[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], such as "80", "8080:80", "127.0.0.1:9229:9229" or "53:53/udp"';
const PORT_OR_RANGE = /^\d+(?:-\d+)?$/;
const PROTOCOLS = ['tcp', 'udp', 'sctp'];
const EXPOSE_PORT = /^(?<target>\d+(?:-\d+)?)(?:\/(?<protocol>tcp|udp|sctp))?$/i;

type Range = { first: number; last: number };

function rangeOf(text: string): Range | undefined {
  if (!PORT_OR_RANGE.test(text)) {
    return undefined;
  }
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

/** The host address of a port, without its brackets, or a reason it is not one. */
function hostAddress(text: string): { address: string } | { wrong: string } {
  const bracketed = /^\[(?<inside>.*)\]$/.exec(text)?.groups?.inside;
  const address = bracketed ?? text;
  // A zone (fe80::1%eth0) names an interface, not an address to bind to: refused with the rest.
  const version = address.includes('%') ? 0 : isIP(address);
  if (version === 0) {
    return { wrong: `the host address ${JSON.stringify(text)} is not an IPv4 or IPv6 address` };
  }
  if (bracketed !== undefined && version !== 6) {
    return { wrong: `the host address ${JSON.stringify(text)} is in brackets, which only an IPv6 address takes` };
  }
  return { address };
}

/** Parses the short syntax (SHORT_SYNTAX): a port per container port, or the reason it is not one. */
function shortSyntax(text: string, path: string): ComposePort[] | string {
  const wrong = (reason: string) => `${JSON.stringify(text)} is not a Compose port (${SHORT_SYNTAX}): ${reason}`;
  const [ports = '', protocolText, ...more] = text.split('/');
  if (more.length > 0) {
    return wrong('it has more than one "/"');
  }
  const protocol = protocolText?.toLowerCase();
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    return wrong(`the protocol ${JSON.stringify(protocolText)} is not tcp, udp or sctp`);
  }
  const fields = ports.split(':');
  const containerText = fields.pop() ?? '';
  const hostPortText = fields.pop();
  const hostIpText = fields.length === 0 ? undefined : fields.join(':');
  const target = rangeOf(containerText);
  if (target === undefined) {
    return wrong(`the container port ${JSON.stringify(containerText)} is not a port (1-65535) or range (8000-8010)`);
  }
  let hostIp: string | undefined;
  if (hostIpText !== undefined) {
    const read = hostAddress(hostIpText);
    if ('wrong' in read) {
      // `2001:db8::1:80` reads as host address 2001:db8: and host port 1: brackets say where it ends.
      return wrong(`${read.wrong} (write an IPv6 address in brackets: "[::1]:8080:80")`);
    }
    hostIp = read.address;
  }
  // An empty host port after an address (`127.0.0.1::80`) lets the host pick one, as a bare container port does.
  if (hostPortText === '' && hostIp === undefined) {
    return wrong(`the host port before ":" is empty; write ${JSON.stringify(containerText)} to let the host pick one`);
  }
  const published = hostPortText === undefined || hostPortText === '' ? undefined : rangeOf(hostPortText);
  if (hostPortText !== undefined && hostPortText !== '' && published === undefined) {
    return wrong(`the host port ${JSON.stringify(hostPortText)} is not a port (1-65535) or range (8000-8010)`);
  }
  const count = target.last - target.first + 1;
  const hostCount = published === undefined ? 0 : published.last - published.first + 1;
  // A host range for one container port lets Compose pick any one of them (`8000-9000:80`); a
  // container range needs a host range as long.
  if (published !== undefined && hostCount !== count && count !== 1) {
    return wrong(`the host range ${hostPortText ?? ''} and the container range ${containerText} differ in length`);
  }
  const result: ComposePort[] = [];
  for (let offset = 0; offset < count; offset++) {
    // Of a host range for one container port, the first stands for it.
    const host = published === undefined ? undefined : published.first + (hostCount === count ? offset : 0);
    result.push({
      target: target.first + offset,
      ...(host === undefined ? {} : { published: host }),
      publishedOnHost: true,
      ...(hostIp === undefined ? {} : { hostIp }),
      protocol: protocolOf(protocol),
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
    return `published ${JSON.stringify(entry.published)} is not a port (1-65535) or range (8000-8010)`;
  }
  const protocol = entry.protocol?.toLowerCase();
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    return `protocol ${JSON.stringify(entry.protocol)} is not tcp, udp or sctp`;
  }
  let hostIp: string | undefined;
  if (entry.host_ip !== undefined) {
    const read = hostAddress(entry.host_ip);
    if ('wrong' in read) {
      return `host_ip: ${read.wrong}`;
    }
    hostIp = read.address;
  }
  return [
    {
      target: entry.target,
      ...(published === undefined ? {} : { published: published.first }),
      publishedOnHost: true,
      ...(hostIp === undefined ? {} : { hostIp }),
      protocol: protocolOf(protocol),
      ...(entry.name === undefined ? {} : { name: entry.name }),
      ...(entry.app_protocol === undefined ? {} : { appProtocol: entry.app_protocol }),
      path,
    },
  ];
}

/** Bound to a loopback address, a published port is reachable from the host alone, like `expose`. */
export function isLoopbackOnly(port: ComposePort): boolean {
  return port.hostIp !== undefined && isLoopbackAddress(port.hostIp);
}
