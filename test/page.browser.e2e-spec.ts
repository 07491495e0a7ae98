import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signShareToken } from '../src/auth/strategies/share-link-token.js';
import { fixtureTopology, startTestApp, uniqueName, type TestApp } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { at } from '../src/common/at.js';

/**
 * The plan page in a real browser (Debian's chromium, driven by playwright-core): what a person
 * opening a share link sees, the copy button, the page's hygiene (no console error, its CSP) and
 * axe-core's accessibility rules. The app runs with an admin key, so only a share link opens pages.
 */
const SECRET = 'browser-test-share-link-secret-0123456789';
// Accepted by the planner, and markup if anything printed it unescaped.
// Free text a topology may carry (a price list's source); component paths refuse such characters.
const HOSTILE_TEXT = '"><svg/onload=alert(1)>&x';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

let testApp: TestApp;
let browser: Browser;
let origin: string;
let planId: string;
let shareUrl: string;
let firstComponent: string;

beforeAll(async () => {
  testApp = await startTestApp({ shareLinkSecret: SECRET });
  origin = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as AddressInfo).port}`;
  const topology = fixtureTopology('shop-aws', uniqueName('page'));
  const components = topology.components as Record<string, unknown>[];
  topology.pricing = { source: HOSTILE_TEXT };
  firstComponent = at(components, 0).name as string;
  const created = await testApp.api().post('/v1/plans').send(topology).expect(201);
  planId = (created.body as { id: string }).id;
  // A second revision, so the page has a diff to show: one component fewer.
  await testApp
    .api()
    .put(`/v1/plans/${planId}`)
    .send({ ...topology, components: components.filter((c) => c.name !== 'mailer') })
    .expect(200);
  const shared = await testApp.api().post(`/v1/plans/${planId}/share`).expect(200);
  shareUrl = (shared.body as { url: string }).url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
});

type Opened = { page: Page; context: BrowserContext; status: number | undefined; problems: string[] };

/** Opens `url` in a fresh context, recording every console error, page error and dialog. */
async function open(url: string, options: { clipboard?: boolean } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  if (options.clipboard) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  }
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const response = await page.goto(url);
  return { page, context, status: response?.status(), problems };
}

describe('the plan page in Chromium', () => {
  it('shows the plan: name, platform, revision, components, cost, findings, manifests and the diff', async () => {
    const { page, context, status } = await open(shareUrl);
    try {
      expect(status).toBe(200);
      const name = (await page.locator('h1').textContent()) ?? '';
      expect(name).toMatch(/^page-/);
      // As rendered (innerText): whitespace collapsed the way a reader sees it.
      expect(await page.locator('header .meta').innerText()).toMatch(
        /^Platform aws · namespace production · revision 2 of 2 · made /,
      );
      const components = await page.locator('#components tbody th[scope=row]').allTextContents();
      expect(components).toEqual(expect.arrayContaining(['web', 'api', 'db', 'cache']));
      expect(components).not.toContain('mailer');
      // Rationale on demand: closed until asked.
      const why = page.locator('#components details').first();
      expect(await why.locator('li').first().isVisible()).toBe(false);
      await why.locator('summary').click();
      expect(await why.locator('li').first().isVisible()).toBe(true);
      expect(await page.locator('#cost tfoot').textContent()).toMatch(/Total\s+\$\d+\.\d\d/);
      expect(await page.locator('#findings h3').count()).toBeGreaterThan(0);
      expect(await page.locator('#findings').textContent()).toContain('Remediation:');
      expect(await page.locator('#revisions > ul > li').count()).toBe(2);
      const diff = page.locator('#revisions details');
      await diff.locator('summary').click();
      expect(await diff.textContent()).toMatch(/Changes since revision 1[\s\S]*mailer/);
    } finally {
      await context.close();
    }
  });

  it('prints hostile text as text: no markup of it runs, the cost section holds it verbatim', async () => {
    const { page, context, problems } = await open(shareUrl);
    try {
      expect(await page.locator('#cost').textContent()).toContain(HOSTILE_TEXT);
      // The diagram's <svg> is the only one; none came from the path.
      expect(await page.locator('svg[onload]').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the diagram: the drawing of this plan inside the diagram section, visible and with a size', async () => {
    const { page, context } = await open(shareUrl);
    try {
      const svg = page.locator('#diagram svg').first();
      expect(await svg.isVisible()).toBe(true);
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(0);
      expect(box?.height).toBeGreaterThan(0);
      // Graphviz's drawing (its nodes are <g class="node">) naming the plan's own components, not a placeholder.
      expect(await svg.locator('g.node').count()).toBeGreaterThan(2);
      expect(await svg.textContent()).toContain(firstComponent);
    } finally {
      await context.close();
    }
  });

  it('copies the manifests: the clipboard holds the YAML the page shows', async () => {
    const { page, context } = await open(shareUrl, { clipboard: true });
    try {
      const button = page.getByRole('button', { name: 'Copy YAML' });
      await button.click();
      await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
      // Expressions as text: this project compiles without the DOM's types; they run in the page.
      const copied = await page.evaluate<string>('navigator.clipboard.readText()');
      expect(copied).toBe(await page.locator('#manifests-yaml').textContent());
      expect(copied).toMatch(/^apiVersion: /);
    } finally {
      await context.close();
    }
  });

  it('downloads the manifests through the link, with the page’s token instead of an API key', async () => {
    const { page, context } = await open(shareUrl);
    try {
      const href = await page.getByRole('link', { name: 'Download YAML' }).getAttribute('href');
      const response = await context.request.get(`${origin}${href ?? ''}`);
      expect(response.status()).toBe(200);
      expect(await response.text()).toBe(await page.locator('#manifests-yaml').textContent());
    } finally {
      await context.close();
    }
  });

  it('logs no console error, and sends its strict CSP and no-referrer policy', async () => {
    const { page, context, problems } = await open(shareUrl, { clipboard: true });
    try {
      await page.getByRole('button', { name: 'Copy YAML' }).click();
      await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
      expect(problems).toEqual([]);
      const response = await context.request.get(shareUrl);
      expect(response.headers()['content-security-policy']).toMatch(/default-src 'none'; script-src 'nonce-[^']+'/);
      expect(response.headers()['referrer-policy']).toBe('no-referrer');
    } finally {
      await context.close();
    }
  });

  it('answers 404 to an expired, a tampered, another plan’s or no token, as for a plan that does not exist', async () => {
    const url = new URL(shareUrl);
    const token = url.searchParams.get('token') ?? '';
    const [expiry, mac] = [at(token.split('.'), 0), at(token.split('.'), 1)];
    const pastExpiry = Math.floor(Date.now() / 1000) - 60;
    const otherPlan = (
      await testApp
        .api()
        .post('/v1/plans')
        .send(fixtureTopology('shop-aws', uniqueName('page')))
        .expect(201)
    ).body as { id: string };
    const attempts = [
      `${origin}/plans/${planId}?token=${signShareToken(SECRET, planId, pastExpiry)}`,
      `${origin}/plans/${planId}?token=${Number(expiry) + 3600}.${mac}`,
      `${origin}/plans/${planId}?token=${expiry}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${origin}/plans/${otherPlan.id}?token=${token}`,
      `${origin}/plans/${planId}`,
      `${origin}/plans/00000000-0000-4000-8000-000000000000?token=${signShareToken(SECRET, '00000000-0000-4000-8000-000000000000', pastExpiry + 7200)}`,
    ];
    const context = await browser.newContext();
    try {
      for (const attempt of attempts) {
        const response = await context.request.get(attempt);
        expect(response.status(), attempt).toBe(404);
      }
    } finally {
      await context.close();
    }
  });

  it('passes axe-core with no serious or critical violation, on a desktop and on a phone', async () => {
    for (const viewport of [
      { width: 1200, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const context = await browser.newContext({ viewport });
      try {
        const page = await context.newPage();
        await page.goto(shareUrl);
        // Evaluated through the DevTools protocol, which the page's CSP does not govern.
        await page.evaluate(axeSource);
        const violations = await page.evaluate<AxeViolation[]>(
          'axe.run().then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))',
        );
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
        // Readable on a phone: the page itself does not scroll sideways.
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await context.close();
      }
    }
  });
});

type AxeViolation = { id: string; impact: string | null; nodes: number };
