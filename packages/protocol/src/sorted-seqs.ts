// Binary search over a list kept in ascending order of a number (seqs, revs): where its items
// after a value begin.

/**
 * Index of the first item of `sorted` whose key is above `value` (`sorted.length` when none is);
 * `sorted` must be ascending by `keyOf`.
 * @example firstAfter(messages, readSeq, (m) => m.seq) // the first unread message
 */
export function firstAfter<T>(sorted: readonly T[], value: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(sorted[mid] as T) > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
