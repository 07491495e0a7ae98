/**
 * graphql-js, imported by its CommonJS entry explicitly. graphql 16 ships two builds (`main`:
 * index.js, `module`: index.mjs) and no `exports` map: Node, and so Nest, Apollo and
 * graphql-scalars, load index.js, while Vite (vitest) resolves a bare `graphql` in our sources to
 * index.mjs. Two copies break every `instanceof GraphQLScalarType` / `GraphQLError` check between
 * them ("Cannot determine a GraphQL output type"). Naming the file makes both load the same copy.
 * Every file of this module imports graphql-js from here.
 */
export * from 'graphql/index.js';
