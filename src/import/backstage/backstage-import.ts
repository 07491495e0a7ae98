import { z } from 'zod';
import type { TopologyInput } from '../../planner/topology/schema.js';
import type { Problem, Role } from '../../planner/types.js';
import { componentName } from '../compose/compose-import.js';
import {
  importedTopology,
  inSourceOrder,
  type ImportNote,
  type ImportResult,
  type ImportTarget,
} from '../import-result.js';
import { readSetting, SETTING_NAMES, SETTING_PREFIX, type ComponentSettings } from '../component-settings.js';
import { PLAN_ID_ANNOTATION } from '../../plans/backstage-entity.js';
import { wellKnownImage } from '../well-known-images.js';
import { DNS1123_LABEL_MAX_LENGTH } from '../../planner/names.js';

type ComponentInput = TopologyInput['components'][number];
type PortInput = NonNullable<ComponentInput['ports']>[number];

/**
 * The annotations this import reads, all in one documented namespace (docs/backstage.md): the
 * settings a Compose label may give, and ports.
 */
const ANNOTATIONS = [...SETTING_NAMES, 'ports'];

// Each message says what the field takes: zod's own ("Invalid input: expected string, received
// undefined") says what its parser saw.
const API_VERSIONS = 'backstage.io/v1alpha1 or backstage.io/v1beta1';
const entityReference = z
  .string('must be an entity reference such as component:web')
  .min(1, 'must be an entity reference such as component:web');
const references = z.array(entityReference, 'must be a list of entity references').optional();
const text = z.string('must be text').optional();
const entityName = "must be the entity's name, 1 to 63 characters";
/**
 * The part of a catalog entity this import reads (https://backstage.io/docs/features/software-catalog/descriptor-format):
 * the rest of an entity (links, tags, lifecycle, definition…) is left alone, so any valid entity passes.
 */
const entitySchema = z.object({
  apiVersion: z.string(`apiVersion must be ${API_VERSIONS}`).regex(/^backstage\.io\/v1(alpha1|beta1)$/, {
    error: `apiVersion must be ${API_VERSIONS}`,
  }),
  kind: z
    .string('must be the kind of entity: Component, Resource, API…')
    .min(1, 'must be the kind of entity: Component, Resource, API…'),
  metadata: z.object(
    {
      name: z.string(entityName).min(1, entityName).max(63, entityName),
      namespace: text,
      annotations: z
        .record(z.string(), z.string('must be text (quote it in YAML)'), 'must be a map of names to text')
        .optional(),
    },
    "must be a map with the entity's name",
  ),
  spec: z
    .object(
      {
        type: text,
        system: text,
        dependsOn: references,
        consumesApis: references,
        providesApis: references,
      },
      'must be a map',
    )
    .optional(),
});
type Entity = z.infer<typeof entitySchema>;

/** Component spec.type → role; the catalog's well-known types (https://backstage.io/docs/features/software-catalog/descriptor-format#spectype-required). */
const COMPONENT_ROLES: Record<string, Role> = { website: 'frontend', service: 'api' };

/** Resource spec.type → role, for the types a cluster runs; a bucket or a DNS zone is not a component. */
const RESOURCE_ROLES: Record<string, Role> = {
  database: 'database',
  db: 'database',
  cache: 'cache',
  queue: 'queue',
  'message-queue': 'queue',
  topic: 'queue',
  'message-broker': 'queue',
};

/** A catalog entity's identity: Backstage keys every entity by kind, namespace and name. */
type Reference = { kind: string; namespace: string; name: string };

/** The namespace of an entity without `metadata.namespace`, and of a ref without one from such an entity. */
const DEFAULT_NAMESPACE = 'default';

/**
 * `[kind:][namespace/]name` as the catalog parses it (@backstage/catalog-model parseEntityRef): a
 * missing kind is the field's, a missing namespace the referring entity's, as the catalog's
 * BuiltinKindsEntityProcessor does for dependsOn, providesApis and consumesApis.
 */
