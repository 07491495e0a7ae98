import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { plan } from '../../planner/plan.js';
import { componentName, importCompose } from './compose-import.js';

const CORPUS_DIR = join(import.meta.dirname, '../../../test/fixtures/compose');
const corpus = readdirSync(CORPUS_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .map((file) => [file.replace(/\.yaml$/, ''), yaml.load(readFileSync(join(CORPUS_DIR, file), 'utf8'))] as const);

function imported(document: unknown, platform = 'aws', name = 'shop') {
  const result = importCompose(document, { platform, name });
  if (!result.ok) {
    throw new Error(`expected an import, got ${JSON.stringify(result.problems)}`);
  }
  return result;
}

function problemsOf(document: unknown, platform = 'aws') {
  const result = importCompose(document, { platform, name: 'shop' });
  if (result.ok) {
    throw new Error('expected problems');
  }
  return result.problems;
}

function component(document: unknown, name: string) {
  const found = imported(document).topology.components.find((c) => c.name === name);
  if (found === undefined) {
    throw new Error(`no component ${name}`);
  }
  return found;
}

describe('importCompose on real Compose files', () => {
  it('reads every file of the corpus', () => {
    expect(corpus.length).toBe(7);
  });

  it.each(corpus)('%s: a topology the planner accepts, with its notes (golden)', async (name, document) => {
    const result = imported(document, 'aws', name);
    const planned = plan(result.topology);
    expect(planned.ok).toBe(true);
    await expect(
      `${JSON.stringify({ topology: result.topology, notes: result.notes }, null, 2)}\n`,
    ).toMatchFileSnapshot(join(CORPUS_DIR, 'imported', `${name}.json`));
  });

  it('infers the port of a data store other services depend on but that names none (voting app: redis, db)', () => {
    const document = corpus.find(([name]) => name === 'example-voting-app')?.[1];
    expect(component(document, 'redis')).toMatchObject({ role: 'cache', ports: [{ port: 6379 }] });
    expect(component(document, 'db')).toMatchObject({
      role: 'database',
      workload: 'StatefulSet',
      ports: [{ port: 5432 }],
    });
  });

  it('leaves out a service that runs only with a profile, and says so', () => {
    const document = corpus.find(([name]) => name === 'example-voting-app')?.[1];
    const result = imported(document);
    expect(result.topology.components.map((c) => c.name)).not.toContain('seed');
    expect(result.notes).toContainEqual(expect.objectContaining({ path: 'services.seed.profiles' }));
  });

  it('keeps a port bound to 127.0.0.1 in the cluster (voting app: result 127.0.0.1:9229)', () => {
    const document = corpus.find(([name]) => name === 'example-voting-app')?.[1];
    expect(component(document, 'result').ports).toContainEqual(
      expect.objectContaining({ port: 9229, exposure: 'internal' }),
    );
  });

  it('reads the port a backend listens on from the address another service calls (flask: backend:9091)', () => {
    const document = corpus.find(([name]) => name === 'nginx-flask-mongo')?.[1];
    expect(component(document, 'backend').ports).toEqual([{ port: 9091 }]);
  });

  it('notes that a called service with no known port gets no Service (golang backend)', () => {
    const document = corpus.find(([name]) => name === 'nginx-golang-postgres')?.[1];
    const result = imported(document);
    expect(result.notes).toContainEqual({
      path: 'services.backend',
      message: expect.stringContaining('it gets no Service, so proxy cannot reach it'),
    });
  });

  it('keeps published backends and data stores internal (aks-store: only store-front is public)', () => {
    const document = corpus.find(([name]) => name === 'aks-store-demo-quickstart')?.[1];
    const exposures = Object.fromEntries(imported(document).topology.components.map((c) => [c.name, c.exposure]));
    expect(exposures).toEqual({
      rabbitmq: 'internal',
      'order-service': 'internal',
      'product-service': 'internal',
      'store-front': 'public',
    });
  });
});

describe('importCompose ports', () => {
  const services = (service: unknown) => ({ services: { web: service } });

  it('reads short syntax: host port, host address, ranges and /udp', () => {
    const web = component(
      services({ image: 'example/web', ports: ['8080:80', '127.0.0.1:9000:9000', '6000-6001:6000-6001', '53:53/udp'] }),
      'web',
    );
    expect(web.ports).toEqual([
      { port: 80, name: 'http' },
      { port: 9000, name: 'tcp-9000', exposure: 'internal' },
      { port: 6000, name: 'tcp-6000' },
      { port: 6001, name: 'tcp-6001' },
      { port: 53, name: 'udp-53', protocol: 'UDP' },
    ]);
  });

  it('reads long syntax with its name and app_protocol', () => {
    const web = component(
      services({
        image: 'example/web',
        ports: [{ target: 8443, published: '443', name: 'web', app_protocol: 'https' }],
      }),
      'web',
    );
    expect(web.ports).toEqual([{ port: 8443, name: 'web', appProtocol: 'https' }]);
  });

  it('makes expose-only ports internal beside published ones', () => {
    const web = component(services({ image: 'example/web', ports: ['80:80'], expose: ['9100'] }), 'web');
    expect(web.ports).toContainEqual(expect.objectContaining({ port: 9100, exposure: 'internal' }));
  });

  it('keeps a debugger port in the cluster even when published', () => {
    const web = component(services({ image: 'example/web', ports: ['3000:3000', '9229:9229'] }), 'web');
    expect(web.ports).toContainEqual(expect.objectContaining({ port: 9229, exposure: 'internal' }));
    expect(web.exposure).toBe('public');
  });

  it('refuses a port it cannot read, with its path', () => {
    expect(problemsOf(services({ image: 'x', ports: ['80:80:80:80'] }))).toContainEqual({
      path: 'services.web.ports[0]',
      message: expect.stringContaining('is not a Compose port'),
    });
  });
});

describe('importCompose names, roles and overrides', () => {
  it('turns service names into DNS-1035 labels, and notes it', () => {
    expect(componentName('plausible_db')).toBe('plausible-db');
    expect(componentName('2fa')).toBe('s-2fa');
    expect(componentName('Web.App')).toBe('web-app');
    const result = imported({
      services: {
        plausible_db: { image: 'postgres:16' },
        web: { image: 'x', ports: ['80'], depends_on: ['plausible_db'] },
      },
    });
    expect(result.topology.components.map((c) => c.name)).toEqual(['plausible-db', 'web']);
    expect(result.topology.components[1]?.dependsOn).toEqual(['plausible-db']);
    expect(result.notes).toContainEqual({
      path: 'services.plausible_db',
      message: expect.stringContaining('plausible-db'),
    });
  });

  it('reads depends_on in its long form', () => {
    const web = component(
      {
        services: {
          db: { image: 'postgres' },
          web: { image: 'x', depends_on: { db: { condition: 'service_healthy' } } },
        },
      },
      'web',
    );
    expect(web.dependsOn).toEqual(['db']);
  });

  it('lets x-exposure-planner and exposure-planner.io labels override what was inferred', () => {
    const result = imported({
      services: {
        api: {
          image: 'x',
          ports: ['8080'],
          'x-exposure-planner': { exposure: 'private', role: 'api', host: 'api.example.com', tls: true, path: '/v1' },
        },
        db: { image: 'postgres', labels: ['exposure-planner.io/exposure=private'], ports: ['5432:5432'] },
      },
    });
    expect(result.topology.components[0]).toMatchObject({
      exposure: 'private',
      role: 'api',
      host: 'api.example.com',
      tls: true,
      path: '/v1',
    });
    expect(result.topology.components[1]).toMatchObject({ exposure: 'private' });
  });

  it('lists every bad override with its path', () => {
    const problems = problemsOf({
      services: {
        api: { image: 'x', ports: ['80'], 'x-exposure-planner': { exposure: 'everywhere', colour: 'red', tls: 'yes' } },
      },
    });
    expect(problems.map((p) => p.path)).toEqual([
      'services.api.x-exposure-planner.exposure',
      'services.api.x-exposure-planner.colour',
      'services.api.x-exposure-planner.tls',
    ]);
  });

  it('answers the planner validation problems of what the overrides made', () => {
    const problems = problemsOf({
      services: { api: { image: 'x', ports: ['80'], 'x-exposure-planner': { host: 'not a host' } } },
    });
    expect(problems[0]?.path).toMatch(/^topology\.components\[0\]\.host/);
  });
});

describe('importCompose reads current Compose files', () => {
  it('accepts what the specification added after the bundled schema was written', () => {
    const result = imported({
      name: 'modern',
      services: {
        db: { image: 'postgres:17', env_file: [{ path: '.env', required: false }], gpus: 'all' },
        web: {
          build: { context: '.', additional_contexts: { shared: '../shared' } },
          develop: { watch: [{ action: 'sync', path: './src', target: '/app/src' }] },
          ports: [{ target: 8080, published: '80', name: 'web', app_protocol: 'http' }],
          depends_on: { db: { condition: 'service_healthy', restart: true, required: true } },
        },
      },
    });
    expect(result.topology.components.find((c) => c.name === 'web')).toMatchObject({
      ports: [{ port: 8080, name: 'web', appProtocol: 'http' }],
      dependsOn: ['db'],
    });
  });

  it('takes the topology name from the file when none is given', () => {
    const result = importCompose({ name: 'My_Shop', services: { web: { image: 'nginx' } } }, { platform: 'kind' });
    expect(result.ok && result.topology.name).toBe('my-shop');
  });
});

describe('importCompose refuses what it cannot read', () => {
  it('lists every schema problem with its path', () => {
    const problems = problemsOf({ services: { web: { image: 42, restart: 'sometimes', bogus: true } } });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'services.web',
          message: expect.stringContaining('"bogus" is not a Compose key'),
        }),
        expect.objectContaining({ path: 'services.web.image' }),
      ]),
    );
  });

  it('says that include and extends are out of scope', () => {
    const problems = problemsOf({
      include: ['other.yaml'],
      services: { web: { image: 'x', extends: { service: 'base' } } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'include', message: expect.stringContaining('out of scope') }),
        expect.objectContaining({ path: 'services.web.extends', message: expect.stringContaining('out of scope') }),
      ]),
    );
  });

  it('refuses a document that is not a mapping, and a missing platform', () => {
    expect(problemsOf('services: nope')).toEqual([{ path: '', message: expect.stringContaining('mapping') }]);
    expect(importCompose({ services: { web: { image: 'x' } } }, { platform: undefined })).toEqual({
      ok: false,
      problems: [{ path: 'platform', message: expect.stringContaining('platform is required') }],
    });
  });

  it('refuses depends_on naming a service the file does not have', () => {
    expect(problemsOf({ services: { web: { image: 'x', depends_on: ['ghost'] } } })).toContainEqual({
      path: 'services.web.depends_on',
      message: expect.stringContaining('"ghost" is not a service'),
    });
  });
});
