import { formatUsd } from '../planner/cost.js';
import { toYaml } from '../planner/yaml.js';
import { SEVERITIES, type Finding, type Recommendation, type Severity } from '../planner/types.js';
import { diffPlans, isEmptyDiff, type Exposure, type ObjectRef, type PlanDiff } from '../plans/plan-diff.js';
import type { StoredPlan } from '../plans/plans.types.js';
import { html, trustedHtml, type SafeHtml } from './html.js';

/** What the page needs besides the plan: the diagram, the script's nonce, how to link the manifests. */
export type PlanPageContext = {
  /** The latest revision's diagram (SVG markup from PLAN_DIAGRAM). */
  diagramSvg: string;
  /** The Content-Security-Policy nonce of this answer: the one inline script and style carry it. */
  nonce: string;
  /** The share token the page was opened with, repeated on the download links; undefined in protected mode. */
  token: string | undefined;
};

/** The newest of a plan's revisions (PlansService.revisions answers 404 rather than none). */
export function latestRevision(revisions: readonly StoredPlan[]): StoredPlan {
  const [latest] = revisions;
  if (latest === undefined) {
    throw new Error('a plan page needs at least one revision of the plan');
  }
  return latest;
}

/**
 * GET /plans/:id: one plan, readable by a person, from `revisions` (newest first, the first one
 * being the plan shown). Everything is server-rendered: without JavaScript the page reads the
 * same, and the script only adds the copy button.
 */
