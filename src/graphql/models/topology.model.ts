import { normalizedTopologySchema } from '../../plans/plan-output.schema.js';
import { IntOrStringScalar, JsonObjectScalar } from '../scalars.js';
import { zodObjectType } from '../zod-object-type.js';

// The topology a plan echoes is made like the plan's other types (plan.model.ts), from the output
// contract's zod schema: the input schema with what the planner fills in (plan-output.schema.ts).
// Written here: the GraphQL name and description of each object type, and the fields zod cannot type.

export const TopologyModel = zodObjectType(normalizedTopologySchema, {
  name: 'Topology',
  description: 'The topology a plan was made from, after validation, every default filled in.',
  fields: {
    environment: {
      object: {
        name: 'Environment',
        description: 'Where the cluster runs.',
        fields: {
          gateway: { object: { name: 'SharedGateway', description: 'An existing Gateway, by name and namespace.' } },
        },
      },
    },
    components: {
      object: {
        name: 'Component',
        description: 'One component of the application, defaults filled in.',
        fields: {
          ports: {
            object: {
              name: 'Port',
              description: 'One port of a component.',
              // A number or a name: a union of scalars, which GraphQL has no type for but this scalar.
              fields: { targetPort: { type: () => IntOrStringScalar } },
            },
          },
          allowFrom: {
            object: {
              name: 'AllowFrom',
              description: 'A caller outside the topology that the component admits.',
              fields: { ports: { type: () => [IntOrStringScalar] } },
            },
          },
        },
      },
    },
    // Prices per provider as given in the input: an open-ended table that clients read whole.
    pricing: { type: () => JsonObjectScalar },
  },
});
