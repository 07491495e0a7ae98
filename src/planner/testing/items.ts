/**
 * Reading what a test expects to be there. With `noUncheckedIndexedAccess`, `list[0]` may be
 * undefined; these fail with a message that names what was missing instead of a TypeError on the
 * next line, so a broken planner reads as "no item 2 in a list of 1", not "cannot read 'kind'".
 */

/** The item at `index` (negative counts from the end): the one helper the service's own code uses too. */
export { at } from '../../common/at.js';
import { at } from '../../common/at.js';

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
