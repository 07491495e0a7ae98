import type { Problem, Topology } from '../types.js';
import { unsafeTextIn, withUnsafeText } from '../text-safety.js';
import { normalize } from './defaults.js';
import { checkCertificates } from './certificate.js';
import { checkComponent, checkEnvironment, isObject, meaningContext, read } from './meaning.js';
import {
  MAX_PROBLEMS_LISTED,
  safeParseWorded,
  compareSegments,
  finish,
  problemsFromIssues,
  type FoundProblem,
} from './problems.js';
import { MAX_COMPONENTS, MAX_LABELS, componentSchema, topologyShellSchema, type ParsedComponent } from './schema.js';

export { MAX_PROBLEMS_LISTED } from './problems.js';
export {
  MAX_COMPONENTS,
  MAX_STATEFULSET_NAME_LENGTH,
  cidrProblem,
  topologyJsonSchema,
  type TopologyInput,
} from './schema.js';

/**
 * The topology input contract (the original design's "The topology") and its validation. Two passes, both over
 * the whole input, so that every problem is listed at once:
 *   1. shape: the zod schema (schema.ts: types, enums, ranges, name syntax; unknown fields are
 *      problems, so a typo cannot pass silently), its issues worded in problems.ts. It is also the
 *      JSON Schema of the OpenAPI document.
 *   2. meaning (meaning.ts): rules that relate one field to another (duplicate names, dependsOn
 *      references, nodePort collisions, host/path collisions, …). They read the raw input
 *      defensively, so they run on whatever parts are well-formed even when other parts are not.
 * Then, when nothing is wrong, the defaults are filled in (defaults.ts, `Topology`).
 */

export type TopologyValidation = { ok: true; topology: Topology } | { ok: false; problems: Problem[] };

/** A component with too many labels is parsed without them: their count is the problem (checkLabels), not each one. */
function forParsing(component: unknown): unknown {
  if (!isObject(component)) {
    return component;
  }
  const labels = read(component, 'labels');
  return isObject(labels) && Object.keys(labels).length > MAX_LABELS ? { ...component, labels: {} } : component;
}

function validate(input: unknown): TopologyValidation {
  const found: FoundProblem[] = [];
  // Text the database cannot store (NUL, lone surrogates) or no field takes (control characters).
  const unsafeText = unsafeTextIn(input, MAX_PROBLEMS_LISTED + 1);
  const shell = safeParseWorded(topologyShellSchema, input);
  if (!shell.success) {
    problemsFromIssues(shell.error.issues, [], found);
  }
  if (!isObject(input)) {
    return { ok: false, problems: finish(found, false) };
  }
  const environment = read(input, 'environment');
  if (isObject(environment)) {
    checkEnvironment(environment, found);
  }

  // Components are parsed and checked one at a time, in order, and the reading stops once more
  // problems are found than are listed: those come first in the sorted list anyway, and a huge
  // broken input then costs no more than a small one.
  const rawComponents = read(input, 'components');
  const components: ParsedComponent[] = [];
  let problemsSoFar = found.filter((problem) => compareSegments(problem.segments, ['components', 0]) < 0).length;
  let stoppedEarly = false;
  // Past the size limit zod reports only the count without reading the elements, and so does this.
  if (Array.isArray(rawComponents) && rawComponents.length <= MAX_COMPONENTS) {
    const context = meaningContext(rawComponents);
    for (let index = 0; index < rawComponents.length; index++) {
      if (problemsSoFar > MAX_PROBLEMS_LISTED) {
        stoppedEarly = true;
        break;
      }
      const before = found.length;
      const parsed = safeParseWorded(componentSchema, forParsing(rawComponents[index]));
      if (parsed.success) {
        components.push(parsed.data);
      } else {
        problemsFromIssues(parsed.error.issues, ['components', index], found);
      }
      checkComponent(context, index, found);
      problemsSoFar += found.length - before;
    }
    checkCertificates(environment, rawComponents, found);
  }

  if (found.length > 0 || unsafeText.length > 0 || !shell.success) {
    const all = withUnsafeText(found, unsafeText);
    // A failed parse always has an issue; the `||` only keeps a zod surprise from turning into a crash.
    return {
      ok: false,
      problems: all.length > 0 ? finish(all, stoppedEarly) : [{ path: '', message: 'the topology is not valid' }],
    };
  }
  return { ok: true, topology: normalize({ ...shell.data, components }) };
}

/**
 * Checks a topology and fills in its defaults. Never throws: bad input of any shape (null, a string,
 * deeply nested junk, "__proto__" keys) gives every problem found, as values.
 */
export function validateTopology(input: unknown): TopologyValidation {
  try {
    return validate(input);
  } catch (error) {
    // JSON cannot get here; an exotic object can (a getter that throws, a revoked Proxy).
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: `the topology could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`,
        },
      ],
    };
  }
}