function parseReference(reference: string, defaultKind: string, defaultNamespace: string): Reference {
  const slash = reference.indexOf('/');
  let colon = reference.indexOf(':');
  if (slash !== -1 && slash < colon) {
    colon = -1;
  }
  return {
    kind: (colon === -1 ? defaultKind : reference.slice(0, colon)).toLowerCase(),
    namespace: slash === -1 ? defaultNamespace : reference.slice(colon + 1, slash),
    name: reference.slice(Math.max(colon + 1, slash + 1)),
  };
}

/** An object with an apiVersion or a kind: an entity, maybe a faulty one, whose fields are checked one by one. */
function looksLikeAnEntity(document: unknown): boolean {
  return typeof document === 'object' && document !== null && ('apiVersion' in document || 'kind' in document);
}

/** Entity refs are case-insensitive (https://backstage.io/docs/features/software-catalog/references). */
const key = (reference: Reference) => `${reference.kind}:${reference.namespace}/${reference.name}`.toLowerCase();

/** `resource:orders-db`, `resource:team-a/db`: the ref as written, the default namespace left out. */
const shown = (reference: Reference) =>
  `${reference.kind}:${reference.namespace.toLowerCase() === DEFAULT_NAMESPACE ? '' : `${reference.namespace}/`}${reference.name}`;

const referenceOf = (entity: Entity): Reference => ({
  kind: entity.kind.toLowerCase(),
  namespace: entity.metadata.namespace || DEFAULT_NAMESPACE,
  name: entity.metadata.name,
});

type Read = { entity: Entity; path: string; reference: Reference };
type Kept = Read & { role: Role; name: string };

/**
 * Catalog entities (a multi-document catalog-info.yaml) as a topology: Components of type service
 * or website, and Resources a cluster runs (database, cache, queue), become components;
 * `dependsOn` and `consumesApis` become `dependsOn`; ports, exposure and routing come from
 * `exposure-planner.io/` annotations, with a note for every guess.
 */
