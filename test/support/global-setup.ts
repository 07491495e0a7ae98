import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleService, PGLITE_TEMPLATE_CLI } from './service-bundle.js';

/**
 * Runs once before any test file (vitest.config.ts `globalSetup`): bundles the service and its CLIs
 * for the processes tests spawn (service-bundle.ts says why), then makes the prebuilt PGlite data
 * directory new DATA_DIRs start from (embedded-database.ts says why), unless the one there matches
 * the code. The template's own CLI, from that bundle, in a process of its own: the PGlite thread
 * is found beside the code that starts it, which vitest's global-setup runner does not offer.
 */
export default async function setup(): Promise<void> {
  await bundleService();
  execFileSync(process.execPath, [PGLITE_TEMPLATE_CLI], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit',
  });
}
