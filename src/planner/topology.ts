import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import {
  DNS1035_LABEL_PATTERN,
  DNS1123_LABEL_MAX_LENGTH,
  DNS1123_LABEL_PATTERN,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  DNS1123_SUBDOMAIN_PATTERN,
  IANA_SERVICE_NAME_MAX_LENGTH,
  IANA_SERVICE_NAME_PATTERN,
  LABEL_VALUE_MAX_LENGTH,
  LABEL_VALUE_PATTERN,
  QUALIFIED_NAME_PATTERN,
  WILDCARD_DNS1123_SUBDOMAIN_PATTERN,
  dns1035LabelProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  dnsNameProblem,
  ianaServiceNameProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from './names.js';
import { HEADLESS_SUFFIX, headlessServiceName } from './manifest-conventions.js';
import { ingressPathProblems } from './ingress-path.js';
import { pricingOverrideSchema } from './pricing.js';
import { unsafeTextIn, withUnsafeText } from './text-safety.js';
import {
  EXPOSURES,
  LOAD_BALANCER_PROVIDERS,
  PLATFORMS,
  PROTOCOLS,
  ROLES,
  STAGES,
  WORKLOADS,
  type Component,
  type Environment,
  type LoadBalancerProvider,
  type PortSpec,
  type Problem,
  type Topology,
} from './types.js';

/**
 * The topology input contract (DESIGN.md "The topology") and its validation. Two passes, both over
 * the whole input, so that every problem is listed at once:
 *   1. shape: the zod schema below (types, enums, ranges, name syntax; unknown fields are problems,
 *      so a typo cannot pass silently). It is also the JSON Schema of the OpenAPI document.
 *   2. meaning: rules that relate one field to another (duplicate names, dependsOn references,
 *      nodePort collisions, host/path collisions, …). They read the raw input defensively, so they
 *      run on whatever parts are well-formed even when other parts are not.
 * Then, when nothing is wrong, the defaults are filled in (`Topology`).
 */

export const MAX_COMPONENTS = 2_000;
export const MAX_PORTS_PER_COMPONENT = 100;
export const MAX_REPLICAS = 10_000;
export const MAX_ALLOWED_SOURCES = 100;
export const MAX_LABELS = 64;
export const NODE_PORT_MIN = 30_000;
export const NODE_PORT_MAX = 32_767;
/** Beyond this, the list ends with a count of the rest: nobody reads more, and a response stays small. */
export const MAX_PROBLEMS_LISTED = 1_000;

/** A StatefulSet's headless Service is `<name>-headless`, and a Service name is at most 63 characters. */
export const MAX_STATEFULSET_NAME_LENGTH = DNS1123_LABEL_MAX_LENGTH - HEADLESS_SUFFIX.length;

const MAX_PATH_LENGTH = 1_024;
/** An absolute URL path; no whitespace, which no HTTP request line can carry unencoded. */
const ROUTE_PATH_PATTERN = /^\/\S*$/;
const MAX_REGION_LENGTH = 64;
const MAX_APP_PROTOCOL_LENGTH = 63;
/** No CIDR (IPv4 or IPv6, with its prefix) is longer; anything longer is not worth parsing. */
const MAX_CIDR_LENGTH = 64;

/* ------------------------------------------------------------------------------------------------
 * Message helpers: messages quote what the user sent, shortened, so a huge value cannot make a huge answer.
 * ---------------------------------------------------------------------------------------------- */

function quote(value: string, max = 60): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  switch (typeof value) {
    case 'string':
      return `${quote(value)} (a string)`;
    case 'number':
      return Number.isFinite(value) ? `${value} (a number)` : String(value);
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'nothing';
    case 'bigint':
      return `${value} (a bigint)`;
    case 'object':
      return 'an object';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  return 'a value';
}

function listOf(values: readonly string[]): string {
  return values.join(', ');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate a typo most likely meant: same letters in another case, or at most two edits away. */
function closest(value: string, candidates: readonly string[]): string | undefined {
  if (value.length > 40) {
    return undefined;
  }
  const lower = value.toLowerCase();
  const sameLetters = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) {
    return sameLetters;
  }
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && distance < candidate.length && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

function didYouMean(value: string, candidates: readonly string[]): string {
  const suggestion = closest(value, candidates);
  // Quoted as JSON: a suggestion can be another component's name, whatever characters it holds.
  return suggestion === undefined ? '' : ` (did you mean ${quote(suggestion, DNS1123_SUBDOMAIN_MAX_LENGTH)}?)`;
}

/* ------------------------------------------------------------------------------------------------
 * Schema building blocks: each carries the message a user can act on.
 * ---------------------------------------------------------------------------------------------- */

type Explain = (value: string) => string | undefined;

/**
 * A string with a syntax. The pattern and length go into the JSON Schema; the message comes from
 * `explain`, which says what is wrong. With `beyondPattern`, `explain` also decides, for rules a
 * pattern cannot say (each part of a DNS name is at most 63 characters, an IP address is not a host
 * name); otherwise the pattern alone decides, which keeps the largest topology fast to check.
 */
function syntaxString(
  field: string,
  what: string,
  maxLength: number,
  pattern: RegExp,
  explain: Explain,
  beyondPattern = false,
) {
  const message = (input: unknown): string =>
    typeof input === 'string'
      ? `${field} ${quote(input)} is not a valid ${what}: ${explain(input) ?? `it must match ${pattern.source}`}`
      : `${field} must be a string, got ${describeValue(input)}`;
  const checked = z
    .string()
    .max(maxLength, { abort: true, error: (issue) => message(issue.input) })
    .regex(pattern, { abort: true, error: (issue) => message(issue.input) });
  return beyondPattern
    ? checked.refine((value) => explain(value) === undefined, { error: (issue) => message(issue.input) })
    : checked;
}

/** 12345 → "12,345", the same on every machine (toLocaleString depends on the ICU data Node was built with). */
function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function wholeNumber(field: string, min: number, max: number) {
  const outside = (input: unknown): string => `${field} ${String(input)} is outside ${min}-${max}`;
  return z
    .number()
    .int({ abort: true, error: (issue) => `${field} must be a whole number, got ${String(issue.input)}` })
    .min(min, { error: (issue) => outside(issue.input) })
    .max(max, { error: (issue) => outside(issue.input) });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, field: string) {
  return z.enum(values, {
    error: (issue) => {
      const input = issue.input;
      if (input === undefined) {
        return `${field} is required: one of ${listOf(values)}`;
      }
      if (typeof input === 'string') {
        return `unknown ${field} ${quote(input)}; expected one of ${listOf(values)}${didYouMean(input, values)}`;
      }
      return `${field} must be one of ${listOf(values)}, got ${describeValue(input)}`;
    },
  });
}

function lengthOf(input: unknown): number {
  return Array.isArray(input) ? input.length : 0;
}

/** Why a string is not a CIDR Kubernetes accepts (loadBalancerSourceRanges, NetworkPolicy ipBlock). */
export function cidrProblem(value: string): string | undefined {
  if (value.length > MAX_CIDR_LENGTH) {
    return 'it is too long to be a CIDR';
  }
  const slash = value.lastIndexOf('/');
  const isV6 = value.includes(':');
  if (slash < 0) {
    return `it has no prefix length; write ${quote(`${value}/${isV6 ? 128 : 32}`)} for a single address`;
  }
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix)) {
    return 'its prefix length (after "/") must be a number without leading zeros';
  }
  if (isV6) {
    if (address.includes('%')) {
      return 'a zone index ("%…") is not allowed';
    }
    if (!ipaddr.IPv6.isValid(address)) {
      return `${quote(address)} is not an IPv6 address`;
    }
    if (Number(prefix) > 128) {
      return `the prefix length ${prefix} is more than 128`;
    }
  } else {
    // ipaddr.js also reads "10/8", hex and octal forms; Kubernetes takes only dotted decimal.
    if (
      !/^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/.test(address) ||
      !ipaddr.IPv4.isValidFourPartDecimal(address)
    ) {
      return `${quote(address)} is not a dotted-decimal IPv4 address (four numbers 0-255, no leading zeros)`;
    }
    if (Number(prefix) > 32) {
      return `the prefix length ${prefix} is more than 32`;
    }
  }
  try {
    // The family's own parser: the generic one tries IPv6 first and pays for a thrown error on every IPv4.
    if (isV6) {
      ipaddr.IPv6.parseCIDR(value);
    } else {
      ipaddr.IPv4.parseCIDR(value);
    }
    return undefined;
  } catch {
    return 'ipaddr.js cannot parse it';
  }
}

