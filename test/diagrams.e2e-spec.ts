import type { Response } from 'superagent';
import type supertest from 'supertest';
import {
  renderPlanDiagramMermaid,
  renderPlanDiagramSvg,
  renderPlanDiffDiagramMermaid,
  renderPlanDiffDiagramSvg,
} from '../src/diagrams/index.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { fixtureTopology, startTestApp, uniqueName, type TestApp, type TestKey } from './support/app.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';
const SVG_TYPE = 'image/svg+xml; charset=utf-8';
const MERMAID_TYPE = 'text/vnd.mermaid; charset=utf-8';

/** The body as text, whatever its type (superagent buffers image/svg+xml as binary otherwise). */
function asText(request: supertest.Test): supertest.Test {
  return request.buffer(true).parse((response, done) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => done(null, text));
  });
}

function body(response: Response): string {
  return response.body as string;
}

/** shop-aws with api kept in-cluster and a broker on a load balancer of its own: edges leave and arrive. */
function changedShop(name: string): Record<string, unknown> {
  const topology = fixtureTopology('shop-aws', name) as { components: Record<string, unknown>[] };
  const components = topology.components.map((component) => {
    if (component.name !== 'api') {
      return component;
    }
    const api: Record<string, unknown> = { ...component, exposure: 'internal' };
    delete api.host;
    delete api.tls;
    return api;
  });
  components.push({ name: 'broker', role: 'api', ports: [{ name: 'mqtt', port: 1883 }], exposure: 'public' });
  return { ...topology, components };
}

