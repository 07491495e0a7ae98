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
} from '../names.js';
import { HEADLESS_SUFFIX } from '../manifest-conventions.js';
import { pricingOverrideSchema } from '../pricing.js';
import { ingressPathProblems } from '../routing/ingress-path.js';
import { ROUTING_APIS } from '../routing/gateway-classes.js';
import { NODE_PORT_RANGE } from '../rules.js';
import {
  EGRESS_MODES,
  EXPOSURES,
  LOAD_BALANCER_PROVIDERS,
  PLATFORMS,
  PORT_EXPOSURES,
  PROTOCOLS,
  ROLES,
  STAGES,
  WORKLOADS,
} from '../types.js';
import { describeValue, didYouMean, formatCount, listOf, quote } from './messages.js';
import { keptAnswers } from '../kept-answers.js';

/**
 * The shape of the topology input contract (the original design's "The topology"): the zod schema, pass 1 of
 * validation (types, enums, ranges, name syntax; unknown fields are problems, so a typo cannot pass
 * silently). It is also the JSON Schema of the OpenAPI document.
 */

export const MAX_COMPONENTS = 2_000;
export const MAX_PORTS_PER_COMPONENT = 100;
export const MAX_REPLICAS = 10_000;
export const MAX_ALLOWED_SOURCES = 100;
export const MAX_LABELS = 64;

/**
 * What preserveClientIp renders, per platform (manifests.ts renderService and loadBalancerAnnotations,
 * manifest-conventions.ts trafficPolicyApplies and clientAddressReachesPods). The field's description,
 * which the OpenAPI document and schema.gql (through plan-output.schema.ts) both show.
 */
const PRESERVE_CLIENT_IP_DESCRIPTION =
  'Keep the client source IP where the Service can: externalTrafficPolicy: Local on a NodePort or LoadBalancer Service, ' +
  'except the AWS NLB (ip targets bypass kube-proxy, so Local does nothing there), which gets the target-group attribute ' +
  'preserve_client_ip.enabled=true instead. DigitalOcean load balancers proxy connections, so pods see the load balancer ' +
  'even with Local (use PROXY protocol). Not set on a ClusterIP Service: behind the Ingress or Gateway the client IP ' +
  'reaches pods only in X-Forwarded-For (EXP017).';

/** A StatefulSet's headless Service is `<name>-headless`, and a Service name is at most 63 characters. */
export const MAX_STATEFULSET_NAME_LENGTH = DNS1123_LABEL_MAX_LENGTH - HEADLESS_SUFFIX.length;

const MAX_PATH_LENGTH = 1_024;
/**
 * An absolute URL path of characters that no shell and no curl URL reads as anything but
 * themselves: the path goes into the plan's verification commands (curl …/<path>), which people
 * paste into a shell and verify.sh runs with `sh -c`. So no `$ ' " ( ) ; & | < > * ? !` or
 * backquote (code), no `[ ] { }` (curl's URL globbing), no whitespace and nothing past ASCII
 * (invisible characters could hide the rest). Letters, digits and `- . _ ~ / % : @ + , =` remain:
 * every path ingress-nginx's strict path validation accepts, and more.
 */
export const ROUTE_PATH_PATTERN = /^\/[A-Za-z0-9._~\/%:@+,=-]*$/;
/** The characters ROUTE_PATH_PATTERN accepts, as the message names them. */
const ROUTE_PATH_CHARACTERS = 'letters, digits and - . _ ~ / % : @ + , =';
const MAX_REGION_LENGTH = 64;
const MAX_APP_PROTOCOL_LENGTH = 63;
/** No CIDR (IPv4 or IPv6, with its prefix) is longer; anything longer is not worth parsing. */
const MAX_CIDR_LENGTH = 64;
/** An ACM ARN is about 90 characters and a DigitalOcean id 36: a generous cap keeps huge strings out. */
const MAX_CERTIFICATE_LENGTH = 256;

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

/** More zones than any cloud region has: a typo, not a topology. */
const MAX_ZONES = 32;

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

/**
 * Why a string is not a CIDR Kubernetes accepts (loadBalancerSourceRanges, NetworkPolicy ipBlock).
 * Each answer is kept: a topology repeats the same few allowedSources over many components.
 */
export const cidrProblem: (value: string) => string | undefined = keptAnswers(
  (value: string) => value,
  findCidrProblem,
);

