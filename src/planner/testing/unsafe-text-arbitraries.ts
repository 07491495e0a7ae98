import fc from 'fast-check';

/** Every code unit text-safety.ts refuses on its own, NUL and surrogates aside: C0, DEL, C1, U+2028, U+2029. */
export const CONTROL_CODE_UNITS: readonly number[] = [
  ...Array.from({ length: 0x20 }, (_, unit) => unit),
  ...Array.from({ length: 0x21 }, (_, offset) => 0x7f + offset),
  0x2028,
  0x2029,
];

/** One character the rule refuses: NUL, a lone high or low surrogate, or another control character. */
export const refusedCharacter: fc.Arbitrary<string> = fc.oneof(
  fc.constant('\u0000'),
  fc.integer({ min: 0xd800, max: 0xdbff }).map((unit) => String.fromCharCode(unit)),
  fc.integer({ min: 0xdc00, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom(...CONTROL_CODE_UNITS).map((unit) => String.fromCharCode(unit)),
);

/**
 * Random text with at least one refused character in it, anywhere. A letter follows the refused
 * character, so that a high surrogate is never completed into a pair by what comes after it.
 */
export function textWith(refused: fc.Arbitrary<string> = refusedCharacter): fc.Arbitrary<string> {
  return fc
    .tuple(fc.string({ maxLength: 12 }), refused, fc.string({ unit: 'binary', maxLength: 12 }))
    .map(([before, character, after]) => `${before}${character}x${after}`);
}
