import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

const REPORT = join(import.meta.dirname, '..', 'docs', 'performance.md');

/**
 * Replaces the block between `<!-- bench:<marker>:begin -->` and `…:end -->` in
 * docs/performance.md with `block`, keeping the rest; appends it the first time.
 */
export function writePerformanceBlock(marker: string, block: string): void {
  const begin = `<!-- bench:${marker}:begin -->`;
  const end = `<!-- bench:${marker}:end -->`;
  const current = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '# Performance\n';
  const fenced = `${begin}\n${block}${end}`;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + fenced + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${fenced}\n`;
  writeFileSync(REPORT, next);
}

/** The 1-minute load average (os.loadavg gives the 1-, 5- and 15-minute ones; zeros on Windows). */
export function oneMinuteLoad(): number {
  const [oneMinute] = loadavg();
  if (oneMinute === undefined) {
    throw new Error('os.loadavg() gave no 1-minute load average');
  }
  return oneMinute;
}

/**
 * The machine a block was measured on, and how loaded it was (1-minute load average at the start and
 * the end of the run). `whenLoaded` says what a load above the CPU count means for that block's
 * figures; it is printed only when the load at the start was that high: the load at the end counts
 * the bench's own threads (a POST bench alone keeps two CPUs busy).
 */
export function describeMachine(load: [number, number], whenLoaded: string): string {
  const cpuCount = cpus().length;
  const loaded = load[0] > cpuCount;
  return `Machine: ${cpuCount} CPUs (\`nproc\`, ${cpus()[0]?.model.trim() ?? 'unknown model'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB memory, Node ${process.version}; 1-minute load average ${load[0].toFixed(2)} at the start, ${load[1].toFixed(2)} at the end${loaded ? ` (above ${cpuCount}: other work shared the CPUs, ${whenLoaded})` : ''}.`;
}
