import { severityOrder } from '../planner/rules.js';
import { SEVERITIES, type Finding, type Severity } from '../planner/types.js';

/** Severity as a number that grows with badness (info 0 … critical 4), so "at least high" is `rank >= 3`. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - severityOrder(severity);
}

export function severityOfRank(rank: number): Severity {
  return SEVERITIES[SEVERITIES.length - 1 - rank];
}

/** The rank of the worst finding, or null when there is none. */
export function worstSeverityRank(findings: Finding[]): number | null {
  return findings.length === 0 ? null : Math.max(...findings.map((f) => severityRank(f.severity)));
}
