/** A non-empty array of numbers sorted ascending; only `sortAscending` makes one. */
export type SortedSamples = readonly number[] & { readonly __sorted: true };

/** Sorts a copy ascending; throws on an empty array, since no statistic of nothing exists. */
export function sortAscending(samples: readonly number[]): SortedSamples {
  if (samples.length === 0) throw new RangeError('cannot take statistics of zero samples');
  return [...samples].sort((a, b) => a - b) as unknown as SortedSamples;
}

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks
 * (the "R-7" / Excel / NumPy default definition).
 */
export function percentile(sorted: SortedSamples, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  // SortedSamples holds one value at least, so both ranks are inside it.
  const low = sorted[lo] ?? Number.NaN;
  return low + ((sorted[hi] ?? Number.NaN) - low) * (rank - lo);
}

/** The median (50th percentile) of unsorted samples. */
export function median(samples: readonly number[]): number {
  return percentile(sortAscending(samples), 50);
}
