import fc from 'fast-check';
import { dump, loadAll } from 'js-yaml';
import { fixtures } from '../../test/support/golden-fixtures.js';
import { generateTopology } from '../../test/support/generate-topology.js';
import { ADVERSARIAL_SHAPES, adversarialTopology } from '../../test/support/adversarial-topologies.js';
import { renderManifests } from './manifests.js';
import { plan } from './plan.js';
import {
  buildComponent,
  buildIngressPlan,
  buildStorefront,
  httpPort,
  topologyWith,
  buildRecommendation,
} from './testing/builders.js';
import { manifestInput } from './testing/arbitraries.js';
import type { KubeObject } from './types.js';
import { isPlainWord, toYaml } from './yaml.js';

/** What toYaml wrote before it wrote documents itself: js-yaml's dump of each object, joined by ---. */
function jsYaml(objects: unknown[]): string {
  return objects.map((object) => dump(object, { noRefs: true, lineWidth: -1, skipInvalid: true })).join('---\n');
}

function manifestsOf(input: unknown): KubeObject[] {
  const outcome = plan(input);
  if (!outcome.ok) {
    throw new Error(JSON.stringify(outcome.problems.slice(0, 3)));
  }
  return outcome.plan.manifests;
}

/** Strings a manifest may hold, from the harmless to the ones YAML must quote, escape or write over several lines. */
const trickyString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    'a b',
    'a: b',
    'a #b',
    'a:b',
    '- x',
    '-x',
    '? x',
    '[x]',
    '{x}',
    '*x',
    '&x',
    '!x',
    '%x',
    '@x',
    '`x',
    "'x'",
    '"x"',
    'true',
    'True',
    'on',
    'Off',
    'y',
    'N',
    'yes',
    'null',
    'Null',
    '~',
    '0',
    '010',
    '0x10',
    '0o7',
    '1e3',
    '1_000',
    '-1',
    '+1',
    '.5',
    '.inf',
    '.NaN',
    '2026-12-02',
    '10.0.0.0/8',
    '::/0',
    '<<',
    '=',
    '---',
    '...',
    'a\nb',
    'line\n',
    '\n\n',
    ' lead',
    'trail ',
    'tab\there',
    'caf\u00e9',
    '\u2028',
    'x'.repeat(1100),
    `x: ${'x'.repeat(1020)}`,
  ),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9._\/-]{0,12}$/),
);

const jsonLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    trickyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(trickyString, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 4 }),
  ),
})).value;

/** A small but complete plan: Ingress, LoadBalancer with annotations and ranges, headless, ExternalName, policies. */
function smallPlan(): KubeObject[] {
  const topology = topologyWith(
    [
      buildStorefront({ dependsOn: ['api'] }),
      buildComponent({ name: 'api', ports: [httpPort({ port: 80, targetPort: 3000 })], dependsOn: ['db', 'legacy'] }),
      buildComponent({
        name: 'db',
        role: 'database',
        workload: 'StatefulSet',
        replicas: 3,
        ports: [httpPort({ name: 'postgres', port: 5432, targetPort: 5432 })],
      }),
      buildComponent({
        name: 'mqtt',
        role: 'gateway',
        exposure: 'public',
        ports: [httpPort({ name: 'mqtt', port: 1883, targetPort: 1883, appProtocol: 'mqtt' })],
        allowedSources: ['203.0.113.0/24'],
        dependsOn: ['api'],
      }),
      buildComponent({ name: 'legacy', role: 'database', ports: [], externalName: 'legacy-db.corp.example.com' }),
    ],
    { platform: 'aws', ingressController: 'nginx' },
  );
  return renderManifests(
    topology,
    [
      buildRecommendation('web', { entryPoint: 'ingress' }),
      buildRecommendation('api'),
      buildRecommendation('db', { headless: true }),
      buildRecommendation('mqtt', {
        serviceType: 'LoadBalancer',
        entryPoint: 'load-balancer',
        scheme: 'internet-facing',
      }),
      buildRecommendation('legacy', { serviceType: 'ExternalName' }),
    ],
    buildIngressPlan(['web']),
  );
}

