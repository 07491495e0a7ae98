// An esbuild plugin shared by the build's bundle (scripts/bundle.mjs) and the tests' bundle of the
// service (test/support/service-bundle.ts): every import and require of graphql, and of its deep
// paths (`graphql/language/printer`), is given graphql's own ES module build (the .mjs file beside
// each .js), so that the bundle holds graphql once, as ES modules.
//
// Why: graphql 16 ships CommonJS as its `main` and ES modules as its `module`, and esbuild, bundling
// for Node, takes `main`. Each of the ~120 ES modules that import graphql (Nest's GraphQL module,
// Apollo, graphql-tools, the app's resolvers) then reached it through esbuild's `__toESM`, which copies
// every export of the CommonJS module onto a new object as a getter: ~400 getters per importer, some
// 50,000 functions made at every start, ~0.1 s of the main thread and their memory (a CPU profile of
// a start, docs/performance.md). Taking the ES modules for `import` alone would put graphql in the
// bundle twice, since a few CommonJS packages (graphql-tag, Apollo's utils) `require` it: two copies
// of graphql refuse each other's schemas and types. So `require` gets the ES module too, which esbuild
// wraps once per requiring module.

import { existsSync } from 'node:fs';

/** @type {import('esbuild').Plugin} */
export const graphqlAsEsModule = {
  name: 'graphql-as-es-module',
  setup(bundler) {
    bundler.onResolve({ filter: /^graphql(\/.*)?$/ }, async (args) => {
      // A resolution this plugin or another one (uninstalled-stay-external.mjs) asked for itself.
      if (args.pluginData !== undefined) {
        return undefined;
      }
      const resolved = await bundler.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving graphql',
      });
      if (resolved.errors.length > 0 || resolved.external || !resolved.path.endsWith('.js')) {
        return undefined; // left to the other plugins and esbuild, which report what is wrong
      }
      const esModule = resolved.path.replace(/\.js$/, '.mjs');
      return existsSync(esModule) ? { path: esModule, sideEffects: resolved.sideEffects } : resolved;
    });
  },
};
