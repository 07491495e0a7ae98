import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { generateTopology } from '../../test/support/generate-topology.js';
import {
  ADVERSARIAL_SHAPES,
  adversarialTopology,
  type AdversarialShape,
} from '../../test/support/adversarial-topologies.js';
import { plan } from './plan.js';
import type { Platform } from './types.js';
import { at } from './testing/items.js';

/**
 * No step of the planner may grow faster than the topology (components + edges + ports, or
 * n log n for a sort). Told without a clock: V8's precise coverage counts how many times each
 * function of src/planner runs while one topology is planned, and planning a topology twice the
 * size must call every function at most about twice as often. A step that scans every component
 * (or manifest, or cost item) for each component calls its callback four times as often.
 * (A scan inside a built-in, such as Array.includes over every component, is not counted: only
 * the planner's own functions are.)
 */

/** Calls per function when the input doubles: linear is 2, n log n about 2.3 at these sizes, quadratic 4. */
const MOST_GROWTH = 2.6;
/** Functions called fewer times than this on the larger input are left out: a constant's noise. */
const LEAST_CALLS = 200;

const session = new Session();

/**
 * Optimized code does not count calls: a function that TurboFan compiled, or inlined into its
 * caller, reports 0 while it runs optimized. When that happened depended on when a background
 * compilation finished, so under a loaded suite a count could vanish from one run (the smaller
 * topology's) and the function look quadratic. The counts are taken with every function in the
 * interpreter (starting precise coverage deoptimizes what was optimized before); the compilers
 * are switched back on, at node's defaults, for the files this worker runs next.
 */
const INTERPRETER_ONLY = ['--no-always-turbofan', '--no-turbofan', '--no-maglev', '--no-sparkplug'];
const NODE_DEFAULTS = ['--turbofan', '--sparkplug'];

beforeAll(async () => {
  for (const flag of INTERPRETER_ONLY) {
    setFlagsFromString(flag);
  }
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
});

afterAll(async () => {
  await session.post('Profiler.stopPreciseCoverage');
  await session.post('Profiler.disable');
  session.disconnect();
  for (const flag of NODE_DEFAULTS) {
    setFlagsFromString(flag);
  }
});

/** How many times each function of src/planner ran while this input was planned. */
async function callsWhilePlanning(input: unknown): Promise<Map<string, number>> {
  // Taking the coverage resets the counters: what was counted before is dropped.
  await session.post('Profiler.takePreciseCoverage');
  const outcome = plan(input);
  const { result } = await session.post('Profiler.takePreciseCoverage');
  expect(outcome.ok).toBe(true);
  const calls = new Map<string, number>();
  for (const script of result) {
    if (!script.url.includes('/src/planner/') || script.url.includes('.spec.')) {
      continue;
    }
    const file = script.url.slice(script.url.indexOf('/src/planner/') + 1);
    for (const fn of script.functions) {
      // The first range is the whole function; its count is how many times it was called.
      const key = `${fn.functionName || '(anonymous)'} in ${file} at offset ${at(fn.ranges, 0).startOffset}`;
      calls.set(key, (calls.get(key) ?? 0) + at(fn.ranges, 0).count);
    }
  }
  // The counts are the planner's own: plan() itself must be among them, or the filter lost them all.
  expect([...calls.keys()].some((key) => key.startsWith('plan in src/planner/plan.ts'))).toBe(true);
  return calls;
}

/** The functions called more than MOST_GROWTH times as often on the larger input, with their counts. */
async function fasterThanLinear(small: unknown, large: unknown): Promise<string[]> {
  const before = await callsWhilePlanning(small);
  const after = await callsWhilePlanning(large);
  return [...after]
    .filter(([key, count]) => count >= LEAST_CALLS && count > MOST_GROWTH * (before.get(key) ?? 0))
    .map(([key, count]) => `${key}: ${before.get(key) ?? 0} calls, then ${count}`);
}

const SIZE = 150;
/** 100 ports per component make a small count of components a large topology already. */
const sizeOf = (shape: AdversarialShape) => (shape === 'ports-100' ? 20 : SIZE);

