import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from './graphql-js.js';
import { MAX_QUERY_TOKENS, operationShapeRule } from './query-limits.js';

// docs/graphql.md teaches dashboards by example: every operation in it must run on the schema.
const docs = readFileSync(join(process.cwd(), 'docs/graphql.md'), 'utf8');
const schema = buildSchema(readFileSync(join(process.cwd(), 'schema.gql'), 'utf8'));
const operations = [...docs.matchAll(/```graphql\n([\s\S]*?)```/g)]
  .map((match) => match[1] ?? '')
  .filter((block) => /^\s*(query|mutation)\b/.test(block));

describe('docs/graphql.md examples', () => {
  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(5);
  });

  it.each(operations.map((op) => [op.trim().split('\n')[0] ?? '', op]))(
    '%s is valid against schema.gql',
    (_title, op) => {
      const document = parse(op, { maxTokens: MAX_QUERY_TOKENS });
      const errors = validate(schema, document, undefined);
      expect(errors.map((e) => e.message)).toEqual([]);
      expect(validate(schema, document, [operationShapeRule()])).toEqual([]);
    },
  );
});
