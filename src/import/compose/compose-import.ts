import { DNS1123_LABEL_MAX_LENGTH } from '../../planner/names.js';
import { nonPublicReason } from '../../planner/ports.js';
import { SENSITIVE_PORTS } from '../../planner/sensitive-ports.js';
import type { TopologyInput } from '../../planner/topology/schema.js';
import type { Exposure, Problem, Role, Workload } from '../../planner/types.js';
import {
  importedTopology,
  inSourceOrder,
  type ImportNote,
  type ImportResult,
  type ImportTarget,
} from '../import-result.js';
import { readSetting, SETTING_NAMES, SETTING_PREFIX, type ComponentSettings } from '../component-settings.js';
import { dataStoreNamedIn, wellKnownImage, type WellKnownImage } from '../well-known-images.js';
import { composeDocumentProblems, type ComposeFile, type ComposeService } from './compose-document.js';
import { composePorts, isLoopbackOnly, type ComposePort } from './compose-ports.js';

type PortInput = NonNullable<TopologyInput['components'][number]['ports']>[number];
type ComponentInput = TopologyInput['components'][number];

const OVERRIDE_EXTENSION = 'x-exposure-planner';
/** Kompose's label for "give this service an Ingress on this host" (https://kompose.io/user-guide/#labels). */
const KOMPOSE_EXPOSE_LABEL = 'kompose.service.expose';

/** Ports that carry HTTP in nearly every image that listens on them: named so, for the planner's L7 choice. */
const HTTP_PORT_NAMES = new Map([
  [80, 'http'],
  [8080, 'http'],
  [3000, 'http'],
  [8000, 'http'],
  [5000, 'http'],
  [443, 'https'],
  [8443, 'https'],
]);

type Service = {
  composeName: string;
  name: string;
  path: string;
  raw: ComposeService;
  image: WellKnownImage | undefined;
  overrides: ComponentSettings;
  ports: ComposePort[];
  dependsOn: Set<string>;
};

/**
 * A Compose file as a topology: one component per service, its ports, roles, exposure and
 * dependencies, with one note per decision or guess. Pure: the document is already parsed.
 */
export function importCompose(document: unknown, target: ImportTarget): ImportResult {
  const problems = composeDocumentProblems(document);
  if (problems.length > 0) {
    // The schema accepts any string as a port: the ports' own problems are listed with the schema's.
    return { ok: false, problems: [...problems, ...portSyntaxProblems(document)] };
  }
  const file = document as ComposeFile;
  const notes: ImportNote[] = [];
  const services = readServices(file, notes, problems);
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  const byComposeName = new Map(services.map((service) => [service.composeName, service]));
  readDependencies(services, byComposeName, notes, problems);
  readNetworkModes(services, byComposeName, notes, problems);
  readUnmappedSettings(services, notes, problems);
  const referencedPorts = portsNamedByOthers(services, byComposeName);
  const callers = callersOf(services);
  const components = services.map((service) =>
    componentOf(service, {
      callers: callers.get(service.composeName) ?? [],
      referencedPorts: referencedPorts.get(service.composeName),
      nameOf: (composeName) => byComposeName.get(composeName)?.name ?? composeName,
      notes,
    }),
  );
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  return importedTopology({ components, composeName: file.name, target, notes: inFileOrder(notes, file) });
}

