import { readFile } from 'node:fs/promises';
import { runPlanCommand, type PlanCommandIo } from '../plan-command.js';

/** Runs `exposure-planner plan …` in-process on real files, with what it writes captured. */
export async function runPlanCommandCaptured(
  args: string[],
  io: Partial<PlanCommandIo> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  const err: string[] = [];
  const code = await runPlanCommand(args, {
    out: (text) => {
      out += text;
    },
    err: (line) => err.push(line),
    readFile: (path) => readFile(path, 'utf8'),
    ...io,
  });
  return { code, out, err: err.join('\n') };
}
