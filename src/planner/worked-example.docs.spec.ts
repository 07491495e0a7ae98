/**
 * docs/planner.md walks a new user through the shop-aws plan and says its output matches the
 * golden file. What it quotes from that plan (with "…" where it leaves words out), its cost table
 * and its price date are held to the golden here, so the page moves when the planner does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { at } from '../common/at.js';
import type { PlanResult } from './types.js';

const GOLDEN = 'src/planner/__snapshots__/shop-aws.plan.json';
const docs = readFileSync(join(process.cwd(), 'docs/planner.md'), 'utf8');
const golden = JSON.parse(readFileSync(join(process.cwd(), GOLDEN), 'utf8')) as PlanResult;

/** The worked example: from the line naming the golden file to the next section. */
function workedExample(): string {
  const start = docs.indexOf(`The output below matches the golden file \`${GOLDEN}\`.`);
  expect(start).toBeGreaterThan(0);
  const end = docs.indexOf('\n## ', start);
  return docs.slice(start, end === -1 ? undefined : end);
}

/** A quote with "…" for what it leaves out: every piece it keeps appears in `text`, in order. */
function quotes(quote: string, text: string): boolean {
  let from = 0;
  for (const piece of quote.split('…').map((part) => part.trim())) {
    const found = text.indexOf(piece, from);
    if (found === -1) {
      return false;
    }
    from = found + piece.length;
  }
  return true;
}

/** Markdown joins a paragraph's lines with spaces; so does the reader. */
const unwrapped = (text: string) => text.replace(/\s*\n\s*/g, ' ');

describe('docs/planner.md, the worked example shop-aws', () => {
  const section = workedExample();

  it('quotes every rationale line of web and api as the golden file has it', () => {
    const list = at(/also get the rationale lines:\n\n([\s\S]*?)\n\n/.exec(section) ?? [], 1);
    const quoted = [...unwrapped(list).matchAll(/- "(.*?)"(?: \(for `api`[^)]*\))?;?(?= - |\.?$)/g)].map((m) =>
      at(m, 1),
    );
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    const web = golden.recommendations.find((r) => r.component === 'web');
    for (const quote of quoted) {
      expect(
        web?.rationale.some((line) => quotes(quote, line)),
        quote,
      ).toBe(true);
    }
  });

  it('quotes the db rationale line and the ingress as the golden file has them', () => {
    const db = at(/`db` also gets: "(.*?)"/s.exec(unwrapped(section)) ?? [], 1);
    expect(golden.recommendations.find((r) => r.component === 'db')?.rationale).toContain(db);

    const ingress = at(/^`ingress`: `(.*)`\.$/m.exec(section) ?? [], 1);
    const documented = JSON.parse(ingress) as Record<string, unknown>;
    expect(Object.keys(documented).sort()).toEqual(Object.keys(golden.ingress ?? {}).sort());
    for (const [field, value] of Object.entries(documented)) {
      const actual = (golden.ingress as Record<string, unknown> | null)?.[field];
      if (typeof value === 'string' && value.includes('…')) {
        expect(quotes(value, String(actual)), field).toBe(true);
      } else {
        expect(actual, field).toEqual(value);
      }
    }
  });

  it('lists the cost items, the total, the saving and the price date of the golden file', () => {
    const rows = [...section.matchAll(/^\| (\S+)\s+\| (.+?)\s+\|\s+([\d.]+) \|$/gm)].map((m) => ({
      resource: at(m, 1),
      description: at(m, 2),
      monthly: Number(at(m, 3)),
    }));
    expect(rows).toEqual(
      golden.cost.items.map(({ resource, description, monthly }) => ({ resource, description, monthly })),
    );
    expect(section).toContain(`**${golden.cost.monthlyTotal.toFixed(2)}**`);
    const saving = at(/The saving: "(.*?)"/s.exec(unwrapped(section)) ?? [], 1);
    expect(golden.cost.savings.map((s) => s.description)).toContain(saving);
    expect(section).toContain(`\`asOf\` is \`${golden.cost.pricing.asOf}\``);
  });
});
