import { planPreviewSchema, storedPlanSchema } from '../../plans/plan-output.schema.js';
import { MANIFESTS_COMPLEXITY } from '../query-limits.js';
import { JsonScalar } from '../scalars.js';
import { zodObjectType, type FieldSpec } from '../zod-object-type.js';
import { TopologyModel } from './topology.model.js';

// The plan's GraphQL types are made from the output contract's zod schemas (src/plans/plan-output.schema.ts):
// fields, nullability, list-ness and field descriptions come from there, so a field added to the
// contract is served by GraphQL too. What is written here is what zod does not say: the GraphQL name
// and description of each object type, and the fields GraphQL serves otherwise than REST.

const recommendationSchema = storedPlanSchema.shape.recommendations.element;
const costSchema = storedPlanSchema.shape.cost;

/** The fields a stored plan and a preview serve otherwise than as a copy of the zod field. */
const planContentFields: Record<string, FieldSpec> = {
  // Its object types are named in topology.model.ts.
  topology: { type: () => TopologyModel },
  // One JSON value rather than a list of objects: a Kubernetes object has open-ended fields that no
  // GraphQL type could list, and clients apply it whole.
  manifests: {
    type: () => JsonScalar,
    description:
      'The Kubernetes objects to apply (v1 Service, networking.k8s.io/v1 Ingress and NetworkPolicy…), as a JSON array. `manifestsYaml` has the same objects as YAML.',
    complexity: MANIFESTS_COMPLEXITY,
  },
};

export const RecommendationModel = zodObjectType(recommendationSchema, {
  name: 'Recommendation',
  description: 'The Service type chosen for one component, and why.',
  fields: {
    alternatives: {
      object: {
        name: 'Alternative',
        description: 'A design the planner rejected for a component, with what it would cost.',
      },
    },
    internalService: {
      object: {
        name: 'InternalService',
        description:
          'The ClusterIP Service <component>-internal that carries the ports a component that is not internal keeps in-cluster.',
        fields: { ports: { object: { name: 'PortReference', description: 'A port as the plan names it.' } } },
      },
    },
  },
});

export const CostModel = zodObjectType(costSchema, {
  name: 'Cost',
  description: 'What the exposure costs each month.',
  fields: {
    items: { object: { name: 'CostItem', description: 'One monthly charge of the chosen design.' } },
    savings: {
      object: { name: 'Saving', description: 'What the chosen design saves against a rejected one, per month.' },
    },
    pricing: { object: { name: 'PricingSource', description: 'Where the prices come from and how old they are.' } },
  },
});

export const PlanModel = zodObjectType(storedPlanSchema, {
  name: 'Plan',
  description: 'A stored plan: one revision of it. The same data as `GET /v1/plans/{id}`.',
  fields: {
    ...planContentFields,
    ingress: {
      object: {
        name: 'IngressPlan',
        description:
          'The Ingress the plan routes public HTTP through, and whether the cluster already has its controller.',
      },
    },
    gateway: {
      object: {
        name: 'GatewayPlan',
        description: 'The Gateway public HTTP goes through when environment.routing is gateway-api.',
        fields: {
          routeKinds: {
            object: {
              name: 'GatewayRouteKind',
              description: 'A Gateway API route kind the plan writes, and the CRDs it needs.',
            },
          },
        },
      },
    },
    networkPolicyCoverage: {
      object: {
        name: 'NetworkPolicyCoverage',
        description:
          'What the NetworkPolicies among the manifests cover, per component with pods (ExternalName dependencies have none).',
        fields: {
          partlyCovered: {
            object: {
              name: 'PartlyCoveredComponent',
              description:
                'A component whose pods the NetworkPolicies select, but whose allow policy admits an ipBlock broader than it looks (it also holds the cluster pods, or it is every private range standing in for node addresses).',
            },
          },
        },
      },
    },
    findings: {
      object: {
        name: 'Finding',
        description:
          'A security finding. `id` is the stable rule id (EXP001…), shared by every plan that has the finding: it does not identify this object (client caches should not normalize Finding by id).',
      },
    },
    verification: {
      object: {
        name: 'VerificationStep',
        description: 'A command that checks the exposure works once applied.',
      },
    },
  },
});

// Its nested types are the stored plan's, built above.
export const PlanPreviewModel = zodObjectType(planPreviewSchema, {
  name: 'PlanPreview',
  description: 'A plan computed but not stored (previewPlan).',
  fields: planContentFields,
});
