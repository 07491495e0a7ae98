import { censorUrl } from '../src/observability/log-redaction.js';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * Share links and the page's doors over HTTP (the page itself is tested in Chromium:
 * page.browser.e2e-spec.ts): who may make a link, what a link opens, what a refusal gives away.
 */
const SECRET = 'e2e-share-link-secret-0123456789abcdef';

describe('POST /v1/plans/:id/share and GET /plans/:id, with SHARE_LINK_SECRET and API keys', () => {
  let t: TestApp;
  let planId: string;

  beforeAll(async () => {
    t = await startTestApp({ shareLinkSecret: SECRET, shareLinkTtlHours: 2 });
    planId = (await t.createPlan('share')).id;
  });

  afterAll(() => t?.close());

  it('answers a URL of the page on the address asked, expiring SHARE_LINK_TTL_HOURS later, that opens it', async () => {
    const before = Date.now();
    const { body } = await t.api().post(`/v1/plans/${planId}/share`).expect(200);
    const after = Date.now();

    expect(Object.keys(body as object).sort()).toEqual(['expiresAt', 'url']);
    const { url, expiresAt } = body as { url: string; expiresAt: string };
    const link = new URL(url);
    expect(link.host).toBe(new URL(await t.app.getUrl()).host);
    expect(link.pathname).toBe(`/plans/${planId}`);
    const expiry = Date.parse(expiresAt);
    expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 2 * 3600_000);
    expect(expiry).toBeLessThanOrEqual(after + 2 * 3600_000);
    // The token says the same expiry, in seconds.
    expect(Number(link.searchParams.get('token')?.split('.')[0]) * 1000).toBe(expiry);

    const page = await t.apiAs(null).get(`${link.pathname}${link.search}`).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<h1>share-');
  });

  it('makes links only for a caller that may read the plan: 401 without a key, 404 for another team', async () => {
    const reader = await t.createKey(['plans:read']);
    const otherTeam = await t.createKey(['plans:read'], 'payments');

    await t.apiAs(reader.key).post(`/v1/plans/${planId}/share`).expect(200);
    await t.apiAs(otherTeam.key).post(`/v1/plans/${planId}/share`).expect(404);
    await t.apiAs(null).post(`/v1/plans/${planId}/share`).expect(401);
  });

  it('gives away nothing without a valid token: the same 404 as a plan that does not exist, no challenge', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const existing = await t.apiAs(null).get(`/plans/${planId}`).expect(404);
    const absent = await t.apiAs(null).get(`/plans/${missing}`).expect(404);
    const badToken = await t
      .apiAs(null)
      .get(`/plans/${planId}?token=1.${'A'.repeat(43)}`)
      .expect(404);

    for (const answer of [existing, badToken]) {
      expect(answer.headers['www-authenticate']).toBeUndefined();
      expect(answer.body).toMatchObject({ status: 404, title: absent.body.title, detail: absent.body.detail });
    }
  });

  it('does not let a share token do anything but read its plan', async () => {
    const { body } = await t.api().post(`/v1/plans/${planId}/share`).expect(200);
    const token = new URL((body as { url: string }).url).searchParams.get('token') ?? '';

    await t.apiAs(null).get(`/v1/plans/${planId}/manifests?token=${token}`).expect(200);
    // Routes that do not list the share-link strategy ignore it: no key, a 401.
    await t.apiAs(null).get(`/v1/plans/${planId}?token=${token}`).expect(401);
    await t.apiAs(null).delete(`/v1/plans/${planId}?token=${token}`).expect(401);
    await t.apiAs(null).post(`/v1/plans/${planId}/share?token=${token}`).expect(401);
  });

  it('keeps the token out of the request log', async () => {
    const { body } = await t.api().post(`/v1/plans/${planId}/share`).expect(200);
    const link = new URL((body as { url: string }).url);
    const token = link.searchParams.get('token') ?? '';

    const logged = censorUrl(`${link.pathname}${link.search}`) ?? '';
    expect(logged).toBe(`/plans/${planId}?token=[Redacted]`);
    expect(logged).not.toContain(token);
  });

  it('links the page from the Backstage view', async () => {
    const view = await t.api().get(`/v1/plans/${planId}/backstage`).expect(200);
    const links = (view.body as { links: { url: string; title: string }[] }).links;
    const page = links.find((link) => link.title.startsWith('Exposure plan page'));

    expect(page).toBeDefined();
    const url = new URL(page?.url ?? '');
    await t.apiAs(null).get(`${url.pathname}${url.search}`).expect(200);
  });
});

describe('without SHARE_LINK_SECRET, in protected mode (no key, loopback)', () => {
  let t: TestApp;
  let planId: string;

  beforeAll(async () => {
    // Always on embedded PGlite, whatever DATABASE_URL says: a shared server has other files' keys
    // in it, and protected mode is the state of a service with none.
    t = await startTestApp({ databaseUrl: undefined }, { withAdminKey: false });
    planId = (await t.createPlan('share')).id;
  });

  afterAll(() => t?.close());

  it('refuses to make a link with a 503 that names SHARE_LINK_SECRET', async () => {
    const refused = await t.api().post(`/v1/plans/${planId}/share`).expect(503);

    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((refused.body as { detail: string }).detail).toContain('SHARE_LINK_SECRET');
  });

  it('opens the page without a token, for the operator on this machine', async () => {
    const page = await t.api().get(`/plans/${planId}`).expect(200);

    expect(page.text).toContain('<h1>share-');
    // The download links need no token either.
    expect(page.text).toContain(`href="/v1/plans/${planId}/manifests"`);
  });
});
