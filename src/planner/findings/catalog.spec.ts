import { readFileSync } from 'node:fs';
import { FINDING_CATALOG, FINDING_IDS, fillTemplate } from './catalog.js';

describe(fillTemplate.name, () => {
  it('fills every slot', () => {
    expect(fillTemplate('svc/{component} -n {namespace}', { component: 'api', namespace: 'prod' })).toBe(
      'svc/api -n prod',
    );
  });

  it('refuses a slot without a value rather than leaking the placeholder', () => {
    expect(() => fillTemplate('{missing}', {})).toThrow(/missing/);
  });
});

describe('docs/findings.md', () => {
  const rows = readFileSync(new URL('../../../docs/findings.md', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => /^\|\s*EXP\d{3}\s*\|/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

  it('lists exactly the catalog ids, in order', () => {
    expect(rows.map(([id]) => id)).toEqual([...FINDING_IDS]);
  });

  it.each(FINDING_IDS)('%s has the catalog severity and title', (id) => {
    const entry = FINDING_CATALOG[id];
    const row = rows.find(([rowId]) => rowId === id);
    const severity =
      entry.raised === undefined ? entry.severity : `${entry.severity}; ${entry.raised.severity} ${entry.raised.when}`;
    expect(row?.[1]).toBe(severity);
    expect(row?.[2]).toBe(entry.title);
  });
});
