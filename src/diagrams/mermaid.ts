import { appendTo, type Diagram, type DiagramEdge, type DiagramNode } from './diagram-model.js';
// The look both renderers share: their fills, colours and label lines.
import * as style from './diagram-style.js';

/**
 * The diagram as a Mermaid flowchart (https://mermaid.js.org/syntax/flowchart.html), for GitHub,
 * Backstage and Markdown: Mermaid lays it out itself. Node ids are generated (`n0`, `n1`…) and
 * every label is a quoted string written by `mermaidText`, so a name, host or path is always text.
 */
export function toMermaid(diagram: Diagram): string {
  const ids = new Map(diagram.nodes.map((node, index) => [node.id, `n${index}`]));
  const lines = [
    'flowchart LR',
    // Accessible title and description (https://mermaid.js.org/config/accessibility.html): one line each.
    `  accTitle: ${style.oneLine(diagram.title)}`,
    `  accDescr: ${style.oneLine(diagram.description)}`,
    `  heading[${quotedText(style.headingLines(diagram))}]`,
  ];
  for (const node of diagram.nodes.filter((n) => !n.inCluster)) {
    lines.push(`  ${nodeStatement(node, ids)}`);
  }
  lines.push(`  subgraph namespace[${quotedText([`namespace ${diagram.namespace}`])}]`, '    direction LR');
  for (const node of diagram.nodes.filter((n) => n.inCluster)) {
    lines.push(`    ${nodeStatement(node, ids)}`);
  }
  lines.push('  end');
  const styles: string[] = [];
  diagram.edges.forEach((edge, index) => {
    lines.push(`  ${edgeStatement(edge, ids)}`);
    styles.push(`  linkStyle ${index} ${edgeStyle(edge)}`);
  });
  lines.push(...styles, ...classes(diagram, ids), '');
  return lines.join('\n');
}

const SHAPES: Record<DiagramNode['kind'], [string, string]> = {
  source: ['([', '])'],
  'entry-point': ['[/', '\\]'],
  caller: ['>', ']'],
  service: ['(', ')'],
  component: ['[', ']'],
  external: ['{{', '}}'],
};

function nodeStatement(node: DiagramNode, ids: Map<string, string>): string {
  const [open, close] = SHAPES[node.kind];
  return `${ids.get(node.id)}${open}${quotedText(style.nodeLines(node))}${close}`;
}

function edgeStatement(edge: DiagramEdge, ids: Map<string, string>): string {
  const arrow = style.edgeDashed(edge) ? '-.->' : edge.change === 'added' ? '==>' : '-->';
  const text = style.edgeText(edge);
  const label = text === undefined ? '' : `|${quotedText([text])}|`;
  return `${ids.get(edge.from)} ${arrow}${label} ${ids.get(edge.to)}`;
}

function edgeStyle(edge: DiagramEdge): string {
  const colour = style.edgeColour(edge);
  const width = edge.change === 'added' || edge.blocked === true ? 3 : 1.5;
  return `stroke:${colour},stroke-width:${width}px,color:${colour}`;
}

/** One class per node kind, change and mark, and each node in the classes it belongs to. */
function classes(diagram: Diagram, ids: Map<string, string>): string[] {
  const lines = [
    ...Object.entries(style.FILLS).map(([kind, fill]) => `  classDef ${className(kind)} fill:${fill},stroke:#555555`),
    ...Object.entries(style.CHANGE_FILLS).map(
      ([change, fill]) =>
        `  classDef ${change} fill:${fill},stroke:${style.COLOURS[change as keyof typeof style.CHANGE_FILLS]}`,
    ),
    `  classDef severe stroke:${style.COLOURS.severe},stroke-width:3px`,
    '  classDef heading fill:none,stroke:none',
    '  class heading heading',
  ];
  const members = new Map<string, string[]>();
  for (const node of diagram.nodes) {
    const id = ids.get(node.id)!;
    const names = [node.change ?? className(node.kind), ...(node.severeFindings === undefined ? [] : ['severe'])];
    for (const name of names) {
      appendTo(members, name, id);
    }
  }
  for (const [name, nodes] of members) {
    lines.push(`  class ${nodes.join(',')} ${name}`);
  }
  return lines;
}

/** entry-point → entryPoint: class names are plain words. */
function className(kind: string): string {
  return kind.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** Lines as one quoted Mermaid label, joined with `<br/>`. */
function quotedText(lines: string[]): string {
  return `"${lines.map(mermaidText).join('<br/>')}"`;
}

/**
 * Text inside a quoted Mermaid label. Mermaid reads `#…;` as an entity code and the label as
 * HTML, so every character that is not plainly text (quotes, `<`, `#`, `|`, brackets, backticks)
 * is written as its decimal entity code `#<code>;` (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters).
 */
export function mermaidText(text: string): string {
  return [...style.oneLine(text)]
    .map((character) => (SAFE.test(character) ? character : `#${character.codePointAt(0)};`))
    .join('');
}

// `$` too: Mermaid reads `$$…$$` as KaTeX math.
const SAFE = /^[A-Za-z0-9 .,:/_=+\-→⚠]$/u;
