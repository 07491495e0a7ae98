import { z } from 'zod';
import { componentSchema, portSchema, topologyInputSchema } from '../planner/topology/schema.js';
import {
  ENTRY_POINTS,
  PLATFORMS,
  PROTOCOLS,
  SERVICE_TYPES,
  SEVERITIES,
  type PlanResult,
  type Topology,
} from '../planner/types.js';
import type { PlanDiff } from './plan-diff.js';
import type { KeyCount, Page, PlanPreview, PlanStats, PlanSummary, StoredPlan } from './plans.types.js';

/**
 * The output contract as zod schemas: the one description of what /v1/plans answers, from which the
 * OpenAPI response schemas (plans.openapi.ts) and the GraphQL object types (src/graphql/models, through
 * zodObjectType in src/graphql/zod-object-type.ts) are generated. The planner's types (src/planner/types.ts)
 * stay the planner's own; the `SameShape` checks at the end of this file make tsc fail when a field
 * is in one and not the other, and test/openapi-contract.e2e-spec.ts checks real plans against the
 * generated document with no unknown field allowed.
 *
 * Adding a field to the plan: add it to the type in src/planner/types.ts and to the schema here
 * (with a `.describe()`); tsc names the schema to change if one is forgotten. GraphQL serves it at once,
 * with that description: `npm run schema:gql` shows it in schema.gql. A new nested object needs a
 * GraphQL type name in its model (startup fails, naming the field, until it has one). Descriptions
 * serve both transports: say "not set" for an optional field (REST leaves it out, GraphQL answers null).
 */

/* Schemas registered here become components of the OpenAPI document, under their id. */
export const openApiComponents = z.registry<{ id: string }>();

const named = <T extends z.ZodType>(id: string, schema: T): T => {
  openApiComponents.add(schema, { id });
  return schema;
};

const serviceTypeSchema = z.enum(SERVICE_TYPES);
const entryPointSchema = z.enum(ENTRY_POINTS).describe('How traffic from outside the cluster arrives.');
const severitySchema = z.enum(SEVERITIES);

const alternativeSchema = z.object({
  serviceType: serviceTypeSchema,
  entryPoint: entryPointSchema,
  reason: z.string().describe('Why it was not chosen, with what it would cost.'),
  monthlyCost: z
    .number()
    .describe("What this alternative would cost per month for this component, in the plan's currency."),
});

const portReferenceSchema = z.object({
  name: z.string().optional().describe('Absent for an unnamed port.'),
  port: z.int(),
  protocol: z.enum(PROTOCOLS),
});

const internalServiceSchema = z
  .object({
    name: z.string().describe('The ClusterIP Service `<component>-internal`.'),
    ports: z.array(portReferenceSchema),
  })
  .describe(
    'The ports kept in-cluster (exposure internal) and the ClusterIP Service that carries them; null when every port is published, and not set for components without a selector Service.',
  );

const recommendationBase = {
  component: z.string().describe('The component name.'),
  rationale: z.array(z.string()).describe('The reasons, one sentence each.'),
  alternatives: z.array(alternativeSchema),
};

/** Besides its Service, a StatefulSet's headless Service; and the ports kept in-cluster. */
const selectorServiceFields = {
  ...recommendationBase,
  headless: z
    .boolean()
    .describe(
      'true: the component also (or only) gets a headless Service `<component>-headless` (clusterIP: None) for stable pod identity.',
    ),
  internalService: internalServiceSchema.nullable(),
};

