import fc from 'fast-check';
import type { Diagram } from './diagram-model.js';
import { quoted, toDot } from './dot.js';
import { mermaidText, toMermaid } from './mermaid.js';
import { generateTopology } from '../../test/support/generate-topology.js';
import { DomainError } from '../common/domain-error.js';
import { plan } from '../planner/plan.js';
import { diagramOf } from './diagram-model.js';
import { graphvizLayoutsRun, MAX_SVG_NODES, toSvg } from './svg.js';

/**
 * Names, hosts, paths, class names and namespaces come from users (and stored plans may predate a
 * validation rule): whatever they hold must stay text in DOT, in Mermaid and in the SVG.
 */

/** Text a careless renderer would run: DOT and Mermaid syntax, HTML, escapes, entity codes, line breaks. */
const NASTY = [
  'x" ]; evil [label="pwned"]; "y',
  'a\\" -> b; \\N \\G \\l \\',
  '<b>bold</b><img src=x onerror=alert(1)>',
  'n0 --> n1\n  click n0 call alert(1)\r\n  style n0 fill:red',
  'end"] subgraph x["',
  '#quot; #35; &amp; `md` $$x$$ %% comment |pipe| {{hex}} ((round)) >flag]',
  "it's \u2028 \u0085 ok",
];

function nastyDiagram(text: string): Diagram {
  return {
    title: `plan ${text}`,
    description: `about ${text}`,
    namespace: `ns ${text}`,
    nodes: [
      { id: `source:${text}`, kind: 'source', title: text, details: [], inCluster: false },
      {
        id: 'entry:ingress',
        kind: 'entry-point',
        title: `Ingress ${text}`,
        details: [`class ${text}`],
        inCluster: false,
      },
      {
        id: `component:${text}`,
        kind: 'component',
        title: text,
        details: [text],
        inCluster: true,
        severeFindings: { severity: 'high', ids: [text] },
      },
    ],
    edges: [
      { from: `source:${text}`, to: 'entry:ingress', kind: 'traffic', label: text },
      { from: 'entry:ingress', to: `component:${text}`, kind: 'depends-on', label: text, blocked: true },
    ],
    notes: [text],
  };
}

function xmlDecode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** What Graphviz wrote as text, element by element. */
function svgTexts(svg: string): string[] {
  // Graphviz keeps runs of spaces as no-break spaces.
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) =>
    xmlDecode(match[1] ?? '').replace(/\u00a0/g, ' '),
  );
}