/** Notes grouped by service, in the file's order (they were found phase by phase). */
function inFileOrder(notes: ImportNote[], file: ComposeFile): ImportNote[] {
  const order = new Map(Object.keys(file.services).map((name, index) => [`services.${name}`, index]));
  const rank = (note: ImportNote) => {
    const [, service] = /^(services\.[^.[]+)/.exec(note.path) ?? [];
    return service === undefined ? -1 : (order.get(service) ?? -1);
  };
  return inSourceOrder(notes, rank);
}

function portSyntaxProblems(document: unknown): Problem[] {
  const services = (document as { services?: unknown } | null)?.services;
  if (services === null || typeof services !== 'object') {
    return [];
  }
  return Object.entries(services).flatMap(([name, service]) => {
    const { ports, expose } = (service ?? {}) as { ports?: unknown; expose?: unknown };
    return composePorts(
      { ports: Array.isArray(ports) ? ports : [], expose: Array.isArray(expose) ? expose : [] },
      `services.${name}`,
    ).problems;
  });
}

function readServices(file: ComposeFile, notes: ImportNote[], problems: Problem[]): Service[] {
  const services: Service[] = [];
  const taken = new Set<string>();
  for (const [composeName, raw] of Object.entries(file.services)) {
    const path = `services.${composeName}`;
    if (raw.profiles !== undefined && raw.profiles.length > 0) {
      notes.push({
        path: `${path}.profiles`,
        message: `left out: it runs only when a profile is named (docker compose --profile ${raw.profiles.join('/')} up), not by default`,
      });
      continue;
    }
    const name = uniqueName(componentName(composeName), taken);
    if (name !== composeName) {
      notes.push({
        path,
        message: `named "${name}": a Service name must be a DNS-1035 label (lowercase letters, digits and "-", starting with a letter)`,
      });
    }
    const read = composePorts(raw, path);
    problems.push(...read.problems);
    services.push({
      composeName,
      name,
      path,
      raw,
      image: wellKnownImage(raw.image) ?? dataStoreNamedIn(raw.image),
      overrides: readOverrides(raw, path, problems, notes),
      ports: mergeDuplicatePorts(read.ports),
      dependsOn: new Set(),
    });
  }
  if (services.length === 0) {
    problems.push({ path: 'services', message: 'no service runs without a profile: there is nothing to plan' });
  }
  return services;
}

/** `plausible_db` → `plausible-db`, `2fa` → `s-2fa`: a DNS-1035 label. */
export function componentName(composeName: string): string {
  const label = composeName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const startsWithLetter = /^[a-z]/.test(label) ? label : `s-${label}`;
  return startsWithLetter.slice(0, DNS1123_LABEL_MAX_LENGTH).replace(/-+$/, '') || 'service';
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let suffix = 2; taken.has(candidate); suffix++) {
    candidate = `${name.slice(0, DNS1123_LABEL_MAX_LENGTH - String(suffix).length - 1)}-${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

function labelsOf(raw: ComposeService): Record<string, string> {
  if (Array.isArray(raw.labels)) {
    return Object.fromEntries(
      raw.labels.map((entry) => {
        const [key = '', ...value] = entry.split('=');
        return [key, value.join('=')];
      }),
    );
  }
  return raw.labels ?? {};
}

function readOverrides(raw: ComposeService, path: string, problems: Problem[], notes: ImportNote[]): ComponentSettings {
  const labels = labelsOf(raw);
  const given: Record<string, { value: unknown; path: string }> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(SETTING_PREFIX)) {
      given[key.slice(SETTING_PREFIX.length)] = { value, path: `${path}.labels.${key}` };
    }
  }
  const extension = raw[OVERRIDE_EXTENSION];
  if (extension !== undefined) {
    if (extension === null || typeof extension !== 'object' || Array.isArray(extension)) {
      problems.push({
        path: `${path}.${OVERRIDE_EXTENSION}`,
        message: 'must be a mapping such as { exposure: public }',
      });
    } else {
      for (const [key, value] of Object.entries(extension)) {
        given[key] = { value, path: `${path}.${OVERRIDE_EXTENSION}.${key}` };
      }
    }
  }
  const overrides: ComponentSettings = {};
  for (const [key, { value, path: where }] of Object.entries(given)) {
    if (!readSetting(overrides, key, value, where, problems)) {
      problems.push({
        path: where,
        message: `"${key}" is not an Exposure Planner setting: use ${SETTING_NAMES.join(', ')}`,
      });
    }
  }
  const komposeHost = labels[KOMPOSE_EXPOSE_LABEL];
  if (overrides.host === undefined && komposeHost !== undefined && komposeHost !== 'true' && komposeHost !== '') {
    const [host = ''] = komposeHost.split(',');
    overrides.host = host.trim();
    notes.push({
      path: `${path}.labels.${KOMPOSE_EXPOSE_LABEL}`,
      message: `host "${overrides.host}" read from Kompose's label`,
    });
  }
  return overrides;
}

