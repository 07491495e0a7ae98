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

type Manifest = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };

/** The container ports the plan puts outside the cluster: on a LoadBalancer or NodePort Service, or behind an Ingress or route. */
function portsReachableFromOutside(document: unknown): number[] {
  const result = imported(document);
  const planned = plan(result.topology);
  if (!planned.ok) {
    throw new Error(`expected a plan, got ${JSON.stringify(planned)}`);
  }
  const manifests = planned.plan.manifests as unknown as Manifest[];
  const services = new Map(manifests.filter((m) => m.kind === 'Service').map((m) => [m.metadata.name, m]));
  const servicePorts = (service: Manifest | undefined) =>
    ((service?.spec?.ports ?? []) as { port: number; targetPort?: number | string; name?: string }[]).map((p) => ({
      ...p,
      target: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    }));
  const reachable: number[] = [];
  for (const manifest of manifests) {
    if (manifest.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes(String(manifest.spec?.type))) {
      reachable.push(...servicePorts(manifest).map((p) => p.target));
    }
    // An Ingress or a route names a Service and one of its ports, by number or name.
    const backends = JSON.stringify(manifest.spec ?? {}).matchAll(
      /"(?:service|backendRefs?)":\{?\[?\{?"name":"([^"]+)","port":(?:\{"(?:number|name)":)?"?([^"},]+)/g,
    );
    if (['Ingress', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'].includes(manifest.kind)) {
      for (const [, name, port] of backends) {
        const match = servicePorts(services.get(name ?? '')).find((p) => String(p.port) === port || p.name === port);
        reachable.push(match?.target ?? Number(port));
      }
    }
  }
  return reachable;
}

describe('importCompose: a port kept in the cluster is kept in the plan too', () => {
  const api = (service: Record<string, unknown>) => ({ services: { api: { image: 'example/api', ...service } } });

  it.each([
    ['a loopback port beside a debugger', { ports: ['127.0.0.1:3000:3000', '9229:9229'] }],
    ['a loopback port beside a metrics port', { ports: ['127.0.0.1:8080:8080', '9090:9090'] }],
    ['an expose-only port beside a metrics port', { ports: ['9090:9090'], expose: ['8080'] }],
    ['only a debugger', { ports: ['9229:9229'] }],
  ])('%s: the component is internal, the notes say why, nothing is on a load balancer or route', (_, service) => {
    const result = imported(api(service));
    const [component] = result.topology.components;
    expect(component?.exposure).toBe('internal');
    expect(result.notes).toContainEqual({
      path: 'services.api',
      message: expect.stringMatching(/^internal although Compose publishes .*none of its ports carries its traffic/),
    });
    expect(result.notes.map((note) => note.message).join('\n')).not.toMatch(/^public/m);
    expect(portsReachableFromOutside(api(service))).toEqual([]);
  });

  it('a loopback-only service is internal, and its host-port note does not promise an entry point', () => {
    const result = imported(api({ ports: ['127.0.0.1:8081:3000'] }));
    expect(result.topology.components[0]?.exposure).toBe('internal');
    expect(result.notes).toEqual(
      expect.arrayContaining([
        { path: 'services.api', message: expect.stringContaining('on 127.0.0.1 only, which the host alone reaches') },
        {
          path: 'services.api.ports[0]',
          message: expect.stringContaining('which has no counterpart here: the port stays in the cluster'),
        },
      ]),
    );
    expect(result.notes.map((note) => note.message).join('\n')).not.toContain('through the entry point');
  });

  it('beside a port that carries traffic, the loopback, expose and debugger ports keep exposure internal', () => {
    const document = api({ ports: ['8080:8080', '127.0.0.1:3000:3000', '9229:9229'], expose: ['7000'] });
    const component = imported(document).topology.components[0];
    expect(component?.exposure).toBe('public');
    expect(component?.ports).toEqual([
      { port: 8080, name: 'http' },
      { port: 3000, name: 'tcp-3000', exposure: 'internal' },
      { port: 9229, name: 'tcp-9229', exposure: 'internal' },
      { port: 7000, name: 'tcp-7000', exposure: 'internal' },
    ]);
    const reachable = portsReachableFromOutside(document);
    expect(reachable).toContain(8080);
    expect(reachable).not.toEqual(expect.arrayContaining([3000]));
    expect(reachable).not.toEqual(expect.arrayContaining([9229]));
    expect(reachable).not.toEqual(expect.arrayContaining([7000]));
  });

  it('the same behind the shared entry point: the route carries 8080 alone', () => {
    const document = api({
      ports: ['8080:8080', '127.0.0.1:3000:3000'],
      'x-exposure-planner': { host: 'api.example.com', tls: true },
    });
    expect(portsReachableFromOutside(document)).toEqual([8080]);
  });

  it('an override publishes what would stay in, and the notes say so instead of "kept in the cluster"', () => {
    const result = imported(api({ ports: ['127.0.0.1:3000:3000'], 'x-exposure-planner': { exposure: 'public' } }));
    expect(result.topology.components[0]).toMatchObject({ exposure: 'public', ports: [{ port: 3000 }] });
    expect(result.topology.components[0]?.ports?.[0]).not.toHaveProperty('exposure');
    expect(result.notes).toContainEqual({
      path: 'services.api',
      message: expect.stringContaining('public as x-exposure-planner.exposure says'),
    });
    expect(result.notes.map((note) => note.message).join('\n')).not.toContain('kept in the cluster');
  });
});

describe('importCompose: data stores beyond the well-known images', () => {
  const one = (service: Record<string, unknown>) => imported({ services: { store: service } });

  it.each([
    ['timescale/timescaledb:latest-pg16', ['5432:5432'], 'database'],
    ['redis/redis-stack:latest', ['6379:6379', '8001:8001'], 'cache'],
    ['neo4j:5', ['7474:7474', '7687:7687'], 'database'],
    ['cassandra:5', ['9042:9042'], 'database'],
    ['couchdb:3', ['5984:5984'], 'database'],
    ['influxdb:2', ['8086:8086'], 'database'],
    ['minio/minio', ['9000:9000', '9001:9001'], 'database'],
    ['zookeeper:3.9', ['2181:2181'], 'database'],
    ['redpandadata/redpanda:v24.1.1', ['9092:9092'], 'queue'],
    ['mcr.microsoft.com/mssql/server:2022-latest', ['1433:1433'], 'database'],
    ['bitnami/redis-cluster:7.2', ['6379:6379'], 'cache'],
    ['percona/percona-server-mongodb:7.0', ['27017:27017'], 'database'],
    ['example/store', ['15432:5432'], 'database'],
  ])('%s published: a %s kept internal, with how to publish it', (image, ports, role) => {
    const result = one({ image, ports });
    expect(result.topology.components[0]).toMatchObject({ role, exposure: 'internal' });
    expect(result.notes).toContainEqual({
      path: 'services.store',
      message: expect.stringContaining('Set x-exposure-planner.exposure: public (or private) to publish it'),
    });
  });

  it('a build: postgres publishing 5432 is a database, by its port', () => {
    const result = one({ build: './db', ports: ['5432:5432'] });
    expect(result.topology.components[0]).toMatchObject({ role: 'database', exposure: 'internal' });
    expect(result.notes).toContainEqual({
      path: 'services.store.ports[0]',
      message: "role database: it listens on 5432, PostgreSQL's port",
    });
  });

  it.each([
    ['prometheuscommunity/postgres-exporter', '9187:9187'],
    ['mongo-express', '8081:8081'],
    ['rediscommander/redis-commander', '8081:8081'],
    ['provectuslabs/kafka-ui', '8080:8080'],
    ['confluentinc/cp-kafka-connect', '8083:8083'],
    ['dpage/pgadmin4', '5050:80'],
  ])('a tool around a data store (%s) is not one', (image, port) => {
    const component = one({ image, ports: [port] }).topology.components[0];
    expect(component?.role).not.toMatch(/^(database|cache|queue)$/);
  });
});

describe('importCompose: network_mode', () => {
  it('host: noted, the pod gets a network of its own and stays internal', () => {
    const result = imported({
      services: { agent: { image: 'example/agent', network_mode: 'host', expose: ['8080'] } },
    });
    expect(result.topology.components[0]).toMatchObject({ exposure: 'internal', ports: [{ port: 8080 }] });
    expect(result.notes).toContainEqual({
      path: 'services.agent.network_mode',
      message: expect.stringContaining('no hostNetwork'),
    });
  });

  it('host with ports: refused, as the specification says they must not be combined', () => {
    expect(
      problemsOf({ services: { agent: { image: 'example/agent', network_mode: 'host', ports: ['8080:8080'] } } }),
    ).toContainEqual({
      path: 'services.agent.ports',
      message: expect.stringContaining('must not be used with network_mode: host'),
    });
  });

  it('service:vpn: noted, naming the component that carries the published ports', () => {
    const result = imported({
      services: {
        vpn: { image: 'qmcgaw/gluetun', ports: ['8080:8080'] },
        torrent: { image: 'example/torrent', network_mode: 'service:vpn' },
      },
    });
    expect(result.notes).toContainEqual({
      path: 'services.torrent.network_mode',
      message: expect.stringMatching(/shares vpn's network stack.*those vpn publishes \(8080\).*vpn keeps the ports/),
    });
  });

  it('service: naming no service is refused', () => {
    expect(problemsOf({ services: { torrent: { image: 'x', network_mode: 'service:ghost' } } })).toContainEqual({
      path: 'services.torrent.network_mode',
      message: expect.stringContaining('"ghost" is not another service'),
    });
  });
});

describe('importCompose: settings the topology does not carry', () => {
  const one = (service: Record<string, unknown>) => imported({ services: { web: { image: 'x', ...service } } });

  it('reads scale as replicas, and refuses it when deploy.replicas differs', () => {
    expect(one({ scale: 3 }).topology.components[0]?.replicas).toBe(3);
    expect(problemsOf({ services: { web: { image: 'x', scale: 3, deploy: { replicas: 2 } } } })).toContainEqual({
      path: 'services.web.scale',
      message: expect.stringContaining('must be consistent'),
    });
  });

  it('notes replicas 0, job modes, healthcheck and a port in mode host', () => {
    const notes = (service: Record<string, unknown>) => one(service).notes.map((note) => note.path);
    expect(notes({ ports: ['80:80'], deploy: { replicas: 0 } })).toContain('services.web.deploy.replicas');
    expect(notes({ scale: 0 })).toContain('services.web.scale');
    expect(notes({ deploy: { mode: 'replicated-job' } })).toContain('services.web.deploy.mode');
    expect(notes({ deploy: { mode: 'global-job' } })).toContain('services.web.deploy.mode');
    expect(notes({ healthcheck: { test: ['CMD', 'true'] } })).toContain('services.web.healthcheck');
    expect(notes({ healthcheck: { disable: true } })).not.toContain('services.web.healthcheck');
    expect(notes({ ports: [{ target: 80, published: 80, mode: 'host' }] })).toContain('services.web.ports[0].mode');
  });
});
