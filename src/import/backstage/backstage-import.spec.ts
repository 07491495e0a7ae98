import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plan } from '../../planner/plan.js';
import { parseYamlDocuments } from '../import-document.js';
import { importBackstage } from './backstage-import.js';

const CATALOG = join(import.meta.dirname, '../../../test/fixtures/backstage/shop-catalog.yaml');

function catalogDocuments(): unknown[] {
  const parsed = parseYamlDocuments(readFileSync(CATALOG, 'utf8'));
  if (!parsed.ok) {
    throw new Error('the fixture does not parse');
  }
  return parsed.documents;
}

function imported(documents: unknown[]) {
  const result = importBackstage(documents, { platform: 'aws' });
  if (!result.ok) {
    throw new Error(`expected an import, got ${JSON.stringify(result.problems)}`);
  }
  return result;
}

const entity = (kind: string, name: string, spec: object = {}, annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, ...(annotations === undefined ? {} : { annotations }) },
  spec,
});

const inNamespace = (namespace: string, document: ReturnType<typeof entity>) => ({
  ...document,
  metadata: { ...document.metadata, namespace },
});

const component = (result: ReturnType<typeof imported>, name: string) =>
  result.topology.components.find((c) => c.name === name);

describe('importBackstage', () => {
  it('imports a multi-document catalog into a topology the planner accepts (golden)', async () => {
    const result = imported(catalogDocuments());
    expect(plan(result.topology).ok).toBe(true);
    await expect(
      `${JSON.stringify({ topology: result.topology, notes: result.notes }, null, 2)}\n`,
    ).toMatchFileSnapshot(join(import.meta.dirname, '../../../test/fixtures/backstage/imported/shop-catalog.json'));
  });

  it('names the topology after the one system its entities belong to', () => {
    expect(imported(catalogDocuments()).topology.name).toBe('shop');
  });

  it('turns dependsOn refs and consumed APIs into dependsOn, skipping what no cluster runs', () => {
    const components = imported(catalogDocuments()).topology.components;
    expect(components.find((c) => c.name === 'storefront')?.dependsOn).toEqual(['orders']);
    expect(components.find((c) => c.name === 'orders')?.dependsOn).toEqual(['orders-db', 'orders-cache']);
    expect(components.map((c) => c.name)).not.toContain('receipts-bucket');
  });

  it('reads ports, host and tls from exposure-planner.io annotations', () => {
    const storefront = imported(catalogDocuments()).topology.components.find((c) => c.name === 'storefront');
    expect(storefront).toMatchObject({
      role: 'frontend',
      exposure: 'public',
      host: 'shop.example.com',
      tls: true,
      ports: [{ port: 8080, name: 'http' }],
    });
  });

  it('infers the port of a Resource from its type, and notes every guess', () => {
    const result = imported([
      entity('Component', 'web', { type: 'website', dependsOn: ['resource:db'] }),
      entity('Resource', 'db', { type: 'mysql' }),
    ]);
    expect(result.topology.components.find((c) => c.name === 'db')).toMatchObject({
      role: 'database',
      ports: [{ port: 3306 }],
    });
    expect(result.notes).toContainEqual({
      path: 'resource:db',
      message: expect.stringContaining('port 3306 inferred'),
    });
    expect(result.notes).toContainEqual({
      path: 'component:web',
      message: expect.stringContaining('port 8080 assumed'),
    });
  });

  it('says a document that is no entity at all (a Compose file read as a catalog) is not one, once', () => {
    const compose = importBackstage([{ services: { web: { image: 'nginx' } } }, 'text'], { platform: 'aws' });
    expect(compose).toEqual({
      ok: false,
      problems: [0, 1].map((index) => ({
        path: `[${index}]`,
        message:
          'is not a Backstage catalog entity: it has no apiVersion (backstage.io/v1alpha1 or backstage.io/v1beta1) and no kind',
      })),
    });
  });

  it('lists every problem: not an entity, a bad annotation, nothing to plan', () => {
    const bad = importBackstage(
      [
        { kind: 'Component', metadata: {} },
        entity(
          'Component',
          'api',
          { type: 'service' },
          { 'exposure-planner.io/exposure': 'everywhere', 'exposure-planner.io/colour': 'red' },
        ),
      ],
      { platform: 'aws' },
    );
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.problems.slice(0, 2)).toEqual([
      { path: '[0].apiVersion', message: 'apiVersion must be backstage.io/v1alpha1 or backstage.io/v1beta1' },
      { path: '[0].metadata.name', message: "must be the entity's name, 1 to 63 characters" },
    ]);

    const annotations = importBackstage(
      [
        entity(
          'Component',
          'api',
          { type: 'service' },
          {
            'exposure-planner.io/exposure': 'everywhere',
            'exposure-planner.io/ports': 'http:eighty',
            'exposure-planner.io/host': '',
          },
        ),
      ],
      { platform: 'aws' },
    );
    expect(annotations.ok ? [] : annotations.problems.map((p) => p.path)).toEqual([
      'component:api.metadata.annotations.exposure-planner.io/exposure',
      'component:api.metadata.annotations.exposure-planner.io/ports',
      'component:api.metadata.annotations.exposure-planner.io/host',
    ]);

    const nothing = importBackstage([entity('Component', 'docs', { type: 'documentation' })], { platform: 'aws' });
    expect(nothing).toEqual({
      ok: false,
      problems: [{ path: '', message: expect.stringContaining('nothing to plan') }],
    });
  });
  describe('namespaces and kinds: the catalog keys an entity by kind, namespace and name', () => {
    const teams = (reference: string, webNamespace?: string) => {
      const web = entity('Component', 'web', { type: 'website', dependsOn: [reference] });
      return [
        inNamespace('team-a', entity('Resource', 'db', { type: 'database' })),
        inNamespace('team-b', entity('Resource', 'db', { type: 'postgres' })),
        webNamespace === undefined ? web : inNamespace(webNamespace, web),
      ];
    };

    it('keeps same-named entities of two namespaces apart, each named after its namespace, and says so', () => {
      const result = imported(teams('resource:team-b/db'));
      expect(plan(result.topology).ok).toBe(true);
      expect(result.topology.components.map((c) => c.name)).toEqual(['team-a-db', 'team-b-db', 'web']);
      expect(component(result, 'team-b-db')?.ports).toEqual([{ port: 5432, name: 'postgres' }]);
      expect(component(result, 'web')?.dependsOn).toEqual(['team-b-db']);
      expect(result.notes).toContainEqual({
        path: 'resource:team-a/db.metadata.name',
        message: 'named "team-a-db": resource:team-b/db would be named "db" too, and component names are unique',
      });
      expect(result.notes).toContainEqual({
        path: 'resource:team-b/db.metadata.name',
        message: 'named "team-b-db": resource:team-a/db would be named "db" too, and component names are unique',
      });
      expect(component(imported(teams('resource:team-a/db')), 'web')?.dependsOn).toEqual(['team-a-db']);
    });

    it("resolves a ref without a namespace in the referring entity's namespace, as the catalog does", () => {
      expect(component(imported(teams('resource:db', 'team-a')), 'web')?.dependsOn).toEqual(['team-a-db']);
      expect(component(imported(teams('db', 'team-b')), 'web')?.dependsOn).toEqual([]);
      expect(component(imported(teams('resource:db')), 'web')?.dependsOn).toEqual([]);
      expect(imported(teams('resource:db')).notes).toContainEqual({
        path: 'component:web.spec.dependsOn',
        message: 'resource:db is not a component of this catalog that a cluster runs: no dependency on it',
      });
    });

    it('leaves the entity of the default namespace its plain name', () => {
      const result = imported([
        entity('Resource', 'db', { type: 'database' }),
        inNamespace('team-b', entity('Resource', 'db', { type: 'database' })),
        entity('Component', 'web', { type: 'website', dependsOn: ['resource:db', 'resource:team-b/db'] }),
      ]);
      expect(result.topology.components.map((c) => c.name)).toEqual(['db', 'team-b-db', 'web']);
      expect(component(result, 'web')?.dependsOn).toEqual(['db', 'team-b-db']);
    });

    it('refuses the same entity twice (one would silently replace the other), naming both documents', () => {
      const twice = importBackstage(
        [
          inNamespace('team-a', entity('Resource', 'db', { type: 'database' })),
          entity('Component', 'web', { type: 'website' }),
          inNamespace('team-a', entity('resource', 'DB', { type: 'postgres' })),
        ],
        { platform: 'aws' },
      );
      expect(twice).toEqual({
        ok: false,
        problems: [
          {
            path: '[2]',
            message: 'is resource:team-a/DB again (as [0]): a catalog holds one entity per kind, namespace and name',
          },
        ],
      });
    });

    it('imports a Component and a Resource of the same name, the Resource named after its kind', () => {
      const result = imported([
        entity('Component', 'orders', { type: 'service', dependsOn: ['resource:orders'] }),
        entity('Resource', 'orders', { type: 'postgres' }),
        entity('Component', 'web', { type: 'website', dependsOn: ['component:orders'] }),
      ]);
      expect(plan(result.topology).ok).toBe(true);
      expect(result.topology.components.map((c) => [c.name, c.role, c.dependsOn])).toEqual([
        ['orders', 'api', ['orders-resource']],
        ['orders-resource', 'database', []],
        ['web', 'frontend', ['orders']],
      ]);
      expect(result.notes).toContainEqual({
        path: 'resource:orders.metadata.name',
        message:
          'named "orders-resource": component:orders would be named "orders" too, and component names are unique',
      });
    });

    it('numbers a qualified name another entity already has', () => {
      const result = imported([
        entity('Component', 'orders', { type: 'service' }),
        entity('Resource', 'orders', { type: 'postgres' }),
        entity('Component', 'orders-resource', { type: 'service' }),
      ]);
      expect(result.topology.components.map((c) => c.name)).toEqual(['orders', 'orders-resource-2', 'orders-resource']);
    });

    it('wires consumesApis to the provider of the API in the right namespace', () => {
      const result = imported([
        inNamespace('team-a', entity('Component', 'orders', { type: 'service', providesApis: ['orders-api'] })),
        inNamespace('team-b', entity('Component', 'billing', { type: 'service', providesApis: ['orders-api'] })),
        inNamespace('team-b', entity('Component', 'web', { type: 'website', consumesApis: ['orders-api'] })),
        entity('Component', 'admin', { type: 'website', consumesApis: ['api:team-a/orders-api'] }),
      ]);
      expect(component(result, 'web')?.dependsOn).toEqual(['billing']);
      expect(component(result, 'admin')?.dependsOn).toEqual(['orders']);
    });

    it('notes a consumed API whose only provider is left out, instead of a dependency on nothing', () => {
      const result = imported([
        entity('Component', 'orders-lib', { type: 'library', providesApis: ['orders-api'] }),
        entity('API', 'orders-api', { type: 'openapi' }),
        entity('Component', 'web', { type: 'website', consumesApis: ['api:orders-api'] }),
      ]);
      expect(component(result, 'web')?.dependsOn).toEqual([]);
      expect(result.notes).toContainEqual({
        path: 'component:web.spec.consumesApis',
        message:
          'api:orders-api is provided only by component:orders-lib, left out (not something a cluster serves): no dependency on it',
      });
    });
  });

  describe('gRPC APIs', () => {
    it('gives the provider of a grpc API, without a ports annotation, a gRPC port, and says so', () => {
      const result = imported([
        entity('API', 'orders-api', { type: 'grpc' }),
        entity('Component', 'orders', { type: 'service', providesApis: ['orders-api'] }),
      ]);
      expect(plan(result.topology).ok).toBe(true);
      expect(component(result, 'orders')?.ports).toEqual([{ port: 8080, name: 'grpc', appProtocol: 'grpc' }]);
      expect(result.notes).toContainEqual({
        path: 'component:orders',
        message: expect.stringContaining('gRPC (appProtocol grpc): it provides orders-api of type grpc'),
      });
    });

    it('keeps the ports an annotation declares, and notes when none is named for gRPC', () => {
      const documents = (ports: string) => [
        entity('API', 'orders-api', { type: 'grpc' }),
        entity(
          'Component',
          'orders',
          { type: 'service', providesApis: ['orders-api'] },
          {
            'exposure-planner.io/ports': ports,
          },
        ),
      ];
      const http = imported(documents('http:9000'));
      expect(component(http, 'orders')?.ports).toEqual([{ port: 9000, name: 'http' }]);
      expect(http.notes).toContainEqual({
        path: 'component:orders.metadata.annotations.exposure-planner.io/ports',
        message: expect.stringContaining('no port is named grpc'),
      });
      const grpc = imported(documents('grpc:9000'));
      expect(grpc.notes.map((note) => note.message)).not.toContainEqual(
        expect.stringContaining('no port is named grpc'),
      );
    });

    it('keeps the HTTP port of a provider of grpc and other APIs, and says how to name the gRPC one', () => {
      const result = imported([
        entity('API', 'orders-grpc', { type: 'grpc' }),
        entity('API', 'orders-rest', { type: 'openapi' }),
        entity('Component', 'orders', { type: 'service', providesApis: ['orders-grpc', 'orders-rest'] }),
      ]);
      expect(component(result, 'orders')?.ports).toEqual([{ port: 8080, name: 'http', appProtocol: 'http' }]);
      expect(result.notes).toContainEqual({
        path: 'component:orders',
        message: expect.stringContaining('it provides orders-grpc of type grpc and other APIs'),
      });
    });
  });
});
