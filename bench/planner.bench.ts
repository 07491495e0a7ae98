/**
 * `npm run bench:planner`: plans generated topologies of growing size, then adversarial shapes at
 * 2,000 components, and prints for each the median time of the plan beside the JSON floor, the
 * cost of merely reading the input text and writing the plan as JSON (`JSON.parse` of the
 * request's text + `JSON.stringify` of the plan), measured in the same run on the same machine:
 * the ratio of the two is what to compare between machines and days. For the generated sizes it
 * also measures the floor of a plain copy of the plan (`plainFloorMs`): the first serialization of
 * a fresh plan also flattens the strings the planner built by concatenation, work of the planner's
 * that `floorMs` carries (`deferredMs`); `plainRatio` charges it to the plan (type PlainFloor).
 * The last line is one JSON object, for scripts:
 *   {"sizes":[{"components":10,"medianMs":…,"floorMs":…,"ratio":…,"plainFloorMs":…,"plainRatio":…,…},…],
 *    "shapes":[{"shape":"dependency-chain","components":2000,"medianMs":…,"floorMs":…,"ratio":…},…],
 *    "goals":[…]}
 * Goals (issue 16): at 1,000 components the plan costs at most 3x its JSON floor and its YAML no
 * more than the plan; 2,000 components of which 1,000 are public host-less HTTP cost at most 2x
 * per component what the generated 2,000-component topology does.
 *
 * It writes its table, the goals and the machine's load into the planner block of
 * docs/performance.md (bench/performance-report.ts), as the other benches write theirs.
 *
 * Run with `--expose-gc` (the npm script does): the heap is collected before each measured step,
 * so no step pays for the garbage of the one before it.
 *
 * It runs itself again with the node flags and variables of `npm start` (young-generation size, one
 * V8 background thread), so the planner is measured with the garbage collector settings it has in
 * the service. BENCH_NODE_DEFAULTS=1 measures with node's own defaults instead (four background
 * threads sharing two CPUs made each scavenge of a 1,000-component plan far slower: the ratio went
 * from ~3.3 to 4-6 on a loaded machine).
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { plan } from '../src/planner/plan.js';
import { toYaml } from '../src/planner/yaml.js';
import { generateTopology } from '../test/support/generate-topology.js';
import {
  ADVERSARIAL_SHAPES,
  adversarialTopology,
  type AdversarialShape,
} from '../test/support/adversarial-topologies.js';
import type { PlanResult } from '../src/planner/types.js';
import { describeMachine, oneMinuteLoad, writePerformanceBlock } from './performance-report.js';
import { startScriptRuntime } from '../test/support/start-script.js';
import { at } from '../src/common/at.js';

const runtimeFlags = process.env.BENCH_NODE_DEFAULTS === '1' ? 'node defaults' : "npm start's flags";
if (process.env.BENCH_NODE_DEFAULTS !== '1' && process.env.BENCH_RUNTIME_APPLIED !== '1') {
  const runtime = startScriptRuntime();
  const rerun = spawnSync(
    process.execPath,
    [...process.execArgv, ...runtime.nodeFlags, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, ...runtime.env, BENCH_RUNTIME_APPLIED: '1' } },
  );
  process.exit(rerun.status ?? 1);
}

const SIZES = [10, 100, 1000, 2000];
const SHAPE_COMPONENTS = 2000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SHAPE_RUNS = Number(process.env.BENCH_SHAPE_RUNS ?? 3);

// With --expose-gc, a full collection; gc() returns nothing when called without options.
const exposedGc = (globalThis as { gc?: () => void }).gc;
const collectGarbage = (): void => exposedGc?.();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (at(sorted, middle - 1) + at(sorted, middle)) / 2 : at(sorted, middle);
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Wall-clock time, and the process's CPU time (user + system, GC threads included), in ms. */
function timed<T>(step: () => T): { result: T; ms: number; cpuMs: number } {
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = step();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, ms, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * `ratio` is of wall-clock medians, as the issue measured it; `cpuRatio` of CPU-time medians,
 * which a loaded machine distorts less: a step that waits for a CPU is not charged the wait.
 */
type Measured = {
  medianMs: number;
  floorMs: number;
  ratio: number;
  cpuRatio: number;
  yamlMedianMs: number;
  outputChars: number;
};

/**
 * The floor again, on a plain copy of the plan (`JSON.parse` of its JSON): the same output, its
 * strings already flat. The planner builds most of its text by concatenation, which V8 keeps as
 * rope strings until something reads them; the first `JSON.stringify` of a fresh plan flattens
 * them all, so `floorMs` carries work the planner left undone. `deferredMs` is that work (the two
 * floors' difference), and `plainRatio` charges it to the plan: (plan + deferred) / plain floor,
 * the plan's whole cost over what serializing its output costs any implementation.
 */
type PlainFloor = { plainFloorMs: number; deferredMs: number; plainRatio: number };

/**
 * The plan, its JSON floor and its YAML, each the median of `runs` interleaved rounds, after
 * `warmUps` unmeasured plans; with `plain`, the floor of a plain copy too (PlainFloor).
 */
function measure(input: Record<string, unknown>, runs: number, warmUps: number, plain: true): Measured & PlainFloor;
function measure(input: Record<string, unknown>, runs: number, warmUps: number, plain?: false): Measured;
function measure(
  input: Record<string, unknown>,
  runs: number,
  warmUps: number,
  plain = false,
): Measured | (Measured & PlainFloor) {
  // What a client sends: the plan starts from the request's text.
  const text = JSON.stringify(input);
  for (let i = 0; i < warmUps; i++) {
    plan(JSON.parse(text));
  }
  const planTimes: number[] = [];
  const floorTimes: number[] = [];
  const planCpu: number[] = [];
  const floorCpu: number[] = [];
  const yamlTimes: number[] = [];
  const plainFloorTimes: number[] = [];
  let outputChars = 0;
  for (let i = 0; i < runs; i++) {
    const planned = timed(() => plan(JSON.parse(text)));
    const outcome = planned.result;
    if (!outcome.ok) {
      throw new Error(`topology is invalid: ${JSON.stringify(outcome.problems.slice(0, 3))}`);
    }
    const result: PlanResult = outcome.plan;
    planTimes.push(planned.ms);
    planCpu.push(planned.cpuMs);
    const floor = timed(() => {
      JSON.parse(text);
      return JSON.stringify(result).length;
    });
    floorTimes.push(floor.ms);
    floorCpu.push(floor.cpuMs);
    outputChars = floor.result;
    yamlTimes.push(timed(() => toYaml(result.manifests)).ms);
    // After the YAML, so that the copy does not share the heap with the steps above.
    if (plain) {
      const copy = JSON.parse(JSON.stringify(result)) as unknown;
      plainFloorTimes.push(
        timed(() => {
          JSON.parse(text);
          return JSON.stringify(copy).length;
        }).ms,
      );
    }
  }
  const medianMs = median(planTimes);
  const floorMs = median(floorTimes);
  const measured: Measured = {
    medianMs: round(medianMs),
    floorMs: round(floorMs),
    ratio: round(medianMs / floorMs, 2),
    cpuRatio: round(median(planCpu) / median(floorCpu), 2),
    yamlMedianMs: round(median(yamlTimes)),
    outputChars,
  };
  if (!plain) {
    return measured;
  }
  const plainFloorMs = median(plainFloorTimes);
  const deferredMs = Math.max(0, floorMs - plainFloorMs);
  return {
    ...measured,
    plainFloorMs: round(plainFloorMs),
    deferredMs: round(deferredMs),
    plainRatio: round((medianMs + deferredMs) / plainFloorMs, 2),
  };
}

const loadAtStart = oneMinuteLoad();
const sizes: ({ components: number; msPerComponent: number } & Measured & PlainFloor)[] = [];
for (const components of SIZES) {
  const measured = measure(generateTopology(components), RUNS, 3, true);
  sizes.push({ components, ...measured, msPerComponent: round(measured.medianMs / components, 4) });
  console.log(
    `${String(components).padStart(5)} components: plan ${measured.medianMs.toFixed(2)} ms, JSON floor ${measured.floorMs.toFixed(2)} ms (ratio ${measured.ratio.toFixed(2)}, CPU ${measured.cpuRatio.toFixed(2)}); plain floor ${measured.plainFloorMs.toFixed(2)} ms, deferred ${measured.deferredMs.toFixed(2)} ms (plain ratio ${measured.plainRatio.toFixed(2)}); YAML ${measured.yamlMedianMs.toFixed(2)} ms; medians of ${RUNS} runs`,
  );
}

const generated = sizes.find((size) => size.components === SHAPE_COMPONENTS);
if (generated === undefined) {
  throw new Error(`the sizes must include ${SHAPE_COMPONENTS}, the adversarial shapes' size`);
}

function countOf(input: Record<string, unknown>) {
  const components = input.components as { ports?: unknown[]; dependsOn?: unknown[] }[];
  return {
    components: components.length,
    ports: components.reduce((total, component) => total + (component.ports?.length ?? 0), 0),
    edges: components.reduce((total, component) => total + (component.dependsOn?.length ?? 0), 0),
  };
}

const shapes: ({
  shape: AdversarialShape;
  components: number;
  ports: number;
  edges: number;
  msPerComponent: number;
  perComponentVsGenerated: number;
} & Measured)[] = [];
for (const shape of ADVERSARIAL_SHAPES) {
  const input = adversarialTopology(shape, SHAPE_COMPONENTS);
  // 100 ports per component make a 200 MB plan: one warm-up less, the JIT is warm by then.
  const measured = measure(input, SHAPE_RUNS, shape === 'ports-100' ? 0 : 1);
  const msPerComponent = measured.medianMs / SHAPE_COMPONENTS;
  shapes.push({
    shape,
    ...countOf(input),
    ...measured,
    msPerComponent: round(msPerComponent, 4),
    perComponentVsGenerated: round(msPerComponent / generated.msPerComponent, 2),
  });
  console.log(
    `${shape.padStart(23)}: plan ${measured.medianMs.toFixed(1)} ms, JSON floor ${measured.floorMs.toFixed(1)} ms (ratio ${measured.ratio.toFixed(2)}, CPU ${measured.cpuRatio.toFixed(2)}), ${(msPerComponent / generated.msPerComponent).toFixed(2)}x the generated topology's time per component; ${(measured.outputChars / 1e6).toFixed(1)} MB of JSON; medians of ${SHAPE_RUNS} runs`,
  );
}

const thousand = sizes.find((size) => size.components === 1000);
const hostLess = shapes.filter((shape) => shape.shape.startsWith('host-less-public'));
const goals = [
  ...(thousand === undefined
    ? []
    : [
        { goal: 'plan at 1,000 components <= 3x its JSON floor', value: thousand.ratio, met: thousand.ratio <= 3 },
        {
          goal: 'plan at 1,000 components <= 3x its JSON floor, in CPU time',
          value: thousand.cpuRatio,
          met: thousand.cpuRatio <= 3,
        },
        {
          goal: 'plan at 1,000 components, with the string work it defers, <= 3x the floor of its plain output',
          value: thousand.plainRatio,
          met: thousand.plainRatio <= 3,
        },
        {
          goal: 'YAML at 1,000 components <= the plan',
          value: round(thousand.yamlMedianMs / thousand.medianMs, 2),
          met: thousand.yamlMedianMs <= thousand.medianMs,
        },
      ]),
  ...hostLess.map((shape) => ({
    goal: `${shape.shape} at ${SHAPE_COMPONENTS}: <= 2x the generated topology's time per component`,
    value: shape.perComponentVsGenerated,
    met: shape.perComponentVsGenerated <= 2,
  })),
];
for (const { goal, value, met } of goals) {
  console.log(`goal: ${goal}: ${value} (${met ? 'met' : 'NOT met'})`);
}
/** Figures to a precision the noise allows: two decimals below 100, whole numbers above. */
const figure = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));

