import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
