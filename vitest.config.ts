import swc from 'unplugin-swc';
import { configDefaults, defineConfig } from 'vitest/config';

// SWC compiles the decorators Nest and GraphQL code-first rely on (with their metadata);
// Vite's own transformer would work too, but SWC is the one Nest documents.
export default defineConfig({
  test: {
    globals: true,
    include: ['src/**/*.spec.ts', 'test/**/*.e2e-spec.ts', 'test/**/*.spec.ts'],
    // Tests of a PostgreSQL server's own behaviour run only against one (CI's second pass): there
    // is nothing to skip in the embedded run, they are simply not part of it.
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [] : ['test/**/*.postgres.e2e-spec.ts'])],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
    // Each e2e file boots its own app on its own embedded database; two at a time fits 2 cores.
    maxWorkers: 2,
    // Makes the prebuilt PGlite data directory (dist/pglite-template) when it is missing or stale:
    // every embedded database of the tests starts as a copy of it, not with initdb
    // (test/support/embedded-database.ts).
    globalSetup: ['test/support/global-setup.ts'],
  },
  plugins: [
    swc.vite({
      module: { type: 'es6' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }),
  ],
});
