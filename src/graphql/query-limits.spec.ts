import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from './graphql-js.js';
import {
  complexityLimitPlugin,
  DEFAULT_PAGE_SIZE,
  depthLimitRule,
  MAX_PAGE_SIZE,
  MAX_QUERY_DEPTH,
  pageComplexity,
} from './query-limits.js';

const schema = buildSchema(`
  type Node { name: String child: Node }
  type Query { root: Node }
`);

/** A query exactly `levels` fields deep (at least 2): root { child { … { name } } }. */
function nested(levels: number): string {
  let body = 'name';
  for (let level = 2; level < levels; level++) {
    body = `child { ${body} }`;
  }
  return `{ root { ${body} } }`;
}

function depthErrors(query: string, maxDepth: number) {
  return validate(schema, parse(query), [...specifiedRules, depthLimitRule(maxDepth)]);
}

describe(depthLimitRule.name, () => {
  it.each([2, 3, 6, 15])('accepts a query %i levels deep at that limit and refuses it one level below', (depth) => {
    const query = nested(depth);
    expect(depthErrors(query, depth)).toEqual([]);
    const errors = depthErrors(query, depth - 1);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(`nested ${depth} levels deep; the maximum is ${depth - 1}`);
    expect(errors[0].extensions).toMatchObject({ depth, maxDepth: depth - 1 });
  });

  it('counts fragments where they are spread, inline or named', () => {
    const query = `
      query Deep { root { ...A } }
      fragment A on Node { child { ... on Node { child { ...B } } } }
      fragment B on Node { child { name } }`;
    // root › child › child › child › name
    expect(depthErrors(query, 5)).toEqual([]);
    expect(depthErrors(query, 4)[0].message).toContain('Operation "Deep" is nested 5 levels deep');
  });

  it('does not loop on a fragment cycle (another rule reports it)', () => {
    const query = `{ root { ...A } } fragment A on Node { child { ...A } }`;
    const errors = depthErrors(query, 10);
    expect(errors.map((e) => e.message).join()).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('lets the standard introspection query through, needing all of the limit, and refuses deeper introspection', () => {
    expect(depthErrors(getIntrospectionQuery(), MAX_QUERY_DEPTH)).toEqual([]);
    expect(depthErrors(getIntrospectionQuery(), MAX_QUERY_DEPTH - 1)).toHaveLength(1);
    // __Type.fields.type is a cycle: without the limit this could nest without end.
    let body = 'name';
    for (let level = 0; level < 8; level++) {
      body = `fields { type { ${body} } }`;
    }
    const deep = `{ __schema { types { ${body} } } }`;
    expect(depthErrors(deep, MAX_QUERY_DEPTH)[0].message).toContain(`the maximum is ${MAX_QUERY_DEPTH}`);
  });
});

describe(pageComplexity.name, () => {
  it('multiplies the selection by the page size, the default when none is given', () => {
    expect(pageComplexity({ args: { first: 10 }, childComplexity: 7 } as never)).toBe(1 + 70);
    expect(pageComplexity({ args: {}, childComplexity: 7 } as never)).toBe(1 + 7 * DEFAULT_PAGE_SIZE);
  });

  it('caps the estimate at the largest page, so an oversized `first` gets the page-size error instead', () => {
    expect(pageComplexity({ args: { first: 5000 }, childComplexity: 3 } as never)).toBe(1 + 3 * MAX_PAGE_SIZE);
  });
});

describe(complexityLimitPlugin.name, () => {
  const listSchema = buildSchema(`
    type Item { a: Int b: Int c: Int }
    type Query { items(n: Int!): [Item!]! one: Item }
  `);

  // Drives the plugin's hook as Apollo would after validation.
  async function check(maxComplexity: number, query: string, variables: Record<string, unknown> = {}) {
    const listener = await complexityLimitPlugin(maxComplexity).requestDidStart!({} as never);
    return listener!.didResolveOperation!({
      request: { variables },
      document: parse(query),
      schema: listSchema,
    } as never);
  }

  it('lets a query within budget through and refuses one over it, saying by how much', async () => {
    await expect(check(4, '{ one { a b c } }')).resolves.toBeUndefined();
    await expect(check(3, '{ one { a b c } }')).rejects.toMatchObject({
      message: expect.stringContaining('complexity is 4; the maximum is 3'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', complexity: 4, maxComplexity: 3 },
    });
  });

  it('leaves variables that do not fit their types to execution, which reports them as BAD_USER_INPUT', async () => {
    await expect(check(1, 'query($n: Int!) { items(n: $n) { a } }', { n: 'many' })).resolves.toBeUndefined();
  });
});