const recommendationSchema = named(
  'Recommendation',
  z
    .discriminatedUnion('serviceType', [
      z
        .object({
          ...recommendationBase,
          serviceType: z.null().describe('null: the component has no ports, so no Service at all.'),
          headless: z.literal(false),
          entryPoint: z.literal('none'),
        })
        .describe('No ports: no Service at all (a worker that only calls out).'),
      z
        .object({
          ...recommendationBase,
          serviceType: z.literal('ExternalName'),
          headless: z.literal(false),
          entryPoint: z.literal('none'),
        })
        .describe('A dependency outside the cluster: a DNS alias, nothing to expose.'),
      z
        .object({
          ...selectorServiceFields,
          serviceType: z.literal('ClusterIP'),
          entryPoint: z.enum(['none', 'ingress']),
        })
        .describe('In-cluster only, or behind the shared Ingress or Gateway.'),
      z
        .object({ ...selectorServiceFields, serviceType: z.literal('NodePort'), entryPoint: z.literal('node-port') })
        .describe('Reached on a port of every node.'),
      z
        .object({
          ...selectorServiceFields,
          serviceType: z.literal('LoadBalancer'),
          entryPoint: z.literal('load-balancer'),
          scheme: z
            .enum(['internet-facing', 'internal'])
            .describe(
              'Whether its address is reachable from the internet or only from private networks; only for a LoadBalancer.',
            ),
        })
        .describe('Its own load balancer.'),
    ])
    .describe('What one component gets, told apart by serviceType (null: no ports, no Service at all).'),
);

const stringMap = z.record(z.string(), z.string());

const kubeObjectSchema = named(
  'KubeObject',
  z
    .looseObject({
      apiVersion: z.string().meta({ example: 'v1' }),
      kind: z.string().meta({ example: 'Service' }),
      metadata: z.object({
        name: z.string(),
        namespace: z.string().optional(),
        labels: stringMap.optional(),
        annotations: stringMap.optional(),
      }),
    })
    .describe(
      'A Kubernetes object (v1 Service, networking.k8s.io/v1 Ingress or NetworkPolicy…), valid against the API schema.',
    ),
);

const ingressPlanSchema = z
  .object({
    className: z.string().describe('The IngressClass name.'),
    controllerPresent: z.boolean().describe('false: the plan assumes a controller that must be installed first.'),
    install: z.string().optional().describe('What to install, when the controller is not present.'),
    components: z.array(z.string()).describe('The components routed through it.'),
  })
  .describe('The shared Ingress public HTTP goes through; null when nothing is routed through an Ingress.');

const gatewayRoutingSchema = z
  .object({
    name: z.string(),
    namespace: z.string(),
    shared: z.boolean().describe('true: an existing Gateway (environment.gateway) the plan only attaches routes to.'),
    className: z.string().describe('The gatewayClassName proposed (for a shared Gateway: assumed).'),
    install: z
      .string()
      .optional()
      .describe('What to install or enable for the class, with its source; not set for a shared Gateway.'),
    components: z.array(z.string()).describe('The components routed through it.'),
    routeKinds: z
      .array(
        z.object({
          kind: z.string().describe('HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute.'),
          channel: z
            .enum(['standard', 'experimental'])
            .describe('The Gateway API CRD channel that serves it at that apiVersion: standard or experimental.'),
          apiVersion: z.string(),
        }),
      )
      .describe('Each route kind used, the apiVersion written and the CRD channel it needs.'),
  })
  .describe(
    'The Gateway public HTTP goes through when environment.routing is gateway-api and something is routed (ingress is then null); null otherwise.',
  );

const costSchema = named(
  'Cost',
  z.object({
    currency: z.literal('USD').describe('ISO 4217 currency code; always USD today.'),
    monthlyTotal: z.number().describe('What the chosen design costs per month.'),
    items: z.array(
      z.object({
        component: z
          .string()
          .optional()
          .describe(
            'The component the charge is for; not set for shared resources (the ingress controller’s load balancer).',
          ),
        resource: z.enum(['load-balancer', 'capacity-units', 'public-ipv4', 'forwarding-rules', 'ingress-controller']),
        description: z.string(),
        monthly: z.number().describe("Per month, in the plan's currency."),
        basis: z.string().describe('How the figure was reached, in a sentence (rate × hours × quantity).'),
      }),
    ),
    savings: z.array(z.object({ description: z.string(), monthly: z.number() })),
    pricing: z.object({ source: z.string(), asOf: z.string().describe('The date of the prices (ISO 8601 date).') }),
  }),
);