describe('the planner grows linearly with the topology (calls counted, no clock)', () => {
  it.each(ADVERSARIAL_SHAPES)('adversarial shape %s', async (shape) => {
    const size = sizeOf(shape);
    expect(await fasterThanLinear(adversarialTopology(shape, size), adversarialTopology(shape, 2 * size))).toEqual([]);
  });

  const environments: [string, Record<string, unknown>][] = [
    ['aws without a named controller', { platform: 'aws' }],
    ['aws with Gateway API', { platform: 'aws', ingressController: 'alb', routing: 'gateway-api' }],
    ['gcp with gce', { platform: 'gcp', ingressController: 'gce' }],
    ['azure', { platform: 'azure' }],
    ['k3s', { platform: 'k3s' }],
    ['bare metal', { platform: 'bare-metal' }],
    ['digitalocean with nginx', { platform: 'digitalocean', ingressController: 'nginx' }],
  ];

  it.each(environments)('the generated topology and host-less public ones, %s', async (_name, environment) => {
    const on = (input: Record<string, unknown>) => ({ ...input, environment });
    expect(
      await fasterThanLinear(
        on(generateTopology(SIZE)),
        on(generateTopology(2 * SIZE, environment.platform as Platform)),
      ),
    ).toEqual([]);
    expect(
      await fasterThanLinear(
        on(adversarialTopology('host-less-public', SIZE)),
        on(adversarialTopology('host-less-public', 2 * SIZE)),
      ),
    ).toEqual([]);
    expect(
      await fasterThanLinear(
        on(adversarialTopology('all-public', SIZE)),
        on(adversarialTopology('all-public', 2 * SIZE)),
      ),
    ).toEqual([]);
  });

  // Public HTTP components with allowedSources behind the shared entry point: the plan writes an
  // allow list per component (a Traefik Middleware, an Envoy Gateway SecurityPolicy), and EXP017
  // reads them back per component, by name, not by a scan of every manifest.
  const allowListEnvironments: [string, Record<string, unknown>][] = [
    ['Traefik Ingress on k3s', { platform: 'k3s' }],
    ['Traefik Gateway API on k3s', { platform: 'k3s', routing: 'gateway-api' }],
    ['Envoy Gateway on bare metal', { platform: 'bare-metal', routing: 'gateway-api', gatewayClassName: 'eg' }],
  ];

  it.each(allowListEnvironments)('public HTTP with allowedSources, %s', async (_name, environment) => {
    const withAllowLists = (size: number) => {
      const input = generateTopology(size, environment.platform as Platform) as {
        environment: Record<string, unknown>;
        components: { name: string; allowedSources?: string[] }[];
      };
      input.environment = { ...input.environment, ...environment };
      for (const component of input.components) {
        if (component.name.startsWith('web-')) {
          component.allowedSources = ['203.0.113.0/24'];
        }
      }
      return input;
    };
    expect(await fasterThanLinear(withAllowLists(SIZE), withAllowLists(2 * SIZE))).toEqual([]);
  });

  it('renders the NetworkPolicies once per plan, for the rationale notes and the manifests alike', async () => {
    const calls = await callsWhilePlanning(generateTopology(SIZE));
    const renders = [...calls].filter(([key]) => key.startsWith('renderNetworkPolicies in '));
    expect(renders.map(([, count]) => count)).toEqual([1]);
  });

  it('sees a quadratic step where there is one: a scan of every component per component', async () => {
    // The check itself must be able to fail: a scan of every component per component, as EXP029
    // once did, counted the same way, is flagged.
    const scan = (input: { components: { name: string; dependsOn?: string[] }[] }) =>
      input.components.map(
        (component) => input.components.filter((other) => (other.dependsOn ?? []).includes(component.name)).length,
      );
    const count = async (input: ReturnType<typeof generateTopology>) => {
      await session.post('Profiler.takePreciseCoverage');
      scan(input as never);
      const { result } = await session.post('Profiler.takePreciseCoverage');
      const here = result.find((script) => script.url.includes('planner-scaling.spec'));
      return (here?.functions ?? [])
        .filter((fn) => fn.functionName === '')
        .reduce((most, fn) => Math.max(most, at(fn.ranges, 0).count), 0);
    };
    const small = await count(generateTopology(SIZE));
    const large = await count(generateTopology(2 * SIZE));
    expect(large).toBeGreaterThan(MOST_GROWTH * small);
  });
});
