import { instance, type Viz } from '@viz-js/viz';
import type { Diagram } from './diagram-model.js';
import { toDot } from './dot.js';

/**
 * The diagram as SVG, laid out by Graphviz's `dot` (@viz-js/viz: Graphviz compiled to WebAssembly,
 * shipped inside the npm package, so nothing is downloaded at install or run time). The same
 * diagram gives the same bytes: the layout is deterministic and nothing here reads a clock.
 *
 * Made accessible: `role="img"`, an aria-label and a `<title>` and `<desc>` as the first children
 * of the root (https://www.w3.org/TR/svg-aam-1.0/). The XML prolog, the DOCTYPE and Graphviz's
 * comments are dropped, so the same text serves as an .svg file and inline in an HTML page.
 */
export async function toSvg(diagram: Diagram): Promise<string> {
  const viz = await graphviz();
  const result = viz.render(toDot(diagram), { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    // Our own DOT failed to lay out: a bug, not the caller's input.
    throw new Error(`Graphviz could not lay out the diagram: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return accessible(result.output, diagram);
}

let loading: Promise<Viz> | undefined;

/** One Graphviz instance per process: compiling the WebAssembly module is the slow part. */
function graphviz(): Promise<Viz> {
  loading ??= instance().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

function accessible(svg: string, diagram: Diagram): string {
  const start = svg.indexOf('<svg');
  const body = svg
    .slice(start)
    // Graphviz's comments repeat node ids and name its version: nothing a reader needs.
    .replace(/<!--[\s\S]*?-->\n?/g, '');
  const open = body.indexOf('>');
  return (
    `${body.slice(0, open)} role="img" aria-label="${xmlEscape(diagram.title)}">\n` +
    `<title>${xmlEscape(diagram.title)}</title>\n` +
    `<desc>${xmlEscape(diagram.description)}</desc>` +
    body.slice(open + 1)
  );
}

export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