export function importBackstage(documents: unknown[], target: ImportTarget): ImportResult {
  const problems: Problem[] = [];
  const notes: ImportNote[] = [];
  const entities: Read[] = [];
  const firstIndex = new Map<string, number>();
  documents.forEach((document, index) => {
    const path = `[${index}]`;
    if (!looksLikeAnEntity(document)) {
      // A Compose file or a topology read as a catalog: one problem that says so, not one per
      // field an entity would have.
      problems.push({
        path,
        message: `is not a Backstage catalog entity: it has no apiVersion (${API_VERSIONS}) and no kind`,
      });
      return;
    }
    const parsed = entitySchema.safeParse(document);
    if (!parsed.success) {
      problems.push(
        ...parsed.error.issues.map((issue) => ({
          path: [
            path,
            ...issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)),
          ]
            .join('')
            .replace(/^\[(\d+)\]\./, '[$1].'),
          message: issue.message,
        })),
      );
      return;
    }
    const reference = referenceOf(parsed.data);
    const first = firstIndex.get(key(reference));
    if (first !== undefined) {
      // The catalog holds one entity per kind, namespace and name: a second one would silently
      // replace the first.
      problems.push({
        path,
        message: `is ${shown(reference)} again (as [${first}]): a catalog holds one entity per kind, namespace and name`,
      });
      return;
    }
    firstIndex.set(key(reference), index);
    // Notes name the entity as the catalog does: component:storefront.spec.dependsOn,
    // resource:team-a/db (the default namespace left out).
    entities.push({ entity: parsed.data, path: shown(reference), reference });
  });
  if (problems.length > 0) {
    return { ok: false, problems };
  }

  const kept = new Map<string, Kept>();
  for (const read of entities) {
    const role = roleOf(read.entity, read.path, notes);
    if (role !== undefined) {
      kept.set(key(read.reference), { ...read, role, name: componentName(read.entity.metadata.name) });
    }
  }
  if (kept.size === 0) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: 'no Component of type service or website and no Resource a cluster runs: nothing to plan',
        },
      ],
    };
  }
  nameComponents([...kept.values()], notes);

  // Which kept components provide each API (consumesApis → dependsOn them), and which left-out
  // Components do (a consumer of their API is told why it gets no dependency).
  const providers = new Map<string, { kept: Kept[]; leftOut: string[] }>();
  for (const { entity, path, reference } of entities) {
    if (reference.kind !== 'component') {
      continue;
    }
    for (const api of entity.spec?.providesApis ?? []) {
      const apiKey = key(parseReference(api, 'api', reference.namespace));
      const entry = providers.get(apiKey) ?? { kept: [], leftOut: [] };
      const provider = kept.get(key(reference));
      if (provider === undefined) {
        entry.leftOut.push(path);
      } else {
        entry.kept.push(provider);
      }
      providers.set(apiKey, entry);
    }
  }
  const apiTypes = new Map(
    entities
      .filter(({ reference }) => reference.kind === 'api')
      .map(({ entity, reference }) => [key(reference), entity.spec?.type?.toLowerCase() ?? ''] as const),
  );

  const components: ComponentInput[] = [];
  for (const self of kept.values()) {
    const { entity, path, role, name, reference: own } = self;
    const annotations = readAnnotations(entity, path, problems);
    const dependsOn = new Set<string>();
    for (const reference of entity.spec?.dependsOn ?? []) {
      const target = kept.get(key(parseReference(reference, 'component', own.namespace)));
      if (target === undefined) {
        notes.push({
          path: `${path}.spec.dependsOn`,
          message: `${reference} is not a component of this catalog that a cluster runs: no dependency on it`,
        });
      } else if (target !== self) {
        dependsOn.add(target.name);
      }
    }
    for (const reference of entity.spec?.consumesApis ?? []) {
      const provided = providers.get(key(parseReference(reference, 'api', own.namespace)));
      if (provided === undefined) {
        notes.push({
          path: `${path}.spec.consumesApis`,
          message: `no Component here provides ${reference}: no dependency on it`,
        });
        continue;
      }
      if (provided.kept.length === 0) {
        notes.push({
          path: `${path}.spec.consumesApis`,
          message: `${reference} is provided only by ${provided.leftOut.join(' and ')}, left out (not something a cluster serves): no dependency on it`,
        });
      }
      for (const provider of provided.kept.filter((candidate) => candidate !== self)) {
        dependsOn.add(provider.name);
        notes.push({
          path: `${path}.spec.consumesApis`,
          message: `depends on ${provider.name}: it provides ${reference}`,
        });
      }
    }
    const grpcApis = (entity.spec?.providesApis ?? []).filter(
      (api) => apiTypes.get(key(parseReference(api, 'api', own.namespace))) === 'grpc',
    );
    const ports = annotations.ports ?? inferredPorts(entity, role, path, grpcApis, notes);
    if (annotations.ports !== undefined && grpcApis.length > 0 && !ports.some((port) => isGrpcName(port.name))) {
      notes.push({
        path: `${path}.metadata.annotations.${SETTING_PREFIX}ports`,
        message: `it provides ${grpcApis.join(', ')} of type grpc, but no port is named grpc…: the plan routes its ports as their names say; name the gRPC port "grpc:<port>" for gRPC routing`,
      });
    }
    const exposure = annotations.exposure ?? defaultExposure(role, path, notes);
    components.push({
      name,
      role: annotations.role ?? role,
      ...(annotations.workload === undefined ? {} : { workload: annotations.workload }),
      ports,
      exposure,
      dependsOn: [...dependsOn],
      ...(annotations.host === undefined ? {} : { host: annotations.host }),
      ...(annotations.tls === undefined ? {} : { tls: annotations.tls }),
      ...(annotations.path === undefined ? {} : { path: annotations.path }),
    });
  }
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  // spec.system is a ref too (system:team-a/shop): the topology is named after the system's name.
  const systems = new Map<string, string>();
  for (const { entity, reference } of entities) {
    if (entity.spec?.system !== undefined) {
      const system = parseReference(entity.spec.system, 'system', reference.namespace);
      systems.set(key(system), system.name);
    }
  }
  const order = new Map(entities.map(({ path }, index) => [path, index]));
  const rank = (note: ImportNote) => {
    // The longest entity path the note's path starts with: names and namespaces may hold dots.
    const owner = [...order.keys()]
      .filter((path) => note.path === path || note.path.startsWith(`${path}.`))
      .sort((a, b) => b.length - a.length)[0];
    return owner === undefined ? -1 : (order.get(owner) ?? -1);
  };
  return importedTopology({
    components,
    composeName: systems.size === 1 ? [...systems.values()][0] : undefined,
    target,
    notes: inSourceOrder(notes, rank),
  });
}

