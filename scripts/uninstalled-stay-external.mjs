// An esbuild plugin shared by the build's bundle (scripts/bundle.mjs) and the tests' bundle of the
// service (test/support/service-bundle.ts): a package import that does not resolve stays an import
// instead of failing the build. Nest, Apollo and pg load some packages only when asked
// (class-validator, @nestjs/microservices, @apollo/gateway, pg-native…) and they are not installed:
// left as imports, they fail at run time exactly as they would have unbundled, if ever used.

/** @type {import('esbuild').Plugin} */
export const uninstalledStayExternal = {
  name: 'uninstalled-stay-external',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:')) {
        return undefined;
      }
      const resolved = await bundler.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      return resolved.errors.length > 0 ? { path: args.path, external: true } : resolved;
    });
  },
};