const findingSchema = named(
  'Finding',
  z.object({
    id: z.string().describe('Stable rule id, documented in docs/findings.md (EXP001…).'),
    severity: severitySchema,
    component: z.string().optional().describe('Not set for a finding about the whole namespace.'),
    title: z.string(),
    detail: z.string(),
    remediation: z.string(),
  }),
);

const verificationStepSchema = z.object({
  component: z.string(),
  command: z.string().describe('The command to run (kubectl …).'),
  expect: z.string().describe('What its output should show.'),
  mustFail: z
    .literal(true)
    .optional()
    .describe(
      'true on isolation probes: the step passes only when the command gets no answer (exits non-zero). Not set: the command must succeed.',
    ),
  expectOutput: z
    .string()
    .optional()
    .describe(
      "A POSIX extended regular expression (as `grep -E` reads it) that at least one line of the command's output (stdout and stderr, each line trimmed of surrounding whitespace) must match, besides the exit status: for example `^301$` for a redirect, `^True$` for a condition. On a `mustFail` step it is the output that proves the probe ran and got no answer (a timeout); any other failure proves nothing. Not set: the exit status alone decides.",
    ),
  runFrom: z
    .string()
    .optional()
    .describe(
      'Where the step must run to prove its point, for example `a host in 203.0.113.0/24` (allowedSources) or `a host inside the private network` (an internal load balancer): from anywhere else a correct plan fails it. `expect` says the same in words. verify.sh prints such a step as MANUAL with this location, not counted, unless `VERIFY_RUN_FROM=1` says it runs from there. Not set: the step works from wherever kubectl reaches the cluster.',
    ),
});

/*
 * The normalized topology: valid input (it re-plans the same) with every default filled in. So it is
 * the input schema's output, except for what the planner fills in or leaves out beyond zod's
 * defaults (src/planner/topology/defaults.ts): those fields are restated here. Its OpenAPI schema is
 * the request body's own (plans.openapi.ts points it there); GraphQL's Topology type is made from it,
 * and the checks at the end of this file hold it to `Topology` in types.ts.
 */
const normalizedPortSchema = portSchema.extend({
  targetPort: portSchema.shape.targetPort
    .unwrap()
    .describe('The container port: a number, or the name of a container port; `port` when the input left it out.'),
  exposure: portSchema.shape.exposure
    .unwrap()
    .optional()
    .describe(
      "inherit: published with the component's exposure; internal: in-cluster only, on the ClusterIP Service <component>-internal. Always set in a plan's topology (the heuristic fills it when the input leaves it out).",
    ),
});

const normalizedComponentSchema = componentSchema.extend({
  ports: z.array(normalizedPortSchema).describe('No ports (a worker): no Service at all.'),
  allowFrom: componentSchema.shape.allowFrom
    .unwrap()
    .optional()
    .describe('Callers outside the topology its NetworkPolicy admits; not set (never empty): none.'),
  labels: componentSchema.shape.labels.unwrap().describe('The pod selector: as given, or `{ app: <name> }`.'),
});

export const normalizedTopologySchema = topologyInputSchema
  .extend({ components: z.array(normalizedComponentSchema) })
  .describe('The normalized input, every default filled in.');

const networkPolicyCoverageSchema = z
  .object({
    defaultDeny: z
      .enum(['namespace', 'plan-pods'])
      .describe(
        "namespace: the default deny selects every pod of the namespace (environment.ownsNamespace); plan-pods: only the plan's own pods.",
      ),
    egress: z
      .enum(['open', 'restricted'])
      .describe('open: no egress policy (the default); restricted: environment.egress is restrict.'),
    covered: z
      .array(z.string())
      .describe('Components a policy selects for ingress, admitting blocks that are what they look.'),
    partlyCovered: z
      .array(
        z.object({
          component: z.string(),
          cidrs: z.array(z.string()).describe('The admitted blocks that are broader than they look, in policy order.'),
          narrowWith: z
            .array(z.string())
            .describe(
              'The inputs that would narrow them (environment.podCidr, environment.nodeCidr); empty when none can.',
            ),
          reason: z.string().describe('Why, in sentences.'),
        }),
      )
      .describe('Selected, but admitting blocks broader than they look (finding EXP034).'),
    uncovered: z
      .array(z.string())
      .describe('Components with pods that no policy selects for ingress (finding EXP013).'),
    summary: z.string().describe('The counts and the egress mode, in one sentence.'),
  })
  .describe(
    'What the NetworkPolicies among the manifests cover: covered, partly covered, not covered, and whether egress is restricted; read from the rendered policies. Null on revisions stored before it was reported.',
  );

