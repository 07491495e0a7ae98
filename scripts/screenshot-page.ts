/**
 * docs/plan-page.png: the plan page of the shop-aws fixture (test/fixtures/topologies), revised once
 * so the page shows a diff, as headless Chromium draws it (the browser tests' launch). The app runs
 * in memory in protected mode (no API key), where a page opens from this machine without a link.
 *
 *   npx tsx scripts/screenshot-page.ts [output.png] [viewport width]
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from '../src/app.factory.js';
import { IN_MEMORY } from '../src/config/config.js';
import { launchChromium } from '../test/support/browser.js';

const output = process.argv[2] ?? join(import.meta.dirname, '..', 'docs', 'plan-page.png');
const width = Number(process.argv[3] ?? 1100);
const topology = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'topologies', 'shop-aws.json'), 'utf8'),
) as { components: { name: string }[] };

const app = await createApp({ dataDir: IN_MEMORY, logLevel: 'error' });
await app.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
const browser = await launchChromium();
try {
  const send = async (method: string, path: string, body: unknown): Promise<{ id: string }> => {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as { id: string };
  };
  const { id } = await send('POST', '/v1/plans', topology);
  await send('PUT', `/v1/plans/${id}`, {
    ...topology,
    components: topology.components.filter((component) => component.name !== 'mailer'),
  });
  const page = await browser.newPage({ viewport: { width, height: 1500 } });
  await page.goto(`${origin}/plans/${id}`);
  // The top of the page (header, diagram, components, cost): the whole page would be a large file.
  await page.screenshot({ path: output });
  console.log(`Wrote ${output}`);
} finally {
  await browser.close();
  await app.close();
}
