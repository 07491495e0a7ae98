import { createHash } from 'node:crypto';
import type { Viz } from '@viz-js/viz';
import { LRUCache } from 'lru-cache';
import { DomainError } from '../common/domain-error.js';
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
  const viz = await graphviz();
  const result = viz.render(dot, {
    format: 'svg',
    engine: 'dot',
    graphAttributes: diagram.nodes.length > FULL_EFFORT_NODES ? LARGE_GRAPH_EFFORT : {},
  });
  if (result.status !== 'success') {
    // Our own DOT failed to lay out: a bug, not the caller's input.
    throw new Error(`Graphviz could not lay out the diagram: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  layoutsRun++;
  layouts.set(key, result.output);
  return accessible(result.output, diagram);
}

/**
 * Graphviz's SVG by the DOT it was laid out from (its SHA-256). Every view of the plan page and
 * every request for diagram.svg used to lay the plan out again, holding the event loop each time
 * (see MAX_SVG_NODES); a revision never changes, so neither does its DOT. Keyed by the DOT itself,
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
 * Graphviz's layout is synchronous (it holds the event loop) and grows faster than the graph.
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

let loading: Promise<Viz> | undefined;

/**
 * One Graphviz instance per process: compiling the WebAssembly module is the slow part. Imported on
 * first use: the package is 1.2 MB of JavaScript (the WebAssembly inlined) that a service which
 * never draws should not parse and hold from boot (the build's bundle keeps it a chunk of its own).
 */
function graphviz(): Promise<Viz> {
  loading ??= import('@viz-js/viz')
    .then(({ instance }) => instance())
    .catch((error: unknown) => {
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
