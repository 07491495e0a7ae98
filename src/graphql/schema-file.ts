import { NestFactory } from '@nestjs/core';
import { GRAPHQL_SDL_FILE_HEADER, GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from './graphql-js.js';
import { GRAPHQL_RESOLVERS } from './graphql.resolvers.js';

/**
 * The schema as SDL, built from the code without starting the app or a database, printed exactly
 * as GraphQLModule prints it to `autoSchemaFile` with `sortSchema: true` (same header, same order).
 * `npm run schema:gql` writes it to schema.gql; schema-file.spec.ts compares it with the committed
 * file.
 */
export async function printSchemaSdl(): Promise<string> {
  const context = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    const factory = context.get(GraphQLSchemaFactory);
    const schema = await factory.create(GRAPHQL_RESOLVERS);
    return GRAPHQL_SDL_FILE_HEADER + printSchema(lexicographicSortSchema(schema));
  } finally {
    await context.close();
  }
}
