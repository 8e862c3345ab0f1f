import { decodeHistogram } from '../../metrics/histogram.ts';

/**
 * One point of an HDR percentile plot: the latency (ms) below which `percentile` of the values lie,
 * at x = 1/(1-p).
 */
export interface HdrPoint {
  readonly x: number;
  readonly y: number;
  readonly percentile: number;
}

/** Reporting points per halving of the distance to 100%, HdrHistogram's own default. */
const TICKS_PER_HALF_DISTANCE = 5;

/**
 * A histogram's whole percentile distribution, as HdrHistogram iterates it (its buckets, five
 * points per halving of the distance to 100%), for the field's percentile plot: x = 1/(1-p) on a
 * log axis, so the tail (99%, 99.9%, max) gets as much room as the median. The last point is the
 * max, placed at x = the count (where one value in all of them lies beyond). Values µs in, ms out.
 */
export function hdrPoints(encoded: string): HdrPoint[] {
  const histogram = decodeHistogram(encoded);
  const count = histogram.totalCount;
  if (count === 0) return [];
  const points: HdrPoint[] = [];
  for (const line of histogram.outputPercentileDistribution(TICKS_PER_HALF_DISTANCE, 1000).split('\n')) {
    const [value, percentile] = line.trim().split(/\s+/).map(Number);
    if (value === undefined || percentile === undefined || !Number.isFinite(value) || !Number.isFinite(percentile) || percentile >= 1) continue;
    const x = 1 / (1 - percentile);
    // A point past the count says nothing the max does not: each is one value or less.
    if (x > count) break;
    points.push({ x, y: value, percentile: percentile * 100 });
  }
  points.push({ x: Math.max(count, points.at(-1)?.x ?? 1), y: histogram.maxValue / 1000, percentile: 100 });
  return points;
}

/**
 * The tick label of the HDR plot's x axis: 1/(1-p) as the percentile it stands for (10 -> "90%"),
 * blank between.
 */
export function hdrTickLabel(x: number): string {
  const decade = Math.log10(x);
  if (x === 2) return '50%';
  if (Math.abs(decade - Math.round(decade)) > 1e-9) return '';
  const percent = 100 - 100 / x;
  return `${+percent.toFixed(Math.max(0, Math.round(decade) - 2))}%`;
}
