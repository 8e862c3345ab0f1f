/**
 * One-sided exact Mann-Whitney U test: the probability, if both samples came from one
 * distribution, that `current` would rank at least this far above `baseline`. Exact by
 * enumerating every split of the pooled ranks (fine for the handful of repetitions a gate runs;
 * refuses more than 20 values in all). Ties count half.
 */
export function rankSumPGreater(current: readonly number[], baseline: readonly number[]): number {
  const m = current.length;
  const n = baseline.length;
  if (m === 0 || n === 0) throw new RangeError('both samples need at least one value');
  if (m + n > 20) throw new RangeError('exact enumeration is for 20 values or fewer');
  const u = (xs: readonly number[], ys: readonly number[]) => {
    let s = 0;
    for (const x of xs) for (const y of ys) s += x > y ? 1 : x === y ? 0.5 : 0;
    return s;
  };
  const observed = u(current, baseline);
  const pooled = [...current, ...baseline];
  let atLeast = 0;
  let total = 0;
  // Every way of choosing which m of the pooled values are "current".
  const choose = (start: number, picked: number[]): void => {
    if (picked.length === m) {
      const chosen = new Set(picked);
      const xs = pooled.filter((_, i) => chosen.has(i));
      const ys = pooled.filter((_, i) => !chosen.has(i));
      total++;
      if (u(xs, ys) >= observed - 1e-9) atLeast++;
      return;
    }
    for (let i = start; i <= pooled.length - (m - picked.length); i++)
      choose(i + 1, [...picked, i]);
  };
  choose(0, []);
  return atLeast / total;
}
