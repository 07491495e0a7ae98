import { GraphQLEnumType } from './graphql-js.js';
import { GRAPHQL_ENUMS, graphqlEnumName } from './enums.js';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

describe('GraphQL enums', () => {
  it.each(GRAPHQL_ENUMS.map((e) => [e.name, e] as const))(
    '%s maps every value of its planner list to a valid upper-case name, no two onto one',
    (_name, { list, values }) => {
      expect(Object.values(values).sort()).toEqual([...list].sort());
      for (const key of Object.keys(values)) {
        expect(key).toMatch(GRAPHQL_NAME);
        expect(key).toBe(key.toUpperCase());
      }
    },
  );

  it('names a planner string with its word breaks as underscores', () => {
    const planner = ['bare-metal', 'ClusterIP', 'StatefulSet', 'k3s', 'internet-facing', 'TCP'];
    expect(planner.map(graphqlEnumName).join(' ')).toBe('BARE_METAL CLUSTER_IP STATEFUL_SET K3S INTERNET_FACING TCP');
  });

  it('serializes a planner string to its NAME and parses it back', () => {
    const platform = GRAPHQL_ENUMS.find((e) => e.name === 'Platform')!;
    const values = Object.fromEntries(Object.entries(platform.values).map(([key, value]) => [key, { value }]));
    const type = new GraphQLEnumType({ name: 'Platform', values });
    expect(type.serialize('bare-metal')).toBe('BARE_METAL');
    expect(type.parseValue('OTHER_CLOUD')).toBe('other-cloud');
    expect(() => type.parseValue('bare-metal')).toThrow();
  });
});
