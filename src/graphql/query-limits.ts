import type { ApolloServerPlugin } from '@apollo/server';
import type { ComplexityEstimatorArgs } from '@nestjs/graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { MAX_COMPONENTS } from '../planner/topology/index.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../plans/list-query.js';
import {
  getNamedType,
  getVariableValues,
  GraphQLError,
  isLeafType,
  Kind,
  OperationTypeNode,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from './graphql-js.js';

/** Largest `first` a page may ask for (REST's `limit` maximum); beyond it the query is refused, not truncated. */
export const MAX_PAGE_SIZE = MAX_LIMIT;
export const DEFAULT_PAGE_SIZE = DEFAULT_LIMIT;

/**
 * Tokens in one query document (graphql-js `parse` stops past it). Parsing and validating are
 * linear in the text but not free: a 1 MiB document keeps the event loop busy for a second or
 * more. The standard introspection query and a query for every field of a plan are about 160
 * tokens each; a topology belongs in a variable, where it costs no token.
 */
export const MAX_QUERY_TOKENS = 10_000;

/**
 * Deepest selection accepted. Our own types nest at most 6 deep (plans › edges › node ›
 * recommendations › alternatives › monthlyCost), so the limit is set by the standard introspection
 * query (graphql-js `getIntrospectionQuery`, which GraphiQL and codegen send): 15 levels with its 9
 * nested `ofType`. Introspection is the part of the schema that is cyclic (`__Type.fields.type…`),
 * so it is exactly what a depth limit must bound.
 */
export const MAX_QUERY_DEPTH = 15;

/**
 * graphql-js validates every document with its own MaxIntrospectionDepthRule (in `specifiedRules`
 * since graphql 16.9, so Apollo runs it before our rules): `__Type`'s lists (`fields`,
 * `inputFields`, `interfaces`, `possibleTypes`) may nest 2 deep (its MAX_LISTS_DEPTH of 3 is the
 * first depth refused), whatever MAX_QUERY_DEPTH allows.
 * It refuses with a bare message; graphql-errors.ts names the limit as ours are named. The e2e
 * suite holds both the depth and the message to graphql-js's.
 */
export const MAX_INTROSPECTION_LIST_DEPTH = 2;
export const GRAPHQL_JS_INTROSPECTION_DEPTH_MESSAGE = 'Maximum introspection depth exceeded';

/** Fragment definitions in one document: the nodes of its fragment graph. */
export const MAX_FRAGMENTS = 100;

/**
 * Selections (fields, fragment spreads, inline fragments) of one operation once every fragment is
 * spread where it is used: the fragment graph unfolded. A few fragments that each spread the next
 * one twice unfold into millions (2^n) while their text stays under a kilobyte; everything that
 * walks the operation (the cost analysis, execution) does that much work. The standard
 * introspection query unfolds to 230, a query for every field of a plan to about 90.
 */
export const MAX_SELECTIONS = 2_000;

/**
 * Root fields of one operation, counted by response key (aliases included): each is a resolver
 * run on its own, so 5,000 aliased `planStats` would be 5,000 aggregate queries.
 */
export const MAX_ROOT_FIELDS = 20;

/** Mutations in one request (a mutation operation's root fields). Each also counts against the rate limit. */
export const MAX_MUTATIONS = 10;

/**
 * Cost budget per operation. Every object a field returns costs 1 (heavier ones say so with
 * `complexity`), scalars and enums nothing (see leafFieldEstimator), lists of plans multiply their
 * selection by the page size, and planning costs by the components planned: a full 100-plan page
 * of plans fits, a few of them aliased into one request do not.
 */
export const MAX_QUERY_COMPLEXITY = 10_000;

/**
 * A scalar or enum field costs nothing: it is a value of the object its parent field already
 * loaded (a stored plan is read whole), so it adds bytes, which MAX_ANSWER_BYTES bounds, and no
 * work. Costing it 1 made the budget a count of the plan's attributes, so every field the output
 * contract gained pushed a full page over the limit. Objects and lists still cost 1, and what is
 * heavy (manifests, planning, statistics) says so with its own `complexity`, which wins.
 */
export const leafFieldEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
  isLeafType(getNamedType(field.type)) ? childComplexity : undefined;

/** How many revisions a plan is assumed to have when estimating `planRevisions`. */
export const ASSUMED_REVISIONS = 10;

/**
 * `manifests` and `manifestsYaml` each carry every Kubernetes object of a plan, the bulk of it (a
 * large plan's manifests are megabytes), so each costs as much as 60 objects. Every other field
 * of a plan amounts to 17 objects today, so a full page of 100 plans fits with one of them (about
 * 7,700), not with both (about 13,700), and the plan can gain 20 more objects before the first
 * stops fitting. MAX_ANSWER_BYTES bounds what the pages really hold.
 */
export const MANIFESTS_COMPLEXITY = 60;

/**
 * What planning one component costs (createPlan, previewPlan, revisePlan): a topology at the
 * component limit (2,000, about a quarter of a second of planning) costs 8,000, so one request
 * plans at most about 2,500 components however it is split between mutations.
 */
export const COMPONENT_COMPLEXITY = 4;

/** Complexity of a `plans` page: its selection once per plan, at the page size it will really get. */
export function pageComplexity({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.min(Math.max(first, 0), MAX_PAGE_SIZE);
}

export function revisionsComplexity({ childComplexity }: ComplexityEstimatorArgs): number {
  return 1 + childComplexity * ASSUMED_REVISIONS;
}

/**
 * Complexity of a mutation that plans its `topology` argument: the planner's work grows with the
 * components. Counted up to one past the planner's own limit, so an oversized topology still gets
 * the planner's problem ("at most 2,000 components") rather than a cost refusal.
 */
export function planningComplexity({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const topology: unknown = args.topology;
  const components =
    typeof topology === 'object' && topology !== null && 'components' in topology ? topology.components : undefined;
  const count = Array.isArray(components) ? Math.min(components.length, MAX_COMPONENTS + 1) : 0;
  return 1 + childComplexity + COMPONENT_COMPLEXITY * count;
}

/** What a selection set amounts to with its fragments spread: how deep, and how many selections. */
export type SelectionShape = { depth: number; selections: number };

/**
 * Measures the selection sets of one document in time linear in its text: each fragment's body is
 * measured once and remembered, however often (and however deeply) it is spread. Selection counts
 * stop growing at `selectionCap`, so a fragment bomb's 2^60 stays a small number.
 */
export class DocumentShapes {
  private readonly fragmentShapes = new Map<string, SelectionShape | 'measuring'>();
  /** Selection nodes examined so far: the work done, which the cache keeps proportional to the document. */
  visits = 0;

  constructor(
    private readonly fragmentNamed: (name: string) => FragmentDefinitionNode | undefined,
    private readonly selectionCap: number,
  ) {}

  /** Depth counts 1 per level of fields; fragments count where they are spread. */
  measure(selectionSet: SelectionSetNode): SelectionShape {
    let depth = 0;
    let selections = 0;
    for (const selection of selectionSet.selections) {
      this.visits += 1;
      let inner: SelectionShape | undefined;
      switch (selection.kind) {
        case Kind.FIELD:
          inner = selection.selectionSet ? this.measure(selection.selectionSet) : { depth: 0, selections: 0 };
          inner = { depth: inner.depth + 1, selections: inner.selections };
          break;
        case Kind.INLINE_FRAGMENT:
          inner = this.measure(selection.selectionSet);
          break;
        case Kind.FRAGMENT_SPREAD:
          inner = this.fragment(selection.name.value);
          break;
      }
      depth = Math.max(depth, inner.depth);
      selections = Math.min(selections + 1 + inner.selections, this.selectionCap);
    }
    return { depth, selections };
  }

  /**
   * The response keys (alias, else name) of the fields a selection set selects at its own level,
   * through its fragments: what execution runs one resolver each for.
   */
  responseKeys(selectionSet: SelectionSetNode, keys = new Set<string>(), spread = new Set<string>()): Set<string> {
    for (const selection of selectionSet.selections) {
      this.visits += 1;
      switch (selection.kind) {
        case Kind.FIELD:
          keys.add((selection.alias ?? selection.name).value);
          break;
        case Kind.INLINE_FRAGMENT:
          this.responseKeys(selection.selectionSet, keys, spread);
          break;
        case Kind.FRAGMENT_SPREAD: {
          // Execution collects a fragment once per selection set; so does this.
          const name = selection.name.value;
          const fragment = spread.has(name) ? undefined : this.fragmentNamed(name);
          spread.add(name);
          if (fragment) {
            this.responseKeys(fragment.selectionSet, keys, spread);
          }
          break;
        }
      }
    }
    return keys;
  }

  private fragment(name: string): SelectionShape {
    const known = this.fragmentShapes.get(name);
    if (known === 'measuring') {
      // A fragment that spreads itself: NoFragmentCyclesRule reports it; here it adds nothing.
      return { depth: 0, selections: 0 };
    }
    if (known) {
      return known;
    }
    const fragment = this.fragmentNamed(name);
    if (!fragment) {
      // Unknown: KnownFragmentNamesRule reports it.
      return { depth: 0, selections: 0 };
    }
    this.fragmentShapes.set(name, 'measuring');
    const shape = this.measure(fragment.selectionSet);
    this.fragmentShapes.set(name, shape);
    return shape;
  }
}

/** The bounds a document's shape is held to; the defaults are the service's. */
export type ShapeLimits = {
  maxDepth: number;
  maxFragments: number;
  maxSelections: number;
  maxRootFields: number;
  maxMutations: number;
};

export const SHAPE_LIMITS: ShapeLimits = {
  maxDepth: MAX_QUERY_DEPTH,
  maxFragments: MAX_FRAGMENTS,
  maxSelections: MAX_SELECTIONS,
  maxRootFields: MAX_ROOT_FIELDS,
  maxMutations: MAX_MUTATIONS,
};

/**
 * A validation rule: a document with too many fragments, or an operation nested too deep, that
 * unfolds into too many selections, has too many root fields or too many mutations, is refused
 * before anything else looks at it (graphql-query-complexity walks every spread, execution runs
 * every root field). All of it is measured in one linear pass (DocumentShapes).
 */
export function operationShapeRule(limits: ShapeLimits = SHAPE_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const shapes = new DocumentShapes((name) => context.getFragment(name) ?? undefined, limits.maxSelections + 1);
    // Apollo reports every validation error as GRAPHQL_VALIDATION_FAILED; the extensions say which limit.
    const refuse = (message: string, nodes: OperationDefinitionNode | DocumentNode, extensions: object) =>
      context.reportError(new GraphQLError(message, { nodes, extensions: { ...extensions } }));
    return {
      Document(document) {
        const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).length;
        if (fragments > limits.maxFragments) {
          refuse(`The document defines ${fragments} fragments; the maximum is ${limits.maxFragments}.`, document, {
            fragments,
            maxFragments: limits.maxFragments,
          });
        }
      },
      OperationDefinition(operation) {
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        const { depth, selections } = shapes.measure(operation.selectionSet);
        if (depth > limits.maxDepth) {
          refuse(`${name} is nested ${depth} levels deep; the maximum is ${limits.maxDepth}.`, operation, {
            depth,
            maxDepth: limits.maxDepth,
          });
        }
        if (selections > limits.maxSelections) {
          refuse(
            `${name} selects more than ${limits.maxSelections} fields and fragments once its fragments are spread; ` +
              `that is the maximum.`,
            operation,
            { maxSelections: limits.maxSelections },
          );
        }
        const rootFields = shapes.responseKeys(operation.selectionSet).size;
        if (operation.operation === OperationTypeNode.MUTATION && rootFields > limits.maxMutations) {
          refuse(`${name} has ${rootFields} mutations; the maximum is ${limits.maxMutations} per request.`, operation, {
            mutations: rootFields,
            maxMutations: limits.maxMutations,
          });
        } else if (rootFields > limits.maxRootFields) {
          refuse(
            `${name} has ${rootFields} root fields (aliases count one each); the maximum is ${limits.maxRootFields}.`,
            operation,
            { rootFields, maxRootFields: limits.maxRootFields },
          );
        }
      },
    };
  };
}

/** How many mutations an operation runs (its root fields by response key); 0 for a query. */
export function mutationCount(operation: OperationDefinitionNode, document: DocumentNode): number {
  if (operation.operation !== OperationTypeNode.MUTATION) {
    return 0;
  }
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  return new DocumentShapes((name) => fragments.get(name), MAX_SELECTIONS + 1).responseKeys(operation.selectionSet)
    .size;
}

/** A refusal of the query's shape before it runs: HTTP 400, the same code as validation. */
function shapeRefusal(message: string, extensions: object): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...extensions, http: { status: 400 } },
  });
}

