import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from './graphql-js.js';

export {
  GraphQLDateTime as DateTimeScalar,
  GraphQLJSON as JsonScalar,
  GraphQLJSONObject as JsonObjectScalar,
} from 'graphql-scalars';

/**
 * The topology a mutation plans: exactly the JSON body of `POST /v1/plans`. It is a scalar on
 * purpose: the planner's schema is the one validator for REST, GraphQL and chat, so the same input
 * gets the same `{ path, message }` problems everywhere, all of them at once (see docs/graphql.md).
 * Parsing only turns the literal or variable into plain JSON; the planner judges it.
 */
export const TopologyInputScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'TopologyInput',
  description:
    'An application topology, exactly the JSON body of `POST /v1/plans` (name, namespace, environment, components…; see the Topology output type for every field). Validated by the planner: a bad one gives BAD_USER_INPUT with every problem in `extensions.problems`.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

/**
 * A Kubernetes IntOrString (a port `targetPort`): either a port number or the name of a container
 * port. Sent and received as an Int or a String, never converted between the two.
 */
export const IntOrStringScalar = new GraphQLScalarType<number | string, number | string>({
  name: 'IntOrString',
  description: 'A port number (Int) or the name of a container port (String), as in Kubernetes `targetPort`.',
  serialize: (value) => intOrString(value),
  parseValue: (value) => intOrString(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT) {
      return Number(ast.value);
    }
    if (ast.kind === Kind.STRING) {
      return ast.value;
    }
    throw new GraphQLError('IntOrString takes an integer or a string.', { nodes: ast });
  },
});

function intOrString(value: unknown): number | string {
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'string') {
    return value;
  }
  throw new GraphQLError(`IntOrString takes an integer or a string, not ${JSON.stringify(value)}.`);
}
