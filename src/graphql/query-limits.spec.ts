import { buildSchema, getIntrospectionQuery, Kind, parse, specifiedRules, validate } from './graphql-js.js';
import {
  complexityLimitPlugin,
  COMPONENT_COMPLEXITY,
  DEFAULT_PAGE_SIZE,
  MAX_FRAGMENTS,
  MAX_MUTATIONS,
  MAX_PAGE_SIZE,
  MAX_QUERY_DEPTH,
  MAX_ROOT_FIELDS,
  MAX_SELECTIONS,
  mutationCount,
  operationShapeRule,
  pageComplexity,
  planningComplexity,
  SHAPE_LIMITS,
  subscriptionRefusalPlugin,
  type ShapeLimits,
} from './query-limits.js';

const schema = buildSchema(`
  type Node { name: String child: Node }
  type Stats { total: Int }
  type Query { root: Node stats: Stats }
  type Mutation { create(n: Int): Int }
`);

/** A query exactly `levels` fields deep (at least 2): root { child { … { name } } }. */
function nested(levels: number): string {
  let body = 'name';
  for (let level = 2; level < levels; level++) {
    body = `child { ${body} }`;
  }
  return `{ root { ${body} } }`;
}

/** `fragments` fragments on Query, each spreading the next one twice: 2^fragments selections, in under 40 bytes each. */
function fragmentBomb(fragments: number): string {
  const definitions = Array.from(
    { length: fragments },
    (_, i) => `fragment F${i} on Query { ${i + 1 < fragments ? `...F${i + 1} ...F${i + 1}` : 'stats { total }'} }`,
  );
  return `query Bomb { ...F0 } ${definitions.join(' ')}`;
}

function shapeErrors(query: string, limits: Partial<ShapeLimits> = {}) {
  return validate(schema, parse(query), [...specifiedRules, operationShapeRule({ ...SHAPE_LIMITS, ...limits })]);
}

