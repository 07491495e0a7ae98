import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The golden topologies of test/fixtures/topologies, by name (the file name without .json), sorted. */
export const FIXTURES_DIR = join(import.meta.dirname, '../fixtures/topologies');

export const fixtures: readonly (readonly [string, unknown])[] = readdirSync(FIXTURES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map(
    (file) =>
      [file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as unknown] as const,
  );
