import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Inject } from '@nestjs/common';
import { Kind, type DocumentNode, type OperationDefinitionNode } from '../graphql/graphql-js.js';
import { APP_METRICS, type AppMetrics, type GraphqlOutcome } from './metrics.js';

type Context = Record<string, unknown>;

/**
 * Counts GraphQL operations (`graphql_operations_total`): `rejected` when the operation never ran
 * (it did not parse, failed validation, depth or complexity limits, or had bad variables),
 * `error` when it ran and a resolver failed, `success` otherwise. An Apollo plugin, found by
 * Nest's Apollo driver among the app's providers, so the GraphQL module's options stay untouched.
 */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin<Context> {
  constructor(@Inject(APP_METRICS) private readonly metrics: AppMetrics) {}

  requestDidStart(): Promise<GraphQLRequestListener<Context>> {
    let executed = false;
    const metrics = this.metrics;
    return Promise.resolve({
      executionDidStart() {
        executed = true;
        return Promise.resolve();
      },
      willSendResponse(context) {
        const body = context.response.body;
        const failed =
          (context.errors?.length ?? 0) > 0 || (body.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0);
        const outcome: GraphqlOutcome = !executed ? 'rejected' : failed ? 'error' : 'success';
        const operation = operationOf(context);
        metrics.recordGraphqlOperation(
          operation?.operation,
          operation?.name?.value ?? context.request.operationName ?? undefined,
          outcome,
        );
        return Promise.resolve();
      },
    });
  }
}

/**
 * The operation the request ran, or would have run: from the parsed document even when validation
 * refused it (its type and name are still known then); undefined when the query did not parse.
 */
function operationOf(context: GraphQLRequestContext<Context>): OperationDefinitionNode | undefined {
  if (context.operation) {
    return context.operation;
  }
  const document: DocumentNode | undefined = context.document;
  const name = context.request.operationName;
  return document?.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (name === undefined || name === null || d.name?.value === name),
  );
}
