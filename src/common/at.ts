/**
 * The item at `index` (negative counts from the end), for a caller that knows it is there (a
 * regex group that always matches, a one-row aggregate, a list a test just built): a clear error
 * naming the index if it is not, instead of an undefined travelling on to a TypeError elsewhere.
 */
export function at<T>(list: ArrayLike<T>, index: number): T {
  const item = list[index < 0 ? list.length + index : index];
  if (item === undefined) {
    throw new Error(`no item ${index} in a list of ${list.length}`);
  }
  return item;
}
