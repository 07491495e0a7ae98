import type { ApolloServerPlugin } from '@apollo/server';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../plans/list-query.js';
import type { ComplexityEstimatorArgs } from '@nestjs/graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from './graphql-js.js';

/** Largest `first` a page may ask for (REST's `limit` maximum); beyond it the query is refused, not truncated. */
export const MAX_PAGE_SIZE = MAX_LIMIT;
export const DEFAULT_PAGE_SIZE = DEFAULT_LIMIT;

/**
 * Deepest selection accepted. Our own types nest at most 6 deep (plans › edges › node ›
 * recommendations › alternatives › monthlyCost), so the limit is set by the standard introspection
 * query (graphql-js `getIntrospectionQuery`, which GraphiQL and codegen send): 15 levels with its 9
 * nested `ofType`. Introspection is the part of the schema that is cyclic (`__Type.fields.type…`),
 * so it is exactly what a depth limit must bound.
 */
export const MAX_QUERY_DEPTH = 15;

/**
 * Cost budget per operation. Every field costs 1 (heavier ones say so with `complexity`), lists of
 * plans multiply their selection by the page size: a full 100-plan page of complete plans fits,
 * a few of them aliased into one request do not.
 */
export const MAX_QUERY_COMPLEXITY = 10_000;

/** How many revisions a plan is assumed to have when estimating `planRevisions`. */
export const ASSUMED_REVISIONS = 10;

/** Complexity of a `plans` page: its selection once per plan, at the page size it will really get. */
export function pageComplexity({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.min(Math.max(first, 0), MAX_PAGE_SIZE);
}

export function revisionsComplexity({ childComplexity }: ComplexityEstimatorArgs): number {
  return 1 + childComplexity * ASSUMED_REVISIONS;
}

/** The depth of a selection set: 1 per level of fields, fragments counted where they are spread. */
function selectionDepth(
  selectionSet: SelectionSetNode,
  context: ValidationContext,
  spreading: ReadonlySet<string>,
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        deepest = Math.max(
          deepest,
          1 + (selection.selectionSet ? selectionDepth(selection.selectionSet, context, spreading) : 0),
        );
        break;
      case Kind.INLINE_FRAGMENT:
        deepest = Math.max(deepest, selectionDepth(selection.selectionSet, context, spreading));
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = context.getFragment(name);
        // A fragment that spreads itself is reported by NoFragmentCyclesRule; do not loop on it here.
        if (fragment && !spreading.has(name)) {
          deepest = Math.max(deepest, selectionDepth(fragment.selectionSet, context, new Set([...spreading, name])));
        }
        break;
      }
    }
  }
  return deepest;
}

/** A validation rule: operations nested deeper than `maxDepth` fields are refused before they run. */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const depth = selectionDepth(operation.selectionSet, context, new Set());
      if (depth > maxDepth) {
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        context.reportError(
          new GraphQLError(`${name} is nested ${depth} levels deep; the maximum is ${maxDepth}.`, {
            nodes: operation,
            // Apollo reports every validation error as GRAPHQL_VALIDATION_FAILED; these say which limit.
            extensions: { depth, maxDepth },
          }),
        );
      }
    },
  });
}

/**
 * Refuses an operation whose estimated cost exceeds `maxComplexity`, after it is parsed and
 * validated (the estimate needs the variables, which validation rules never see) and before any
 * resolver runs.
 */
export function complexityLimitPlugin(maxComplexity: number): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // The variables do not fit their types. Execution refuses them before any resolver runs,
            // as BAD_USER_INPUT naming the variable; a throw here would make that a 500.
            return Promise.resolve();
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `The query's complexity is ${complexity}; the maximum is ${maxComplexity}. Ask for fewer plans (first) or fewer fields.`,
              // Same code as the depth limit: both are the query's shape refused before it runs.
              { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', complexity, maxComplexity, http: { status: 400 } } },
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
