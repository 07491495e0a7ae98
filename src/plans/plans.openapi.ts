import type { OpenAPIObject } from '@nestjs/swagger';
import { topologyJsonSchema } from '../planner/topology/index.js';
import { ENTRY_POINTS, PLATFORMS, PROTOCOLS, SERVICE_TYPES, SEVERITIES } from '../planner/types.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './list-query.js';

/**
 * The OpenAPI description of what /v1/plans reads and returns. The request body is the planner's own
 * zod schema turned into JSON Schema, so the document cannot drift from the validation that runs;
 * the responses are written out here from src/planner/types.ts and src/plans/plans.types.ts.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
const num = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const arr = (items: Schema, description?: string): Schema => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});
const obj = (properties: Record<string, Schema>, required: string[], description?: string): Schema => ({
  type: 'object',
  properties,
  required,
  ...(description ? { description } : {}),
});
const keyCounts = (description: string): Schema => arr(ref('KeyCount'), description);

const problemItem = obj(
  {
    path: str('Where, as a JSON path into the input, e.g. components[2].ports[0].nodePort.'),
    message: str('What is wrong.'),
  },
  ['path', 'message'],
);

const recommendation = obj(
  {
    component: str(),
    serviceType: {
      type: 'string',
      enum: [...SERVICE_TYPES],
      nullable: true,
      description: 'null: no ports, no Service at all.',
    },
    headless: {
      type: 'boolean',
      description: 'Also (or only) a headless Service (clusterIP: None) for stable pod identity.',
    },
    entryPoint: str('How traffic from outside the cluster arrives.', { enum: [...ENTRY_POINTS] }),
    scheme: str('Set for a LoadBalancer.', { enum: ['internet-facing', 'internal'] }),
    rationale: arr(str(), 'Why, in sentences.'),
    alternatives: arr(
      obj(
        {
          serviceType: str(undefined, { enum: [...SERVICE_TYPES] }),
          entryPoint: str(undefined, { enum: [...ENTRY_POINTS] }),
          reason: str('Why it was not chosen, with what it would cost.'),
          monthlyCost: num(),
        },
        ['serviceType', 'entryPoint', 'reason', 'monthlyCost'],
      ),
    ),
    internalService: {
      ...obj(
        {
          name: str('The ClusterIP Service `<component>-internal`.'),
          ports: arr(
            obj(
              {
                name: str('Absent for an unnamed port.'),
                port: int(),
                protocol: str(undefined, { enum: [...PROTOCOLS] }),
              },
              ['port', 'protocol'],
            ),
          ),
        },
        ['name', 'ports'],
        'Set on components with a selector Service: the ports kept in-cluster (exposure internal) and the Service that carries them; null when every port is published.',
      ),
      nullable: true,
    },
  },
  ['component', 'serviceType', 'headless', 'entryPoint', 'rationale', 'alternatives'],
);

const kubeObject: Schema = {
  ...obj(
    {
      apiVersion: str(undefined, { example: 'v1' }),
      kind: str(undefined, { example: 'Service' }),
      metadata: obj(
        {
          name: str(),
          namespace: str(),
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
        },
        ['name'],
      ),
    },
    ['apiVersion', 'kind', 'metadata'],
    'A Kubernetes object (v1 Service, networking.k8s.io/v1 Ingress or NetworkPolicy…), valid against the API schema.',
  ),
  additionalProperties: true,
};

const cost = obj(
  {
    currency: str(undefined, { enum: ['USD'] }),
    monthlyTotal: num('What the chosen design costs per month.'),
    items: arr(
      obj(
        {
          component: str('Absent for shared resources (the ingress controller’s load balancer).'),
          resource: str(undefined, {
            enum: ['load-balancer', 'capacity-units', 'public-ipv4', 'forwarding-rules', 'ingress-controller'],
          }),
          description: str(),
          monthly: num(),
          basis: str('How the figure was reached (rate × hours × quantity).'),
        },
        ['resource', 'description', 'monthly', 'basis'],
      ),
    ),
    savings: arr(obj({ description: str(), monthly: num() }, ['description', 'monthly'])),
    pricing: obj({ source: str(), asOf: str() }, ['source', 'asOf']),
  },
  ['currency', 'monthlyTotal', 'items', 'savings', 'pricing'],
);

const finding = obj(
  {
    id: str('Stable id (EXP001…).'),
    severity: str(undefined, { enum: [...SEVERITIES] }),
    component: str('Absent for a finding about the whole namespace.'),
    title: str(),
    detail: str(),
    remediation: str(),
  },
  ['id', 'severity', 'title', 'detail', 'remediation'],
);

const networkPolicyCoverage = obj(
  {
    defaultDeny: str(
      "namespace: the default deny selects every pod of the namespace (environment.ownsNamespace); plan-pods: only the plan's own pods.",
      { enum: ['namespace', 'plan-pods'] },
    ),
    egress: str('open: no egress policy (the default); restricted: environment.egress is restrict.', {
      enum: ['open', 'restricted'],
    }),
    covered: arr(str(), 'Components a policy selects for ingress, admitting blocks that are what they look.'),
    partlyCovered: arr(
      obj(
        {
          component: str(),
          cidrs: arr(str(), 'The admitted blocks that are broader than they look, in policy order.'),
          narrowWith: arr(
            str(),
            'The inputs that would narrow them (environment.podCidr, environment.nodeCidr); empty when none can.',
          ),
          reason: str('Why, in sentences.'),
        },
        ['component', 'cidrs', 'narrowWith', 'reason'],
      ),
      'Selected, but admitting blocks broader than they look (finding EXP034).',
    ),
    uncovered: arr(str(), 'Components with pods that no policy selects for ingress (finding EXP013).'),
    summary: str('The counts and the egress mode, in one sentence.'),
  },
  ['defaultDeny', 'egress', 'covered', 'partlyCovered', 'uncovered', 'summary'],
  'What the NetworkPolicies among the manifests cover, per component with pods (ExternalName dependencies have none). Null on revisions stored before it was reported.',
);

const planResultProperties: Record<string, Schema> = {
  engineVersion: str('The planner version that made this plan.'),
  topology: {
    type: 'object',
    description: 'The normalized input, every default filled in.',
    additionalProperties: true,
    properties: { name: str(), namespace: str(), environment: { type: 'object' }, components: arr({ type: 'object' }) },
  },
  recommendations: arr(ref('Recommendation')),
  ingress: {
    type: 'object',
    nullable: true,
    description: 'The shared Ingress public HTTP goes through; null when none.',
    properties: {
      className: str(),
      controllerPresent: { type: 'boolean' },
      install: str(),
      components: arr(str()),
    },
  },
  gateway: {
    type: 'object',
    nullable: true,
    description: 'The Gateway public HTTP goes through when environment.routing is gateway-api; null otherwise.',
    properties: {
      name: str(),
      namespace: str(),
      shared: { type: 'boolean' },
      className: str(),
      install: str(),
      components: arr(str()),
      routeKinds: arr(
        obj({ kind: str(), channel: { type: 'string', enum: ['standard', 'experimental'] }, apiVersion: str() }, [
          'kind',
          'channel',
          'apiVersion',
        ]),
      ),
    },
  },
  manifests: arr(ref('KubeObject')),
  // Inline, as ingress and gateway are: OpenAPI 3.0 ignores nullable beside a $ref.
  networkPolicyCoverage: { ...networkPolicyCoverage, nullable: true },
  cost: ref('Cost'),
  findings: arr(ref('Finding')),
  verification: arr(
    obj(
      {
        component: str(),
        command: str(),
        expect: str(),
        mustFail: {
          type: 'boolean',
          enum: [true],
          description:
            'Present (true) on isolation probes: the step passes only when the command gets no answer (exits non-zero).',
        },
      },
      ['component', 'command', 'expect'],
    ),
  ),
};
const planResultRequired = [
  'engineVersion',
  'topology',
  'recommendations',
  'ingress',
  'gateway',
  'manifests',
  'networkPolicyCoverage',
  'cost',
  'findings',
  'verification',
];

const planSummary = obj(
  {
    id: str(undefined, { format: 'uuid' }),
    name: str(),
    namespace: str(),
    platform: str(undefined, { enum: [...PLATFORMS] }),
    revision: int('The latest revision.'),
    createdAt: str('When the plan was first created.', { format: 'date-time' }),
    updatedAt: str('When its latest revision was made.', { format: 'date-time' }),
    monthlyCost: num(),
    componentCount: int(),
    worstSeverity: { type: 'string', enum: [...SEVERITIES], nullable: true },
  },
  [
    'id',
    'name',
    'namespace',
    'platform',
    'revision',
    'createdAt',
    'updatedAt',
    'monthlyCost',
    'componentCount',
    'worstSeverity',
  ],
);

function topologyInputSchema(): Schema {
  // OpenAPI 3.0 schemas carry no $schema keyword; the rest of zod's output is plain JSON Schema.
  const schema: Schema = { ...topologyJsonSchema() };
  delete schema.$schema;
  return schema;
}

export const PLAN_SCHEMAS = {
  TopologyInput: topologyInputSchema,
  Problem: () =>
    obj(
      {
        type: str('A URI naming the kind of problem; about:blank when the status says it all.', {
          example: 'https://exposure-planner.dev/problems/validation-failed',
        }),
        title: str(),
        status: int(),
        detail: str(),
        instance: str('The request path.'),
        errors: arr(problemItem, 'For validation-failed: every problem with the input, in document order.'),
      },
      ['type', 'title', 'status'],
      'RFC 9457 problem details (application/problem+json).',
    ),
  Recommendation: () => recommendation,
  KubeObject: () => kubeObject,
  Cost: () => cost,
  Finding: () => finding,
  KeyCount: () => obj({ key: str(), count: int() }, ['key', 'count']),
  Plan: () =>
    obj(
      {
        id: str(undefined, { format: 'uuid' }),
        name: str(),
        revision: int(),
        createdAt: str('When this revision was made.', { format: 'date-time' }),
        ...planResultProperties,
      },
      ['id', 'name', 'revision', 'createdAt', ...planResultRequired],
      'One revision of a stored plan.',
    ),
  PlanPreview: () =>
    obj(
      { name: str(), ...planResultProperties },
      ['name', ...planResultRequired],
      'A plan computed but not stored (dryRun).',
    ),
  PlanSummary: () => planSummary,
  PlanPage: () =>
    obj(
      {
        items: arr(ref('PlanSummary')),
        nextCursor: {
          type: 'string',
          nullable: true,
          description: 'Pass as `cursor` for the next page; null on the last page.',
        },
        totalCount: int('How many plans match the filters, over all pages.'),
      },
      ['items', 'nextCursor', 'totalCount'],
    ),
  PlanRevisions: () => obj({ items: arr(ref('Plan'), 'Newest first.') }, ['items']),
  PlanStats: () =>
    obj(
      {
        totalPlans: int(),
        byServiceType: keyCounts('Recommendations of the latest revisions by Service type ("none": no Service).'),
        byPlatform: keyCounts('Plans by platform.'),
        bySeverity: keyCounts('Findings of the latest revisions by severity, worst first.'),
        monthlyCostTotal: num(),
        monthlyCostAverage: num(),
        topFindings: keyCounts('Finding ids by how many plans have them (at most 10).'),
      },
      [
        'totalPlans',
        'byServiceType',
        'byPlatform',
        'bySeverity',
        'monthlyCostTotal',
        'monthlyCostAverage',
        'topFindings',
      ],
    ),
  Health: () => obj({ status: str(undefined, { enum: ['ok'] }) }, ['status']),
} satisfies Record<string, () => Schema>;

export type PlanSchemaName = keyof typeof PLAN_SCHEMAS;

/** A `$ref` to one of the schemas above, for @ApiResponse/@ApiBody. */
export function schemaRef(name: PlanSchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** Puts the schemas above into the document's components, where the `$ref`s of the decorators point. */
export function addPlanSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = Object.fromEntries(Object.entries(PLAN_SCHEMAS).map(([name, build]) => [name, build()]));
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...schemas },
    // The scheme @ApiBearerAuth() names (its default name is "bearer").
    securitySchemes: {
      ...document.components?.securitySchemes,
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'An API key (ep_…) from `npm run apikey -- create`. Scopes: plans:read, plans:write, admin. See docs/security.md.',
      },
    },
  };
  return document;
}

/** Query parameters of GET /v1/plans, described once for the decorator. */
export const LIST_QUERY_PARAMETERS = [
  { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
  { name: 'cursor', schema: { type: 'string' }, description: 'nextCursor of the previous page.' },
  { name: 'platform', schema: { type: 'string', enum: [...PLATFORMS] } },
  { name: 'name', schema: { type: 'string' }, description: 'Case-insensitive substring of the plan name.' },
  {
    name: 'createdAfter',
    schema: { type: 'string', format: 'date-time' },
    description: 'Created at or after (ISO 8601).',
  },
  { name: 'createdBefore', schema: { type: 'string', format: 'date-time' }, description: 'Created before (ISO 8601).' },
  {
    name: 'minSeverity',
    schema: { type: 'string', enum: [...SEVERITIES] },
    description: 'Only plans with a finding of this severity or worse.',
  },
] as const;
