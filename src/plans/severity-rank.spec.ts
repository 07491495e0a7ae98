import { SEVERITIES } from '../planner/types.js';
import { severityOfRank, severityRank, worstSeverityRank } from './severity-rank.js';

describe(severityRank.name, () => {
  it('grows with badness, from info 0 to critical 4, and severityOfRank reads it back', () => {
    expect(SEVERITIES.map(severityRank)).toEqual([4, 3, 2, 1, 0]);
    expect(SEVERITIES.map((s) => severityOfRank(severityRank(s)))).toEqual([...SEVERITIES]);
  });

  it('refuses a rank no severity is stored as', () => {
    expect(() => severityOfRank(5)).toThrow(/not a stored severity rank/);
  });

  it('gives the worst finding of a plan, or null for none', () => {
    const finding = (severity: (typeof SEVERITIES)[number]) =>
      ({ severity }) as Parameters<typeof worstSeverityRank>[0][0];
    expect(worstSeverityRank([finding('low'), finding('high'), finding('info')])).toBe(3);
    expect(worstSeverityRank([])).toBeNull();
  });
});
