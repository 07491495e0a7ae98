/**
 * The characters no string sent to the service may carry, in a topology or anywhere else (query
 * parameters, GraphQL arguments, chat commands). One rule, used by every place that takes text:
 *
 * - U+0000 (NUL): PostgreSQL `text` cannot hold it, and `json`/`jsonb` refuse its escape `\u0000`
 *   ("unsupported Unicode escape sequence"), so a stored plan carrying one breaks every later query
 *   that reads its JSON (planStats) for its team and for every admin.
 * - A lone UTF-16 surrogate (U+D800-U+DFFF without its other half): not a Unicode character, so it
 *   has no UTF-8 form; the database refuses its `\ud800` escape the same way.
 * - Every other control character (C0 U+0001-U+001F, DEL U+007F, C1 U+0080-U+009F) and the line and
 *   paragraph separators U+2028, U+2029: storable, but no field of the API is multi-line text, and
 *   they are what carries line breaks into chat replies and terminal escapes into logs.
 *
 * Messages name the character by its code point and never contain it.
 */

/** Code units, not code points (no `u` flag): a lone surrogate is a code unit without its partner. */
const UNSAFE_CHARACTER =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const UNSAFE_CHARACTERS = new RegExp(UNSAFE_CHARACTER.source, 'g');

function codePointName(codeUnit: number): string {
  return `U+${codeUnit.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `value` cannot be taken, or undefined when every character of it can. */
export function unsafeTextProblem(value: string): string | undefined {
  const match = UNSAFE_CHARACTER.exec(value);
  if (match === null) {
    return undefined;
  }
  const codeUnit = match[0].charCodeAt(0);
  const where = `at character ${match.index + 1}`;
  if (codeUnit === 0) {
    return `contains U+0000 (NUL) ${where}, which PostgreSQL cannot store; remove it`;
  }
  if (codeUnit >= 0xd800 && codeUnit <= 0xdfff) {
    return `contains ${codePointName(codeUnit)} ${where}, half of a UTF-16 surrogate pair without its other half: not a Unicode character, and it cannot be stored as UTF-8; remove it`;
  }
  return `contains the control character ${codePointName(codeUnit)} ${where}; no field takes control characters or line breaks, remove it`;
}

/**
 * `value` with every character `unsafeTextProblem` refuses replaced: for output that must go out
 * whatever it holds (a chat reply quoting a plan stored before this rule, or the server's own
 * configuration), where a line break would start a new line and a lone surrogate has no encoding.
 */
export function replaceUnsafeCharacters(value: string, replacement: string): string {
  return UNSAFE_CHARACTER.test(value) ? value.replace(UNSAFE_CHARACTERS, replacement) : value;
}

/** Where a problem is: the keys and indexes from the top of the value. */
export type TextPath = (string | number)[];
export type UnsafeText = { segments: TextPath; message: string };

/**
 * The containers (objects and arrays) met so far: each one's key in its parent and its parent's
 * index, so that a problem's path can be rebuilt, while the strings (most values) cost nothing.
 */
type Containers = { keys: (string | number | undefined)[]; parents: number[] };

function pathOf(containers: Containers, parent: number, key: string | number | undefined): TextPath {
  const segments: TextPath = key === undefined ? [] : [key];
  // Every container but the root has a parent index; the root's is -1, which ends the walk.
  for (let at = parent; at >= 0; at = containers.parents[at] ?? -1) {
    const atKey = containers.keys[at];
    if (atKey !== undefined) {
      segments.push(atKey);
    }
  }
  return segments.reverse();
}

/** `source`, `dependsOn[2]`, `the text`: what a message calls the string it is about. */
function subjectOf(containers: Containers, parent: number, key: string | number | undefined): string {
  if (typeof key === 'number') {
    const parentKey = parent >= 0 ? containers.keys[parent] : undefined;
    return typeof parentKey === 'string' ? `${parentKey}[${key}]` : `entry ${key}`;
  }
  return key ?? 'the text';
}

/**
 * Every string in a JSON-like value that `unsafeTextProblem` refuses, object keys included (label
 * keys and misspelt field names are the user's text too), in document order, at most `limit` of
 * them. Iterative: a body nested 100,000 levels deep is walked without a stack overflow. It runs on
 * every topology, so a value still to look at is three array slots, not an object.
 */
export function unsafeTextIn(input: unknown, limit = Number.POSITIVE_INFINITY): UnsafeText[] {
  const found: UnsafeText[] = [];
  const containers: Containers = { keys: [], parents: [] };
  const values: unknown[] = [input];
  const keys: (string | number | undefined)[] = [undefined];
  const parents: number[] = [-1];
  // Set for a visit that stands for a key whose own text is refused: reported when it comes up.
  const keyProblems = new Map<number, string>();
  while (values.length > 0 && found.length < limit) {
    const value = values.pop();
    const key = keys.pop();
    const parent = parents.pop() as number;
    const keyProblem = keyProblems.get(values.length);
    if (keyProblem !== undefined) {
      keyProblems.delete(values.length);
      found.push({ segments: pathOf(containers, parent, key), message: `the field name ${keyProblem}` });
      continue;
    }
    if (typeof value === 'string') {
      const problem = unsafeTextProblem(value);
      if (problem !== undefined) {
        found.push({
          segments: pathOf(containers, parent, key),
          message: `${subjectOf(containers, parent, key)} ${problem}`,
        });
      }
    } else if (typeof value === 'object' && value !== null) {
      const self = containers.keys.push(key) - 1;
      containers.parents.push(parent);
      if (Array.isArray(value)) {
        for (let index = value.length - 1; index >= 0; index--) {
          values.push(value[index]);
          keys.push(index);
          parents.push(self);
        }
      } else {
        // Pushed last to first, so taken in the object's own order; names is a fresh array.
        for (const name of Object.keys(value).reverse()) {
          values.push((value as Record<string, unknown>)[name]);
          keys.push(name);
          parents.push(self);
          const problem = unsafeTextProblem(name);
          if (problem !== undefined) {
            // Pushed after the value, so taken before it: the name's problem comes first.
            keyProblems.set(values.length, problem);
            values.push(undefined);
            keys.push(name);
            parents.push(self);
          }
        }
      }
    }
  }
  return found;
}

type Located = { segments: readonly (string | number)[]; message: string };

/**
 * Other problems and the unsafe text of the same input, together: a problem at a path whose text is
 * unsafe is left out, since it can only be about that text ("not a DNS label", "unknown field"), and
 * the unsafe character is what the user has to fix first.
 */
export function withUnsafeText<T extends Located>(found: readonly T[], unsafe: readonly UnsafeText[]): Located[] {
  if (unsafe.length === 0) {
    return [...found];
  }
  const unsafePaths = new Set(unsafe.map((problem) => JSON.stringify(problem.segments)));
  return [...found.filter((problem) => !unsafePaths.has(JSON.stringify(problem.segments))), ...unsafe];
}
