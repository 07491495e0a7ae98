import swc from 'unplugin-swc';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Specs that open a database (embedded PGlite, or the server of DATABASE_URL) themselves: they run
 * with the e2e files, each in a fresh module graph, and need the template globalSetup makes.
 */
const OPENS_A_DATABASE = ['src/database/**/*.spec.ts', 'src/plans/plans.repository.spec.ts'];

/**
 * Specs that declare GraphQL types of their own: @nestjs/graphql keeps every declared type in one
 * process-wide store, and the app's schema takes them all, so in a shared module graph they would
 * turn up in the schema the next spec builds (schema-file.spec.ts compares it with schema.gql).
 */
const DECLARES_GRAPHQL_TYPES = ['src/graphql/zod-object-type.spec.ts'];

// SWC compiles the decorators Nest and GraphQL code-first rely on (with their metadata);
// Vite's own transformer would work too, but SWC is the one Nest documents.
export default defineConfig({
  test: {
    globals: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
    // Each e2e file boots its own app on its own embedded database; two at a time fits 2 cores.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts', 'bench/**/*.spec.ts'],
          exclude: [...configDefaults.exclude, ...OPENS_A_DATABASE, ...DECLARES_GRAPHQL_TYPES],
          // Pure specs of functions and classes (the planner, parsers, guards…): they hold no state
          // between files, so a worker runs them one after the other in one module graph, and the
          // modules they share (the planner above all) are loaded once per worker rather than once
          // per file: that loading was ~2-3 s of each of these ~90 files.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-isolated',
          include: DECLARES_GRAPHQL_TYPES,
          // A module graph (and so a type store) of its own for each file.
          isolate: true,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [...OPENS_A_DATABASE, 'test/**/*.e2e-spec.ts', 'test/**/*.spec.ts'],
          // Tests of a PostgreSQL server's own behaviour run only against one (CI's second pass): there
          // is nothing to skip in the embedded run, they are simply not part of it.
          exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [] : ['test/**/*.postgres.e2e-spec.ts'])],
          // Bundles the service for the processes tests spawn (test/support/service-bundle.ts), and
          // makes the prebuilt PGlite data directory (dist/pglite-template) when it is missing or
          // stale: every embedded database of the tests starts as a copy of it, not with initdb
          // (test/support/embedded-database.ts).
          globalSetup: ['test/support/global-setup.ts'],
          // Each file boots its own app(s) on its own database and closes them: what the files share
          // is the app's modules (Nest, Apollo, Prisma, the planner), 3-13 s of import per file
          // when each loaded them afresh. Spies are on an app's own instances or restored by the
          // test that made them, and no file mocks a module or sets process.env for good.
          isolate: false,
        },
      },
    ],
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