const cidrSchema = z.string().refine((value) => cidrProblem(value) === undefined, {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `allowed source ${quote(issue.input)} is not a CIDR: ${cidrProblem(issue.input) ?? 'it is not valid'}`
      : `allowed source must be a CIDR string, got ${describeValue(issue.input)}`,
});

/** zod reports a union's failure as a whole when each branch stopped early, so the union words it itself. */
function targetPortMessage(input: unknown): string {
  if (typeof input === 'string') {
    return `targetPort ${quote(input)} is not a valid container port name: ${targetPortNameProblem(input) ?? 'it is not an IANA service name'}`;
  }
  if (typeof input === 'number' && Number.isFinite(input)) {
    return Number.isInteger(input)
      ? `targetPort ${input} is outside 1-65535`
      : `targetPort must be a whole number, got ${input}`;
  }
  return `targetPort must be a port number (1-65535) or the name of a container port, got ${describeValue(input)}`;
}

function targetPortNameProblem(value: string): string | undefined {
  if (/^[0-9]+$/.test(value)) {
    return `it is a number written as a string; write ${value} without quotes, or give the name of a container port`;
  }
  return ianaServiceNameProblem(value);
}

function regionProblem(value: string): string | undefined {
  if (value === '') {
    return 'it is empty';
  }
  if (value.length > MAX_REGION_LENGTH) {
    return `it is ${value.length} characters long; at most ${MAX_REGION_LENGTH} are allowed`;
  }
  if (/[A-Z]/.test(value)) {
    return 'it contains uppercase letters; use lowercase';
  }
  return /^[a-z0-9-]+$/.test(value) ? undefined : 'it may only contain lowercase letters, digits and "-"';
}

