/**
 * Makes the prebuilt PGlite data directory (pglite-template.ts) unless one matching the code is
 * there already. scripts/build-if-stale.mjs runs it after each build, so `npm run build`, the
 * build `npm start` runs and the Docker image all carry one.
 *
 *   node dist/src/database/pglite-template.cli.js
 */
import { mkdirSync } from 'node:fs';
import { ensureTemplate, templateDirectory } from './pglite-template.js';
import { startPgliteThread } from './pglite-thread.js';

// The very thread the service opens PGlite with: the template is what a first start would have made.
const made = await ensureTemplate(async (dataDir) => {
  mkdirSync(dataDir, { recursive: true });
  const thread = startPgliteThread(dataDir);
  try {
    await thread.migrate();
  } finally {
    // Closed cleanly: PostgreSQL checkpoints, so a copy opens without recovery.
    await thread.stop();
  }
});
console.log(
  made
    ? `made the prebuilt PGlite data directory for new DATA_DIRs: ${templateDirectory()}`
    : 'the prebuilt PGlite data directory is up to date',
);