describe('DOT', () => {
  it.each(NASTY)('keeps %j as text: Graphviz draws exactly the nodes and edges of the diagram', async (text) => {
    const svg = await toSvg(nastyDiagram(text));
    expect(svg.match(/<g id="node\d+" class="node/g)).toHaveLength(3);
    expect(svg.match(/<g id="edge\d+" class="edge/g)).toHaveLength(2);
    expect(svg).not.toContain('pwned"');
    expect(svg).not.toMatch(/<(b|img)[\s>]/);
    // Line breaks of the user's text become spaces; everything else is drawn as written.
    const flat = text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ');
    const texts = svgTexts(svg);
    expect(texts).toContain(flat);
    expect(texts).toContain(`class ${flat}`);
  });

  it('escapes quotes, backslashes and ampersands, and nothing else', () => {
    expect(quoted(['a"b\\c&lt;', 'second'])).toBe('"a\\"b\\\\c&amp;lt;\\nsecond"');
    fc.assert(
      fc.property(fc.string(), (text) => {
        const body = quoted([text]).slice(1, -1);
        // No quote ends the string early: every quote is preceded by an odd run of backslashes.
        for (const match of body.matchAll(/(\\*)"/g)) {
          expect((match[1] ?? '').length % 2).toBe(1);
        }
        expect(body).not.toMatch(/[\r\n]/);
      }),
    );
  });

  it('writes no user text outside a quoted string', () => {
    const [first] = NASTY;
    if (first === undefined) {
      throw new Error('NASTY lists no text');
    }
    const dot = toDot(nastyDiagram(first));
    const unquoted = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(unquoted).not.toContain('evil');
    expect(unquoted).not.toContain('pwned');
  });
});

describe('Mermaid', () => {
  /** Every line the renderer may write, with labels as `"…"` holding no quote, `<` other than <br/>, `|` or newline. */
  const LABEL = String.raw`"(?:[^"<>|\n]|<br/>)*"`;
  const GRAMMAR = [
    /^flowchart LR$/,
    /^ {2}acc(Title|Descr): [^\n]*$/,
    new RegExp(`^ {2}heading\\[${LABEL}\\]$`),
    new RegExp(`^ {2,4}n\\d+(\\(\\[|\\[/|>|\\(|\\[|\\{\\{)${LABEL}(\\]\\)|\\\\\\]|\\]|\\)|\\}\\})$`),
    new RegExp(`^ {2}subgraph namespace\\[${LABEL}\\]$`),
    /^ {4}direction LR$/,
    /^ {2}end$/,
    new RegExp(`^ {2}n\\d+ (-->|-\\.->|==>)(\\|${LABEL}\\|)? n\\d+$`),
    /^ {2}linkStyle \d+ stroke:#[0-9a-f]{6},stroke-width:[\d.]+px,color:#[0-9a-f]{6}$/,
    /^ {2}classDef \w+ [\w#:,\-.]+$/,
    /^ {2}class [\w,]+ \w+$/,
    /^$/,
  ];

  it.each(NASTY)('keeps %j inside its labels, one statement per line', (text) => {
    const mermaid = toMermaid(nastyDiagram(text));
    for (const line of mermaid.split('\n')) {
      expect(
        GRAMMAR.some((rule) => rule.test(line)),
        line,
      ).toBe(true);
    }
    const flat = text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ');
    expect(mermaid).toContain(mermaidText(flat));
    // The grammar above has no click or style statement: such text stayed inside a label.
    expect(mermaid).not.toMatch(/^\s*(click|style) /m);
  });

  it('writes every character that is not plainly text as an entity code Mermaid turns back into it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const written = mermaidText(text);
        expect(written).toMatch(/^(?:[A-Za-z0-9 .,:/_=+\-→⚠]|#\d+;)*$/u);
        const decoded = written.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
        expect(decoded).toBe(text.replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' '));
      }),
    );
  });
});

describe('SVG', () => {
  it('is accessible: role="img", an aria-label, and a <title> and <desc> first, all escaped', async () => {
    const svg = await toSvg(nastyDiagram('<b>"&\''));
    expect(svg.startsWith('<svg ')).toBe(true);
    const open = svg.slice(0, svg.indexOf('>') + 1);
    expect(open).toContain('role="img"');
    expect(open).toContain('aria-label="plan &#60;b&#62;&#34;&#38;&#39;"');
    expect(svg.slice(open.length)).toMatch(
      /^\n<title>plan &#60;b&#62;&#34;&#38;&#39;<\/title>\n<desc>about &#60;b&#62;&#34;&#38;&#39;<\/desc>/,
    );
    expect(svg).not.toContain('<?xml');
    expect(svg).not.toContain('<!--');
  });

  it('lays a diagram out once: the same DOT again is answered from the cache, byte for byte', async () => {
    const first = await toSvg(nastyDiagram('cached once'));
    const runs = graphvizLayoutsRun();
    const again = await toSvg(nastyDiagram('cached once'));
    expect(again).toBe(first);
    expect(graphvizLayoutsRun()).toBe(runs);
    // Another diagram is laid out, not confused with the first.
    const other = await toSvg(nastyDiagram('another one'));
    expect(graphvizLayoutsRun()).toBe(runs + 1);
    expect(other).not.toBe(first);
    expect(other).toContain('another one');
  });

  it('refuses to lay out a diagram past its node limit with a 400 that names the Mermaid route', async () => {
    const outcome = plan(generateTopology(500));
    if (!outcome.ok) {
      throw new Error('the generated topology does not plan');
    }
    const diagram = diagramOf(outcome.plan);
    expect(diagram.nodes.length).toBeGreaterThan(MAX_SVG_NODES);
    const refused = await toSvg(diagram).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'VALIDATION_FAILED',
      problems: [{ path: 'plan', message: expect.stringContaining('diagram.mmd') }],
    });
  });
});
