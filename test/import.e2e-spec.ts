import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { useTestApp, uniqueName } from './support/app.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const COMPOSE_DIR = join(import.meta.dirname, 'fixtures', 'compose');
const votingApp = readFileSync(join(COMPOSE_DIR, 'example-voting-app.yaml'), 'utf8');
const catalog = readFileSync(join(import.meta.dirname, 'fixtures', 'backstage', 'shop-catalog.yaml'), 'utf8');

describe('REST POST /v1/topologies/import?format=compose', () => {
  const t = useTestApp();

  const importYaml = (query: string, body: string, type = 'application/yaml') =>
    t.api().post(`/v1/topologies/import?${query}`).set('content-type', type).send(body);

  it('answers a topology POST /v1/plans accepts, and the notes, from a YAML Compose file', async () => {
    const name = uniqueName('voting');
    const res = await importYaml(`format=compose&platform=kind&name=${name}`, votingApp).expect(200);

    expect(res.body.topology).toMatchObject({ name, environment: { platform: 'kind' } });
    expect(res.body.topology.components.map((c: { name: string }) => c.name)).toEqual([
      'vote',
      'result',
      'worker',
      'redis',
      'db',
    ]);
    expect(res.body.notes).toContainEqual({ path: 'services.seed.profiles', message: expect.any(String) });
    await t.api().post('/v1/plans').send(res.body.topology).expect(201);
  });

  it.each(['application/x-yaml', 'text/yaml'])('takes %s too', async (type) => {
    await importYaml('format=compose&platform=aws', votingApp, type).expect(200);
  });

  it('takes the Compose file as JSON', async () => {
    const res = await t
      .api()
      .post('/v1/topologies/import?format=compose&platform=gcp')
      .send({ name: 'Shop_App', services: { web: { image: 'nginx', ports: ['80:80'] } } })
      .expect(200);
    expect(res.body.topology.name).toBe('shop-app');
    expect(res.body.topology.components).toEqual([
      expect.objectContaining({ name: 'web', role: 'frontend', exposure: 'public' }),
    ]);
  });

  it('with ?plan=true also plans it, as a dry run does, and stores nothing', async () => {
    const name = uniqueName('voting-plan');
    const res = await importYaml(`format=compose&platform=aws&plan=true&name=${name}`, votingApp).expect(200);
    expect(res.body).toMatchObject({ name, topology: { name }, notes: expect.any(Array) });
    expect(res.body.recommendations.map((r: { component: string }) => r.component)).toContain('vote');
    expect(res.body.manifests.length).toBeGreaterThan(0);
    expect(res.body.id).toBeUndefined();
    const list = await t.api().get('/v1/plans').query({ name }).expect(200);
    expect(list.body.totalCount).toBe(0);
  });

  it('a read-only key may import (nothing is stored)', async () => {
    const { key } = await t.createKey(['plans:read']);
    await t
      .apiAs(key)
      .post('/v1/topologies/import?format=compose&platform=aws')
      .set('content-type', 'application/yaml')
      .send(votingApp)
      .expect(200);
  });

  it('answers 400 listing every problem of the query together', async () => {
    const res = await importYaml('format=kompose&plan=yes', votingApp).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.errors.map((p: { path: string }) => p.path)).toEqual(['format', 'platform', 'plan']);
  });

  it('answers 400 with the path of every schema problem', async () => {
    const res = await importYaml(
      'format=compose&platform=aws',
      'services:\n  web:\n    image: 42\n    ports: ["80:80:80:80"]\n',
    ).expect(400);
    expect(res.body.errors.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining(['services.web.image', 'services.web.ports[0]']),
    );
  });

  it('answers 400 for YAML it cannot parse, and for a document that aliases its way to billions of values', async () => {
    const broken = await importYaml('format=compose&platform=aws', 'services: [unclosed').expect(400);
    expect(broken.body.errors[0].message).toMatch(/not valid YAML/);

    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) {
      levels.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(', ')}]`,
      );
    }
    const bomb = await importYaml('format=compose&platform=aws', `${levels.join('\n')}\nservices: {}\n`).expect(400);
    expect(bomb.body.errors[0].message).toMatch(/aliases|expands/);
  });

  it('says that several documents (merged files) are out of scope', async () => {
    const res = await importYaml('format=compose&platform=aws', `${votingApp}\n---\n${votingApp}`).expect(400);
    expect(res.body.errors[0].message).toMatch(/out of scope/);
  });

  it('answers 415 for a body that is neither YAML nor JSON, and keeps YAML away from other routes', async () => {
    const refused = await importYaml('format=compose&platform=aws', votingApp, 'text/plain').expect(415);
    // The import's 415 names what the import takes: YAML first.
    expect(refused.body.detail).toMatch(
      /send application\/yaml or application\/x-yaml or text\/yaml or application\/json\.$/,
    );
    // A form (curl --data-binary without a Content-Type) is refused there too.
    await importYaml('format=compose&platform=aws', votingApp, 'application/x-www-form-urlencoded').expect(415);
    const res = await t.api().post('/v1/plans').set('content-type', 'application/yaml').send('name: shop').expect(415);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
  });
});

describe('Backstage: POST /v1/topologies/import?format=backstage and GET /v1/plans/:id/backstage', () => {
  const t = useTestApp();

  it('imports a multi-document catalog-info.yaml, plans it, and answers what the entity needs to show the plan', async () => {
    const name = uniqueName('shop');
    const imported = await t
      .api()
      .post(`/v1/topologies/import?format=backstage&platform=aws&name=${name}`)
      .set('content-type', 'application/yaml')
      .send(catalog)
      .expect(200);
    expect(imported.body.topology.components.map((c: { name: string }) => c.name)).toEqual([
      'storefront',
      'orders',
      'payments-worker',
      'orders-db',
      'orders-cache',
    ]);
    expect(imported.body.notes).toContainEqual({
      path: 'resource:receipts-bucket',
      message: expect.stringContaining('not run in the cluster'),
    });

    const stored = await t.api().post('/v1/plans').send(imported.body.topology).expect(201);
    const view = await t.api().get(`/v1/plans/${stored.body.id}/backstage`).expect(200);
    expect(view.body.annotations).toEqual({
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': 'default',
      'backstage.io/kubernetes-label-selector': `app.kubernetes.io/part-of=${name}`,
      'exposure-planner.io/plan-id': stored.body.id,
    });
    const base = `http://${new URL(await t.app.getUrl()).host}`;
    expect(view.body.links[0]).toEqual({
      url: `${base}/v1/plans/${stored.body.id}`,
      title: 'Exposure plan',
      icon: 'dashboard',
    });
    // The links work as given.
    await t.api().get(new URL(view.body.links[1].url).pathname).expect(200);
    expect(view.body.summary).toMatchObject({
      revision: 1,
      monthlyCost: { amount: stored.body.cost.monthlyTotal, currency: 'USD' },
      findings: stored.body.findings.length,
    });
    // Every object the plan renders carries the label the selector names.
    for (const object of stored.body.manifests as { metadata: { labels?: Record<string, string> } }[]) {
      expect(object.metadata.labels?.['app.kubernetes.io/part-of']).toBe(name);
    }
  });

  it('imports again the catalog with the view merged in, as docs/backstage.md shows: the same topology', async () => {
    const name = uniqueName('shop');
    const importEntities = (entities: object) =>
      t.api().post(`/v1/topologies/import?format=backstage&platform=aws&name=${name}`).send(entities);
    const entities = loadAll(catalog) as { metadata: { name: string; annotations?: Record<string, string> } }[];
    const first = await importEntities(entities).expect(200);
    const stored = await t.api().post('/v1/plans').send(first.body.topology).expect(201);
    const view = await t.api().get(`/v1/plans/${stored.body.id}/backstage`).expect(200);

    const storefront = entities.find((entity) => entity.metadata.name === 'storefront');
    expect(storefront).toBeDefined();
    storefront!.metadata.annotations = { ...storefront!.metadata.annotations, ...view.body.annotations };
    const again = await importEntities(entities).expect(200);
    expect(again.body.topology).toEqual(first.body.topology);
  });

  it('takes entities as a JSON array too', async () => {
    await t
      .api()
      .post('/v1/topologies/import?format=backstage&platform=gcp')
      .send([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'web' },
          spec: { type: 'website' },
        },
      ])
      .expect(200);
  });

  it('answers 400 with the path of each entity problem', async () => {
    const res = await t
      .api()
      .post('/v1/topologies/import?format=backstage&platform=aws')
      .set('content-type', 'application/yaml')
      .send('apiVersion: v1\nkind: Component\nmetadata: {}\n')
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['[0].apiVersion', '[0].metadata.name']),
    );
  });
});
