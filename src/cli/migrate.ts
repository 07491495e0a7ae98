import { runMigrateCommand } from './migrate-command.js';

// Entry point of `npm run db:migrate` and `npm run db:migration:create` (compiled to
// dist/src/cli/migrate.js, so the production image migrates with its runtime dependencies only).
const code = await runMigrateCommand(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
// The database is closed; exiting here also ends any timer a driver or the schema engine left behind.
process.exit(code);
