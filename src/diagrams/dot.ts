import type { Diagram, DiagramEdge, DiagramNode } from './diagram-model.js';
// The look both renderers share: their fills, colours and label lines.
import * as style from './diagram-style.js';

/**
 * The diagram as Graphviz DOT text (https://graphviz.org/doc/info/lang.html), laid out left to
 * right by `dot`. Every identifier and label is a quoted string written by `quoted`, so a name,
 * host or path from the topology is always text, never DOT.
 */
export function toDot(diagram: Diagram): string {
  const lines = [
    'digraph plan {',
    `  graph [rankdir=LR, fontname="${FONT}", fontsize=12, labelloc=t, labeljust=l, pad=0.3, nodesep=0.3, ranksep=0.6, label=${quoted(style.headingLines(diagram), 'left')}];`,
    `  node [fontname="${FONT}", fontsize=11, shape=box, style="rounded,filled", penwidth=1.2, margin="0.2,0.08"];`,
    `  edge [fontname="${FONT}", fontsize=10, arrowsize=0.7];`,
  ];
  for (const node of diagram.nodes.filter((n) => !n.inCluster)) {
    lines.push(`  ${nodeStatement(node)}`);
  }
  lines.push(
    '  subgraph cluster_namespace {',
    `    graph [label=${quoted([`namespace ${diagram.namespace}`])}, style="rounded,dashed", color="#9e9e9e"];`,
  );
  for (const node of diagram.nodes.filter((n) => n.inCluster)) {
    lines.push(`    ${nodeStatement(node)}`);
  }
  lines.push('  }');
  for (const edge of diagram.edges) {
    lines.push(`  ${edgeStatement(edge)}`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

const FONT = 'Helvetica,Arial,sans-serif';

const SHAPES: Record<DiagramNode['kind'], string> = {
  source: 'ellipse',
  'entry-point': 'box',
  caller: 'note',
  service: 'box',
  component: 'box3d',
  external: 'box',
};

function nodeStatement(node: DiagramNode): string {
  const attributes: Record<string, string> = {
    label: quoted(style.nodeLines(node)),
    shape: SHAPES[node.kind],
    fillcolor: `"${node.change === undefined ? style.FILLS[node.kind] : style.CHANGE_FILLS[node.change]}"`,
    class: `"${node.kind}${node.severeFindings === undefined ? '' : ' severe'}${node.change === undefined ? '' : ` ${node.change}`}"`,
  };
  if (node.kind === 'external' || node.change === 'removed') {
    attributes.style = '"rounded,filled,dashed"';
  }
  if (node.kind === 'component' || node.kind === 'caller' || node.kind === 'source') {
    attributes.style = node.change === 'removed' ? '"filled,dashed"' : 'filled';
  }
  if (node.severeFindings !== undefined) {
    attributes.color = `"${style.COLOURS.severe}"`;
    attributes.penwidth = '3';
  } else if (node.change === 'changed') {
    attributes.color = `"${style.COLOURS.changed}"`;
    attributes.penwidth = '2.5';
  }
  return `${quoted([node.id])} [${list(attributes)}];`;
}

function edgeStatement(edge: DiagramEdge): string {
  const attributes: Record<string, string> = { color: `"${style.edgeColour(edge)}"` };
  const text = style.edgeText(edge);
  if (text !== undefined) {
    attributes.label = quoted([text]);
    attributes.fontcolor = `"${style.edgeColour(edge)}"`;
  }
  if (style.edgeDashed(edge)) {
    attributes.style = edge.kind === 'alias' && edge.change === undefined ? 'dotted' : 'dashed';
  }
  if (edge.change === 'added') {
    attributes.penwidth = '2.5';
  }
  attributes.class = `"${edge.kind}${edge.blocked === true ? ' blocked' : ''}${edge.change === undefined ? '' : ` ${edge.change}`}"`;
  return `${quoted([edge.from])} -> ${quoted([edge.to])} [${list(attributes)}];`;
}

function list(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/**
 * A DOT quoted string of lines. Inside quotes only `"` ends the string, a backslash starts an
 * escape (`\n`, `\l`, `\N`, `\G`… in labels), and Graphviz reads `&…;` as an HTML entity
 * (https://graphviz.org/doc/info/lang.html): all three are escaped, and lines are joined with `\n`.
 */
export function quoted(lines: string[], justify: 'center' | 'left' = 'center'): string {
  const escaped = lines.map((line) =>
    style.oneLine(line).replace(/&/g, '&amp;').replace(/\\/g, '\\\\').replace(/"/g, '\\"'),
  );
  // A line ending in \l is left-justified, one ending in \n centred (https://graphviz.org/docs/attr-types/escString/).
  return justify === 'left' ? `"${escaped.map((line) => `${line}\\l`).join('')}"` : `"${escaped.join('\\n')}"`;
}
