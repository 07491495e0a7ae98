import { z } from 'zod';
import { pricingOverrideSchema } from '../pricing.js';
import type { Problem } from '../types.js';
import { describeValue, didYouMean, formatCount, listOf, quote } from './messages.js';
import { componentSchema, environmentSchema, portSchema, topologyInputSchema } from './schema.js';

/** Beyond this, the list ends with a count of the rest: nobody reads more, and a response stays small. */
export const MAX_PROBLEMS_LISTED = 1_000;

/* ------------------------------------------------------------------------------------------------
 * Problems: collected with their path as segments, sorted in document order, then formatted.
 * ---------------------------------------------------------------------------------------------- */

export type Segment = string | number;
export type FoundProblem = { segments: readonly Segment[]; message: string };

/** Fields in the order of the Topology type, so problems read top to bottom like the input. */
const FIELD_RANK: ReadonlyMap<string, number> = new Map(
  [
    ...Object.keys(topologyInputSchema.shape),
    ...Object.keys(environmentSchema.shape),
    ...Object.keys(componentSchema.shape),
    ...Object.keys(portSchema.shape),
    ...Object.keys(pricingOverrideSchema.shape),
  ]
    .filter((key, index, keys) => keys.indexOf(key) === index)
    .map((key, index) => [key, index]),
);

export function compareSegments(a: readonly Segment[], b: readonly Segment[]): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index];
    const y = b[index];
    // Both are present below the shorter length; the checks only tell the compiler so.
    if (x === y || x === undefined || y === undefined) {
      continue;
    }
    if (typeof x === 'number' && typeof y === 'number') {
      return x - y;
    }
    if (typeof x === 'number') {
      return -1;
    }
    if (typeof y === 'number') {
      return 1;
    }
    const rankX = FIELD_RANK.get(x) ?? Number.MAX_SAFE_INTEGER;
    const rankY = FIELD_RANK.get(y) ?? Number.MAX_SAFE_INTEGER;
    if (rankX !== rankY) {
      return rankX - rankY;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `components[2].ports[0].nodePort`; keys that are not identifiers (label keys) in brackets. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
    } else if (typeof segment === 'string' && IDENTIFIER.test(segment)) {
      path += path === '' ? segment : `.${segment}`;
    } else {
      path += `[${quote(String(segment), 100)}]`;
    }
  }
  return path;
}

/* ------------------------------------------------------------------------------------------------
 * Pass 1: zod issues → problems.
 * ---------------------------------------------------------------------------------------------- */

/** Set as the parse-wide message, so issues whose schema gave no message of its own can be worded here. */
const UNWORDED = '\u0000unworded';

const ELEMENT_NOUN: Readonly<Record<string, string>> = {
  components: 'a component',
  ports: 'a port',
  allowedSources: 'an allowed source',
  dependsOn: 'a dependsOn entry',
};

function subjectOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return 'the topology';
  }
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'labels' && path.length >= 2) {
    return `the value of label ${quote(String(last))}`;
  }
  if (typeof last === 'number') {
    return (typeof parent === 'string' ? ELEMENT_NOUN[parent] : undefined) ?? 'an entry';
  }
  return typeof last === 'string' ? last : String(last);
}

function expectedPhrase(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    default:
      return expected;
  }
}

