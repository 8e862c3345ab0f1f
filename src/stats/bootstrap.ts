import { median } from './percentile.ts';

/** A deterministic pseudo-random generator (mulberry32), so intervals are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Percentile bootstrap interval (95%, 2,000 resamples of both samples with replacement) of
 * median(current) / median(baseline). Seeded: the same inputs always give the same interval.
 */
export function bootstrapRatioOfMedians(
  current: readonly number[],
  baseline: readonly number[],
): [number, number] {
  return bootstrapMedians(current, baseline, (c, b) => c / b);
}

/**
 * The same interval for median(current) - median(baseline): for figures whose drift adds rather
 * than multiplies.
 */
export function bootstrapDifferenceOfMedians(
  current: readonly number[],
  baseline: readonly number[],
): [number, number] {
  return bootstrapMedians(current, baseline, (c, b) => c - b);
}

function bootstrapMedians(
  current: readonly number[],
  baseline: readonly number[],
  combine: (current: number, baseline: number) => number,
  level = 0.95,
  iterations = 2000,
  seed = 1,
): [number, number] {
  if (current.length === 0 || baseline.length === 0)
    throw new RangeError('both samples need at least one value');
  const random = seededRandom(seed);
  const resample = (xs: readonly number[]) =>
    Array.from({ length: xs.length }, () => xs[Math.floor(random() * xs.length)] ?? Number.NaN);
  const draws: number[] = [];
  for (let i = 0; i < iterations; i++)
    draws.push(combine(median(resample(current)), median(resample(baseline))));
  draws.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [
    draws[Math.floor(tail * (iterations - 1))] ?? Number.NaN,
    draws[Math.ceil((1 - tail) * (iterations - 1))] ?? Number.NaN,
  ];
}
