import fc from 'fast-check';
import { loadAll } from 'js-yaml';
import { renderManifests } from './manifests.js';
import { buildRecommendation } from './testing/builders.js';
import {
  buildComponent,
  buildIngressPlan,
  buildPort,
  buildTopology,
  manifestInput,
} from './testing/manifest-builders.js';
import type { KubeObject } from './types.js';
import { toYaml } from './yaml.js';

/** A small but complete plan: Ingress, LoadBalancer with annotations and ranges, headless, ExternalName, policies. */
function smallPlan(): KubeObject[] {
  const topology = buildTopology(
    [
      buildComponent({
        name: 'web',
        role: 'frontend',
        exposure: 'public',
        host: 'shop.example.com',
        tls: true,
        dependsOn: ['api'],
      }),
      buildComponent({ name: 'api', ports: [buildPort({ port: 80, targetPort: 3000 })], dependsOn: ['db', 'legacy'] }),
      buildComponent({
        name: 'db',
        role: 'database',
        workload: 'StatefulSet',
        replicas: 3,
        ports: [buildPort({ name: 'postgres', port: 5432, targetPort: 5432 })],
      }),
      buildComponent({
        name: 'mqtt',
        role: 'gateway',
        exposure: 'public',
        ports: [buildPort({ name: 'mqtt', port: 1883, targetPort: 1883, appProtocol: 'mqtt' })],
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
});
