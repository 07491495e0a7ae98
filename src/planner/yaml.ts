import { dump } from 'js-yaml';
import type { KubeObject } from './types.js';

/**
 * js-yaml's options for the manifests. js-yaml's default dump schema quotes every string a YAML
 * 1.1 reader (kubectl's go-yaml) would take for something else: "true", "on", "yes", "0x10",
 * "1e3"… so annotation values such as "true" stay strings. `noRefs` writes shared objects out in
 * full (no &anchors / *aliases, which some tools reject); `lineWidth: -1` never folds a long
 * annotation value onto several lines. Values JSON would drop (undefined) are dropped here too,
 * so YAML and JSON answers agree.
 */
const DUMP_OPTIONS = { noRefs: true, lineWidth: -1, skipInvalid: true } as const;

/**
 * The manifests as one multi-document YAML stream for `kubectl apply -f -`, documents separated
 * by `---`. Keys keep the order the objects were built in (apiVersion, kind, metadata, spec), so
 * the same plan always gives the same bytes.
 *
 * The bytes are js-yaml's (`dump` of each object with DUMP_OPTIONS, joined by `---`), written
 * here without building js-yaml's syntax tree: a 1,000-component plan took 3x as long to write
 * as YAML as to plan. The layout (block mappings and sequences, `{}` and `[]` when empty, two
 * spaces per level) is js-yaml's presenter's; how each key and scalar is written is asked of
 * js-yaml itself, once per distinct value, except for the plain words that need no quoting
 * (yaml.spec.ts holds both ways equal on every fixture). A document with anything else in it (a
 * string over several lines, a value that is not plain JSON data) is handed to js-yaml whole.
 */
export function toYaml(objects: KubeObject[]): string {
  return objects.map(documentYaml).join('---\n');
}

/** The one document js-yaml would write for this object. */
export function documentYaml(object: KubeObject): string {
  try {
    return `${valueText(object, 0, true)}\n`;
  } catch (error) {
    if (error === NOT_PLAIN_DATA) {
      return dump(object, DUMP_OPTIONS);
    }
    throw error;
  }
}

/** Thrown (never out of this module) when a document holds something only js-yaml itself should write. */
const NOT_PLAIN_DATA = new Error('not plain data for the fast YAML writer');

/** Spaces per nesting level, js-yaml's default indent. */
const INDENT = 2;
const INDENTS: string[] = [];

function newline(level: number): string {
  let indent = INDENTS[level];
  if (indent === undefined) {
    indent = `\n${' '.repeat(INDENT * level)}`;
    INDENTS[level] = indent;
  }
  return indent;
}

/**
 * A value at this nesting level, as js-yaml's presenter writes it in block style: `compact` puts
 * the first entry of a collection on the current line (the document's root, a sequence item).
 */
function valueText(value: unknown, level: number, compact: boolean): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : sequenceText(value, level, compact);
  }
  if (typeof value === 'object' && value !== null) {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw NOT_PLAIN_DATA;
    }
    return mappingText(value as Record<string, unknown>, level, compact);
  }
  return scalarText(value);
}

function sequenceText(items: unknown[], level: number, compact: boolean): string {
  let text = '';
  for (const item of items) {
    if (item === undefined) {
      // js-yaml writes null there; JSON writes null too. Rare enough to leave to js-yaml.
      throw NOT_PLAIN_DATA;
    }
    const itemText = valueText(item, level + 1, true);
    if (!compact || text !== '') {
      text += newline(level);
    }
    text += itemText === '' || itemText.charCodeAt(0) === LINE_FEED ? '-' : '- ';
    text += itemText;
  }
  return text;
}

function mappingText(object: Record<string, unknown>, level: number, compact: boolean): string {
  let text = '';
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) {
      continue;
    }
    let pair = !compact || text !== '' ? newline(level) : '';
    const itemText = valueText(value, level + 1, false);
    pair += keyText(key);
    pair += itemText === '' || itemText.charCodeAt(0) === LINE_FEED ? ':' : ': ';
    text += pair + itemText;
  }
  // Every value undefined: js-yaml writes the empty mapping in flow style, as for {}.
  return text === '' ? '{}' : text;
}

const LINE_FEED = 10;

/**
 * Words js-yaml writes as they are: a letter or "_" first, then letters, digits and ". _ / -", and
 * not one of the words a YAML 1.1 reader takes for a boolean or null (those js-yaml quotes). Such
 * a word matches no implicit type of js-yaml's schema (numbers and timestamps start with a digit,
 * a sign or a dot) and holds no indicator or space, so it is a plain scalar anywhere in a block.
 */
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9._/-]*$/;
const YAML_11_WORDS = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

export function isPlainWord(value: string): boolean {
  return PLAIN_WORD.test(value) && !YAML_11_WORDS.test(value);
}

/** js-yaml's own rendering of keys and scalars, by value; cleared when full so that no input grows it without bound. */
const keyTexts = new Map<string, string>();
const scalarTexts = new Map<unknown, string>();
const REMEMBER_AT_MOST = 50_000;

function remember<T>(texts: Map<T, string>, value: T, text: string): string {
  if (texts.size >= REMEMBER_AT_MOST) {
    texts.clear();
  }
  texts.set(value, text);
  return text;
}

function keyText(key: string): string {
  // A key of more than 1,024 characters or over several lines is written as an explicit "? key".
  if (key.length > 1_024 || key.includes('\n')) {
    throw NOT_PLAIN_DATA;
  }
  if (isPlainWord(key)) {
    return key;
  }
  const known = keyTexts.get(key);
  if (known !== undefined) {
    return known;
  }
  const text = dump({ [key]: 0 }, DUMP_OPTIONS);
  // Quoted past 1,024 characters, it becomes an explicit "? key" over two lines: js-yaml's job.
  if (!text.endsWith(': 0\n') || text.indexOf('\n') !== text.length - 1) {
    throw NOT_PLAIN_DATA;
  }
  return remember(keyTexts, key, text.slice(0, -': 0\n'.length));
}

function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (isPlainWord(value)) {
        return value;
      }
      // Over several lines, js-yaml writes a block scalar whose indentation depends on the level.
      if (value.includes('\n')) {
        throw NOT_PLAIN_DATA;
      }
      break;
    case 'number':
      if (Number.isSafeInteger(value) && value >= 0 && !Object.is(value, -0)) {
        return String(value);
      }
      if (Object.is(value, -0)) {
        // The cache cannot tell -0 from 0.
        throw NOT_PLAIN_DATA;
      }
      break;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) {
        return 'null';
      }
      throw NOT_PLAIN_DATA;
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      throw NOT_PLAIN_DATA;
  }
  const known = scalarTexts.get(value);
  if (known !== undefined) {
    return known;
  }
  // One key's value in a block mapping: single-line scalars are written the same at every level.
  const text = dump({ v: value }, DUMP_OPTIONS);
  if (!text.startsWith('v:') || !text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) {
    throw NOT_PLAIN_DATA;
  }
  const rendered = text.slice(2, -1);
  return remember(scalarTexts, value, rendered.startsWith(' ') ? rendered.slice(1) : rendered);
}