/** The V8 flags this process runs with (tsx's own loader flags left out). */
function nodeFlagsInUse(): string {
  return process.execArgv
    .filter((flag) => flag.startsWith('--') && !/^--(require|import|loader)\b/.test(flag))
    .join(' ');
}

function renderBlock(load: [number, number]): string {
  const header =
    '| topology | components | plan ms | JSON floor ms | ratio | CPU ratio | plain floor ms | deferred ms | plain ratio | YAML ms | ms per component | per component vs generated 2,000 |\n' +
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = [
    ...sizes.map(
      (size) =>
        `| generated | ${size.components.toLocaleString('en-US')} | ${figure(size.medianMs)} | ${figure(size.floorMs)} | ${size.ratio.toFixed(2)} | ${size.cpuRatio.toFixed(2)} | ${figure(size.plainFloorMs)} | ${figure(size.deferredMs)} | ${size.plainRatio.toFixed(2)} | ${figure(size.yamlMedianMs)} | ${size.msPerComponent.toFixed(3)} | |`,
    ),
    ...shapes.map(
      (shape) =>
        `| ${shape.shape} | ${shape.components.toLocaleString('en-US')} | ${figure(shape.medianMs)} | ${figure(shape.floorMs)} | ${shape.ratio.toFixed(2)} | ${shape.cpuRatio.toFixed(2)} | | | | ${figure(shape.yamlMedianMs)} | ${shape.msPerComponent.toFixed(3)} | ${shape.perComponentVsGenerated.toFixed(2)} |`,
    ),
  ];
  return `
${new Date().toISOString().slice(0, 10)}: \`npm run bench:planner\`, medians of ${RUNS} rounds per size and ${SHAPE_RUNS} per shape; node run with ${runtimeFlags} (${nodeFlagsInUse()}).

${header}
${rows.join('\n')}

${goals.map(({ goal, value, met }) => `- ${goal}: ${value} (${met ? 'met' : 'NOT met'})`).join('\n')}

${describeMachine(load, 'so compare the ratios, measured in the same rounds, not the times')}
`;
}

writePerformanceBlock('planner', renderBlock([loadAtStart, oneMinuteLoad()]));
if (exposedGc === undefined) {
  console.log('note: run with --expose-gc (npm run bench:planner does) to collect the heap before each step');
}
console.log(JSON.stringify({ runtime: { flags: runtimeFlags, execArgv: nodeFlagsInUse() }, sizes, shapes, goals }));