const planNameSchema = z.string().describe("The topology's name.");

const planResultShape = {
  engineVersion: z.string().describe('The planner version that made this plan; bumped whenever a plan would change.'),
  topology: normalizedTopologySchema,
  recommendations: z.array(recommendationSchema).describe('One per component, in input order.'),
  ingress: ingressPlanSchema.nullable(),
  gateway: gatewayRoutingSchema.nullable(),
  manifests: z.array(kubeObjectSchema),
  networkPolicyCoverage: networkPolicyCoverageSchema.nullable(),
  cost: costSchema,
  findings: z.array(findingSchema).describe('Security findings, most severe first.'),
  verification: z.array(verificationStepSchema),
};

export const planResultSchema = z.object(planResultShape);

export const storedPlanSchema = named(
  'Plan',
  z
    .object({
      id: z.uuid().describe('The plan id (a UUID), shared by all its revisions.'),
      name: planNameSchema,
      revision: z.int().describe('1 for the first plan, +1 for each revision.'),
      createdAt: z.iso.datetime().describe('When this revision was made.'),
      ...planResultShape,
    })
    .describe('One revision of a stored plan.'),
);

export const planPreviewSchema = named(
  'PlanPreview',
  z.object({ name: planNameSchema, ...planResultShape }).describe('A plan computed but not stored (dryRun).'),
);

const planSummarySchema = named(
  'PlanSummary',
  z.object({
    id: z.uuid(),
    name: z.string(),
    namespace: z.string(),
    platform: z.enum(PLATFORMS),
    revision: z.int().describe('The latest revision.'),
    createdAt: z.iso.datetime().describe('When the plan was first created.'),
    updatedAt: z.iso.datetime().describe('When its latest revision was made.'),
    monthlyCost: z.number().describe('Monthly cost of the latest revision.'),
    componentCount: z.int(),
    worstSeverity: severitySchema.nullable().describe('The most severe finding of the latest revision; null: none.'),
  }),
);

