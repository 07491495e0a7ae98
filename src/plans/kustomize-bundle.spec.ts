import { at } from '../common/at.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { plan } from '../planner/plan.js';
import type { KubeObject } from '../planner/types.js';
import { toYaml } from '../planner/yaml.js';
import { KUSTOMIZATION_FILE, kustomizeBundleFiles, objectFileNames } from './kustomize-bundle.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/topologies');

function plannedObjects(fixture: string): KubeObject[] {
  const outcome = plan(JSON.parse(readFileSync(join(FIXTURES, `${fixture}.json`), 'utf8')));
  if (!outcome.ok) {
    throw new Error(`${fixture} does not plan`);
  }
  return outcome.plan.manifests;
}

function object(kind: string, name: string, namespace?: string): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
}

describe(kustomizeBundleFiles.name, () => {
  it.each(['shop-aws', 'gateway-shop-gcp'])(
    '%s: a kustomization listing one file per object, in manifest order',
    (fixture) => {
      const objects = plannedObjects(fixture);

      const files = kustomizeBundleFiles(objects);

      const kustomizationFile = at(files, 0);
      expect(kustomizationFile.path).toBe(KUSTOMIZATION_FILE);
      const kustomization = load(kustomizationFile.content) as Record<string, unknown>;
      expect(kustomization).toEqual({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: files.slice(1).map((file) => file.path),
      });
      // Every object already names its namespace: no transformer that would move them.
      expect(kustomization).not.toHaveProperty('namespace');
      expect(objects.every((each) => each.metadata.namespace)).toBe(true);
      expect(files.slice(1).map((file) => load(file.content))).toEqual(objects);
      // The same documents as GET …/manifests, one per file.
      expect(
        files
          .slice(1)
          .map((file) => file.content)
          .join('---\n'),
      ).toBe(toYaml(objects));
    },
  );

  it('is the same files for the same objects', () => {
    const objects = plannedObjects('shop-aws');
    expect(kustomizeBundleFiles(structuredClone(objects))).toEqual(kustomizeBundleFiles(objects));
  });
});

describe(objectFileNames.name, () => {
  it.each([
    ['kind and name, lowercased', [object('Service', 'web', 'shop')], ['service-web.yaml']],
    [
      'a Service and a NetworkPolicy of the same name keep their plain names',
      [object('Service', 'web', 'shop'), object('NetworkPolicy', 'web', 'shop')],
      ['service-web.yaml', 'networkpolicy-web.yaml'],
    ],
    [
      'the same kind and name in two namespaces: both get their namespace',
      [object('Service', 'web', 'shop'), object('Service', 'web', 'blog'), object('Service', 'db', 'shop')],
      ['service-shop-web.yaml', 'service-blog-web.yaml', 'service-db.yaml'],
    ],
    [
      'the same kind, name and namespace (two API groups): a number, in manifest order',
      [object('Gateway', 'edge', 'shop'), object('Gateway', 'edge', 'shop')],
      ['gateway-shop-edge.yaml', 'gateway-shop-edge-2.yaml'],
    ],
    [
      'a namespaced name that another object already has as its plain name',
      [object('Service', 'a-b'), object('Service', 'b', 'a'), object('Service', 'b', 'c')],
      ['service-a-b.yaml', 'service-a-b-2.yaml', 'service-c-b.yaml'],
    ],
    [
      'characters a path must not hold',
      [object('ClusterRole', 'system:Read/All')],
      ['clusterrole-system-read-all.yaml'],
    ],
  ] as const)('%s', (_case, objects, expected) => {
    const names = objectFileNames([...objects]);
    expect(names).toEqual(expected);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain(KUSTOMIZATION_FILE);
  });
});
