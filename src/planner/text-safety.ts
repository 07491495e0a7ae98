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
 * A value still to look at, and how it was reached: a parent link, so that no path is copied per
 * value. `keyProblem`: what is wrong with the key itself, reported when the visit comes up.
 */
type Visit = { value: unknown; key: string | number | undefined; parent: Visit | undefined; keyProblem?: string };

/** `source`, `dependsOn[2]`, `the text`: what a message calls the string it is about. */
function subjectOf(visit: Visit): string {
  if (typeof visit.key === 'number') {
    return typeof visit.parent?.key === 'string' ? `${visit.parent.key}[${visit.key}]` : `entry ${visit.key}`;
  }
  return visit.key ?? 'the text';
}

function pathOf(visit: Visit): TextPath {
  const segments: TextPath = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) {
    segments.push(at.key);
  }
  return segments.reverse();
}

/**
 * Every string in a JSON-like value that `unsafeTextProblem` refuses, object keys included (label
 * keys and misspelt field names are the user's text too), in document order, at most `limit` of
 * them. Iterative: a body nested 100,000 levels deep is walked without a stack overflow.
 */
export function unsafeTextIn(input: unknown, limit = Number.POSITIVE_INFINITY): UnsafeText[] {
  const found: UnsafeText[] = [];
  const stack: Visit[] = [{ value: input, key: undefined, parent: undefined }];
  while (stack.length > 0 && found.length < limit) {
    const visit = stack.pop() as Visit;
    const { value } = visit;
    if (visit.keyProblem !== undefined) {
      found.push({ segments: pathOf(visit), message: `the field name ${visit.keyProblem}` });
      continue;
    }
    if (typeof value === 'string') {
      const problem = unsafeTextProblem(value);
      if (problem !== undefined) {
        found.push({ segments: pathOf(visit), message: `${subjectOf(visit)} ${problem}` });
      }
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        stack.push({ value: value[index] as unknown, key: index, parent: visit });
      }
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index];
        stack.push({ value: child, key, parent: visit });
        const keyProblem = unsafeTextProblem(key);
        if (keyProblem !== undefined) {
          // Pushed after the value, so popped before it: the name's problem comes first.
          stack.push({ value: undefined, key, parent: visit, keyProblem });
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