export const planPageSchema = named(
  'PlanPage',
  z.object({
    items: z.array(planSummarySchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
    totalCount: z.int().describe('How many plans match the filters, over all pages.'),
  }),
);

export const planRevisionsSchema = named(
  'PlanRevisions',
  z.object({ items: z.array(storedPlanSchema).describe('Newest first.') }),
);

const exposureSchema = z
  .object({ serviceType: serviceTypeSchema.nullable().describe('null: no Service.'), entryPoint: entryPointSchema })
  .describe('How a component is exposed.');

const objectRefShape = {
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().nullable().describe('null for a cluster-scoped object.'),
  name: z.string(),
};

/* One schema for both lists, so that GraphQL makes one ObjectRef type of it. */
const objectRefSchema = z.object(objectRefShape);

const jsonPatchOperationSchema = z
  .object({
    op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
    path: z.string().describe('A JSON Pointer (RFC 6901) into the object.'),
    value: z.unknown().optional().describe('For add, replace and test.'),
    from: z.string().optional().describe('For move and copy.'),
  })
  .describe('One RFC 6902 JSON Patch operation.');

const findingRefSchema = z.object({
  id: z.string(),
  component: z.string().nullable().describe('null for a finding about the whole namespace.'),
  severity: severitySchema,
  title: z.string(),
});

export const planDiffSchema = named(
  'PlanDiff',
  z
    .object({
      planId: z.uuid(),
      name: z.string(),
      fromRevision: z.int(),
      toRevision: z.int(),
      recommendations: z
        .array(
          z.object({
            component: z.string(),
            from: exposureSchema.nullable().describe('null: the component is new.'),
            to: exposureSchema.nullable().describe('null: the component was removed.'),
          }),
        )
        .describe('Components whose Service type or entry point changed, added or removed, by name.'),
      manifests: z
        .object({
          added: z.array(objectRefSchema),
          removed: z.array(objectRefSchema),
          changed: z.array(
            z.object({
              ...objectRefShape,
              patch: z.array(jsonPatchOperationSchema).describe('Turns the old object into the new.'),
            }),
          ),
        })
        .describe('Objects keyed by apiVersion/kind/namespace/name, ordered by kind, namespace, name.'),
      cost: z.object({
        currency: z.literal('USD'),
        from: z.number().describe('The monthly total of `fromRevision`.'),
        to: z.number().describe('The monthly total of `toRevision`.'),
        delta: z.number().describe('to − from.'),
        items: z
          .array(
            z.object({
              component: z.string().nullable().describe('null for a shared resource.'),
              resource: z.enum([
                'load-balancer',
                'capacity-units',
                'public-ipv4',
                'forwarding-rules',
                'ingress-controller',
              ]),
              from: z.number().nullable().describe('null: no such line before.'),
              to: z.number().nullable().describe('null: no such line after.'),
              delta: z.number(),
            }),
          )
          .describe('The cost lines that moved, summed by component and resource.'),
      }),
      findings: z
        .object({
          added: z.array(findingRefSchema),
          resolved: z.array(findingRefSchema),
        })
        .describe('Keyed by id and component, ordered so.'),
    })
    .describe('What changed between two revisions of a plan.'),
);

const keyCountSchema = z.object({ key: z.string(), count: z.int() });

/** GraphQL only (planStats): checked against its type, not a component of the REST document. */
export const planStatsSchema = z.object({
  totalPlans: z.int(),
  byServiceType: z
    .array(keyCountSchema)
    .describe('Recommendations of the latest revisions by Service type ("none": no Service).'),
  byPlatform: z.array(keyCountSchema).describe('Plans by platform.'),
  bySeverity: z.array(keyCountSchema).describe('Findings of the latest revisions by severity, worst first.'),
  monthlyCostTotal: z.number(),
  monthlyCostAverage: z.number(),
  topFindings: z.array(keyCountSchema).describe('Finding ids by how many plans have them (at most 10).'),
});

/* ------------------------------------------------------------------------------------------------
 * The checks that keep this file and the types in step: each line fails to compile when a field is
 * in one and not the other, optional in one and required in the other, or typed differently.
 * ---------------------------------------------------------------------------------------------- */

/** A type with intersections flattened and `| undefined` of optional fields dropped, to compare shapes. */
type Shape<T> = T extends readonly (infer Item)[]
  ? Shape<Item>[]
  : T extends object
    ? { [K in keyof T]: Shape<Exclude<T[K], undefined>> }
    : T;
type Same<A, B> = (<X>() => X extends Shape<A> ? 1 : 2) extends <X>() => X extends Shape<B> ? 1 : 2 ? true : false;
/** Compiles only when `Same` is true. */
type SameShape<Check extends true> = Check;

export type OutputContractChecks = [
  SameShape<Same<z.output<typeof normalizedTopologySchema>, Topology>>,
  SameShape<Same<z.output<typeof planResultSchema>, PlanResult>>,
  SameShape<Same<z.output<typeof storedPlanSchema>, StoredPlan>>,
  SameShape<Same<z.output<typeof planPreviewSchema>, PlanPreview>>,
  SameShape<Same<z.output<typeof planPageSchema>, Page<PlanSummary>>>,
  SameShape<Same<z.output<typeof planStatsSchema>, PlanStats>>,
  SameShape<Same<z.output<typeof keyCountSchema>, KeyCount>>,
  SameShape<Same<z.output<typeof planDiffSchema>, PlanDiff>>,
];

// The request body stays the planner's input schema; imported here so that the document's
// components come from one module.
export { topologyInputSchema };
