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

const PRISMA_RULE = 'The Prisma client belongs to src/database and the repositories';
const DATABASE_RULE = 'A transport does not touch storage';

describe('eslint guard rails', () => {
  // [what, file, source, the rule's message]
  it.each([
    ['the generated client in a service', 'src/plans/plans.service.ts', PRISMA_IMPORT, PRISMA_RULE],
    ['the generated client in the auth module', 'src/auth/auth.module.ts', PRISMA_IMPORT, PRISMA_RULE],
    ['the generated client in chat', 'src/chat/chat-reply.ts', PRISMA_IMPORT, PRISMA_RULE],
    ['@prisma/client in the planner', 'src/planner/ports.ts', "import '@prisma/client';\n", PRISMA_RULE],
    ['src/database in a REST controller', 'src/health/health.controller.ts', DATABASE_IMPORT, DATABASE_RULE],
    ['src/database in a GraphQL resolver', 'src/graphql/plans.resolver.ts', DATABASE_IMPORT, DATABASE_RULE],
    ['src/database in chat', 'src/chat/chat.controller.ts', DATABASE_IMPORT, DATABASE_RULE],
    ['src/database in the planning CLI', 'src/cli/plan-command.ts', DATABASE_IMPORT, DATABASE_RULE],
  ])('refuses %s', async (_, filePath, code, message) => {
    expect(await problemsOf(filePath, code)).toContainEqual({
      ruleId: 'no-restricted-imports',
      message: expect.stringContaining(message),
    });
  });

  it('lets storage code and the database CLIs use storage', async () => {
    const allowed = {
      'src/plans/plans.repository.ts': PRISMA_IMPORT,
      'src/auth/api-key.store.ts': PRISMA_IMPORT,
      'src/database/prisma-client.ts': PRISMA_IMPORT,
      'src/cli/migrate-command.ts': DATABASE_IMPORT,
      'src/plans/plans.service.ts': DATABASE_IMPORT,
    };
    for (const [filePath, code] of Object.entries(allowed)) {
      expect(await problemsOf(filePath, code), filePath).not.toContainEqual(
        expect.objectContaining({ ruleId: 'no-restricted-imports' }),
      );
    }
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
