import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs once before any test file (vitest.config.ts `globalSetup`): makes the prebuilt PGlite data
 * directory new DATA_DIRs start from (embedded-database.ts says why), unless the one there matches
 * the code. The build's own CLI, run by tsx as the service's sources are, in a process of its own:
 * the PGlite thread finds its host module with import.meta.resolve, which vitest's global-setup
 * runner does not offer.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'src/database/pglite-template.cli.ts'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit',
  });
}
