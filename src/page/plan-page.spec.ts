import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredPlan } from '../plans/plans.types.js';
import { storedPlanOf } from '../plans/testing/stored-plan-of.js';
import { renderPlanPage } from './plan-page.js';

const HOSTILE = `<script>alert("x")</script>`;
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="d"><text>web</text></svg>';

function storedShop(): StoredPlan {
  const topology = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'topologies', 'shop-aws.json'), 'utf8'),
  ) as unknown;
  return storedPlanOf(topology, { name: 'shop' });
}

describe(renderPlanPage.name, () => {
  it('escapes every string of the plan, even ones the planner would never let through', () => {
    const stored = storedShop();
    const hostile: StoredPlan = {
      ...stored,
      name: HOSTILE,
      recommendations: stored.recommendations.map((r, i) => (i === 0 ? { ...r, component: HOSTILE } : r)),
      findings: stored.findings.map((f) => ({ ...f, title: HOSTILE, remediation: HOSTILE })),
    };

    const page = renderPlanPage([hostile], { diagramSvg: SVG, nonce: 'n0nce', token: undefined });

    expect(page).not.toContain(HOSTILE);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // Our one script, and no other.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<script nonce="n0nce">');
  });

  it('embeds the diagram as given, and puts the token on the download links only when there is one', () => {
    const stored = storedShop();

    const shared = renderPlanPage([stored], { diagramSvg: SVG, nonce: 'n', token: '123.a+b' });
    const protectedMode = renderPlanPage([stored], { diagramSvg: SVG, nonce: 'n', token: undefined });

    expect(shared).toContain(`<figure class="diagram" role="group" aria-labelledby="diagram-title">${SVG}</figure>`);
    expect(shared).toContain(`href="/v1/plans/${stored.id}/manifests?token=123.a%2Bb"`);
    expect(shared).toContain(`href="/v1/plans/${stored.id}/manifests?format=kustomize&amp;token=123.a%2Bb"`);
    expect(protectedMode).toContain(`href="/v1/plans/${stored.id}/manifests"`);
    expect(protectedMode).not.toContain('token=');
  });
});
