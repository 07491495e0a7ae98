import { runApiKeyCommand } from './apikey-command.js';

// Entry point of `npm run apikey` (compiled to dist/src/cli/apikey.js, so it runs in the production
// image too, where only runtime dependencies are installed).
const code = await runApiKeyCommand(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
// PGlite and the pg pool are closed; exiting here also ends any timer a driver left behind.
process.exit(code);