describe(operationShapeRule.name, () => {
  describe('depth', () => {
    it.each([2, 3, 6, 15])('accepts a query %i levels deep at that limit and refuses it one level below', (depth) => {
      const query = nested(depth);
      expect(shapeErrors(query, { maxDepth: depth })).toEqual([]);
      const errors = shapeErrors(query, { maxDepth: depth - 1 });
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain(`nested ${depth} levels deep; the maximum is ${depth - 1}`);
      expect(errors[0]?.extensions).toMatchObject({ depth, maxDepth: depth - 1 });
    });

    it('counts fragments where they are spread, inline or named', () => {
      const query = `
        query Deep { root { ...A } }
        fragment A on Node { child { ... on Node { child { ...B } } } }
        fragment B on Node { child { name } }`;
      // root › child › child › child › name
      expect(shapeErrors(query, { maxDepth: 5 })).toEqual([]);
      expect(shapeErrors(query, { maxDepth: 4 })[0]?.message).toContain('Operation "Deep" is nested 5 levels deep');
    });

    it('does not loop on a fragment cycle (another rule reports it)', () => {
      const errors = shapeErrors(`{ root { ...A } } fragment A on Node { child { ...A } }`);
      expect(errors.map((e) => e.message).join()).toMatch(/Cannot spread fragment "A" within itself/);
    });

    it('lets the standard introspection query through, needing all of the limit, and refuses deeper introspection', () => {
      expect(shapeErrors(getIntrospectionQuery())).toEqual([]);
      expect(shapeErrors(getIntrospectionQuery(), { maxDepth: MAX_QUERY_DEPTH - 1 })).toHaveLength(1);
      // __Type.fields.type is a cycle: without the limit this could nest without end.
      let body = 'name';
      for (let level = 0; level < 8; level++) {
        body = `fields { type { ${body} } }`;
      }
      const deep = `{ __schema { types { ${body} } } }`;
      expect(shapeErrors(deep)[0]?.message).toContain(`the maximum is ${MAX_QUERY_DEPTH}`);
    });
  });

  describe('fragments', () => {
    it('walks each fragment once however often it is spread: a 20-fragment bomb costs 20 fragment walks, not a million', () => {
      const document = parse(fragmentBomb(20));
      // Counts every time anything reads a fragment's body.
      let reads = 0;
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          const body = definition.selectionSet;
          Object.defineProperty(definition, 'selectionSet', {
            get: () => {
              reads += 1;
              return body;
            },
          });
        }
      }
      validate(schema, document, [operationShapeRule()]);
      // graphql-js's own visit reads each once; the rule at most twice more (its shape, the root's fields).
      expect(reads).toBeLessThanOrEqual(20 * 3);
    });

    it('refuses a fragment bomb: 60 fragments unfold into 2^60 selections, measured without unfolding them', () => {
      const errors = shapeErrors(fragmentBomb(60));
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toBe(
        `Operation "Bomb" selects more than ${MAX_SELECTIONS} fields and fragments once its fragments are spread; that is the maximum.`,
      );
      expect(errors[0]?.extensions).toEqual({ maxSelections: MAX_SELECTIONS });
    });

    it('counts selections as the cost analysis walks them: every spread unfolded, at the limit accepted', () => {
      // 10 fragments: 2 spreads at each of 9 levels (2 + 4 + … + 512 = 1,022), then 512 × `stats { total }` (1,024), + the root spread.
      const selections = 1 + 1022 + 1024;
      expect(shapeErrors(fragmentBomb(10), { maxSelections: selections })).toEqual([]);
      expect(shapeErrors(fragmentBomb(10), { maxSelections: selections - 1 })).toHaveLength(1);
    });

    it(`refuses a document with more than ${MAX_FRAGMENTS} fragment definitions`, () => {
      const many = (count: number) =>
        `{ ...F0 } ${Array.from({ length: count }, (_, i) => `fragment F${i} on Query { ${i + 1 < count ? `...F${i + 1}` : 'stats { total }'} }`).join(' ')}`;
      expect(shapeErrors(many(MAX_FRAGMENTS))).toEqual([]);
      const errors = shapeErrors(many(MAX_FRAGMENTS + 1));
      expect(errors.map((e) => e.extensions)).toEqual([{ fragments: MAX_FRAGMENTS + 1, maxFragments: MAX_FRAGMENTS }]);
    });
  });

  describe('root fields and mutations', () => {
    const aliases = (count: number, field = 'stats { total }') =>
      Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');

    it(`refuses more than ${MAX_ROOT_FIELDS} root fields, aliases each counting one`, () => {
      expect(shapeErrors(`{ ${aliases(MAX_ROOT_FIELDS)} }`)).toEqual([]);
      const errors = shapeErrors(`query Flood { ${aliases(MAX_ROOT_FIELDS + 1)} }`);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toBe(
        `Operation "Flood" has ${MAX_ROOT_FIELDS + 1} root fields (aliases count one each); the maximum is ${MAX_ROOT_FIELDS}.`,
      );
      expect(errors[0]?.extensions).toEqual({ rootFields: MAX_ROOT_FIELDS + 1, maxRootFields: MAX_ROOT_FIELDS });
    });

    it('counts root fields through fragments by response key, as execution runs them', () => {
      // The same field twice, or a fragment spread twice, runs once.
      const query = `{ stats { total } stats { total } ...R ...R ... on Query { root { name } } }
        fragment R on Query { ${aliases(MAX_ROOT_FIELDS - 2)} }`;
      expect(shapeErrors(query)).toEqual([]);
      expect(shapeErrors(query, { maxRootFields: MAX_ROOT_FIELDS - 1 })).toHaveLength(1);
    });

    it(`refuses more than ${MAX_MUTATIONS} mutations in one request`, () => {
      const mutations = (count: number) => `mutation Many { ${aliases(count, 'create(n: 1)')} }`;
      expect(shapeErrors(mutations(MAX_MUTATIONS))).toEqual([]);
      expect(mutationCount(parse(mutations(MAX_MUTATIONS)).definitions[0] as never, parse(mutations(1)))).toBe(
        MAX_MUTATIONS,
      );
      const errors = shapeErrors(mutations(MAX_MUTATIONS + 1));
      expect(errors.map((e) => e.message)).toEqual([
        `Operation "Many" has ${MAX_MUTATIONS + 1} mutations; the maximum is ${MAX_MUTATIONS} per request.`,
      ]);
      expect(errors[0]?.extensions).toEqual({ mutations: MAX_MUTATIONS + 1, maxMutations: MAX_MUTATIONS });
    });

    it('counts no mutation in a query', () => {
      const document = parse(`{ ${aliases(3)} }`);
      expect(mutationCount(document.definitions[0] as never, document)).toBe(0);
    });
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

describe(planningComplexity.name, () => {
  const cost = (topology: unknown) => planningComplexity({ args: { topology }, childComplexity: 5 } as never);

  it('costs planning by the components of the topology', () => {
    const components = (count: number) => ({
      components: Array.from({ length: count }, (_, i) => ({ name: `c${i}` })),
    });
    expect(cost(components(10))).toBe(1 + 5 + 10 * COMPONENT_COMPLEXITY);
    expect(cost(components(2000))).toBe(1 + 5 + 2000 * COMPONENT_COMPLEXITY);
  });

  it('counts a topology past the planner limit as just past it (the planner refuses it, with its own problem)', () => {
    expect(cost({ components: new Array(50_000).fill({}) })).toBe(1 + 5 + 2001 * COMPONENT_COMPLEXITY);
  });

  it('costs what is not a topology as nothing planned (the planner refuses it)', () => {
    for (const notATopology of [null, 'text', 42, {}, { components: 'many' }]) {
      expect(cost(notATopology)).toBe(1 + 5);
    }
  });
});

describe(complexityLimitPlugin.name, () => {
  const listSchema = buildSchema(`
    type Item { a: Int b: Int c: Int child: Item }
    type Query { items(n: Int!): [Item!]! one: Item }
    type Subscription { ticks: Int }
  `);

  // Drives the plugin's hook as Apollo would after validation.
  async function check(maxComplexity: number, query: string, variables: Record<string, unknown> = {}) {
    const listener = await complexityLimitPlugin(maxComplexity).requestDidStart!({} as never);
    const document = parse(query);
    return listener!.didResolveOperation!({
      request: { variables },
      document,
      operation: document.definitions[0],
      schema: listSchema,
    } as never);
  }

  it('lets a query within budget through and refuses one over it, saying by how much', async () => {
    await expect(check(3, '{ one { a child { b child { c } } } }')).resolves.toBeUndefined();
    await expect(check(2, '{ one { a child { b child { c } } } }')).rejects.toMatchObject({
      message: expect.stringContaining('complexity is 3; the maximum is 2'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', complexity: 3, maxComplexity: 2, http: { status: 400 } },
    });
  });

  it('costs each object 1 and its scalars nothing, so a wider object costs no more', async () => {
    await expect(check(1, '{ one { a b c } }')).resolves.toBeUndefined();
    await expect(check(1, '{ one { a } }')).resolves.toBeUndefined();
    await expect(check(1, '{ one { a child { a } } }')).rejects.toMatchObject({ extensions: { complexity: 2 } });
  });

  it('refuses (never passes) a query whose cost cannot be estimated: more nodes than the analysis walks', async () => {
    // What the shape rule refuses first; should it ever let such a document through, this fails closed.
    const huge = `{ ${Array.from({ length: MAX_SELECTIONS + 1 }, (_, i) => `a${i}: one { a }`).join(' ')} }`;
    await expect(check(Number.MAX_SAFE_INTEGER, huge)).rejects.toMatchObject({
      message: expect.stringMatching(/cost could not be estimated \(Query exceeds the maximum allowed number of nodes/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    });
  });

  it('leaves variables that do not fit their types to execution, which reports them as BAD_USER_INPUT', async () => {
    await expect(check(1, 'query($n: Int!) { items(n: $n) { a } }', { n: 'many' })).resolves.toBeUndefined();
    await expect(check(1, 'query($n: Int!) { items(n: $n) { a } }', {})).resolves.toBeUndefined();
    // With the variables right, the same query is costed (and here refused).
    await expect(check(1, 'query($n: Int!) { items(n: $n) { child { a } } }', { n: 3 })).rejects.toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe(subscriptionRefusalPlugin.name, () => {
  async function resolve(query: string) {
    const listener = await subscriptionRefusalPlugin().requestDidStart!({} as never);
    const operation = parse(query).definitions[0];
    return listener!.didResolveOperation!({ operation } as never);
  }

  it('refuses a subscription as BAD_REQUEST, HTTP 400, and lets queries and mutations through', async () => {
    await expect(resolve('subscription { ticks }')).rejects.toMatchObject({
      message: 'Subscriptions are not supported: this API answers queries and mutations only.',
      extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
    });
    await expect(resolve('{ one { a } }')).resolves.toBeUndefined();
    await expect(resolve('mutation { create(n: 1) }')).resolves.toBeUndefined();
  });
});
