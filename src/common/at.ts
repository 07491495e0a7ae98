/**
 * The item at `index`, for a caller that knows it is there (a regex group that always matches, a
 * list it just built): a clear error if it is not, instead of an undefined travelling on.
 */
export function at<T>(list: ArrayLike<T>, index: number): T {
  const item = list[index];
  if (item === undefined) {
    throw new Error(`no item ${index} (of ${list.length})`);
  }
  return item;
}
