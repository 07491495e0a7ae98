import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCHEMA_FILE } from './graphql.options.js';
import { printSchemaSdl } from './schema-file.js';

describe('schema.gql', () => {
  it('is what the code generates (run `npm run schema:gql` and commit schema.gql if this fails)', async () => {
    const committed = await readFile(join(process.cwd(), SCHEMA_FILE), 'utf8').catch(() => '(missing)');
    const generated = await printSchemaSdl();
    // A plain boolean first, so the failure says what to do before the long diff.
    if (committed !== generated) {
      expect.fail(
        `${SCHEMA_FILE} is stale: the GraphQL schema in the code changed. Run \`npm run schema:gql\` and commit ${SCHEMA_FILE}.\n` +
          firstDifference(committed, generated),
      );
    }
  });
});

function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `First difference at line ${at + 1}:\n  committed: ${a[at] ?? '(end of file)'}\n  generated: ${b[at] ?? '(end of file)'}`;
}