describe('plan diagrams (e2e)', () => {
  let t: TestApp;
  let first: StoredPlan;
  let second: StoredPlan;
  let reader: TestKey;
  let writer: TestKey;
  let otherTeam: TestKey;

  beforeAll(async () => {
    t = await startTestApp();
    const name = uniqueName('shop');
    first = (await t.api().post('/v1/plans').send(fixtureTopology('shop-aws', name)).expect(201)).body as StoredPlan;
    second = (await t.api().put(`/v1/plans/${first.id}`).send(changedShop(name)).expect(200)).body as StoredPlan;
    reader = await t.createKey(['plans:read']);
    writer = await t.createKey(['plans:write']);
    otherTeam = await t.createKey(['plans:read'], uniqueName('team'));
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('GET /v1/plans/:id/diagram.svg and .mmd', () => {
    it('draws the latest revision as accessible SVG, the bytes the module renders for the stored plan', async () => {
      const response = await asText(t.apiAs(reader.key).get(`/v1/plans/${first.id}/diagram.svg`)).expect(200);
      expect(response.headers['content-type']).toBe(SVG_TYPE);
      expect(body(response)).toBe(await renderPlanDiagramSvg(second));
      expect(body(response)).toMatch(/^<svg [^>]*role="img" aria-label="[^"]*\(revision 2\)/);
      expect(body(response)).toContain('Load balancer for broker');
    });

    it('writes the latest revision as Mermaid text', async () => {
      const response = await asText(t.apiAs(reader.key).get(`/v1/plans/${first.id}/diagram.mmd`)).expect(200);
      expect(response.headers['content-type']).toBe(MERMAID_TYPE);
      expect(body(response)).toBe(renderPlanDiagramMermaid(second));
      expect(body(response).startsWith('flowchart LR\n')).toBe(true);
    });

    it('draws an earlier revision with ?revision=N', async () => {
      const svg = await asText(t.api().get(`/v1/plans/${first.id}/diagram.svg?revision=1`)).expect(200);
      expect(body(svg)).toBe(await renderPlanDiagramSvg(first));
      expect(body(svg)).not.toContain('broker');
      const mermaid = await asText(t.api().get(`/v1/plans/${first.id}/diagram.mmd?revision=1`)).expect(200);
      expect(body(mermaid)).toBe(renderPlanDiagramMermaid(first));
    });

    it('answers a revision the plan does not have with a 404, and a bad number with a 400 naming it', async () => {
      const missing = await t.api().get(`/v1/plans/${first.id}/diagram.svg?revision=3`).expect(404);
      expect(missing.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(missing.body.detail).toContain('Revision 3');
      for (const bad of ['0', 'two', '-1', '1.5']) {
        const refused = await t.api().get(`/v1/plans/${first.id}/diagram.mmd?revision=${bad}`).expect(400);
        expect(refused.body.errors).toEqual([
          { path: 'revision', message: expect.stringContaining('revision number') },
        ]);
      }
    });
  });

  describe('GET /v1/plans/:id/diff/diagram.svg and .mmd', () => {
    it('draws the previous revision against the latest by default, added and removed edges marked', async () => {
      const response = await asText(t.api().get(`/v1/plans/${first.id}/diff/diagram.svg`)).expect(200);
      expect(response.headers['content-type']).toBe(SVG_TYPE);
      expect(body(response)).toBe(await renderPlanDiffDiagramSvg(first, second));
      // Graphviz writes each edge's class: the Ingress route to api went, the broker's load balancer came.
      expect(body(response)).toMatch(/class="edge traffic removed"/);
      expect(body(response)).toMatch(/class="edge traffic added"/);
      expect(body(response)).toContain('revision 1 → 2');
    });

    it('writes the diff as Mermaid text, for the revisions asked', async () => {
      const response = await asText(t.api().get(`/v1/plans/${first.id}/diff/diagram.mmd?from=2&to=1`)).expect(200);
      expect(response.headers['content-type']).toBe(MERMAID_TYPE);
      expect(body(response)).toBe(renderPlanDiffDiagramMermaid(second, first));
      expect(body(response)).toContain('revision 2 → 1');
    });

    it('answers like GET /diff: a 404 for a revision the plan lacks, a 400 listing every bad number', async () => {
      await t.api().get(`/v1/plans/${first.id}/diff/diagram.svg?from=9`).expect(404);
      const refused = await t.api().get(`/v1/plans/${first.id}/diff/diagram.mmd?from=x&to=0`).expect(400);
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['from', 'to']);
    });
  });

  describe('access: the rules of every plan sub-resource', () => {
    const ROUTES = ['diagram.svg', 'diagram.mmd', 'diff/diagram.svg', 'diff/diagram.mmd'];

    it.each(ROUTES)('%s: 401 without a key, 403 without plans:read', async (route) => {
      const anonymous = await t.apiAs(null).get(`/v1/plans/${first.id}/${route}`).expect(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer /);
      const refused = await t.apiAs(writer.key).get(`/v1/plans/${first.id}/${route}`).expect(403);
      expect(refused.headers['www-authenticate']).toMatch(/error="insufficient_scope", scope="plans:read"/);
    });

    it.each(ROUTES)("%s: another team's plan is a 404 exactly like an unknown id", async (route) => {
      const hidden = await t.apiAs(otherTeam.key).get(`/v1/plans/${first.id}/${route}`).expect(404);
      const unknown = await t.apiAs(otherTeam.key).get(`/v1/plans/${UNKNOWN_ID}/${route}`).expect(404);
      expect(hidden.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(hidden.body.title).toBe(unknown.body.title);
    });

    it.each(ROUTES)('%s: an id that is not a UUID is a 400', async (route) => {
      const refused = await t.api().get(`/v1/plans/not-a-uuid/${route}`).expect(400);
      expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    });
  });

  it('is in the OpenAPI document with its media types and its query parameters', async () => {
    const document = (await t.api().get('/docs/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        { get?: { responses: Record<string, { content?: Record<string, unknown> }>; parameters: { name: string }[] } }
      >;
    };
    const operation = (path: string) => document.paths[path]?.get;
    for (const [path, type, query] of [
      ['/v1/plans/{id}/diagram.svg', 'image/svg+xml', ['revision']],
      ['/v1/plans/{id}/diagram.mmd', 'text/vnd.mermaid', ['revision']],
      ['/v1/plans/{id}/diff/diagram.svg', 'image/svg+xml', ['from', 'to']],
      ['/v1/plans/{id}/diff/diagram.mmd', 'text/vnd.mermaid', ['from', 'to']],
    ] as const) {
      expect(Object.keys(operation(path)?.responses['200']?.content ?? {}), path).toEqual([type]);
      expect(operation(path)?.responses['404'], path).toBeDefined();
      expect(
        operation(path)
          ?.parameters.map((p) => p.name)
          .sort(),
        path,
      ).toEqual(['id', ...query].sort());
    }
  });
});
