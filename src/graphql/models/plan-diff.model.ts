import { planDiffSchema } from '../../plans/plan-output.schema.js';
import { JsonScalar } from '../scalars.js';
import { zodObjectType } from '../zod-object-type.js';

// Made from the output contract's zod schema of GET /v1/plans/{id}/diff, as the plan's types are
// (see plan.model.ts): only the type names and descriptions, and the patch, are written here.

export const PlanDiffModel = zodObjectType(planDiffSchema, {
  name: 'PlanDiff',
  description: 'What changed between two revisions of a plan (GET /v1/plans/{id}/diff).',
  fields: {
    recommendations: {
      object: {
        name: 'RecommendationChange',
        description: 'A component whose Service type or entry point changed.',
        fields: {
          from: {
            object: {
              name: 'ServiceExposure',
              description: 'How a component is exposed: its Service type and entry point.',
            },
          },
        },
      },
    },
    manifests: {
      object: {
        name: 'ManifestDiff',
        description: 'Objects keyed by apiVersion/kind/namespace/name, ordered by kind, namespace, name.',
        fields: {
          added: { object: { name: 'ObjectRef', description: 'Names a Kubernetes object.' } },
          changed: {
            object: {
              name: 'ObjectChange',
              description: 'A Kubernetes object in both revisions, changed.',
              // One JSON value, as the manifests are: an operation's `value` is any JSON.
              fields: {
                patch: {
                  type: () => JsonScalar,
                  description:
                    'An RFC 6902 JSON Patch (an array of operations) that turns the old object into the new.',
                },
              },
            },
          },
        },
      },
    },
    cost: {
      object: {
        name: 'CostDiff',
        description: 'How the monthly cost changed.',
        fields: {
          items: {
            object: {
              name: 'CostItemChange',
              description: 'A cost line that moved, summed by component and resource.',
            },
          },
        },
      },
    },
    findings: {
      object: {
        name: 'FindingsDiff',
        description: 'Findings keyed by id and component.',
        fields: { added: { object: { name: 'FindingRef', description: 'A finding, by rule id and component.' } } },
      },
    },
  },
});
