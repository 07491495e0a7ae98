import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

/*
 * The layering rules of eslint.config.js, proven to fire: each case lints an in-memory source at a
 * real path with the project's own configuration, so a rule that is deleted, misspelt or whose
 * file globs stop matching fails here instead of silently letting the next violation in.
 */
// Without type information (none of these rules needs it): the same rules in a second, not half a minute.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });

async function problemsOf(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const results = await eslint.lintText(code, { filePath });
  return results.flatMap((result) => result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}

const PRISMA_IMPORT = "import { Prisma } from '../generated/prisma/client.js';\nexport const sql = Prisma.sql;\n";
const DATABASE_IMPORT =
  "import { PrismaService } from '../database/prisma.service.js';\nexport const service = PrismaService;\n";

describe('eslint guard rails', () => {
  it.each([
    ['a service', 'src/plans/plans.service.ts'],
    ['the auth module', 'src/auth/auth.module.ts'],
    ['a chat file', 'src/chat/chat-reply.ts'],
  ])('keeps the generated Prisma client out of %s', async (_, filePath) => {
    expect(await problemsOf(filePath, PRISMA_IMPORT)).toContainEqual({
      ruleId: 'no-restricted-imports',
      message: expect.stringContaining('The Prisma client belongs to src/database and the repositories'),
    });
  });

  it('keeps @prisma/client out of the planner too', async () => {
    const code = "import { PrismaClient } from '@prisma/client';\nexport const client = PrismaClient;\n";
    expect(await problemsOf('src/planner/ports.ts', code)).toContainEqual({
      ruleId: 'no-restricted-imports',
      message: expect.stringContaining('The Prisma client belongs to src/database'),
    });
  });

  it.each([
    ['a REST controller', 'src/health/health.controller.ts'],
    ['a GraphQL resolver', 'src/graphql/plans.resolver.ts'],
    ['chat', 'src/chat/chat.controller.ts'],
    ['the planning CLI', 'src/cli/plan-command.ts'],
  ])('keeps src/database out of %s', async (_, filePath) => {
    expect(await problemsOf(filePath, DATABASE_IMPORT)).toContainEqual({
      ruleId: 'no-restricted-imports',
      message: expect.stringContaining('A transport does not touch storage'),
    });
  });

  it.each([
    ['a repository', 'src/plans/plans.repository.ts', PRISMA_IMPORT],
    ['the API key store', 'src/auth/api-key.store.ts', PRISMA_IMPORT],
    ['the database layer', 'src/database/prisma-client.ts', PRISMA_IMPORT],
    ['the migrate CLI', 'src/cli/migrate-command.ts', DATABASE_IMPORT],
    ['a service', 'src/plans/plans.service.ts', DATABASE_IMPORT],
  ])('lets %s use storage', async (_, filePath, code) => {
    expect(await problemsOf(filePath, code)).not.toContainEqual(
      expect.objectContaining({ ruleId: 'no-restricted-imports' }),
    );
  });

  it('finds an import cycle through files on disk', async () => {
    // health.controller.ts imports readiness.service.ts: importing it back closes a cycle.
    const code = "import { HealthController } from './health.controller.js';\nexport const probe = HealthController;\n";
    expect(await problemsOf('src/health/readiness.service.ts', code)).toContainEqual({
      ruleId: 'import-x/no-cycle',
      message: expect.stringContaining('Dependency cycle'),
    });
  });
});