function findCidrProblem(value: string): string | undefined {
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

function cidrOf(what: string) {
  return z.string().refine((value) => cidrProblem(value) === undefined, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `${what} ${quote(issue.input)} is not a CIDR: ${cidrProblem(issue.input) ?? 'it is not valid'}`
        : `${what} must be a CIDR string, got ${describeValue(issue.input)}`,
  });
}

const cidrSchema = cidrOf('allowed source');

/** A pod network has a few ranges (dual-stack, EKS custom networking), never hundreds. */
export const MAX_CLUSTER_CIDRS = 16;

function clusterCidrs(field: string) {
  return z
    .array(cidrOf(`${field} entry`))
    .min(1, { error: `${field} must list at least one CIDR; leave it out if unknown` })
    .max(MAX_CLUSTER_CIDRS, {
      error: (issue) => `at most ${MAX_CLUSTER_CIDRS} ${field} CIDRs are allowed, got ${lengthOf(issue.input)}`,
    });
}

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

export const portSchema = z
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
    nodePort: wholeNumber('nodePort', NODE_PORT_RANGE.min, NODE_PORT_RANGE.max)
      .optional()
      .describe(
        `Pin the node port (${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}); left out, Kubernetes assigns one when needed.`,
      ),
    exposure: oneOf(PORT_EXPOSURES, 'port exposure')
      .optional()
      .describe(
        "inherit: published with the component's exposure; internal: in-cluster only, on the ClusterIP Service <component>-internal. Left out: internal for observability, admin and cluster ports (metrics, admin, gossip…, 9090, 7946…) beside a port that carries traffic and unless a published port sends to the same container port, else inherit (docs/planner.md).",
      ),
  })
  .strict();

/** A component is called from a handful of places outside the topology, not hundreds. */
export const MAX_ALLOW_FROM = 32;

const labelMapSchema = z
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
  .meta({ maxProperties: MAX_LABELS });

const allowFromSchema = z
  .object({
    namespace: syntaxString(
      'allowFrom namespace',
      'DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)',
      DNS1123_LABEL_MAX_LENGTH,
      DNS1123_LABEL_PATTERN,
      dns1123LabelProblem,
    ).describe('The namespace the callers run in (selected by its kubernetes.io/metadata.name label).'),
    podLabels: labelMapSchema
      .optional()
      .describe('Only the pods with these labels; absent: every pod of the namespace.'),
    ports: z
      .array(z.union([wholeNumber('allowFrom port', 1, 65_535), z.string()]))
      .min(1, { error: 'allowFrom ports must list at least one port; leave it out for all ports' })
      .max(MAX_PORTS_PER_COMPONENT)
      .optional()
      .describe("The component's ports they may reach, by name or Service port number; absent: all its ports."),
  })
  .strict();

export const componentSchema = z
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
            : `path ${typeof issue.input === 'string' ? quote(issue.input) : ''} may hold only ${ROUTE_PATH_CHARACTERS}: the plan's verification commands carry it, and a shell or curl would read the others (spaces, quotes, $, brackets and the like) as more than the path`,
      })
      .refine((value) => ingressPathProblems(value).length === 0, {
        error: (issue) =>
          `path ${quote(String(issue.input))} ${ingressPathProblems(String(issue.input)).join(' and ')}: the Kubernetes API server refuses it in an Ingress, since a proxy would match it as another path`,
      })
      .optional()
      .describe(
        'HTTP routing: the path prefix (default "/" when host is given). Letters, digits and - . _ ~ / % : @ + , = only (the verification commands carry it into a shell). As the Kubernetes API server requires of an Ingress path: no "//", "/./", "/../" or "%2F", and no "/." or "/.." at the end.',
      ),
    tls: z.boolean().optional().describe('HTTP routing: serve the host over TLS (needs host).'),
    certificate: z
      .string()
      .max(MAX_CERTIFICATE_LENGTH, { error: `certificate must be at most ${MAX_CERTIFICATE_LENGTH} characters long` })
      .optional()
      .describe(
        'HTTP routing, with tls: the certificate for host. aws: an ACM certificate ARN (NLB TLS listener, or the ALB certificate-arn); digitalocean: a certificate id. Not read elsewhere (use the tls Secret).',
      ),
    preserveClientIp: z.boolean().default(false).describe(PRESERVE_CLIENT_IP_DESCRIPTION),
    allowFrom: z
      .array(allowFromSchema)
      .max(MAX_ALLOW_FROM, {
        error: (issue) => `at most ${MAX_ALLOW_FROM} allowFrom entries are allowed, got ${lengthOf(issue.input)}`,
      })
      .default([])
      .describe(
        'Callers outside the topology (a Prometheus, a mesh, another namespace): each admitted by its namespace and optionally its pod labels, on the listed ports (names or Service port numbers) or all ports.',
      ),
    labels: labelMapSchema
      .optional()
      .describe(
        "The pod selector; default { app: <name> }. No other component's labels may equal it, be all among it, or include all of it.",
      ),
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

