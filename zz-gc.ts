import { plan } from './src/planner/plan.js';
import { generateTopology } from './test/support/generate-topology.js';
import { performance, PerformanceObserver } from 'node:perf_hooks';
const n = Number(process.argv[2] ?? 1000);
const text = JSON.stringify(generateTopology(n));
for (let i = 0; i < 3; i++) plan(JSON.parse(text));
const gc = (globalThis as any).gc;
let gcMs = 0, count = 0;
const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) { gcMs += e.duration; count++; } });
obs.observe({ entryTypes: ['gc'] });
const times: number[] = [];
const gcs: string[] = [];
for (let i = 0; i < 9; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 10));
  gcMs = 0; count = 0;
  const t = performance.now();
  plan(JSON.parse(text));
  times.push(performance.now() - t);
  await new Promise((r) => setTimeout(r, 10));
  gcs.push(`${count}:${gcMs.toFixed(0)}`);
}
console.log(n, times.map((t) => t.toFixed(0)).join(' '), '| gc', gcs.join(' '));
