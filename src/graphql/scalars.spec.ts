import { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString } from './graphql-js.js';
import { IntOrStringScalar, TopologyInputScalar } from './scalars.js';

// A one-field schema that echoes its argument, to drive the scalars through real parsing.
function echoSchema(scalar: typeof TopologyInputScalar | typeof IntOrStringScalar) {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: {
          type: GraphQLString,
          args: { value: { type: scalar } },
          resolve: (_, args) => JSON.stringify(args.value),
        },
      },
    }),
  });
}

describe('TopologyInput scalar', () => {
  const schema = echoSchema(TopologyInputScalar);

  it('takes an inline object literal as the JSON it spells, variables inside included', async () => {
    const result = await graphql({
      schema,
      source:
        'query($ns: TopologyInput) { echo(value: { name: "shop", namespace: $ns, components: [{ name: "web", ports: [{ port: 80 }] }] }) }',
      variableValues: { ns: 'prod' },
    });
    expect(result.errors).toBeUndefined();
    expect(JSON.parse(result.data!.echo as string)).toEqual({
      name: 'shop',
      namespace: 'prod',
      components: [{ name: 'web', ports: [{ port: 80 }] }],
    });
  });

  it('takes a variable as is, leaving judgement to the planner (even a non-object)', async () => {
    const body = { name: 'shop', environment: { platform: 'bare-metal' }, extra: [1, null, true] };
    for (const value of [body, 'not a topology', 42]) {
      const result = await graphql({
        schema,
        source: 'query($t: TopologyInput) { echo(value: $t) }',
        variableValues: { t: value },
      });
      expect(JSON.parse(result.data!.echo as string)).toEqual(value);
    }
  });
});

describe('IntOrString scalar', () => {
  it.each([80, 'http'])('keeps %j as it is', (value) => {
    expect(IntOrStringScalar.serialize(value)).toBe(value);
    expect(IntOrStringScalar.parseValue(value)).toBe(value);
  });

  it.each([1.5, true, null, { port: 80 }])('refuses %j', (value) => {
    expect(() => IntOrStringScalar.serialize(value)).toThrow(/integer or a string/);
  });

  it('parses Int and String literals and refuses others', async () => {
    const schema = echoSchema(IntOrStringScalar);
    const ok = await graphql({ schema, source: '{ a: echo(value: 8080) b: echo(value: "http") }' });
    expect(ok.data).toEqual({ a: '8080', b: '"http"' });
    const bad = await graphql({ schema, source: '{ echo(value: 1.5) }' });
    expect(bad.errors?.[0]?.message).toMatch(/integer or a string/);
  });
});
