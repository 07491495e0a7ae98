import { parentPort } from 'node:worker_threads';
import { instance } from '@viz-js/viz';

/**
 * Graphviz's layout on a thread of its own (see layout-thread.ts): a request is the DOT text and
 * the graph attributes, the answer Graphviz's SVG or its errors. Messages that arrive while the
 * WebAssembly module compiles wait in the port's queue until the listener below starts it.
 */
export type LayoutRequest = { id: number; dot: string; graphAttributes: Record<string, string | number | boolean> };
export type LayoutReply = { id: number; ok: true; svg: string } | { id: number; ok: false; errors: string[] };

const viz = await instance();
const port = parentPort;
if (port === null) {
  throw new Error('layout-worker runs as a worker thread');
}
port.on('message', ({ id, dot, graphAttributes }: LayoutRequest) => {
  const result = viz.render(dot, { format: 'svg', engine: 'dot', graphAttributes });
  const reply: LayoutReply =
    result.status === 'success'
      ? { id, ok: true, svg: result.output }
      : { id, ok: false, errors: result.errors.map((error) => error.message) };
  port.postMessage(reply);
});
