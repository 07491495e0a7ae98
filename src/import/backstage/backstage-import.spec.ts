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
});
