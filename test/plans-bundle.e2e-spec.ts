import { load } from 'js-yaml';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, useTestApp, uniqueName } from './support/app.js';
import { at } from '../src/common/at.js';
import { untar as untarEntries } from '../src/plans/testing/untar.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';

type Entry = { name: string; mode: number | undefined; mtime: Date | undefined; content: string };

/** Each entry's name, mode, time and text, in archive order. */
async function untar(archive: Buffer): Promise<Entry[]> {
  return (await untarEntries(archive)).map(({ header: { name, mode, mtime }, content }) => ({
    name,
    mode,
    mtime,
    content,
  }));
}

describe('GET /v1/plans/:id/manifests?format=kustomize', () => {
  const t = useTestApp();

  const create = async (fixture: string): Promise<StoredPlan> =>
    (
      await t
        .api()
        .post('/v1/plans')
        .send(fixtureTopology(fixture, uniqueName(fixture)))
        .expect(201)
    ).body as StoredPlan;

  const bundle = (id: string) =>
    t.api().get(`/v1/plans/${id}/manifests?format=kustomize`).responseType('blob').expect(200);

  it('answers a .tar.gz: kustomization.yaml listing exactly the files, one per object in manifest order', async () => {
    const plan = await create('gateway-shop-gcp');

    const response = await bundle(plan.id);

    expect(response.headers['content-type']).toBe('application/gzip');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${plan.name}-r1.tar.gz"`);
    const entries = await untar(response.body as Buffer);
    const kustomizationFile = at(entries, 0);
    const objectFiles = entries.slice(1);
    expect(kustomizationFile.name).toBe('kustomization.yaml');
    expect(load(kustomizationFile.content)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: objectFiles.map((file) => file.name),
    });
    expect(objectFiles.map((file) => load(file.content))).toEqual(plan.manifests);
    expect(objectFiles.map((file) => file.name)).toEqual(
      plan.manifests.map((object) => `${object.kind}-${object.metadata.name}.yaml`.toLowerCase()),
    );
    for (const entry of entries) {
      expect(entry.mode).toBe(0o644);
      // The revision's time, to the second a tar header holds.
      expect(entry.mtime?.getTime()).toBe(Math.floor(Date.parse(plan.createdAt) / 1000) * 1000);
    }
  });

  it('gives the same bytes for the same revision, and names the new revision after a PUT', async () => {
    const plan = await create('shop-aws');

    const first = await bundle(plan.id);
    const second = await bundle(plan.id);
    expect(Buffer.compare(first.body as Buffer, second.body as Buffer)).toBe(0);

    const revised = (
      await t.api().put(`/v1/plans/${plan.id}`).send(fixtureTopology('demo-minikube', plan.name)).expect(200)
    ).body as StoredPlan;
    const afterRevision = await bundle(plan.id);
    expect(afterRevision.headers['content-disposition']).toBe(`attachment; filename="${plan.name}-r2.tar.gz"`);
    const objectFiles = (await untar(afterRevision.body as Buffer)).slice(1);
    expect(objectFiles.map((file) => load(file.content))).toEqual(revised.manifests);
  });

  it('?format=json and ?format=yaml win over Accept', async () => {
    const plan = await create('demo-minikube');

    const json = await t.api().get(`/v1/plans/${plan.id}/manifests?format=json`).set('accept', 'application/yaml');
    const yaml = await t.api().get(`/v1/plans/${plan.id}/manifests?format=yaml`).set('accept', 'application/json');

    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual(plan.manifests);
    expect(yaml.status).toBe(200);
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
  });

  it.each(['zip', 'Kustomize', ''])('answers 400 naming every format for ?format=%j', async (format) => {
    const plan = await create('demo-minikube');

    const response = await t.api().get(`/v1/plans/${plan.id}/manifests?format=${format}`).expect(400);

    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.errors).toEqual([{ path: 'format', message: 'must be one of yaml, json, kustomize' }]);
  });

  it('answers 404 for an unknown plan', async () => {
    await t.api().get(`/v1/plans/${UNKNOWN_ID}/manifests?format=kustomize`).expect(404);
  });
});
