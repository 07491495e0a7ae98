import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs once before any test file (vitest.config.ts `globalSetup`): makes the tests' PGlite template
 * (embedded-database.ts). In a process of its own, run by tsx as the service's sources are: the
 * PGlite thread finds its host module with import.meta.resolve, which vitest's global-setup runner
 * does not offer.
 */
export default function setup(): void {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('make-test-template.ts', import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
}
