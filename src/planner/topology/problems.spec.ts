import fc from 'fast-check';
import type { z } from 'zod';
import { invalidTopologyInput, validTopologyInput } from '../testing/arbitraries.js';
import { PARSE_OPTIONS, safeParseWorded } from './problems.js';
import { componentSchema, topologyShellSchema } from './schema.js';

/** What a caller reads of a parse: whether it passed, its data, or its issues as our options word them. */
function outcome(result: z.ZodSafeParseResult<unknown>) {
  return result.success ? { data: result.data } : { issues: result.error.issues };
}

function expectSameAsWithOptions(schema: z.ZodType, input: unknown): void {
  expect(outcome(safeParseWorded(schema, input))).toEqual(outcome(schema.safeParse(input, PARSE_OPTIONS)));
}

describe(safeParseWorded.name, () => {
  // It parses without options first (zod's copy of them made every parse slower), so it must
  // answer exactly what the parse with our options answers, for any input.
  it('answers what a parse with our options answers, for valid and invalid topologies', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          validTopologyInput,
          invalidTopologyInput.map(({ input }) => input),
        ),
        (input) => {
          expectSameAsWithOptions(topologyShellSchema, input);
          for (const component of input.components as unknown[]) {
            expectSameAsWithOptions(componentSchema, component);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers what a parse with our options answers, for junk of any shape', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.record({ name: fc.anything(), role: fc.anything(), ports: fc.anything() }),
        (junk, component) => {
          expectSameAsWithOptions(componentSchema, junk);
          expectSameAsWithOptions(componentSchema, component);
          expectSameAsWithOptions(topologyShellSchema, junk);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('words the issues of an invalid input with our messages and the input they are about', () => {
    const result = safeParseWorded(componentSchema, { name: 'web', role: 'frontend', replicas: -1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['replicas'], message: 'replicas -1 is outside 0-10000', input: -1 }),
    ]);
  });
});
