import { GraphQLEnumType } from './graphql-js.js';
import {
  ENTRY_POINTS,
  EXPOSURES,
  LOAD_BALANCER_PROVIDERS,
  PLATFORMS,
  PORT_EXPOSURES,
  PROTOCOLS,
  ROLES,
  SERVICE_TYPES,
  SEVERITIES,
  STAGES,
  WORKLOADS,
} from '../planner/types.js';
import { GRAPHQL_ENUMS } from './enums.js';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

describe('GraphQL enums', () => {
  const plannerLists: Record<string, readonly string[]> = {
    ServiceType: SERVICE_TYPES,
    Platform: PLATFORMS,
    Exposure: EXPOSURES,
    PortExposure: PORT_EXPOSURES,
    Severity: SEVERITIES,
    EntryPoint: ENTRY_POINTS,
    Role: ROLES,
    Workload: WORKLOADS,
    Protocol: PROTOCOLS,
    Stage: STAGES,
    LoadBalancerProvider: LOAD_BALANCER_PROVIDERS,
  };

  it.each(Object.entries(plannerLists))('%s maps every planner value exactly once', (name, values) => {
    const graphqlEnum = GRAPHQL_ENUMS.find((e) => e.name === name);
    expect(graphqlEnum).toBeDefined();
    const mapped = Object.values(graphqlEnum!.values as Record<string, string>);
    expect([...mapped].sort()).toEqual([...values].sort());
  });

  it.each(GRAPHQL_ENUMS.map((e) => [e.name, e.values] as const))(
    '%s has valid, upper-case GraphQL names derived from the planner strings',
    (_name, values) => {
      for (const [key, value] of Object.entries(values as Record<string, string>)) {
        expect(key).toMatch(GRAPHQL_NAME);
        expect(key).toBe(key.toUpperCase());
        // The NAME form is the planner's string with word breaks as underscores: bare-metal → BARE_METAL, ClusterIP → CLUSTER_IP.
        const derived = value
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .replace(/-/g, '_')
          .toUpperCase();
        expect(key).toBe(derived);
      }
    },
  );

  it('serializes a planner string to its NAME and parses it back', () => {
    const platform = GRAPHQL_ENUMS.find((e) => e.name === 'Platform')!;
    const values = Object.fromEntries(Object.entries(platform.values).map(([key, value]) => [key, { value }]));
    const type = new GraphQLEnumType({ name: 'Platform', values });
    expect(type.serialize('bare-metal')).toBe('BARE_METAL');
    expect(type.parseValue('OTHER_CLOUD')).toBe('other-cloud');
    expect(() => type.parseValue('bare-metal')).toThrow();
  });
});
