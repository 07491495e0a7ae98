import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The rows of the table under a `## ` heading of docs/operations.md whose first cell names a
 * package (starts with a backquote), as trimmed cells: the tables the dependency tests keep true.
 */
export function operationsTableRows(heading: string): string[][] {
  const operations = readFileSync(join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
  const section = operations.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
}