export function renderPlanPage(revisions: readonly StoredPlan[], context: PlanPageContext): string {
  const plan = latestRevision(revisions);
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>${plan.name} · exposure plan r${plan.revision}</title>
        <style nonce="${context.nonce}">
          ${trustedHtml(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <h1>${plan.name}</h1>
          <p class="meta">
            Platform <strong>${plan.topology.environment.platform}</strong> · namespace
            <strong>${plan.topology.namespace}</strong> · revision <strong>${plan.revision}</strong> of
            ${revisions.length} · made <time datetime="${plan.createdAt}">${formatDate(plan.createdAt)}</time> · planner
            ${plan.engineVersion}
          </p>
        </header>
        <main>
          ${[
            diagramSection(context.diagramSvg),
            componentsSection(plan.recommendations),
            costSection(plan),
            findingsSection(plan.findings),
            manifestsSection(plan, context.token),
            revisionsSection(revisions),
          ]}
        </main>
        <script nonce="${context.nonce}">
          ${trustedHtml(COPY_SCRIPT)};
        </script>
      </body>
    </html> `.value;
}

function diagramSection(svg: string): SafeHtml {
  return html`<section aria-labelledby="diagram-title" id="diagram">
    <h2 id="diagram-title">Traffic diagram</h2>
    <figure class="diagram" role="group" aria-labelledby="diagram-title">${trustedHtml(svg)}</figure>
  </section>`;
}

function componentsSection(recommendations: readonly Recommendation[]): SafeHtml {
  const rows = recommendations.map(
    (recommendation) =>
      html`<tr>
        <th scope="row">${recommendation.component}</th>
        <td data-label="Service type">${recommendation.serviceType ?? 'no Service'}</td>
        <td data-label="Entry point">${recommendation.entryPoint}</td>
        <td>
          <details>
            <summary>Why</summary>
            <ul>
              ${recommendation.rationale.map((reason) => html`<li>${reason}</li>`)}
            </ul>
          </details>
        </td>
        <td data-label="Alternatives">
          ${
            recommendation.alternatives.length === 0
              ? 'none'
              : html`<ul class="plain">
                  ${recommendation.alternatives.map(
                    (alternative) =>
                      html`<li>
                        <strong>${alternative.serviceType}</strong> (${alternative.entryPoint}),
                        ${formatUsd(alternative.monthlyCost)}/month: ${alternative.reason}
                      </li>`,
                  )}
                </ul>`
          }
        </td>
      </tr>`,
  );
  return html`<section aria-labelledby="components-title" id="components">
    <h2 id="components-title">Components</h2>
    ${scrollable(
      'Components',
      html`<table class="cards">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Service type</th>
            <th scope="col">Entry point</th>
            <th scope="col">Rationale</th>
            <th scope="col">Alternatives</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>`,
    )}
  </section>`;
}

function costSection(plan: StoredPlan): SafeHtml {
  const { cost } = plan;
  const rows = cost.items.map(
    (item) =>
      html`<tr>
        <td>${item.component ?? 'shared'}</td>
        <td>${item.description}<br /><small>${item.basis}</small></td>
        <td class="number">${formatUsd(item.monthly)}</td>
      </tr>`,
  );
  return html`<section aria-labelledby="cost-title" id="cost">
    <h2 id="cost-title">Monthly cost</h2>
    ${scrollable(
      'Monthly cost',
      html`<table>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Charge</th>
            <th scope="col" class="number">Per month</th>
          </tr>
        </thead>
        <tbody>
          ${
            rows.length === 0
              ? html`<tr>
                  <td colspan="3">Nothing is charged.</td>
                </tr>`
              : rows
          }
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan="2">Total</th>
            <td class="number"><strong>${formatUsd(cost.monthlyTotal)}</strong></td>
          </tr>
        </tfoot>
      </table>`,
    )}
    ${
      cost.savings.length > 0 &&
      html`<h3>Savings</h3>
        <ul>
          ${cost.savings.map((saving) => html`<li>${saving.description}: ${formatUsd(saving.monthly)}/month</li>`)}
        </ul>`
    }
    <p><small>Prices: ${cost.pricing.source}, as of ${cost.pricing.asOf}.</small></p>
  </section>`;
}

function findingsSection(findings: readonly Finding[]): SafeHtml {
  const groups = SEVERITIES.map((severity) => ({
    severity,
    findings: findings.filter((f) => f.severity === severity),
  })).filter((group) => group.findings.length > 0);
  return html`<section aria-labelledby="findings-title" id="findings">
    <h2 id="findings-title">Findings (${findings.length})</h2>
    ${groups.length === 0 && html`<p>No findings.</p>`}
    ${groups.map(
      (group) =>
        html`<h3 class="severity severity-${group.severity}">
            ${capitalized(group.severity)} (${group.findings.length})
          </h3>
          <ul class="findings">
            ${group.findings.map(
              (finding) =>
                html`<li>
                  <p>
                    <code>${finding.id}</code> <strong>${finding.title}</strong>
                    ${finding.component !== undefined && html` · component <code>${finding.component}</code>`}
                  </p>
                  <p>${finding.detail}</p>
                  <p><em>Remediation:</em> ${finding.remediation}</p>
                </li>`,
            )}
          </ul>`,
    )}
  </section>`;
}

function manifestsSection(plan: StoredPlan, token: string | undefined): SafeHtml {
  const base = `/v1/plans/${encodeURIComponent(plan.id)}/manifests`;
  const withToken = (query: string) =>
    token === undefined
      ? `${base}${query}`
      : `${base}${query}${query === '' ? '?' : '&'}token=${encodeURIComponent(token)}`;
  return html`<section aria-labelledby="manifests-title" id="manifests">
    <h2 id="manifests-title">Manifests</h2>
    <p class="actions">
      <button type="button" data-copy="manifests-yaml" hidden>Copy YAML</button>
      <a href="${withToken('')}" download="${plan.name}-r${plan.revision}.yaml">Download YAML</a>
      <a href="${withToken('?format=kustomize')}">Download Kustomize bundle (.tar.gz)</a>
      <span role="status" class="copy-status"></span>
    </p>
    <pre id="manifests-yaml" tabindex="0" aria-label="Manifests as YAML">${toYaml(plan.manifests)}</pre>
  </section>`;
}

function revisionsSection(revisions: readonly StoredPlan[]): SafeHtml {
  const items = revisions.map((revision, index) => {
    const previous = revisions[index + 1];
    return html`<li>
      <strong>Revision ${revision.revision}</strong>,
      <time datetime="${revision.createdAt}">${formatDate(revision.createdAt)}</time>,
      ${formatUsd(revision.cost.monthlyTotal)}/month
      ${previous === undefined ? html` (the first)` : diffDetails(diffPlans(previous, revision))}
    </li>`;
  });
  return html`<section aria-labelledby="revisions-title" id="revisions">
    <h2 id="revisions-title">Revisions</h2>
    <ul class="revisions">
      ${items}
    </ul>
  </section>`;
}

function diffDetails(diff: PlanDiff): SafeHtml {
  if (isEmptyDiff(diff)) {
    return html`<p>No change since revision ${diff.fromRevision}.</p>`;
  }
  const { manifests, findings, cost } = diff;
  return html`<details>
    <summary>Changes since revision ${diff.fromRevision}</summary>
    <ul>
      ${diff.recommendations.map(
        (change) =>
          html`<li>
            <code>${change.component}</code>: ${exposureText(change.from, 'added')} →
            ${exposureText(change.to, 'removed')}
          </li>`,
      )}
      ${manifests.added.map((ref) => html`<li>manifest added: ${refText(ref)}</li>`)}
      ${manifests.removed.map((ref) => html`<li>manifest removed: ${refText(ref)}</li>`)}
      ${manifests.changed.map(
        (change) => html`<li>manifest changed: ${refText(change)} (${change.patch.length} operations)</li>`,
      )}
      ${
        cost.delta !== 0 &&
        html`<li>
          monthly cost ${formatUsd(cost.from)} → ${formatUsd(cost.to)}
          (${cost.delta > 0 ? '+' : '−'}${formatUsd(Math.abs(cost.delta))})
        </li>`
      }
      ${findings.added.map((f) => html`<li>finding added: <code>${f.id}</code> ${f.title} (${f.severity})</li>`)}
      ${findings.resolved.map((f) => html`<li>finding resolved: <code>${f.id}</code> ${f.title}</li>`)}
    </ul>
  </details>`;
}

function exposureText(exposure: Exposure | null, absentWord: string): string {
  return exposure === null ? `(${absentWord})` : `${exposure.serviceType ?? 'no Service'} via ${exposure.entryPoint}`;
}

function refText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace === null ? '' : `${ref.namespace}/`}${ref.name}`;
}

// Tables scroll sideways on a phone; the region is focusable so a keyboard can scroll it too.
function scrollable(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

function capitalized(severity: Severity): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}

// In UTC, spelled out: a shared page is read in many time zones.
function formatDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.45; color: #1a1a1a; background: #fff; }
  body { margin: 0 auto; max-width: 72rem; padding: 1rem; overflow-wrap: break-word; }
  h1 { margin: 0 0 0.25rem; overflow-wrap: anywhere; }
  .meta { margin-top: 0; color: #444; }
  section { margin-top: 2rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid #ccc; padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
  /* On a phone a row becomes a card: each cell on its own line, named by its column. */
  @media (max-width: 40rem) {
    table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    table.cards tr, table.cards th, table.cards td { display: block; }
    table.cards tbody tr { border-bottom: 2px solid #999; padding: 0.5rem 0; }
    table.cards td, table.cards tbody th { border: 0; padding: 0.2rem 0; }
    table.cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  }
  thead th { background: #f0f0f0; }
  .number { text-align: right; white-space: nowrap; }
  .scroll { overflow-x: auto; }
  .plain { list-style: none; margin: 0; padding: 0; }
  .plain li + li { margin-top: 0.4rem; }
  .diagram { margin: 0; overflow-x: auto; }
  .diagram svg { max-width: 100%; height: auto; }
  pre { background: #f6f6f6; border: 1px solid #ccc; padding: 0.75rem; overflow: auto; max-height: 32rem; font-size: 0.85rem; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
  button { font: inherit; padding: 0.3rem 0.8rem; }
  a { color: #0645ad; }
  .severity { padding: 0.1rem 0.5rem; border-left: 0.4rem solid; }
  .severity-critical { border-color: #8b0000; }
  .severity-high { border-color: #c0392b; }
  .severity-medium { border-color: #b9770e; }
  .severity-low { border-color: #1f618d; }
  .severity-info { border-color: #555; }
  .findings li + li { margin-top: 1rem; }
  .findings p { margin: 0.2rem 0; }
`;

// The only script: the copy button, shown once it can work. Reading needs no script at all.
const COPY_SCRIPT = `
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector('.copy-status');
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(source.textContent).then(
        () => { status.textContent = 'Copied.'; },
        () => { status.textContent = 'Copying was refused: select the text and copy it.'; },
      );
    });
  }
`;