const labelKeySchema = z
  .string()
  .regex(QUALIFIED_NAME_PATTERN, {
    abort: true,
    error: (issue) => labelKeyMessage(issue.input),
  })
  .refine((value) => qualifiedNameProblem(value) === undefined, { error: (issue) => labelKeyMessage(issue.input) });

function labelKeyMessage(input: unknown): string {
  return typeof input === 'string'
    ? `label key ${quote(input)} is not valid: ${qualifiedNameProblem(input) ?? 'it must be [prefix/]name'}`
    : 'label keys must be strings';
}

/* ------------------------------------------------------------------------------------------------
 * The schema.
 * ---------------------------------------------------------------------------------------------- */

const portSchema = z
  .object({
    name: syntaxString(
      'port name',
      `port name (at most ${IANA_SERVICE_NAME_MAX_LENGTH} lowercase letters, digits and "-", with a letter)`,
      IANA_SERVICE_NAME_MAX_LENGTH,
      IANA_SERVICE_NAME_PATTERN,
      ianaServiceNameProblem,
    )
      .optional()
      .describe('Required when the component has several ports; a valid IANA service name (≤ 15 characters).'),
    port: wholeNumber('port', 1, 65_535).describe('The Service port.'),
    targetPort: z
      .union(
        [
          wholeNumber('targetPort', 1, 65_535),
          syntaxString(
            'targetPort',
            'container port name',
            IANA_SERVICE_NAME_MAX_LENGTH,
            IANA_SERVICE_NAME_PATTERN,
            targetPortNameProblem,
          ),
        ],
        { error: (issue) => targetPortMessage(issue.input) },
      )
      .optional()
      .describe('The container port: a number, or the name of a container port. Defaults to `port`.'),
    protocol: oneOf(PROTOCOLS, 'protocol').default('TCP'),
    appProtocol: z
      .string()
      .min(1, { abort: true, error: 'appProtocol must not be empty; leave it out instead' })
      .max(MAX_APP_PROTOCOL_LENGTH, {
        abort: true,
        error: (issue) =>
          `appProtocol is ${typeof issue.input === 'string' ? issue.input.length : '?'} characters long; at most ${MAX_APP_PROTOCOL_LENGTH} are allowed`,
      })
      .refine((value) => qualifiedNameProblem(value) === undefined, {
        error: (issue) =>
          typeof issue.input === 'string'
            ? `appProtocol ${quote(issue.input)} is not valid: ${qualifiedNameProblem(issue.input) ?? 'it is not a qualified name'}; use a name such as "http" or a prefixed one such as "kubernetes.io/h2c"`
            : 'appProtocol must be a string',
      })
      .optional()
      .describe('The application protocol (http, https, grpc, kubernetes.io/h2c, …): the strongest HTTP-or-not clue.'),
    nodePort: wholeNumber('nodePort', NODE_PORT_MIN, NODE_PORT_MAX)
      .optional()
      .describe('Pin the node port (30000-32767); left out, Kubernetes assigns one when needed.'),
  })
  .strict();

