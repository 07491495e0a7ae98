import { readFile } from 'node:fs/promises';
import { PLAN_USAGE, runPlanCommand } from './plan-command.js';

// Entry point of the `exposure-planner` bin (bin/exposure-planner.mjs). Only the pure planner and
// the importers are loaded: no Nest, no database, so a pipeline gets its answer in well under a second.
const [command, ...rest] = process.argv.slice(2);
const io = {
  out: (text: string) => process.stdout.write(text),
  err: (line: string) => process.stderr.write(`${line}\n`),
  readFile: (path: string) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const HELP = new Set([undefined, 'help', '--help', '-h']);

if (command === 'plan') {
  process.exitCode = await runPlanCommand(rest, io);
} else if (HELP.has(command)) {
  // Asked for (or no command at all), the usage is the answer: on stdout, and a success.
  io.out(`${PLAN_USAGE}\n`);
  process.exitCode = 0;
} else {
  io.err(`unknown command ${command}\n${PLAN_USAGE}`);
  process.exitCode = 2;
}
