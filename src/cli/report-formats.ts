import { ENGINE_VERSION } from '../planner/plan.js';
import type { Finding, PlanResult, Severity } from '../planner/types.js';
import type { ImportNote } from '../import/import-result.js';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), as GitHub code
 * scanning reads it (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
 * one rule per finding id, whose help text is the remediation, and one result per finding, located
 * in the input file on the line that names its component.
 */
export function toSarif(plan: PlanResult, input: { path: string; text: string }): object {
  const rules = new Map<string, Finding>();
  for (const finding of plan.findings) {
    if (!rules.has(finding.id)) {
      rules.set(finding.id, finding);
    }
  }
  const ruleIds = [...rules.keys()];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Exposure Planner',
            version: ENGINE_VERSION,
            rules: ruleIds.map((id) => {
              const finding = rules.get(id) as Finding;
              return {
                id,
                name: id,
                shortDescription: { text: finding.title },
                help: { text: finding.remediation },
                defaultConfiguration: { level: sarifLevel(finding.severity) },
                properties: {
                  tags: ['security', 'kubernetes'],
                  ...(SECURITY_SEVERITY[finding.severity] === undefined
                    ? {}
                    : { 'security-severity': SECURITY_SEVERITY[finding.severity] }),
                },
              };
            }),
          },
        },
        results: plan.findings.map((finding) => ({
          ruleId: finding.id,
          ruleIndex: ruleIds.indexOf(finding.id),
          level: sarifLevel(finding.severity),
          message: { text: `${finding.title}. ${finding.detail}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: input.path },
                region: { startLine: lineNaming(input.text, finding.component) },
              },
              ...(finding.component === undefined
                ? {}
                : { logicalLocations: [{ name: finding.component, kind: 'module' }] }),
            },
          ],
          partialFingerprints: { findingKey: `${finding.id}/${finding.component ?? '*'}` },
        })),
      },
    ],
  };
}

function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/** GitHub maps security-severity to its own levels: over 9 critical, 7 to 8.9 high, 4 to 6.9 medium, under 4 low. */
const SECURITY_SEVERITY: Partial<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** The first line that names the component (as a key's value, in YAML or JSON), else 1. */
function lineNaming(text: string, component: string | undefined): number {
  if (component === undefined) {
    return 1;
  }
  const escaped = component.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `(["']?)${escaped}\\1\\s*[:,}\\]]|:\\s*["']?${escaped}["']?\\s*$|^\\s*["']?${escaped}["']?:`,
  );
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index < 0 ? 1 : index + 1;
}

/** A summary for a pull-request comment: decisions, cost, findings worst first, the import's notes. */
export function toMarkdown(plan: PlanResult, notes: ImportNote[] = []): string {
  const lines = [
    `### Exposure plan: ${plan.topology.name} on ${plan.topology.environment.platform}`,
    '',
    '| component | Service | entry point |',
    '|---|---|---|',
    ...plan.recommendations.map(
      (r) =>
        `| ${r.component} | ${r.serviceType ?? 'none'} | ${r.entryPoint === 'none' ? 'in-cluster' : r.entryPoint} |`,
    ),
    '',
    `**Monthly cost:** ${plan.cost.monthlyTotal.toFixed(2)} ${plan.cost.currency} (prices as of ${plan.cost.pricing.asOf})`,
    '',
  ];
  if (plan.findings.length === 0) {
    lines.push('**Findings:** none');
  } else {
    lines.push(
      `**Findings (${plan.findings.length}):**`,
      '',
      '| severity | id | component | finding |',
      '|---|---|---|---|',
    );
    lines.push(
      ...plan.findings.map((f) => `| ${f.severity} | ${f.id} | ${f.component ?? '—'} | ${escapeCell(f.title)} |`),
    );
  }
  if (notes.length > 0) {
    lines.push('', '<details><summary>Import notes</summary>', '');
    lines.push(...notes.map((note) => `- \`${note.path || '(file)'}\`: ${note.message}`));
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