/**
 * Refuses an operation whose estimated cost exceeds `maxComplexity`, after it is parsed and
 * validated (the estimate needs the variables, which validation rules never see) and before any
 * resolver runs. It fails closed: a cost that cannot be estimated is a refusal, never a pass.
 */
export function complexityLimitPlugin(maxComplexity: number): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ request, document, schema, operation }) {
          if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
            // Refused as such by subscriptionRefusalPlugin; there is nothing to cost.
            return Promise.resolve();
          }
          // Variables that do not fit their types: execution refuses them before any resolver
          // runs, as BAD_USER_INPUT naming the variable. Nothing can be costed without them.
          const variables = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          if (variables.errors) {
            return Promise.resolve();
          }
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              ...(request.operationName === undefined ? {} : { operationName: request.operationName }),
              ...(request.variables === undefined ? {} : { variables: request.variables }),
              estimators: [fieldExtensionsEstimator(), leafFieldEstimator, simpleEstimator({ defaultComplexity: 1 })],
              // operationShapeRule has bounded the unfolded operation already; this is a second fence.
              maxQueryNodes: MAX_SELECTIONS + 1,
            });
          } catch (error) {
            throw shapeRefusal(
              `The query's cost could not be estimated (${error instanceof Error ? error.message : String(error)}), ` +
                'so it is not run.',
              { maxComplexity },
            );
          }
          if (complexity > maxComplexity) {
            throw shapeRefusal(
              `The query's complexity is ${complexity}; the maximum is ${maxComplexity}. Ask for fewer plans (first) or fewer fields.`,
              { complexity, maxComplexity },
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/**
 * The schema has no Subscription type and the service no WebSocket: a subscription is a client
 * mistake, answered as such (BAD_REQUEST, HTTP 400) rather than as graphql-js's "not configured"
 * internal error inside a 200.
 */
export function subscriptionRefusalPlugin(): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation }) {
          if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
            throw new GraphQLError('Subscriptions are not supported: this API answers queries and mutations only.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          return Promise.resolve();
        },
      });
    },
  };
}
