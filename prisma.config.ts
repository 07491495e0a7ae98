import { defineConfig } from 'prisma/config';

// Only `prisma generate` reads this: the CLI's migrate commands need a native engine that cannot be
// downloaded here, so migrations go through scripts/migrate.mjs (the WebAssembly engine) instead.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
