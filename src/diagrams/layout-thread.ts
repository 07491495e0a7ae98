import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../common/module-worker.js';
import type { LayoutReply, LayoutRequest } from './layout-worker.js';

/**
 * Graphviz lays a graph out synchronously, and its time grows much faster than the graph: a plan
 * of 20 components that all depend on each other (40 nodes, 400 edges; a 3.4 KB topology) took
 * 13-23 s, 30 such components over 100 s, and in the main thread that held every request, /health
 * included (found by a security review). So the layout runs on a worker thread, started on the first
 * diagram, and a layout that takes longer than its time limit ends the thread: the request gets
 * LayoutTimeout, and the next layout starts a new thread.
 */
export class LayoutTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`Graphviz did not finish the layout within ${limitMs} ms`);
  }
}

type Pending = { resolve: (svg: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function layoutWorker(): Worker {
  if (worker !== undefined) {
    return worker;
  }
  const started = spawnModuleWorker(import.meta.url, 'layout-worker');
  started.on('message', (reply: LayoutReply) => {
    const waiting = pending.get(reply.id);
    if (waiting === undefined) {
      return;
    }
    pending.delete(reply.id);
    clearTimeout(waiting.timer);
    if (reply.ok) {
      waiting.resolve(reply.svg);
    } else {
      // Our own DOT failed to lay out: a bug, not the caller's input.
      waiting.reject(new Error(`Graphviz could not lay out the diagram: ${reply.errors.join('; ')}`));
    }
  });
  started.on('error', (error) => stop(started, error));
  started.on('exit', () => stop(started, new Error('the layout thread ended')));
  // An idle layout thread does not keep the process alive.
  started.unref();
  worker = started;
  return started;
}

/** Ends the thread and fails every layout still waiting for it. */
function stop(thread: Worker, error: Error): void {
  if (worker !== thread) {
    return;
  }
  worker = undefined;
  for (const [id, waiting] of pending) {
    clearTimeout(waiting.timer);
    pending.delete(id);
    waiting.reject(error);
  }
  void thread.terminate();
}

/**
 * Graphviz's SVG for `dot`, laid out on the layout thread within `limitMs` (waiting behind other
 * layouts counts: a flood of diagrams fails fast instead of piling up).
 */
export function layOut(
  dot: string,
  graphAttributes: LayoutRequest['graphAttributes'],
  limitMs: number,
): Promise<string> {
  const thread = layoutWorker();
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => stop(thread, new LayoutTimeout(limitMs)), limitMs);
    pending.set(id, { resolve, reject, timer });
    thread.postMessage({ id, dot, graphAttributes } satisfies LayoutRequest);
  });
}
