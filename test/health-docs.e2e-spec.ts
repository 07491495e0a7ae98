import { useTestApp } from './support/app.js';
import { at } from '../src/common/at.js';

type OpenApiDocument = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
        responses: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

describe('health and API documentation', () => {
  const t = useTestApp();

  describe('GET /health', () => {
    it('answers 200 {status: ok}', async () => {
      const res = await t.api().get('/health').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('GET /health/ready', () => {
    it('answers 200 when the database answers', async () => {
      const res = await t.api().get('/health/ready').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('GET /docs/openapi.json', () => {
    let document: OpenApiDocument;

    beforeAll(async () => {
      document = (await t.api().get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
    });

    it('lists every REST path and method', () => {
      const operations = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(operations).toEqual(
        expect.arrayContaining([
          'POST /v1/plans',
          'GET /v1/plans',
          'GET /v1/plans/{id}',
          'PUT /v1/plans/{id}',
          'DELETE /v1/plans/{id}',
          'GET /v1/plans/{id}/manifests',
          'GET /v1/plans/{id}/revisions',
          'GET /health',
          'GET /health/ready',
        ]),
      );
    });

    it('describes the body with the planner’s own schema and errors as problem+json', () => {
      const create = document.paths['/v1/plans']?.post;
      const topology = create?.requestBody?.content['application/json']?.schema ?? {};
      expect(Object.keys(topology.properties ?? {})).toEqual(
        expect.arrayContaining(['name', 'namespace', 'environment', 'components']),
      );
      expect(Object.keys(document.components.schemas.Problem?.properties ?? {})).toEqual(
        expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'errors']),
      );
      expect(Object.keys(create?.responses ?? {})).toEqual(expect.arrayContaining(['201', '200', '400', '413', '415']));
      expect(create?.responses['400']?.content).toHaveProperty(['application/problem+json']);
    });

    it('leaves no $ref dangling', () => {
      const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) =>
        at(m, 1),
      );
      expect(refs.length).toBeGreaterThan(0);
      for (const name of new Set(refs)) {
        expect(document.components.schemas, name).toHaveProperty([name]);
      }
    });
  });

  describe('GET /docs', () => {
    it('serves the UI from local assets only (no CDN), and the assets load', async () => {
      const res = await t.api().get('/docs').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);

      const references = [...res.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => at(m, 1));
      expect(references.length).toBeGreaterThan(0);
      for (const reference of references) {
        expect(reference, 'an absolute URL would leave the machine').not.toMatch(/^(https?:)?\/\//);
      }
      const scripts = references.filter((r) => r.endsWith('.js'));
      expect(scripts.length).toBeGreaterThan(0);
      for (const reference of references) {
        const asset = new URL(reference, 'http://local/docs').pathname;
        const loaded = await t.api().get(asset).expect(200);
        expect(Number(loaded.headers['content-length'] ?? loaded.text.length)).toBeGreaterThan(0);
      }
    });

    it.each(['/docs/', '/docs/index.html', '/docs/?tag=plans'])(
      'sends %s to the page whose relative asset paths resolve',
      async (alias) => {
        const res = await t.api().get(alias).expect(301);
        const page = new URL(String(res.headers.location), `http://local${alias}`);
        expect(page.pathname).toBe('/docs');
        expect(page.search).toBe(new URL(alias, 'http://local').search);
        const html = await t.api().get(page.pathname).expect(200);
        const scripts = [...html.text.matchAll(/src=["']([^"']+)["']/g)].map((m) => at(m, 1));
        expect(scripts.length).toBeGreaterThan(0);
        for (const script of scripts) {
          await t.api().get(new URL(script, page).pathname).expect(200);
        }
      },
    );

    it('points the UI at the local document', async () => {
      const init = await t.api().get('/docs/swagger-ui-init.js').expect(200);
      expect(init.text).toContain('"openapi"');
      expect(init.text).not.toMatch(/https?:\/\/(?!exposure-planner\.dev)/);
    });
  });
});