const componentSchema = z
  .object({
    name: syntaxString(
      'component name',
      'DNS-1035 label (lowercase letters, digits and "-", starting with a letter)',
      DNS1123_LABEL_MAX_LENGTH,
      DNS1035_LABEL_PATTERN,
      dns1035LabelProblem,
    ).describe('The Service name: a DNS-1035 label, unique in the topology.'),
    role: oneOf(ROLES, 'role'),
    workload: oneOf(WORKLOADS, 'workload').default('Deployment'),
    replicas: wholeNumber('replicas', 0, MAX_REPLICAS).default(1),
    ports: z
      .array(portSchema)
      .max(MAX_PORTS_PER_COMPONENT, {
        error: (issue) =>
          `at most ${MAX_PORTS_PER_COMPONENT} ports are allowed per component, got ${lengthOf(issue.input)}`,
      })
      .default([])
      .describe('No ports (a worker): no Service at all.'),
    exposure: oneOf(EXPOSURES, 'exposure')
      .default('internal')
      .describe(
        'public: the internet; private: VPN, partners, other networks; node: a host outside the cluster on node IPs; internal: in-cluster only.',
      ),
    allowedSources: z
      .array(cidrSchema)
      .max(MAX_ALLOWED_SOURCES, {
        error: (issue) => `at most ${MAX_ALLOWED_SOURCES} allowedSources are allowed, got ${lengthOf(issue.input)}`,
      })
      .default([])
      .describe('CIDRs allowed to reach a component that is not internal.'),
    externalName: syntaxString(
      'externalName',
      'DNS name',
      DNS1123_SUBDOMAIN_MAX_LENGTH,
      DNS1123_SUBDOMAIN_PATTERN,
      (value) => dnsNameProblem(value),
      true,
    )
      .optional()
      .describe('Only for a dependency that lives outside the cluster: its DNS name (an ExternalName Service).'),
    dependsOn: z
      .array(z.string())
      .max(MAX_COMPONENTS, {
        error: (issue) =>
          `dependsOn lists ${lengthOf(issue.input)} components; a topology has at most ${MAX_COMPONENTS}`,
      })
      .default([])
      .describe('The components this one calls (drives the NetworkPolicies).'),
    host: syntaxString(
      'host',
      'host name (a DNS name, optionally "*." in front)',
      DNS1123_SUBDOMAIN_MAX_LENGTH,
      WILDCARD_DNS1123_SUBDOMAIN_PATTERN,
      (value) => dnsNameProblem(value, { wildcard: true }),
      true,
    )
      .optional()
      .describe('HTTP routing: the host name the Ingress routes to this component.'),
    path: z
      .string()
      .max(MAX_PATH_LENGTH, {
        abort: true,
        error: `path must be at most ${MAX_PATH_LENGTH} characters long`,
      })
      .regex(ROUTE_PATH_PATTERN, {
        abort: true,
        error: (issue) =>
          typeof issue.input === 'string' && !issue.input.startsWith('/')
            ? `path ${quote(issue.input)} must start with "/"`
            : `path ${typeof issue.input === 'string' ? quote(issue.input) : ''} must not contain spaces`,
      })
      .refine((value) => ingressPathProblems(value).length === 0, {
        error: (issue) =>
          `path ${quote(String(issue.input))} ${ingressPathProblems(String(issue.input)).join(' and ')}: the Kubernetes API server refuses it in an Ingress, since a proxy would match it as another path`,
      })
      .optional()
      .describe(
        'HTTP routing: the path prefix (default "/" when host is given). As the Kubernetes API server requires of an Ingress path: no "//", "/./", "/../" or "%2F", and no "/." or "/.." at the end.',
      ),
    tls: z.boolean().optional().describe('HTTP routing: serve the host over TLS (needs host).'),
    preserveClientIp: z.boolean().default(false).describe('Keep the client source IP (externalTrafficPolicy: Local).'),
    labels: z
      .record(
        labelKeySchema,
        syntaxString(
          'label value',
          'label value (empty, or at most 63 letters, digits, "-", "_" and ".")',
          LABEL_VALUE_MAX_LENGTH,
          LABEL_VALUE_PATTERN,
          labelValueProblem,
        ),
      )
      .optional()
      .meta({ maxProperties: MAX_LABELS })
      .describe('The pod selector; default { app: <name> }.'),
  })
  .strict();

function componentList<T extends z.ZodType>(element: T) {
  return z
    .array(element)
    .min(1, { error: 'a topology needs at least one component' })
    .max(MAX_COMPONENTS, {
      error: (issue) =>
        `at most ${formatCount(MAX_COMPONENTS)} components are allowed, got ${formatCount(lengthOf(issue.input))}`,
    });
}

const environmentSchema = z
  .object({
    platform: oneOf(PLATFORMS, 'platform'),
    region: syntaxString(
      'region',
      'region (lowercase letters, digits and "-")',
      MAX_REGION_LENGTH,
      /^[a-z0-9-]+$/,
      regionProblem,
    )
      .optional()
      .describe('For pricing, e.g. us-east-1.'),
    ingressController: syntaxString(
      'ingressController',
      'IngressClass name (a DNS-1123 subdomain)',
      DNS1123_SUBDOMAIN_MAX_LENGTH,
      DNS1123_SUBDOMAIN_PATTERN,
      (value) => dns1123SubdomainProblem(value),
    )
      .optional()
      .describe(
        'The IngressClass name (nginx, traefik, haproxy, alb, gce, …); "none": no controller. Absent: none, except on k3s (traefik).',
      ),
    loadBalancerProvider: oneOf(LOAD_BALANCER_PROVIDERS, 'loadBalancerProvider')
      .optional()
      .describe('What hands out LoadBalancer addresses where no cloud does. Absent: none, except on k3s (servicelb).'),
    addressPool: syntaxString(
      'addressPool',
      'address pool name (a DNS-1123 subdomain)',
      DNS1123_SUBDOMAIN_MAX_LENGTH,
      DNS1123_SUBDOMAIN_PATTERN,
      (value) => dns1123SubdomainProblem(value),
    )
      .optional()
      .describe('The MetalLB IPAddressPool (or kube-vip range) to take addresses from.'),
    stage: oneOf(STAGES, 'stage').default('production'),
  })
  .strict();

