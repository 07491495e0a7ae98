import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { DomainError } from '../common/domain-error.js';
import type { Diagram } from './diagram-model.js';
import { toDot } from './dot.js';
import { LayoutTimeout, layOut } from './layout-thread.js';

/**
 * The diagram as SVG, laid out by Graphviz's `dot` (@viz-js/viz: Graphviz compiled to WebAssembly,
 * shipped inside the npm package, so nothing is downloaded at install or run time). The same
 * diagram gives the same bytes: the layout is deterministic and nothing here reads a clock.
 *
 * Made accessible: `role="img"`, an aria-label and a `<title>` and `<desc>` as the first children
 * of the root (https://www.w3.org/TR/svg-aam-1.0/). The XML prolog, the DOCTYPE and Graphviz's
 * comments are dropped, so the same text serves as an .svg file and inline in an HTML page.
 */
export async function toSvg(diagram: Diagram, layoutLimitMs = LAYOUT_LIMIT_MS): Promise<string> {
  if (diagram.nodes.length > MAX_SVG_NODES) {
    throw DomainError.validation(
      [
        {
          path: 'plan',
          message:
            `its diagram has ${diagram.nodes.length} nodes; SVG is laid out for at most ${MAX_SVG_NODES} ` +
            '(the layout runs on the server): the Mermaid text (diagram.mmd) draws any size',
        },
      ],
      'The plan is too large to lay out as SVG.',
    );
  }
  const dot = toDot(diagram);
  const key = createHash('sha256').update(dot).digest('base64');
  const known = layouts.get(key);
  if (known !== undefined) {
    return accessible(known, diagram);
  }
  let svg: string;
  try {
    svg = await layOut(dot, diagram.nodes.length > FULL_EFFORT_NODES ? LARGE_GRAPH_EFFORT : {}, layoutLimitMs);
  } catch (error) {
    if (error instanceof LayoutTimeout) {
      throw new DomainError(
        'UNAVAILABLE',
        `Graphviz did not finish laying out this diagram (${diagram.nodes.length} nodes, ${diagram.edges.length} edges) within ${error.limitMs / 1000} s: the Mermaid text (diagram.mmd) draws any size.`,
      );
    }
    throw error;
  }
  layoutsRun++;
  layouts.set(key, svg);
  return accessible(svg, diagram);
}

/**
 * How long one layout may take on the layout thread (layout-thread.ts), waiting included: under
 * the default request deadline (REQUEST_TIMEOUT_MS, 10 s), so the answer says why. The largest
 * diagram drawn (MAX_SVG_NODES) took 2.6 s on a heavily loaded machine; dense ones take far longer.
 */
export const LAYOUT_LIMIT_MS = 8_000;

/**
 * Graphviz's SVG by the DOT it was laid out from (its SHA-256). Every view of the plan page and
 * every request for diagram.svg used to lay the plan out again (see MAX_SVG_NODES); a revision
 * never changes, so neither does its DOT. Keyed by the DOT itself,
 * the cache needs no invalidation and knows nothing of plans or of who may read them: the caller
 * has already loaded, within its access, the plan it draws. The node count, which picks the
 * layout effort, is in the DOT too. Bounded by size (UTF-16 code units, about a byte each for SVG),
 * least recently used out first.
 */
const layouts = new LRUCache<string, string>({
  maxSize: 8 * 1024 * 1024,
  sizeCalculation: (svg) => Math.max(svg.length, 1),
});

let layoutsRun = 0;

/** How many times this process ran Graphviz (not counting answers from the cache): for the tests. */
export function graphvizLayoutsRun(): number {
  return layoutsRun;
}

/**
 * Graphviz's layout grows faster than the graph (and runs on a thread of its own, layout-thread.ts).
 * Measured on the 2-core machine while it was heavily loaded (load average above 20): 0.8 s for a
 * plan of 300 components (663 nodes) and 2.6 s for 450 (993 nodes) with the reduced effort below;
 * 1,000 components took 27 s at full effort. Past this many nodes the SVG is refused with a 400
 * that names diagram.mmd, which draws any size (Mermaid lays it out in the viewer).
 */
export const MAX_SVG_NODES = 1_000;

/** Up to this many nodes, Graphviz's full effort at fewer crossings; past it, a cheaper pass (same plan, same bytes still). */
const FULL_EFFORT_NODES = 200;

/** Fewer crossing-minimisation and network-simplex iterations (https://graphviz.org/docs/attrs/mclimit/, https://graphviz.org/docs/attrs/nslimit/). */
const LARGE_GRAPH_EFFORT = { mclimit: 0.1, nslimit: 1, nslimit1: 1, remincross: false } as const;

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
