import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { graphqlAsEsModule } from '../../scripts/graphql-as-es-module.mjs';
import { uninstalledStayExternal } from '../../scripts/uninstalled-stay-external.mjs';

/**
 * The service and its CLIs as the processes tests spawn run them: bundled from src/ once per test
 * run by esbuild (vitest's globalSetup, global-setup.ts), then run by plain node.
 *
 * Why not tsx, as before: each spawned process then compiled and resolved ~1,000 files through
 * tsx's loader hooks before its first line ran (~5 s of CPU, far more while the suite loads both
 * cores), and a test file such as auth-cli.e2e-spec.ts spawns several. One bundle removes that, as
 * dist/bundle does for `npm start` (scripts/bundle.mjs says why): the bundle takes ~2 s to make.
 *
 * What runs is what tsx ran: esbuild is tsx's compiler, so the code is the same (no decorator
 * metadata either way, which is why the Nest classes name their injections with @Inject). It is
 * made afresh each run, so it never lags the sources. `npm run apikey` itself still goes through
 * npm and tsx where a test runs it as an operator would.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = join(ROOT, 'src');

/** Where the bundle is written: under dist/ (ignored by git and the Docker build), beside dist/bundle. */
export const SERVICE_BUNDLE = join(ROOT, 'dist', 'test-bundle');

/** The service's entry point (src/main.ts), bundled: `node` runs it. */
export const SERVICE_MAIN = join(SERVICE_BUNDLE, 'main.js');
/** `npm run apikey`'s entry point (src/cli/apikey.ts), bundled. */
export const APIKEY_CLI = join(SERVICE_BUNDLE, 'apikey.js');
/** The command that makes the prebuilt PGlite data directory (src/database/pglite-template.cli.ts), bundled. */
export const PGLITE_TEMPLATE_CLI = join(SERVICE_BUNDLE, 'pglite-template.cli.js');

/** Writes the bundle (SERVICE_BUNDLE), replacing the last run's. */
export async function bundleService(): Promise<void> {
  rmSync(SERVICE_BUNDLE, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      main: join(SOURCES, 'main.ts'),
      apikey: join(SOURCES, 'cli', 'apikey.ts'),
      'pglite-template.cli': join(SOURCES, 'database', 'pglite-template.cli.ts'),
      // The embedded database's thread: pglite-thread.ts, run from JavaScript, finds it beside itself.
      'pglite-host': join(SOURCES, 'database', 'pglite-host.ts'),
      // Graphviz's thread: layout-thread.ts finds it beside itself the same way.
      'layout-worker': join(SOURCES, 'diagrams', 'layout-worker.ts'),
    },
    outdir: SERVICE_BUNDLE,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    // GraphQL type names and Nest's provider names come from class names.
    keepNames: true,
    sourcemap: true,
    // PGlite finds its pglite.wasm and pglite.data beside its own files.
    external: ['@electric-sql/pglite', '@electric-sql/pglite/*'],
    plugins: [graphqlAsEsModule, uninstalledStayExternal],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
