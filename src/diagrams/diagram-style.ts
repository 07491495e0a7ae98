import type { Diagram, DiagramChange, DiagramEdge, DiagramNode, DiagramNodeKind } from './diagram-model.js';

/**
 * What both renderers agree on: the colours of the legend (docs/diagrams.md) and the lines of a
 * node's label. One place, so the Mermaid text and the SVG read the same.
 */

export const COLOURS = {
  severe: '#c62828',
  blocked: '#c62828',
  added: '#2e7d32',
  removed: '#c62828',
  changed: '#e65100',
  dependsOn: '#1a5fb4',
  traffic: '#333333',
} as const;

export const FILLS: Record<DiagramNodeKind, string> = {
  source: '#e3f2fd',
  'entry-point': '#fff3e0',
  caller: '#f3e5f5',
  service: '#e8f5e9',
  component: '#ffffff',
  external: '#f5f5f5',
};

export const CHANGE_FILLS: Record<DiagramChange, string> = {
  added: '#c8e6c9',
  removed: '#ffcdd2',
  changed: '#ffe0b2',
};

/** The lines of a node's label: its title, its details, its mark and what a diff did to it. */
export function nodeLines(node: DiagramNode): string[] {
  const lines = [node.title, ...node.details];
  if (node.severeFindings !== undefined) {
    lines.push(`⚠ ${node.severeFindings.severity}: ${node.severeFindings.ids.join(', ')}`);
  }
  if (node.change !== undefined) {
    lines.push(`(${node.change})`);
  }
  return lines;
}

/** An edge's label with what a diff did to it, or undefined when it has none. */
export function edgeText(edge: DiagramEdge): string | undefined {
  const change = edge.change === undefined ? undefined : `(${edge.change})`;
  const parts = [edge.label, change].filter((part): part is string => part !== undefined && part !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

/** The edge's colour: what a diff did first, then a refusal, then its kind. */
export function edgeColour(edge: DiagramEdge): string {
  if (edge.change !== undefined) {
    return COLOURS[edge.change];
  }
  if (edge.blocked === true) {
    return COLOURS.blocked;
  }
  return edge.kind === 'depends-on' ? COLOURS.dependsOn : COLOURS.traffic;
}

/** Dashed: a call the NetworkPolicies refuse, a removed edge, a DNS alias. */
export function edgeDashed(edge: DiagramEdge): boolean {
  return edge.blocked === true || edge.change === 'removed' || edge.kind === 'alias';
}

/** The title and the notes, the lines printed above the picture. */
export function headingLines(diagram: Diagram): string[] {
  return [diagram.title, ...diagram.notes];
}

/** Text on one line: a user's string never starts a new statement in DOT or Mermaid. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' ');
}
