import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/*
 * The layering (docs/architecture.md, "Guard rails"): storage lives in src/database and in the
 * repositories; transports reach it only through the services. Written as regexes because the
 * imports are relative ('../../generated/prisma/client.js'), which glob patterns do not anchor.
 */
const PRISMA_CLIENT = {
  regex: '(^|/)generated/prisma(/|$)|^@prisma/',
  message:
    'The Prisma client belongs to src/database and the repositories (*.repository.ts, src/auth/api-key.store.ts): go through a repository.',
};
const DATABASE_LAYER = {
  regex: '(^|/)database/',
  message: 'A transport does not touch storage: call a service (or a repository through one).',
};

/** The files that may hold the Prisma client: the database layer and each table's repository. */
export const STORAGE_FILES = [
  'src/database/**',
  'src/**/*.repository.ts',
  'src/**/*.repository.spec.ts',
  'src/auth/api-key.store.ts',
];

/**
 * Transports: they turn a request into a service call and its answer back. The two database CLIs
 * (db:migrate, apikey) are not among them: opening and migrating the database, like main.ts does
 * for the service, is their whole job.
 */
export const TRANSPORT_FILES = [
  'src/**/*.controller.ts',
  'src/**/*.resolver.ts',
  'src/**/*.resolvers.ts',
  'src/graphql/**',
  'src/chat/**',
  'src/cli/**',
];
export const DATABASE_CLIS = [
  'src/cli/migrate.ts',
  'src/cli/migrate-command.ts',
  'src/cli/apikey.ts',
  'src/cli/apikey-command.ts',
];

export default tseslint.config(
  { ignores: ['dist', 'dist-dev', 'node_modules', 'src/generated', 'coverage', '.data', 'eslint.config.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      curly: 'error',
    },
  },
  {
    // A cycle is fixed by moving what both sides share, never by importing lazily around it.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: STORAGE_FILES,
    rules: { 'no-restricted-imports': ['error', { patterns: [PRISMA_CLIENT] }] },
  },
  {
    files: TRANSPORT_FILES,
    ignores: DATABASE_CLIS,
    rules: { 'no-restricted-imports': ['error', { patterns: [PRISMA_CLIENT, DATABASE_LAYER] }] },
  },
  {
    // The planner is the pure core: no framework, no database, no clock, no environment.
    // Its tests may read fixture files.
    files: ['src/planner/**/*.ts'],
    ignores: ['src/planner/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [PRISMA_CLIENT, DATABASE_LAYER, { group: ['@nestjs/*', 'pg', '@electric-sql/*', 'node:fs', 'fs'] }],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The planner takes the clock as an argument.' },
        { object: 'process', property: 'env', message: 'The planner takes configuration as arguments.' },
        { object: 'Math', property: 'random', message: 'The planner is deterministic.' },
      ],
    },
  },
  {
    // Plain JavaScript build scripts (scripts/build-if-stale.mjs): no type information to use.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