export const environmentSchema = z
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
    routing: oneOf(ROUTING_APIS, 'routing')
      .optional()
      .describe(
        'The API for what goes through the shared L7 entry point: "ingress" (an Ingress) or "gateway-api" (a Gateway and HTTPRoutes). Absent: gateway-api on azure, ingress elsewhere.',
      ),
    gateway: z
      .object({
        name: syntaxString(
          'gateway.name',
          'Gateway name (a DNS-1123 subdomain)',
          DNS1123_SUBDOMAIN_MAX_LENGTH,
          DNS1123_SUBDOMAIN_PATTERN,
          (value) => dns1123SubdomainProblem(value),
        ),
        namespace: syntaxString(
          'gateway.namespace',
          'DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)',
          DNS1123_LABEL_MAX_LENGTH,
          DNS1123_LABEL_PATTERN,
          dns1123LabelProblem,
        ),
      })
      .strict()
      .optional()
      .describe(
        'An existing shared Gateway to attach the routes to instead of creating one (routing gateway-api only).',
      ),
    gatewayClassName: syntaxString(
      'gatewayClassName',
      'GatewayClass name (a DNS-1123 subdomain)',
      DNS1123_SUBDOMAIN_MAX_LENGTH,
      DNS1123_SUBDOMAIN_PATTERN,
      (value) => dns1123SubdomainProblem(value),
    )
      .optional()
      .describe(
        "The GatewayClass for the plan's Gateway instead of the platform's default (routing gateway-api only): one of the platform's known classes, or any other, used as named.",
      ),
    zones: wholeNumber('zones', 1, MAX_ZONES)
      .optional()
      .describe(
        'Availability Zones the load balancers span; an internet-facing AWS NLB or ALB holds one public IPv4 address in each. Absent: 3, what EKS clusters usually span.',
      ),
    ownsNamespace: z
      .boolean()
      .optional()
      .describe(
        'true: the namespace belongs to this topology, and default-deny-ingress selects every pod in it. Absent or false: it selects only the plan\'s own pods, so other workloads in a shared namespace ("default" when namespace is left out) keep their traffic.',
      ),
    podCidr: clusterCidrs('podCidr')
      .optional()
      .describe(
        "The cluster's pod address ranges (IPv4 and/or IPv6). NetworkPolicy ipBlocks that admit outside clients then except them, so a broad block (0.0.0.0/0, a private range) does not also admit every pod.",
      ),
    nodeCidr: clusterCidrs('nodeCidr')
      .optional()
      .describe(
        'The node (VPC) address ranges. Admitted instead of all private ranges where traffic comes from node or VPC addresses (AWS NLB health checks, an ingress controller or Gateway on hostNetwork or behind a NodePort).',
      ),
    egress: oneOf(EGRESS_MODES, 'egress')
      .optional()
      .describe(
        'What the NetworkPolicies do with outgoing connections. "restrict": a default deny for egress, then per component only DNS (kube-dns in kube-system, TCP and UDP 53), its dependsOn targets on their ports and its ExternalName targets\' ports. Absent or "open": egress is not restricted.',
      ),
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
export const topologyShellSchema = topologyInputSchema.extend({ components: componentList(z.unknown()) });
export type ParsedComponent = z.output<typeof componentSchema>;
export type ParsedTopology = Omit<z.output<typeof topologyShellSchema>, 'components'> & {
  components: ParsedComponent[];
};

type JsonSchema = z.core.JSONSchema.BaseSchema;
let cachedJsonSchema: JsonSchema | undefined;

/** The JSON Schema of the input (what a client may send, defaults optional), for the OpenAPI document. */
export function topologyJsonSchema(): JsonSchema {
  cachedJsonSchema ??= z.toJSONSchema(topologyInputSchema, { io: 'input', unrepresentable: 'any' });
  // A copy, so that a caller who edits it (an OpenAPI generator often does) cannot change the next one.
  return structuredClone(cachedJsonSchema);
}
