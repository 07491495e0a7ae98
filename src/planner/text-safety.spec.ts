import fc from 'fast-check';
import {
  changeTextAt,
  textPlaces,
  topologyWithEveryStringField,
  type JsonValue,
} from './testing/every-string-field.js';
import { CONTROL_CODE_UNITS, refusedCharacter } from './testing/arbitraries.js';
import { replaceUnsafeCharacters, unsafeTextIn, unsafeTextProblem } from './text-safety.js';
import { validateTopology } from './topology/index.js';
import { formatPath } from './topology/problems.js';
import { at } from './testing/items.js';

const hex = (codeUnit: number): string => codeUnit.toString(16).toUpperCase().padStart(4, '0');

/** Text the rule accepts: letters of any script, emoji (surrogate pairs), punctuation, spaces. */
const acceptedText: fc.Arbitrary<string> = fc
  .string({ unit: 'grapheme', maxLength: 30 })
  .filter((text) => unsafeTextProblem(text) === undefined);

describe(unsafeTextProblem.name, () => {
  it('refuses NUL, naming it and where it is, without the character itself', () => {
    expect(unsafeTextProblem('ab\u0000c')).toBe(
      'contains U+0000 (NUL) at character 3, which PostgreSQL cannot store; remove it',
    );
  });

  it.each([
    ['a lone high surrogate', 'x\ud800', 'U+D800 at character 2'],
    ['a lone low surrogate', '\udc00x', 'U+DC00 at character 1'],
    ['a pair in the wrong order', 'x\udfff\udbff', 'U+DFFF at character 2'],
    ['a high surrogate before a letter', '\udbffa', 'U+DBFF at character 1'],
  ])('refuses %s as half of a surrogate pair', (_name, text, where) => {
    expect(unsafeTextProblem(text)?.startsWith(`contains ${where}, half of a UTF-16 surrogate pair`)).toBe(true);
  });

  it.each(CONTROL_CODE_UNITS.filter((unit) => unit !== 0).map((unit) => [hex(unit), unit]))(
    'refuses the control character U+%s',
    (name, unit) => {
      expect(unsafeTextProblem(`ok${String.fromCharCode(unit)}`)).toBe(
        `contains the control character U+${name} at character 3; no field takes control characters or line breaks, remove it`,
      );
    },
  );

  it.each([
    ['empty text', ''],
    ['ASCII', 'shop-01 /api?x=1&y=<2>'],
    ['letters of other scripts', 'ünïcödé 名前 имя'],
    ['an emoji (a surrogate pair)', 'deploy 🚀 now'],
    ['the replacement character, zero-width and no-break spaces', '\ufffd\u200b\u00a0\ufeff'],
    ['the last code point', '\udbff\udfff'],
  ])('accepts %s', (_name, text) => {
    expect(unsafeTextProblem(text)).toBeUndefined();
  });

  it('finds a refused character wherever it is put, and reports its position', () => {
    fc.assert(
      fc.property(acceptedText, refusedCharacter, acceptedText, (before, refused, after) => {
        // A high surrogate followed by a low one would be a pair: keep a letter between them.
        const text = `${before}${refused}x${after}`;
        const problem = unsafeTextProblem(text);
        expect(problem).toContain(`at character ${before.length + 1}`);
        expect(problem).toMatch(/^[\x20-\x7e]+$/);
      }),
    );
  });
});

describe(unsafeTextIn.name, () => {
  it('finds refused text in values and keys, at their paths, in document order', () => {
    const found = unsafeTextIn({ a: ['ok', 'x\u0000'], 'k\u0001': { b: '\ud800', n: 1, t: true, z: null } });
    expect(found.map(({ segments }) => segments)).toEqual([['a', 1], ['k\u0001'], ['k\u0001', 'b']]);
    expect(found.map(({ message }) => message.split(' contains ')[0])).toEqual(['a[1]', 'the field name', 'b']);
  });

  it('stops at the limit', () => {
    expect(
      unsafeTextIn(
        Array.from({ length: 50 }, () => '\u0000'),
        3,
      ),
    ).toHaveLength(3);
  });

  it('walks a value nested 100,000 levels deep without overflowing the stack', () => {
    let deep: unknown = 'leaf\u0000';
    for (let level = 0; level < 100_000; level++) {
      deep = level % 2 === 0 ? [deep] : { a: deep };
    }
    const found = at(unsafeTextIn(deep), 0);
    expect(found.segments).toHaveLength(100_000);
  });
});

describe(replaceUnsafeCharacters.name, () => {
  it('replaces every refused character and keeps the rest', () => {
    expect(replaceUnsafeCharacters('a\nb\u0000c\ud800d🚀', ' ')).toBe('a b c d🚀');
  });
});

describe('validateTopology and unsafe text', () => {
  const topology = topologyWithEveryStringField();
  const places = textPlaces(topology);

  it('starts from a topology that is valid as it is', () => {
    expect(validateTopology(topology).ok).toBe(true);
  });

  it('refuses a refused character in any string or key of a topology, at its path, and says what it is', () => {
    fc.assert(
      fc.property(fc.nat({ max: places.length - 1 }), refusedCharacter, fc.nat(), (index, refused, position) => {
        const place = at(places, index);
        const changed = changeTextAt(topology, place, (text) => {
          const cut = position % (text.length + 1);
          return `${text.slice(0, cut)}${refused}x${text.slice(cut)}`;
        });
        const result = validateTopology(changed);
        expect(result.ok).toBe(false);
        const problems = result.ok ? [] : result.problems;
        const path = formatPath(
          place.kind === 'key' ? [...place.segments.slice(0, -1), unsafeKey(changed, place.segments)] : place.segments,
        );
        const atPath = problems.filter((problem) => problem.path === path);
        expect(atPath, JSON.stringify(problems)).toHaveLength(1);
        expect(at(atPath, 0).message).toContain(`U+${hex(refused.charCodeAt(0))}`);
      }),
      { numRuns: 500 },
    );
  });

  it('lists every field that holds one, all at once', () => {
    const everywhere = places
      .filter((place) => place.kind === 'value')
      .reduce<JsonValue>((value, place) => changeTextAt(value, place, (text) => `${text}\u0000`), topology);
    const result = validateTopology(everywhere);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((problem) => problem.path);
    for (const place of places.filter((p) => p.kind === 'value')) {
      expect(paths).toContain(formatPath(place.segments));
    }
  });
});

/** The key at `segments` after it was renamed: the one key of its parent that the original did not have. */
function unsafeKey(value: unknown, segments: (string | number)[]): string {
  const parent = segments
    .slice(0, -1)
    .reduce<unknown>((at, segment) => (at as Record<string | number, unknown>)[segment], value);
  const key = Object.keys(parent as object).find((candidate) => unsafeTextProblem(candidate) !== undefined);
  if (key === undefined) {
    throw new Error(`no renamed key at ${JSON.stringify(segments)}`);
  }
  return key;
}