export const topologyInputSchema = z
  .object({
    name: syntaxString(
      'name',
      'DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)',
      DNS1123_LABEL_MAX_LENGTH,
      DNS1123_LABEL_PATTERN,
      dns1123LabelProblem,
    ).describe('The application: a DNS-1123 label.'),
    namespace: syntaxString(
      'namespace',
      'DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)',
      DNS1123_LABEL_MAX_LENGTH,
      DNS1123_LABEL_PATTERN,
      dns1123LabelProblem,
    ).default('default'),
    environment: environmentSchema,
    components: componentList(componentSchema),
    pricing: pricingOverrideSchema
      .optional()
      .describe('Prices to use instead of the built-in table for this plan, per provider.'),
  })
  .strict()
  .describe('An application topology: its components, their ports, who must reach them, and where the cluster runs.');

export type TopologyInput = z.input<typeof topologyInputSchema>;

/**
 * The topology without its components' insides. Validation parses the components one by one with
 * `componentSchema`, so that it can stop reading a huge broken input once enough problems are found.
 */
const topologyShellSchema = topologyInputSchema.extend({ components: componentList(z.unknown()) });
type ParsedComponent = z.output<typeof componentSchema>;
type ParsedTopology = Omit<z.output<typeof topologyShellSchema>, 'components'> & { components: ParsedComponent[] };

export type TopologyValidation = { ok: true; topology: Topology } | { ok: false; problems: Problem[] };

type JsonSchema = z.core.JSONSchema.BaseSchema;
let cachedJsonSchema: JsonSchema | undefined;

/** The JSON Schema of the input (what a client may send, defaults optional), for the OpenAPI document. */
export function topologyJsonSchema(): JsonSchema {
  cachedJsonSchema ??= z.toJSONSchema(topologyInputSchema, { io: 'input', unrepresentable: 'any' });
  // A copy, so that a caller who edits it (an OpenAPI generator often does) cannot change the next one.
  return structuredClone(cachedJsonSchema);
}

/* ------------------------------------------------------------------------------------------------
 * Problems: collected with their path as segments, sorted in document order, then formatted.
 * ---------------------------------------------------------------------------------------------- */

type Segment = string | number;
type FoundProblem = { segments: readonly Segment[]; message: string };

/** Fields in the order of the Topology type, so problems read top to bottom like the input. */
const FIELD_RANK: ReadonlyMap<string, number> = new Map(
  [
    ...Object.keys(topologyInputSchema.shape),
    ...Object.keys(environmentSchema.shape),
    ...Object.keys(componentSchema.shape),
    ...Object.keys(portSchema.shape),
    ...Object.keys(pricingOverrideSchema.shape),
  ]
    .filter((key, index, keys) => keys.indexOf(key) === index)
    .map((key, index) => [key, index]),
);

function compareSegments(a: readonly Segment[], b: readonly Segment[]): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index];
    const y = b[index];
    if (x === y) {
      continue;
    }
    if (typeof x === 'number' && typeof y === 'number') {
      return x - y;
    }
    if (typeof x === 'number') {
      return -1;
    }
    if (typeof y === 'number') {
      return 1;
    }
    const rankX = FIELD_RANK.get(x) ?? Number.MAX_SAFE_INTEGER;
    const rankY = FIELD_RANK.get(y) ?? Number.MAX_SAFE_INTEGER;
    if (rankX !== rankY) {
      return rankX - rankY;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `components[2].ports[0].nodePort`; keys that are not identifiers (label keys) in brackets. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
    } else if (typeof segment === 'string' && IDENTIFIER.test(segment)) {
      path += path === '' ? segment : `.${segment}`;
    } else {
      path += `[${quote(String(segment), 100)}]`;
    }
  }
  return path;
}

/* ------------------------------------------------------------------------------------------------
 * Pass 1: zod issues → problems.
 * ---------------------------------------------------------------------------------------------- */

/** Set as the parse-wide message, so issues whose schema gave no message of its own can be worded here. */
const UNWORDED = '\u0000unworded';

const ELEMENT_NOUN: Readonly<Record<string, string>> = {
  components: 'a component',
  ports: 'a port',
  allowedSources: 'an allowed source',
  dependsOn: 'a dependsOn entry',
};

function subjectOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return 'the topology';
  }
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'labels' && path.length >= 2) {
    return `the value of label ${quote(String(last))}`;
  }
  if (typeof last === 'number') {
    return (typeof parent === 'string' ? ELEMENT_NOUN[parent] : undefined) ?? 'an entry';
  }
  return typeof last === 'string' ? last : String(last);
}

