/**
 * Reading what a test expects to be there. With `noUncheckedIndexedAccess`, `list[0]` may be
 * undefined; these fail with a message that names what was missing instead of a TypeError on the
 * next line, so a broken planner reads as "no item 2 in a list of 1", not "cannot read 'kind'".
 */

/** The item at `index` (negative counts from the end), or a failure saying the list was shorter. */
export function at<T>(list: readonly T[], index: number): T {
  const position = index < 0 ? list.length + index : index;
  // entries() types each item as T, with or without noUncheckedIndexedAccess: no assertion needed.
  for (const [itemIndex, item] of list.entries()) {
    if (itemIndex === position) {
      return item;
    }
  }
  throw new Error(`no item ${index} in a list of ${list.length}`);
}

/** The one item of a list that must hold exactly one. */
export function only<T>(list: readonly T[]): T {
  if (list.length !== 1) {
    throw new Error(`expected exactly one item, got ${list.length}`);
  }
  return at(list, 0);
}

/** A value the test needs (a `find` that must match, a key that must be set), or a failure naming it. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`${what} is missing`);
  }
  return value;
}
