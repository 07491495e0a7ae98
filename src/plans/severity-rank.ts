import { at } from '../common/at.js';
import { severityOrder } from '../planner/rules.js';
import { SEVERITIES, type Finding, type Severity } from '../planner/types.js';

/*
 * How the Plan table stores a severity (the "worstSeverityRank" column): the planner's severityOrder
 * (src/planner/rules.ts, the one order of severities) turned around, so that the number grows with
 * badness and "at least high" is an index-friendly `rank >= 3`. Only storage needs this encoding;
 * everything else compares with severityOrder or isAtLeastAsSevere.
 */
const LEAST_SEVERE_ORDER = severityOrder(at(SEVERITIES, SEVERITIES.length - 1));

/** Severity as stored: info 0 … critical 4. */
export function severityRank(severity: Severity): number {
  return LEAST_SEVERE_ORDER - severityOrder(severity);
}

/** The severity a stored rank stands for. */
export function severityOfRank(rank: number): Severity {
  const severity = SEVERITIES.find((s) => severityRank(s) === rank);
  if (severity === undefined) {
    throw new Error(`${rank} is not a stored severity rank (0 to ${LEAST_SEVERE_ORDER})`);
  }
  return severity;
}

/** The rank of the worst finding, or null when there is none. */
export function worstSeverityRank(findings: Finding[]): number | null {
  return findings.length === 0 ? null : Math.max(...findings.map((f) => severityRank(f.severity)));
}
