// The second step of the build (scripts/build-if-stale.mjs runs it after tsc): bundles what tsc
// wrote to dist/src into dist/bundle, the files `npm start` and the Docker image run.
//
// Why: before the app's first line runs, Node loaded ~1,000 CommonJS files and the ES modules of
// Nest, each opened, stat-ed, resolved and (for CommonJS imported from ESM) scanned for its named
// exports: ~3.5 s of CPU of a ~4.5 s start on a 2-core machine (a --cpu-prof of the boot). One
// bundle removes the file system and resolution work; docs/performance.md has the figures.
//
// The input is tsc's JavaScript, not the TypeScript sources: tsc has already written the decorator
// metadata Nest's dependency injection reads (`design:paramtypes`), which esbuild would not emit.
// keepNames keeps each class's `name` when esbuild renames a symbol: GraphQL type names and Nest's
// provider names come from it.
//
// Three entry points, side by side in dist/bundle: main.js, and the two worker threads the app
// starts from files beside its own (src/common/module-worker.ts): pglite-host.js, the embedded
// database's, and layout-worker.js, Graphviz's (src/diagrams/layout-thread.ts).
// Code splitting keeps what main.ts imports lazily (the app, after PGlite's thread has started) in
// chunks loaded when needed.
//
// Left outside the bundle:
// - PGlite, which finds its pglite.wasm and pglite.data beside its own files (import.meta.url);
// - packages that are not installed: optional integrations that Nest, Apollo and pg load only when
//   asked (class-validator, @nestjs/microservices, @apollo/gateway, pg-native…). Left as imports,
//   they fail at run time exactly as they would have unbundled, if ever used.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { graphqlAsEsModule } from './graphql-as-es-module.mjs';
import { uninstalledStayExternal } from './uninstalled-stay-external.mjs';

/** Never bundled, though installed: located at run time relative to their own files. */
const EXTERNAL = ['@electric-sql/pglite', '@electric-sql/pglite/*'];

/** Bundles `root`/dist/src into `root`/dist/bundle. */
export async function bundleDist(root) {
  const compiled = path.join(root, 'dist', 'src');
  const outdir = path.join(root, 'dist', 'bundle');
  // Chunks are named by content: the last build's would pile up.
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: path.join(compiled, 'main.js'),
      'pglite-host': path.join(compiled, 'database', 'pglite-host.js'),
      'layout-worker': path.join(compiled, 'diagrams', 'layout-worker.js'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    keepNames: true,
    // A smaller text to parse and to hold (~10 MB less resident at idle, within run-to-run noise);
    // identifiers are kept so that stack traces in the logs still name the functions.
    minifyWhitespace: true,
    minifySyntax: true,
    // Follows tsc's source maps back to src/ (used with node --enable-source-maps).
    sourcemap: true,
    external: EXTERNAL,
    plugins: [graphqlAsEsModule, uninstalledStayExternal],
    // CommonJS code in an ES module bundle still calls require (Node's built-ins, the externals).
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleDist(path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..')));
}
