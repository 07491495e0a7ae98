import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory, Query, Resolver } from '@nestjs/graphql';
import { z } from 'zod';
import { PROTOCOLS } from '../planner/types.js';
import { lexicographicSortSchema, printSchema } from './graphql-js.js';
import { JsonScalar } from './scalars.js';
import { zodObjectType } from './zod-object-type.js';

/** The SDL of the schema whose one query returns `type`, as the app would print it. */
async function sdlOf(type: () => unknown): Promise<string> {
  @Resolver()
  class OneQueryResolver {
    @Query(type as () => object, { nullable: true })
    one(): null {
      return null;
    }
  }
  const context = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    const schema = await context.get(GraphQLSchemaFactory).create([OneQueryResolver]);
    return printSchema(lexicographicSortSchema(schema));
  } finally {
    await context.close();
  }
}

/** The lines of one type's definition, from `type Name {` to its closing brace. */
function typeBlock(sdl: string, name: string): string {
  const start = sdl.indexOf(`type ${name} {`);
  expect(start, `type ${name} in the schema`).toBeGreaterThanOrEqual(0);
  return sdl.slice(start, sdl.indexOf('\n}', start) + 2);
}

describe(zodObjectType.name, () => {
  it('copies each zod field: nullability, defaults, lists, scalars, registered enums, descriptions', async () => {
    const line = z.object({ amount: z.number() });
    const type = zodObjectType(
      z.object({
        id: z.uuid(),
        at: z.iso.datetime().describe('When.'),
        count: z.int(),
        filled: z.int().default(1),
        filledTags: z.array(z.string()).optional().default([]),
        nullDefault: z.string().nullable().default(null),
        ratio: z.number(),
        ok: z.boolean(),
        note: z.string().optional().describe('Not set: none.'),
        tags: z.array(z.string()),
        labels: z.record(z.string(), z.string()).nullable(),
        protocol: z.enum(PROTOCOLS),
        mode: z.enum(['open', 'restricted']),
        always: z.literal(true).optional(),
        lines: z.array(line).describe('The lines.'),
        inner: z.object({ x: z.int() }).describe('Described on the object.').nullable(),
        raw: z.unknown(),
      }),
      {
        name: 'Copied',
        description: 'A test type.',
        fields: {
          lines: { object: { name: 'CopiedLine' } },
          inner: { object: { name: 'CopiedInner' } },
          raw: { type: () => JsonScalar, description: 'Any JSON.' },
        },
      },
    );
    const sdl = await sdlOf(() => type);
    expect(typeBlock(sdl, 'Copied')).toBe(
      [
        'type Copied {',
        '  always: Boolean',
        '',
        '  """When."""',
        '  at: DateTime!',
        '  count: Int!',
        '  filled: Int!',
        '  filledTags: [String!]!',
        '  id: ID!',
        '',
        '  """Described on the object."""',
        '  inner: CopiedInner',
        '  labels: JSONObject',
        '',
        '  """The lines."""',
        '  lines: [CopiedLine!]!',
        '  mode: String!',
        '',
        '  """Not set: none."""',
        '  note: String',
        '  nullDefault: String',
        '  ok: Boolean!',
        '  protocol: Protocol!',
        '  ratio: Float!',
        '',
        '  """Any JSON."""',
        '  raw: JSON!',
        '  tags: [String!]!',
        '}',
      ].join('\n'),
    );
    expect(sdl).toContain('"""A test type."""\ntype Copied {');
    expect(typeBlock(sdl, 'CopiedLine')).toBe('type CopiedLine {\n  amount: Float!\n}');
  });

  it('flattens a discriminated union: a field some variants lack, or null in one, is nullable', async () => {
    const shared = { name: z.string() };
    const union = z.discriminatedUnion('kind', [
      z.object({ ...shared, kind: z.null().describe('null: none.'), flag: z.literal(false) }),
      z.object({ ...shared, kind: z.literal('TCP'), flag: z.boolean(), port: z.int() }),
      z.object({ ...shared, kind: z.enum(['UDP', 'SCTP']), flag: z.boolean(), port: z.int() }),
    ]);
    const type = zodObjectType(union, { name: 'Flattened' });
    expect(typeBlock(await sdlOf(() => type), 'Flattened')).toBe(
      [
        'type Flattened {',
        '  flag: Boolean!',
        '',
        '  """null: none."""',
        '  kind: Protocol',
        '  name: String!',
        '  port: Int',
        '}',
      ].join('\n'),
    );
  });

  it('reuses the type of a schema met again, and refuses a second name for it', async () => {
    const shared = z.object({ value: z.string() });
    const first = zodObjectType(z.object({ shared }), {
      name: 'First',
      fields: { shared: { object: { name: 'Shared' } } },
    });
    const second = zodObjectType(z.object({ again: shared.nullable() }), { name: 'Second' });
    const both = zodObjectType(z.object({ first: z.object({}), second: z.object({}) }), {
      name: 'Both',
      fields: { first: { type: () => first }, second: { type: () => second } },
    });
    const sdl = await sdlOf(() => both);
    expect(typeBlock(sdl, 'First')).toBe('type First {\n  shared: Shared!\n}');
    expect(typeBlock(sdl, 'Second')).toBe('type Second {\n  again: Shared\n}');
    expect(() => zodObjectType(shared, { name: 'Renamed' })).toThrow('already the GraphQL type Shared');
  });

  it('fails at once on what it cannot copy, naming the field', () => {
    expect(() => zodObjectType(z.object({ nested: z.object({ a: z.string() }) }), { name: 'Unnamed' })).toThrow(
      'Unnamed.nested: a nested object needs a GraphQL type name (fields.nested.object)',
    );
    expect(() => zodObjectType(z.object({ raw: z.unknown() }), { name: 'Unknown' })).toThrow(
      'Unknown.raw: no GraphQL type for zod unknown; give one (fields.raw.type)',
    );
    expect(() =>
      zodObjectType(z.object({ a: z.string() }), { name: 'Misspelt', fields: { b: { description: 'x' } } }),
    ).toThrow('Misspelt.b: no such field in its zod schema');
    expect(() => zodObjectType(z.object({ a: z.array(z.string().nullable()) }), { name: 'NullItems' })).toThrow(
      'NullItems.a: a list with null items',
    );
  });
});
