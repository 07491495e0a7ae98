import { defineConfig } from 'prisma/config';

// Only `prisma generate` reads this: the CLI's migrate commands need a native engine that cannot be
// downloaded here, so migrations are written with the WebAssembly engine and applied by the app's
// own runner instead (src/cli/migrate.ts, `npm run db:migrate` and `npm run db:migration:create`).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