/** The words for an issue from a schema that gave none (mostly type mismatches, and the pricing override). */
function wordIssue(issue: z.core.$ZodIssue): string {
  const subject = subjectOf(issue.path);
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) {
        return `${subject} is required`;
      }
      return `${subject} must be ${expectedPhrase(issue.expected)}, got ${describeValue(input)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${subject} must be at most ${String(issue.maximum)} characters long`
        : issue.origin === 'array'
          ? `${subject} must have at most ${String(issue.maximum)} entries`
          : `${subject} must be at most ${String(issue.maximum)}, got ${describeValue(input)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${subject} must not be empty`
        : issue.origin === 'array'
          ? `${subject} must have at least ${String(issue.minimum)} entries`
          : `${subject} must be at least ${String(issue.minimum)}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `${subject} must be one of ${issue.values.map(String).join(', ')}, got ${describeValue(input)}`;
    case 'invalid_format':
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'unrecognized_keys':
    case 'custom':
      return `${subject} is not valid`;
  }
}

/** The fields an object at this path accepts (for "did you mean" on an unknown field). */
function knownFieldsAt(path: readonly PropertyKey[]): readonly string[] {
  let schema: z.core.$ZodType = topologyInputSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject && typeof segment === 'string') {
      const next = (schema.shape as Record<string, z.core.$ZodType>)[segment];
      if (next === undefined || !Object.hasOwn(schema.shape, segment)) {
        return [];
      }
      schema = next;
    } else if (schema instanceof z.ZodArray && typeof segment === 'number') {
      schema = schema.element;
    } else if (schema instanceof z.ZodRecord) {
      schema = schema.valueType;
    } else {
      return [];
    }
  }
  schema = unwrap(schema);
  if (schema instanceof z.ZodObject) {
    return Object.keys(schema.shape);
  }
  if (schema instanceof z.ZodRecord && schema.keyType instanceof z.ZodEnum) {
    return schema.keyType.options.map(String);
  }
  return [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
    current = current.unwrap();
  }
  return current;
}

/** Per object: a flood of unknown fields is one mistake (a wrong object), not thousands of problems. */
const MAX_UNKNOWN_FIELDS_LISTED = 20;

function unknownFieldProblems(path: readonly Segment[], keys: readonly string[], into: FoundProblem[]): void {
  const known = knownFieldsAt(path);
  for (const key of keys.slice(0, MAX_UNKNOWN_FIELDS_LISTED)) {
    const hint = didYouMean(key, known);
    into.push({
      segments: [...path, key],
      message:
        hint !== ''
          ? `unknown field ${quote(key)}${hint}`
          : `unknown field ${quote(key)}${known.length > 0 ? `; expected one of ${listOf(known)}` : ''}`,
    });
  }
  if (keys.length > MAX_UNKNOWN_FIELDS_LISTED) {
    into.push({
      segments: path,
      message: `${formatCount(keys.length - MAX_UNKNOWN_FIELDS_LISTED)} more unknown fields are not listed`,
    });
  }
}

/** `prefix` places the issues of a part parsed on its own (a component) in the whole topology. */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly Segment[],
  into: FoundProblem[],
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((segment): segment is Segment => typeof segment !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      unknownFieldProblems(path, issue.keys, into);
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues[0];
      into.push({
        segments: path,
        message: inner !== undefined && inner.message !== UNWORDED ? inner.message : `${subjectOf(path)} is not valid`,
      });
    } else {
      into.push({
        segments: path,
        message: issue.message === UNWORDED ? wordIssue({ ...issue, path }) : issue.message,
      });
    }
  }
}

/** Parses with our messages: the schemas word their own problems, the rest is worded in `wordIssue`. */
export const PARSE_OPTIONS = { reportInput: true, error: () => UNWORDED } as const;

/**
 * `schema.safeParse(input, PARSE_OPTIONS)`, at the cost of a plain `safeParse` when the input is valid.
 * zod copies the options it is given into a new context object on every call (`{ ...options, async:
 * false }`), and with that copy V8 parsed a component about half as fast (docs/performance.md). The
 * options only word the issues: they change neither whether the input parses nor its data. So the
 * input is parsed plain first, and again with our messages only when it fails.
 */
export function safeParseWorded<Schema extends z.ZodType>(schema: Schema, input: unknown) {
  const plain = schema.safeParse(input);
  return plain.success ? plain : schema.safeParse(input, PARSE_OPTIONS);
}

export function finish(found: FoundProblem[], stoppedEarly: boolean): Problem[] {
  // Stable: at one path, shape problems come before meaning problems, each in input order.
  const sorted = found
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => compareSegments(a.problem.segments, b.problem.segments) || a.order - b.order);
  const listed = sorted
    .slice(0, MAX_PROBLEMS_LISTED)
    .map(({ problem }) => ({ path: formatPath(problem.segments), message: problem.message }));
  if (sorted.length <= MAX_PROBLEMS_LISTED) {
    return listed;
  }
  const rest = sorted.length - MAX_PROBLEMS_LISTED;
  const more = stoppedEarly
    ? 'More problems are not listed (the rest of the input was not read)'
    : `${formatCount(rest)} more problem${rest === 1 ? ' is' : 's are'} not listed`;
  return [...listed, { path: '', message: `${more}; fix the ones above first` }];
}