// The same container port in `ports` and `expose` (or twice in `ports`, on two host ports) is one
// Service port; published wins over exposed.
function mergeDuplicatePorts(ports: ComposePort[]): ComposePort[] {
  const byKey = new Map<string, ComposePort>();
  for (const port of ports) {
    const key = `${port.target}/${port.protocol}`;
    const seen = byKey.get(key);
    if (
      seen === undefined ||
      (!seen.publishedOnHost && port.publishedOnHost) ||
      (seen.publishedOnHost && isLoopbackOnly(seen) && !isLoopbackOnly(port))
    ) {
      byKey.set(key, port);
    }
  }
  return [...byKey.values()];
}

function environmentEntries(raw: ComposeService): [string, string][] {
  if (Array.isArray(raw.environment)) {
    return raw.environment.map((entry) => {
      const [key = '', ...value] = entry.split('=');
      return [key, value.join('=')];
    });
  }
  return Object.entries(raw.environment ?? {}).flatMap(([key, value]) =>
    value === null ? [] : [[key, String(value)]],
  );
}

// Variables that hold where to call: DATABASE_HOST, REDIS_URL, FLASK_SERVER_ADDR, KAFKA_BROKERS…
const ADDRESS_VARIABLE = /(HOST|ADDR|ADDRESS|URL|URI|SERVER|SERVERS|ENDPOINT|BROKERS?|DSN)$/i;
// "db", "db:5432", "http://ai-service:5001/", "postgres://user:pw@db:5432/app": the host and port named.
const HOST_REFERENCE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/\s]*@)?(?<host>[A-Za-z0-9_.-]+)(?::(?<port>\d{1,5}))?(?:[/?#]\S*)?$/;

/**
 * The services another service's environment says it calls: a variable named like an address
 * (…_HOST, …_URL, …_ADDR) whose value is a service name, alone, with a port or in a URL.
 */
function hostReferences(raw: ComposeService): { host: string; port?: number }[] {
  return environmentEntries(raw).flatMap(([key, value]) => {
    if (!ADDRESS_VARIABLE.test(key)) {
      return [];
    }
    const match = HOST_REFERENCE.exec(value.trim());
    const host = match?.groups?.host;
    if (host === undefined) {
      return [];
    }
    const port = match?.groups?.port === undefined ? undefined : Number(match.groups.port);
    return [{ host, ...(port === undefined ? {} : { port }) }];
  });
}

function readDependencies(
  services: Service[],
  byComposeName: Map<string, Service>,
  notes: ImportNote[],
  problems: Problem[],
): void {
  for (const service of services) {
    const declared = Array.isArray(service.raw.depends_on)
      ? service.raw.depends_on
      : Object.keys(service.raw.depends_on ?? {});
    for (const target of declared) {
      if (byComposeName.has(target)) {
        service.dependsOn.add(target);
      } else {
        problems.push({
          path: `${service.path}.depends_on`,
          message: `"${target}" is not a service of this file, or runs only with a profile`,
        });
      }
    }
    for (const reference of hostReferences(service.raw)) {
      if (
        reference.host !== service.composeName &&
        byComposeName.has(reference.host) &&
        !service.dependsOn.has(reference.host)
      ) {
        service.dependsOn.add(reference.host);
        notes.push({
          path: `${service.path}.environment`,
          message: `depends on ${byComposeName.get(reference.host)?.name}: its environment names that service as a host, so the NetworkPolicies admit the call`,
        });
      }
    }
  }
}

/**
 * `network_mode` has no counterpart in the topology: each pod gets the cluster's network. Said per
 * service, with what the import did instead (Compose Specification 05-services.md, network_mode
 * and ports).
 */
function readNetworkModes(
  services: Service[],
  byComposeName: Map<string, Service>,
  notes: ImportNote[],
  problems: Problem[],
): void {
  for (const service of services) {
    const mode = service.raw.network_mode;
    const path = `${service.path}.network_mode`;
    if (mode === undefined || mode === 'bridge' || mode === 'default') {
      continue;
    }
    if (mode === 'host') {
      if ((service.raw.ports ?? []).length > 0) {
        problems.push({
          path: `${service.path}.ports`,
          message:
            'ports must not be used with network_mode: host (Compose Specification, ports: a runtime error, the container is on the host network already); list the ports it listens on under expose instead',
        });
        continue;
      }
      notes.push({
        path,
        message: `host: in Compose the container listens on the host's own interfaces, every port it opens reachable wherever the host is. Here its pod has a network of its own (no hostNetwork): only the ports under expose, or inferred, get a Service, and it is published only if ${OVERRIDE_EXTENSION}.exposure says so`,
      });
    } else if (mode === 'none') {
      notes.push({
        path,
        message:
          'none: no network in Compose; its pod has the cluster network all the same, and the NetworkPolicies admit only the calls the topology declares',
      });
    } else if (mode.startsWith('service:')) {
      const target = mode.slice('service:'.length);
      const host = byComposeName.get(target);
      if (host === undefined || host === service) {
        problems.push({
          path,
          message: `"${target}" is not another service of this file, or runs only with a profile`,
        });
        continue;
      }
      const hostPublished = host.ports.filter((port) => port.publishedOnHost).map((port) => port.target);
      notes.push({
        path,
        message: `shares ${target}'s network stack: in Compose its ports are served at ${target}'s address${hostPublished.length > 0 ? `, and those ${target} publishes (${hostPublished.join(', ')}) may be this container's` : ''}. Kubernetes would run the two as containers of one pod (Kompose merges them so), which a topology cannot express: ${host.name} keeps the ports ${target} declares, and reaches this container's only if they are its own; ${service.name} is a pod of its own, whose own ports (expose, image) get a Service named ${service.name}. Move the ports to the service that listens on them, or run the two as one`,
      });
    } else if (mode.startsWith('container:')) {
      notes.push({
        path,
        message: `shares the network stack of the container ${mode.slice('container:'.length)}, which this file does not define: here its pod has a network of its own`,
      });
    }
  }
}

/**
 * Settings the topology does not carry, said rather than dropped: `scale` is read as replicas
 * (consistent with deploy.replicas, as the specification requires), the rest is noted.
 */
function readUnmappedSettings(services: Service[], notes: ImportNote[], problems: Problem[]): void {
  for (const service of services) {
    const { raw, path } = service;
    const replicas = raw.deploy?.replicas;
    if (raw.scale !== undefined && replicas !== undefined && raw.scale !== replicas) {
      problems.push({
        path: `${path}.scale`,
        message: `scale ${raw.scale} and deploy.replicas ${replicas} differ: the Compose Specification says they must be consistent`,
      });
    }
    if ((replicas ?? raw.scale) === 0) {
      notes.push({
        path: replicas === 0 ? `${path}.deploy.replicas` : `${path}.scale`,
        message:
          'replicas 0: no pod runs, so nothing answers on its Service (a published one is an entry point with nothing behind it, paid for all the same). Set the replicas it should run, or leave the service out',
      });
    }
    const mode = raw.deploy?.mode;
    if (mode === 'replicated-job' || mode === 'global-job') {
      notes.push({
        path: `${path}.deploy.mode`,
        message: `${mode}: a task that runs to completion; the topology has no Job workload, so it is planned as a Deployment, whose pods are restarted each time they exit. Run it as a Kubernetes Job instead`,
      });
    }
    if (raw.healthcheck !== undefined && raw.healthcheck.disable !== true) {
      notes.push({
        path: `${path}.healthcheck`,
        message:
          'not carried over: the plan renders no probes; add a readinessProbe (and livenessProbe) to its manifests',
      });
    }
    (raw.ports ?? []).forEach((entry, index) => {
      if (typeof entry === 'object' && entry.mode === 'host') {
        notes.push({
          path: `${path}.ports[${index}].mode`,
          message:
            "host (published on each node's own address, not load-balanced): not carried over; the port is planned like any other of its ports",
        });
      }
    });
  }
}

/** The ports other services' environment uses to call each service ("backend:9091"). */
function portsNamedByOthers(services: Service[], byComposeName: Map<string, Service>): Map<string, Set<number>> {
  const ports = new Map<string, Set<number>>();
  for (const service of services) {
    for (const reference of hostReferences(service.raw)) {
      if (reference.port !== undefined && byComposeName.has(reference.host) && reference.host !== service.composeName) {
        const known = ports.get(reference.host) ?? new Set<number>();
        known.add(reference.port);
        ports.set(reference.host, known);
      }
    }
  }
  return ports;
}

function callersOf(services: Service[]): Map<string, string[]> {
  const callers = new Map<string, string[]>();
  for (const service of services) {
    for (const target of service.dependsOn) {
      callers.set(target, [...(callers.get(target) ?? []), service.name]);
    }
  }
  return callers;
}

type ComponentContext = {
  callers: string[];
  referencedPorts: Set<number> | undefined;
  nameOf: (composeName: string) => string;
  notes: ImportNote[];
};

function componentOf(service: Service, { callers, referencedPorts, nameOf, notes }: ComponentContext): ComponentInput {
  const ports = portsOf(service, callers, referencedPorts, notes);
  const role = roleOf(service, ports.length > 0, callers, notes);
  const keptIn = new Map(ports.map((port) => [port, keptInReason(service, port)]));
  const exposure = exposureOf(service, role, callers, keptIn, notes);
  const component: ComponentInput = {
    name: service.name,
    role,
    ...workloadOf(service, role, notes),
    ports: portInputs(service, ports, keptIn, exposure, notes),
    exposure,
    dependsOn: [...service.dependsOn].map(nameOf),
  };
  for (const key of ['host', 'tls', 'path'] as const) {
    if (service.overrides[key] !== undefined) {
      Object.assign(component, { [key]: service.overrides[key] });
    }
  }
  return component;
}

function portsOf(
  service: Service,
  callers: string[],
  referencedPorts: Set<number> | undefined,
  notes: ImportNote[],
): ComposePort[] {
  if (service.ports.length > 0) {
    return service.ports;
  }
  if (service.image !== undefined && service.image.ports.length > 0) {
    notes.push({
      path: service.path,
      message: `${plural(service.image.ports.length, 'port')} ${service.image.ports.map((p) => p.port).join(', ')} inferred from the image (${service.image.product}'s defaults): the file names none${callers.length > 0 ? `, and ${sentenceList(callers)} must reach it` : ''}`,
    });
    return service.image.ports.map((port) => ({
      target: port.port,
      publishedOnHost: false,
      protocol: 'TCP',
      path: 'image',
    }));
  }
  if (referencedPorts !== undefined && referencedPorts.size > 0) {
    const list = [...referencedPorts].sort((a, b) => a - b);
    notes.push({
      path: service.path,
      message: `${plural(list.length, 'port')} ${list.join(', ')} inferred from the other services' environment, which call it there: the file names none`,
    });
    return list.map((port) => ({ target: port, publishedOnHost: false, protocol: 'TCP', path: 'environment' }));
  }
  if (callers.length > 0) {
    notes.push({
      path: service.path,
      message: `no port is known (no ports, no expose, an image without known defaults): it gets no Service, so ${sentenceList(callers)} cannot reach it by name. Add its port under expose`,
    });
  }
  return [];
}

function roleOf(service: Service, hasPorts: boolean, callers: string[], notes: ImportNote[]): Role {
  if (service.overrides.role !== undefined) {
    return service.overrides.role;
  }
  if (service.image !== undefined) {
    notes.push({
      path: service.path,
      message:
        service.image.namedBy === undefined
          ? `role ${service.image.role}: the image is ${service.image.product}`
          : `role ${service.image.role}: the image's name says ${service.image.product} ("${service.image.namedBy}")`,
    });
    return service.image.role;
  }
  const store = dataStorePort(service.ports);
  if (store !== undefined) {
    const role = store.service === 'Redis' || store.service === 'Memcached' ? 'cache' : 'database';
    notes.push({
      path: `${service.path}.${store.port.path}`,
      message: `role ${role}: it listens on ${store.port.target}, ${store.service}'s port`,
    });
    return role;
  }
  if (!hasPorts) {
    notes.push({ path: service.path, message: 'role worker: it listens on no port' });
    return 'worker';
  }
  if (callers.length > 0) {
    notes.push({
      path: service.path,
      message: `role api: ${sentenceList(callers)} ${callers.length === 1 ? 'calls' : 'call'} it`,
    });
    return 'api';
  }
  notes.push({ path: service.path, message: 'role frontend: it listens on a port and no other service calls it' });
  return 'frontend';
}

/** The first port of the service that is a data store's (the planner's list of such ports), with what it is. */
function dataStorePort(ports: ComposePort[]): { port: ComposePort; service: string } | undefined {
  for (const port of ports) {
    const known = SENSITIVE_PORTS.get(port.target);
    if (known?.dataStore === true) {
      return { port, service: known.service };
    }
  }
  return undefined;
}

/** Why a port stays in the cluster when its component is published, or undefined when it carries its traffic. */
type KeptIn = { reason: string; published: boolean } | undefined;

function keptInReason(service: Service, port: ComposePort): KeptIn {
  if (port.publishedOnHost && isLoopbackOnly(port)) {
    return { reason: `Compose binds it to ${port.hostIp}, the host alone`, published: false };
  }
  if (port.publishedOnHost) {
    // The planner's own list of ports that are never public traffic (debuggers, metrics, gossip…),
    // asked by number (and the name the file gives): the import names other ports tcp-<n>, a name
    // the planner reads as traffic.
    const notTraffic = nonPublicReason({ port: port.target, ...(port.name === undefined ? {} : { name: port.name }) });
    if (notTraffic !== undefined) {
      return { reason: notTraffic, published: true };
    }
  } else if (port.path.startsWith('expose')) {
    return { reason: 'expose opens it to the other services only', published: false };
  }
  const known = service.image?.ports.find((candidate) => candidate.port === port.target);
  if (known?.internal === true) {
    return { reason: `${service.image?.product}'s ${known.name} port`, published: port.publishedOnHost };
  }
  return undefined;
}

function keptInList(ports: ComposePort[], keptIn: Map<ComposePort, KeptIn>): string {
  return ports
    .flatMap((port) => {
      const kept = keptIn.get(port);
      return kept === undefined ? [] : [`port ${port.target}: ${kept.reason}`];
    })
    .join('; ');
}

function exposureOf(
  service: Service,
  role: Role,
  callers: string[],
  keptIn: Map<ComposePort, KeptIn>,
  notes: ImportNote[],
): Exposure {
  if (service.overrides.exposure !== undefined) {
    return service.overrides.exposure;
  }
  const toPublish = `Set ${OVERRIDE_EXTENSION}.exposure: public (or private) to publish it if that is meant`;
  const published = service.ports.filter((port) => port.publishedOnHost && !isLoopbackOnly(port));
  if (published.length === 0) {
    const loopback = service.ports.filter((port) => port.publishedOnHost);
    if (loopback.length > 0) {
      notes.push({
        path: service.path,
        message: `internal: Compose publishes ${hostPorts(loopback)} on ${[...new Set(loopback.map((port) => port.hostIp))].join(', ')} only, which the host alone reaches. ${toPublish}`,
      });
    }
    return 'internal';
  }
  const list = hostPorts(published);
  if (role === 'database' || role === 'cache' || role === 'queue') {
    notes.push({
      path: service.path,
      message: `internal although Compose publishes ${list}: a published data store is how a developer reaches it from the host, and on the internet it would be the riskiest exposure. ${toPublish}`,
    });
    return 'internal';
  }
  if (callers.length > 0) {
    notes.push({
      path: service.path,
      message: `internal although Compose publishes ${list}: ${sentenceList(callers)} ${callers.length === 1 ? 'calls' : 'call'} it, so it is a backend behind them. Set ${OVERRIDE_EXTENSION}.exposure: public to publish it too`,
    });
    return 'internal';
  }
  const traffic = published.filter((port) => keptIn.get(port) === undefined);
  if (traffic.length === 0) {
    notes.push({
      path: service.path,
      message: `internal although Compose publishes ${list}: none of its ports carries its traffic (${keptInList(service.ports, keptIn)}), so nothing of it would be published. ${toPublish}`,
    });
    return 'internal';
  }
  notes.push({
    path: service.path,
    message: `public: Compose publishes ${hostPorts(traffic)} on the host and no other service calls it, so its clients come from outside${service.overrides.host === undefined ? `. Without a host it gets an entry point of its own: set ${OVERRIDE_EXTENSION}.host (and tls) to route it through the shared L7 entry point with TLS` : ''}`,
  });
  return 'public';
}

/** The ports as Compose publishes them on the host: "8080, 9229". */
function hostPorts(ports: ComposePort[]): string {
  return ports.map((port) => port.published ?? port.target).join(', ');
}

function workloadOf(service: Service, role: Role, notes: ImportNote[]): { workload?: Workload; replicas?: number } {
  const replicas = service.raw.deploy?.replicas ?? service.raw.scale;
  const result: { workload?: Workload; replicas?: number } = replicas === undefined ? {} : { replicas };
  if (service.overrides.workload !== undefined) {
    return { ...result, workload: service.overrides.workload };
  }
  if (service.raw.deploy?.mode === 'global') {
    notes.push({ path: `${service.path}.deploy.mode`, message: 'DaemonSet: deploy.mode global runs one per node' });
    return { ...result, workload: 'DaemonSet' };
  }
  const keepsData = (service.raw.volumes ?? []).some(isNamedVolume);
  if (service.image?.stateful === true && keepsData) {
    notes.push({
      path: `${service.path}.volumes`,
      message: `StatefulSet: a ${role} that keeps its data in a named volume keeps it per replica, under a stable name`,
    });
    return { ...result, workload: 'StatefulSet' };
  }
  return result;
}

// "db-data:/var/lib/mysql" or { type: volume, source: db-data }; not "./src:/code" (a bind mount) or "/code" (anonymous).
function isNamedVolume(volume: unknown): boolean {
  if (typeof volume === 'string') {
    const [source = '', target] = volume.split(':');
    return target !== undefined && !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('~');
  }
  return (
    typeof volume === 'object' &&
    volume !== null &&
    (volume as { type?: string }).type === 'volume' &&
    (volume as { source?: string }).source !== undefined
  );
}

function portInputs(
  service: Service,
  ports: ComposePort[],
  keptIn: Map<ComposePort, KeptIn>,
  exposure: Exposure,
  notes: ImportNote[],
): PortInput[] {
  const published = exposure !== 'internal';
  // Only an override publishes a component none of whose ports carries traffic: the planner then
  // publishes it by its own per-port rules, and the note says so rather than "kept in the cluster".
  const splits = published && ports.some((port) => keptIn.get(port) === undefined);
  if (published && !splits && ports.length > 0) {
    notes.push({
      path: service.path,
      message: `${exposure} as ${OVERRIDE_EXTENSION}.exposure says, although none of its ports would leave the cluster otherwise (${keptInList(ports, keptIn)}): the planner publishes them by its own per-port rules`,
    });
  }
  const inputs = ports.map((port) => portInput(service, port, splits ? keptIn.get(port) : undefined, published, notes));
  if (inputs.length > 1) {
    nameEveryPort(inputs);
  } else if (inputs.length === 1 && inputs[0]?.name === undefined) {
    delete inputs[0]?.name;
  }
  return inputs;
}

function portInput(
  service: Service,
  port: ComposePort,
  kept: KeptIn,
  componentPublished: boolean,
  notes: ImportNote[],
): PortInput {
  const known = service.image?.ports.find((candidate) => candidate.port === port.target);
  const input: PortInput = {
    port: port.target,
    ...(port.name !== undefined ? { name: port.name } : known !== undefined ? { name: known.name } : {}),
    ...(port.protocol === 'TCP' ? {} : { protocol: port.protocol }),
    ...(port.appProtocol !== undefined
      ? { appProtocol: port.appProtocol }
      : known?.appProtocol !== undefined
        ? { appProtocol: known.appProtocol }
        : {}),
  };
  const path = `${service.path}.${port.path}`;
  if (port.published !== undefined && port.published !== port.target) {
    notes.push({
      path,
      message: `Service port ${port.target}, the container port the other services call; Compose publishes it on host port ${port.published}, ${componentPublished && kept === undefined ? 'and outside clients reach it through the entry point instead' : 'which has no counterpart here: the port stays in the cluster'}`,
    });
  }
  if (kept === undefined) {
    return input;
  }
  notes.push({
    path,
    message: `port ${port.target} kept in the cluster${kept.published ? ' although published' : ''}: ${kept.reason}`,
  });
  return { ...input, exposure: 'internal' };
}

/** Several ports need names (IANA service names, unique): the known one, http/https, else protocol-port. */
function nameEveryPort(inputs: PortInput[]): void {
  const taken = new Set(inputs.flatMap((port) => (port.name === undefined ? [] : [port.name])));
  for (const port of inputs) {
    if (port.name !== undefined) {
      continue;
    }
    const preferred = (port.protocol ?? 'TCP') === 'TCP' ? HTTP_PORT_NAMES.get(port.port) : undefined;
    const fallback = `${(port.protocol ?? 'TCP').toLowerCase()}-${port.port}`;
    port.name = preferred !== undefined && !taken.has(preferred) ? preferred : fallback;
    taken.add(port.name);
  }
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

function sentenceList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
