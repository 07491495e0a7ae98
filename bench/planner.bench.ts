/**
 * `npm run bench:planner`: plans generated topologies of growing size and prints the median
 * time of each. The last line is one JSON object, for scripts:
 *   {"sizes":[{"components":10,"medianMs":…},…]}
 * Target (issue 2): 1,000 components under 50 ms median on a 2-core machine, growing linearly.
 */
import { performance } from 'node:perf_hooks';
import { plan } from '../src/planner/plan.js';
import { toYaml } from '../src/planner/yaml.js';
import { generateTopology } from '../test/support/generate-topology.js';

const SIZES = [10, 100, 1000, 2000];
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
}

const sizes: { components: number; medianMs: number; yamlMedianMs: number; msPerComponent: number }[] = [];
for (const components of SIZES) {
  const topology = generateTopology(components);
  // Warm up the JIT so the first measured run is not an outlier.
  for (let i = 0; i < 3; i++) {
    plan(topology);
  }
  const planTimes: number[] = [];
  const yamlTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const outcome = plan(topology);
    planTimes.push(performance.now() - start);
    if (!outcome.ok) {
      throw new Error(`generated topology is invalid: ${JSON.stringify(outcome.problems.slice(0, 3))}`);
    }
    const yamlStart = performance.now();
    toYaml(outcome.plan.manifests);
    yamlTimes.push(performance.now() - yamlStart);
  }
  const medianMs = Number(median(planTimes).toFixed(3));
  sizes.push({
    components,
    medianMs,
    yamlMedianMs: Number(median(yamlTimes).toFixed(3)),
    msPerComponent: Number((medianMs / components).toFixed(4)),
  });
  console.log(
    `${String(components).padStart(5)} components: plan ${medianMs.toFixed(2)} ms median, YAML ${median(yamlTimes).toFixed(2)} ms (${RUNS} runs)`,
  );
}
console.log(JSON.stringify({ sizes }));