function expectedPhrase(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    default:
      return expected;
  }
}

/** The words for an issue from a schema that gave none (mostly type mismatches, and the pricing override). */
function wordIssue(issue: z.core.$ZodIssue): string {
  const subject = subjectOf(issue.path);
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) {
        return `${subject} is required`;
      }
      return `${subject} must be ${expectedPhrase(issue.expected)}, got ${describeValue(input)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${subject} must be at most ${String(issue.maximum)} characters long`
        : issue.origin === 'array'
          ? `${subject} must have at most ${String(issue.maximum)} entries`
          : `${subject} must be at most ${String(issue.maximum)}, got ${describeValue(input)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${subject} must not be empty`
        : issue.origin === 'array'
          ? `${subject} must have at least ${String(issue.minimum)} entries`
          : `${subject} must be at least ${String(issue.minimum)}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `${subject} must be one of ${issue.values.map(String).join(', ')}, got ${describeValue(input)}`;
    case 'invalid_format':
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'unrecognized_keys':
    case 'custom':
      return `${subject} is not valid`;
  }
}

/** The fields an object at this path accepts (for "did you mean" on an unknown field). */
function knownFieldsAt(path: readonly PropertyKey[]): readonly string[] {
  let schema: z.core.$ZodType = topologyInputSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject && typeof segment === 'string') {
      const next = (schema.shape as Record<string, z.core.$ZodType>)[segment];
      if (next === undefined || !Object.hasOwn(schema.shape, segment)) {
        return [];
      }
      schema = next;
    } else if (schema instanceof z.ZodArray && typeof segment === 'number') {
      schema = schema.element;
    } else if (schema instanceof z.ZodRecord) {
      schema = schema.valueType;
    } else {
      return [];
    }
  }
  schema = unwrap(schema);
  if (schema instanceof z.ZodObject) {
    return Object.keys(schema.shape);
  }
  if (schema instanceof z.ZodRecord && schema.keyType instanceof z.ZodEnum) {
    return schema.keyType.options.map(String);
  }
  return [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
    current = current.unwrap();
  }
  return current;
}

/** Per object: a flood of unknown fields is one mistake (a wrong object), not thousands of problems. */
const MAX_UNKNOWN_FIELDS_LISTED = 20;

function unknownFieldProblems(path: readonly Segment[], keys: readonly string[], into: FoundProblem[]): void {
  const known = knownFieldsAt(path);
  for (const key of keys.slice(0, MAX_UNKNOWN_FIELDS_LISTED)) {
    const hint = didYouMean(key, known);
    into.push({
      segments: [...path, key],
      message:
        hint !== ''
          ? `unknown field ${quote(key)}${hint}`
          : `unknown field ${quote(key)}${known.length > 0 ? `; expected one of ${listOf(known)}` : ''}`,
    });
  }
  if (keys.length > MAX_UNKNOWN_FIELDS_LISTED) {
    into.push({
      segments: path,
      message: `${formatCount(keys.length - MAX_UNKNOWN_FIELDS_LISTED)} more unknown fields are not listed`,
    });
  }
}

/** `prefix` places the issues of a part parsed on its own (a component) in the whole topology. */
function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly Segment[],
  into: FoundProblem[],
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((segment): segment is Segment => typeof segment !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      unknownFieldProblems(path, issue.keys, into);
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues[0];
      into.push({
        segments: path,
        message: inner !== undefined && inner.message !== UNWORDED ? inner.message : `${subjectOf(path)} is not valid`,
      });
    } else {
      into.push({
        segments: path,
        message: issue.message === UNWORDED ? wordIssue({ ...issue, path }) : issue.message,
      });
    }
  }
}

/* ------------------------------------------------------------------------------------------------
 * Pass 2: meaning, over the raw input. Every read checks its type first, because this pass also
 * runs when the shape is wrong; only well-formed values take part, so one mistake is not reported
 * twice under two names. Lookups use Maps: names such as "constructor" must not hit Object.prototype.
 * ---------------------------------------------------------------------------------------------- */

type RawObject = Record<string, unknown>;

function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function read(object: RawObject, key: string): unknown {
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

function checkEnvironment(environment: RawObject, into: FoundProblem[]): void {
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
  servicePort?: number;
  protocol?: string;
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
    const nodePort = readWhole(port, 'nodePort', NODE_PORT_MIN, NODE_PORT_MAX);
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

/** The pod selector a component ends up with, as a stable key; undefined when it is not well-formed. */
function selectorKey(component: RawObject, name: string | undefined): string | undefined {
  const labels = read(component, 'labels');
  if (labels === undefined) {
    return name === undefined ? undefined : `app\u0000${name}`;
  }
  if (!isObject(labels)) {
    return undefined;
  }
  const entries = Object.entries(labels);
  if (entries.length === 0 || entries.some(([, value]) => typeof value !== 'string')) {
    return undefined;
  }
  // NUL cannot occur in a valid label, so the joined pairs cannot be confused with one another.
  return entries
    .map(([key, value]) => `${key}\u0000${String(value)}`)
    .sort()
    .join('\u0000\u0000');
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
  /** The headless Service names the plan will create, each with the index of its StatefulSet. */
  headlessOwners: ReadonlyMap<string, number>;
};

function meaningContext(components: readonly unknown[]): MeaningContext {
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
    if (name !== undefined && getsHeadlessService(component) && !headlessOwners.has(headlessServiceName(name))) {
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
    headlessOwners,
  };
}

/**
 * The checks of components[index] that involve other components only ever compare it with EARLIER
 * ones (a clash is reported at the second occurrence), so components can be checked in order and
 * the checking can stop anywhere with every problem up to there found.
 */
function checkComponent(context: MeaningContext, index: number, into: FoundProblem[]): void {
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
  checkDependencies(component, index, name, context.firstIndexByName, into);

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

/** Whether the raw component gets a headless Service: a StatefulSet with ports, not an external one (as recommend.ts decides). */
function getsHeadlessService(component: unknown): boolean {
  if (
    !isObject(component) ||
    read(component, 'workload') !== 'StatefulSet' ||
    read(component, 'externalName') !== undefined
  ) {
    return false;
  }
  const ports = read(component, 'ports');
  return Array.isArray(ports) && ports.length > 0;
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
  const selector = selectorKey(component, context.names[index]);
  if (selector === undefined) {
    return;
  }
  const first = context.selectors.get(selector);
  if (first === undefined) {
    context.selectors.set(selector, index);
    return;
  }
  into.push({
    segments: ['components', index, 'labels'],
    message: `these labels are the same pod selector as ${componentLabel(first, context.names[first])}'s: each Service would send traffic to the other's pods; give each component its own labels`,
  });
}

/* ------------------------------------------------------------------------------------------------
 * Defaults. Objects are built key by key in the order of the types, whatever the input's order,
 * because the plan (which embeds the topology) must be byte-identical for the same input.
 * ---------------------------------------------------------------------------------------------- */

// Optional keys are assigned in place rather than spread in: spreading `{}` or `{ key }` per field
// made normalizing the largest topology slower than validating it.

function normalizeEnvironment(environment: ParsedTopology['environment']): Environment {
  const k3s = environment.platform === 'k3s';
  // k3s bundles Traefik and ServiceLB unless they are disabled, so absent means "there", not "none".
  const ingressController = environment.ingressController ?? (k3s ? 'traefik' : undefined);
  const loadBalancerProvider = environment.loadBalancerProvider ?? (k3s ? 'servicelb' : undefined);
  const normalized: Partial<Environment> = { platform: environment.platform };
  if (environment.region !== undefined) {
    normalized.region = environment.region;
  }
  // "none" is dropped where absent already means none, but kept on k3s, where absent means
  // Traefik: a portal that sends a stored plan's topology back must get the same plan.
  if (ingressController !== undefined && (ingressController !== 'none' || k3s)) {
    normalized.ingressController = ingressController;
  }
  if (loadBalancerProvider !== undefined) {
    normalized.loadBalancerProvider = loadBalancerProvider;
  }
  if (environment.addressPool !== undefined) {
    normalized.addressPool = environment.addressPool;
  }
  normalized.stage = environment.stage;
  return normalized as Environment;
}

function normalizePort(port: ParsedComponent['ports'][number]): PortSpec {
  const normalized: Partial<PortSpec> = {};
  if (port.name !== undefined) {
    normalized.name = port.name;
  }
  normalized.port = port.port;
  normalized.targetPort = port.targetPort ?? port.port;
  normalized.protocol = port.protocol;
  if (port.appProtocol !== undefined) {
    normalized.appProtocol = port.appProtocol;
  }
  if (port.nodePort !== undefined) {
    normalized.nodePort = port.nodePort;
  }
  return normalized as PortSpec;
}

function normalizeComponent(component: ParsedComponent): Component {
  const normalized: Partial<Component> = {
    name: component.name,
    role: component.role,
    workload: component.workload,
    replicas: component.replicas,
    ports: component.ports.map(normalizePort),
    exposure: component.exposure,
    allowedSources: [...component.allowedSources],
  };
  if (component.externalName !== undefined) {
    normalized.externalName = component.externalName;
  }
  normalized.dependsOn = [...component.dependsOn];
  if (component.host !== undefined) {
    normalized.host = component.host;
  }
  // A path is kept when given, and defaults to "/" only with a host: no host and no path, no routing hint.
  const path = component.path ?? (component.host === undefined ? undefined : '/');
  if (path !== undefined) {
    normalized.path = path;
  }
  if (component.tls !== undefined) {
    normalized.tls = component.tls;
  }
  normalized.preserveClientIp = component.preserveClientIp;
  normalized.labels =
    component.labels === undefined ? { app: component.name } : Object.fromEntries(Object.entries(component.labels));
  return normalized as Component;
}

function normalize(parsed: ParsedTopology): Topology {
  const topology: Topology = {
    name: parsed.name,
    namespace: parsed.namespace,
    environment: normalizeEnvironment(parsed.environment),
    components: parsed.components.map(normalizeComponent),
  };
  if (parsed.pricing !== undefined) {
    topology.pricing = parsed.pricing;
  }
  return topology;
}

/* ------------------------------------------------------------------------------------------------
 * The entry point.
 * ---------------------------------------------------------------------------------------------- */

function finish(found: FoundProblem[], stoppedEarly: boolean): Problem[] {
  // Stable: at one path, shape problems come before meaning problems, each in input order.
  const sorted = found
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => compareSegments(a.problem.segments, b.problem.segments) || a.order - b.order);
  const listed = sorted
    .slice(0, MAX_PROBLEMS_LISTED)
    .map(({ problem }) => ({ path: formatPath(problem.segments), message: problem.message }));
  if (sorted.length <= MAX_PROBLEMS_LISTED) {
    return listed;
  }
  const rest = sorted.length - MAX_PROBLEMS_LISTED;
  const more = stoppedEarly
    ? 'More problems are not listed (the rest of the input was not read)'
    : `${formatCount(rest)} more problem${rest === 1 ? ' is' : 's are'} not listed`;
  return [...listed, { path: '', message: `${more}; fix the ones above first` }];
}

/** Parses with our messages: the schemas word their own problems, the rest is worded in `wordIssue`. */
const PARSE_OPTIONS = { reportInput: true, error: () => UNWORDED } as const;

/** A component with too many labels is parsed without them: their count is the problem (checkLabels), not each one. */
function forParsing(component: unknown): unknown {
  if (!isObject(component)) {
    return component;
  }
  const labels = read(component, 'labels');
  return isObject(labels) && Object.keys(labels).length > MAX_LABELS ? { ...component, labels: {} } : component;
}

function validate(input: unknown): TopologyValidation {
  const found: FoundProblem[] = [];
  // Text the database cannot store (NUL, lone surrogates) or no field takes (control characters).
  const unsafeText = unsafeTextIn(input, MAX_PROBLEMS_LISTED + 1);
  const shell = topologyShellSchema.safeParse(input, PARSE_OPTIONS);
  if (!shell.success) {
    problemsFromIssues(shell.error.issues, [], found);
  }
  if (!isObject(input)) {
    return { ok: false, problems: finish(found, false) };
  }
  const environment = read(input, 'environment');
  if (isObject(environment)) {
    checkEnvironment(environment, found);
  }

  // Components are parsed and checked one at a time, in order, and the reading stops once more
  // problems are found than are listed: those come first in the sorted list anyway, and a huge
  // broken input then costs no more than a small one.
  const rawComponents = read(input, 'components');
  const components: ParsedComponent[] = [];
  let problemsSoFar = found.filter((problem) => compareSegments(problem.segments, ['components', 0]) < 0).length;
  let stoppedEarly = false;
  // Past the size limit zod reports only the count without reading the elements, and so does this.
  if (Array.isArray(rawComponents) && rawComponents.length <= MAX_COMPONENTS) {
    const context = meaningContext(rawComponents);
    for (let index = 0; index < rawComponents.length; index++) {
      if (problemsSoFar > MAX_PROBLEMS_LISTED) {
        stoppedEarly = true;
        break;
      }
      const before = found.length;
      const parsed = componentSchema.safeParse(forParsing(rawComponents[index]), PARSE_OPTIONS);
      if (parsed.success) {
        components.push(parsed.data);
      } else {
        problemsFromIssues(parsed.error.issues, ['components', index], found);
      }
      checkComponent(context, index, found);
      problemsSoFar += found.length - before;
    }
  }

  if (found.length > 0 || unsafeText.length > 0 || !shell.success) {
    const all = withUnsafeText(found, unsafeText);
    // A failed parse always has an issue; the `||` only keeps a zod surprise from turning into a crash.
    return {
      ok: false,
      problems: all.length > 0 ? finish(all, stoppedEarly) : [{ path: '', message: 'the topology is not valid' }],
    };
  }
  return { ok: true, topology: normalize({ ...shell.data, components }) };
}

/**
 * Checks a topology and fills in its defaults. Never throws: bad input of any shape (null, a string,
 * deeply nested junk, "__proto__" keys) gives every problem found, as values.
 */
export function validateTopology(input: unknown): TopologyValidation {
  try {
    return validate(input);
  } catch (error) {
    // JSON cannot get here; an exotic object can (a getter that throws, a revoked Proxy).
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: `the topology could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`,
        },
      ],
    };
  }
}