const isGrpcName = (name: string | undefined) => name?.toLowerCase().startsWith('grpc') ?? false;

/**
 * Component names: the entity's name as a DNS-1035 label. Entities the catalog tells apart by kind
 * or namespace alone (a Component and a Resource both named orders; resource:team-a/db and
 * resource:team-b/db) would get the same name: each is qualified by what sets it apart, its
 * namespace (but the default one) before the name and its kind (but component) after it, and
 * noted. A name still taken gets a number. An entity that shares its name with no other keeps it.
 */
function nameComponents(kept: Kept[], notes: ImportNote[]): void {
  const groups = new Map<string, Kept[]>();
  for (const component of kept) {
    groups.set(component.name, [...(groups.get(component.name) ?? []), component]);
  }
  const taken = new Set<string>();
  const clashing: { component: Kept; base: string; others: Kept[] }[] = [];
  for (const [base, group] of groups) {
    if (group.length === 1) {
      taken.add(base);
      continue;
    }
    const namespaces = new Set(group.map(({ reference }) => reference.namespace.toLowerCase()));
    const kinds = new Set(group.map(({ reference }) => reference.kind));
    for (const component of group) {
      const { namespace, kind } = component.reference;
      const qualifiedByNamespace =
        namespaces.size > 1 && namespace.toLowerCase() !== DEFAULT_NAMESPACE ? `${namespace}-${base}` : base;
      const qualified =
        kinds.size > 1 && kind !== 'component' ? `${qualifiedByNamespace}-${kind}` : qualifiedByNamespace;
      component.name = componentName(qualified);
      clashing.push({ component, base, others: group.filter((other) => other !== component) });
    }
  }
  // The ones that keep the plain name take it first; then the qualified ones, in the catalog's order.
  clashing.sort((a, b) => Number(a.component.name !== a.base) - Number(b.component.name !== b.base));
  for (const { component, base, others } of clashing) {
    component.name = uniqueName(component.name, taken);
    if (component.name !== base) {
      notes.push({
        path: `${component.path}.metadata.name`,
        message: `named "${component.name}": ${others.map(({ path }) => path).join(' and ')} would be named "${base}" too, and component names are unique`,
      });
    }
  }
  for (const { entity, path, name } of kept) {
    const base = componentName(entity.metadata.name);
    if (base !== entity.metadata.name && name === base) {
      notes.push({
        path: `${path}.metadata.name`,
        message: `named "${name}": a Service name must be a DNS-1035 label`,
      });
    }
  }
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let suffix = 2; taken.has(candidate); suffix++) {
    candidate = `${name.slice(0, DNS1123_LABEL_MAX_LENGTH - String(suffix).length - 1).replace(/-+$/, '')}-${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

function roleOf(entity: Entity, path: string, notes: ImportNote[]): Role | undefined {
  const kind = entity.kind.toLowerCase();
  const type = entity.spec?.type?.toLowerCase() ?? '';
  if (kind === 'component') {
    const role = COMPONENT_ROLES[type];
    if (role === undefined) {
      notes.push({
        path,
        message: `left out: a Component of type "${type || '(none)'}" is not something a cluster serves (service and website are)`,
      });
    }
    return role;
  }
  if (kind === 'resource') {
    const role = RESOURCE_ROLES[type] ?? wellKnownImage(type)?.role;
    if (role === undefined) {
      notes.push({
        path,
        message: `left out: a Resource of type "${type || '(none)'}" is not run in the cluster (database, cache and queue are)`,
      });
    }
    return role;
  }
  if (kind !== 'api') {
    notes.push({
      path,
      message: `left out: a ${entity.kind} is not a component (Component, Resource and API are read)`,
    });
  }
  return undefined;
}

type Annotations = ComponentSettings & { ports?: PortInput[] };

function readAnnotations(entity: Entity, path: string, problems: Problem[]): Annotations {
  const result: Annotations = {};
  for (const [name, value] of Object.entries(entity.metadata.annotations ?? {})) {
    if (!name.startsWith(SETTING_PREFIX) || name === PLAN_ID_ANNOTATION) {
      continue;
    }
    const setting = name.slice(SETTING_PREFIX.length);
    const where = `${path}.metadata.annotations.${name}`;
    if (setting === 'ports') {
      result.ports = parsePorts(value, where, problems);
    } else if (!readSetting(result, setting, value, where, problems)) {
      problems.push({
        path: where,
        message: `not an Exposure Planner annotation: use ${ANNOTATIONS.map((a) => SETTING_PREFIX + a).join(', ')}`,
      });
    }
  }
  return result;
}

// "8080", "http:8080", "http:80, metrics:9090, dns:53/udp".
const PORT_ENTRY = /^(?:(?<name>[a-z0-9-]{1,15}):)?(?<port>\d{1,5})(?:\/(?<protocol>tcp|udp|sctp))?$/i;

function parsePorts(value: string, where: string, problems: Problem[]): PortInput[] {
  const ports: PortInput[] = [];
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const groups = PORT_ENTRY.exec(entry)?.groups;
    const port = Number(groups?.port);
    if (groups === undefined || port < 1 || port > 65_535) {
      problems.push({ path: where, message: `"${entry}" is not a port such as "8080", "http:8080" or "dns:53/udp"` });
      continue;
    }
    ports.push({
      port,
      ...(groups.name === undefined ? {} : { name: groups.name.toLowerCase() }),
      ...(groups.protocol === undefined ? {} : { protocol: groups.protocol.toUpperCase() as PortInput['protocol'] }),
    });
  }
  return ports;
}

function inferredPorts(entity: Entity, role: Role, path: string, grpcApis: string[], notes: ImportNote[]): PortInput[] {
  const known = wellKnownImage(entity.spec?.type);
  if (known !== undefined) {
    notes.push({
      path,
      message: `port ${known.ports[0]?.port} inferred from the type (${known.product}'s default): set ${SETTING_PREFIX}ports to say otherwise`,
    });
    return known.ports.slice(0, 1).map((p) => ({ port: p.port, name: p.name }));
  }
  const provided = entity.spec?.providesApis ?? [];
  if ((role === 'frontend' || role === 'api') && grpcApis.length > 0 && grpcApis.length === provided.length) {
    // A gRPC server: the planner routes a port with appProtocol grpc as gRPC (HTTP/2), not HTTP/1.
    notes.push({
      path,
      message: `port 8080 assumed (no ${SETTING_PREFIX}ports annotation), gRPC (appProtocol grpc): it provides ${grpcApis.join(', ')} of type grpc; set ${SETTING_PREFIX}ports to the port it listens on`,
    });
    return [{ port: 8080, name: 'grpc', appProtocol: 'grpc' }];
  }
  if (role === 'frontend' || role === 'api') {
    if (grpcApis.length > 0) {
      notes.push({
        path,
        message: `it provides ${grpcApis.join(', ')} of type grpc and other APIs, on one assumed HTTP port: set ${SETTING_PREFIX}ports with a port named "grpc:<port>" for gRPC routing`,
      });
    }
    notes.push({
      path,
      message: `port 8080 assumed (no ${SETTING_PREFIX}ports annotation): set it to the port the ${role} listens on`,
    });
    return [{ port: 8080, name: 'http', appProtocol: 'http' }];
  }
  notes.push({
    path,
    message: `no port known (no ${SETTING_PREFIX}ports annotation, a type without a known default): it gets no Service, so nothing can reach it`,
  });
  return [];
}

function defaultExposure(role: Role, path: string, notes: ImportNote[]): ComponentInput['exposure'] {
  if (role === 'frontend') {
    notes.push({
      path,
      message: `public: a website is for outside visitors; set ${SETTING_PREFIX}exposure to change it`,
    });
    return 'public';
  }
  notes.push({
    path,
    message: `internal: nothing says outside clients call it; set ${SETTING_PREFIX}exposure to change it`,
  });
  return 'internal';
}
