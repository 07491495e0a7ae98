import { validateTopology } from '../topology/index.js';
import { plan } from '../plan.js';
import type { PlanResult, Problem, Topology } from '../types.js';

/**
 * Topology INPUTS written by hand for the validation specs: a small valid one, and the same with
 * one part replaced, so each case states only what it changes.
 */

export type Json = Record<string, unknown>;

/** A small valid topology; each case changes one thing in it. */
export function baseInput(): Json {
  return {
    name: 'shop',
    environment: { platform: 'aws' },
    components: [{ name: 'web', role: 'frontend', ports: [{ port: 80 }] }],
  };
}

export const withEnvironment = (environment: Json): Json => ({
  ...baseInput(),
  environment: { platform: 'aws', ...environment },
});
export const withComponent = (component: Json): Json => ({
  ...baseInput(),
  components: [{ name: 'web', role: 'frontend', ...component }],
});
export const withComponents = (...components: Json[]): Json => ({ ...baseInput(), components });
export const withPorts = (...ports: Json[]): Json => withComponent({ ports });

/** A public frontend serving HTTP on port 80 at <name>.example.com; `extra` adds to or replaces its fields. */
export const publicFrontend = (name: string, extra: Json = {}): Json => ({
  name,
  role: 'frontend',
  ports: [{ name: 'http', port: 80 }],
  exposure: 'public',
  host: `${name}.example.com`,
  ...extra,
});

export function problemsOf(input: unknown): Problem[] {
  const result = validateTopology(input);
  if (result.ok) {
    throw new Error(`expected problems, got a valid topology for ${JSON.stringify(input)}`);
  }
  return result.problems;
}

export function topologyOf(input: unknown): Topology {
  const result = validateTopology(input);
  if (!result.ok) {
    throw new Error(`expected a valid topology, got ${JSON.stringify(result.problems, null, 2)}`);
  }
  return result.topology;
}

/** The plan of an input the test knows to be valid: its problems fail the test, listed. */
export function planOf(input: unknown): PlanResult {
  const outcome = plan(input);
  if (!outcome.ok) {
    throw new Error(`expected a plan, got ${JSON.stringify(outcome.problems)}`);
  }
  return outcome.plan;
}