describe(toYaml.name, () => {
  it('matches the snapshot of a small topology', () => {
    expect(toYaml(smallPlan())).toMatchSnapshot();
  });

  it('writes one document per object, separated by ---', () => {
    const objects = smallPlan();
    const yaml = toYaml(objects);
    expect(yaml.split(/^---$/m)).toHaveLength(objects.length);
    expect(yaml.startsWith('apiVersion: v1\nkind: Service\n')).toBe(true);
    expect(yaml.endsWith('\n')).toBe(true);
  });

  it('round-trips: loading the YAML gives back the same objects', () => {
    const objects = smallPlan();
    expect(loadAll(toYaml(objects))).toEqual(objects);
  });

  it('is empty for no objects', () => {
    expect(toYaml([])).toBe('');
  });

  it('quotes strings a YAML 1.1 reader (kubectl) would turn into booleans or numbers', () => {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'x',
        annotations: { a: 'true', b: 'on', c: 'yes', d: '1e3', e: '0x10', f: '010', g: 'null', h: '~' },
      },
    };
    const yaml = toYaml([obj]);
    for (const value of ['true', 'on', 'yes', '1e3', '0x10', '010', 'null', '~']) {
      expect(yaml).toContain(`'${value}'`);
    }
    expect(loadAll(yaml)).toEqual([obj]);
  });

  it('never folds a long value onto several lines, and never writes anchors for shared objects', () => {
    const shared = { app: 'x' };
    const long = 'z'.repeat(300);
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x', labels: shared, annotations: { long } },
      spec: { selector: shared },
    };
    const yaml = toYaml([obj]);
    expect(yaml).toContain(`long: ${long}\n`);
    expect(yaml).not.toMatch(/[&*]ref/);
    expect(loadAll(yaml)).toEqual([obj]);
  });

  it('keeps the key order the objects were built in', () => {
    const lines = toYaml(smallPlan().slice(0, 1)).split('\n');
    expect(lines.slice(0, 4)).toEqual(['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web']);
  });

  it('property: any rendered plan round-trips', () => {
    fc.assert(
      fc.property(manifestInput, ({ topology, recommendations, ingress }) => {
        const objects = renderManifests(topology, recommendations, ingress);
        expect(loadAll(toYaml(objects))).toEqual(objects);
      }),
      { numRuns: 200 },
    );
  });

  describe('writes the bytes js-yaml writes', () => {
    it.each(fixtures)('golden fixture %s', (_name, input) => {
      const manifests = manifestsOf(input);
      expect(toYaml(manifests)).toBe(jsYaml(manifests));
    });

    it.each(ADVERSARIAL_SHAPES)('adversarial shape %s at 60 components', (shape) => {
      const manifests = manifestsOf(adversarialTopology(shape, 60));
      expect(toYaml(manifests)).toBe(jsYaml(manifests));
    });

    it.each(['aws', 'gcp', 'azure', 'digitalocean', 'k3s', 'bare-metal', 'minikube'] as const)(
      'generated topology on %s',
      (platform) => {
        const manifests = manifestsOf(generateTopology(40, platform));
        expect(toYaml(manifests)).toBe(jsYaml(manifests));
      },
    );

    it('property: any rendered plan', () => {
      fc.assert(
        fc.property(manifestInput, ({ topology, recommendations, ingress }) => {
          const objects = renderManifests(topology, recommendations, ingress);
          expect(toYaml(objects)).toBe(jsYaml(objects));
        }),
        { numRuns: 200 },
      );
    });

    it('property: any JSON-like document, with strings YAML must quote, escape or break, undefined values and empty collections', () => {
      fc.assert(
        fc.property(fc.array(fc.dictionary(trickyString, jsonLike, { maxKeys: 6 }), { maxLength: 3 }), (documents) => {
          const objects = documents as unknown as KubeObject[];
          expect(toYaml(objects)).toBe(jsYaml(objects));
        }),
        { numRuns: 500 },
      );
    });

    it('writes plain words as they are, as js-yaml does, and leaves every YAML 1.1 boolean or null word to js-yaml', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9._\/-]{0,8}$/), (word) => {
          const written = dump({ v: word }, { noRefs: true, lineWidth: -1, skipInvalid: true });
          expect(isPlainWord(word) ? written : `v: ${word}\n`).toBe(`v: ${word}\n`);
        }),
        { numRuns: 2_000 },
      );
      for (const word of ['y', 'Y', 'n', 'yes', 'No', 'ON', 'off', 'True', 'false', 'NULL']) {
        expect(isPlainWord(word)).toBe(false);
      }
    });
  });
});
