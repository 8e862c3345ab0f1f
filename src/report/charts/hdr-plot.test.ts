import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordValue } from '../../metrics/histogram.ts';
import { hdrPoints, hdrTickLabel } from './hdr-plot.ts';

describe('the HDR percentile plot', () => {
  // 1,000 deliveries of 1 to 1,000 ms, and one of 5 s: the tail a five-point summary hides.
  const histogram = createHistogram();
  for (let ms = 1; ms <= 1000; ms++) recordValue(histogram, ms * 1000);
  recordValue(histogram, 5_000_000);
  const points = hdrPoints(encodeHistogram(histogram));

  it('walks the whole distribution, ms against 1/(1-p), both rising, up to the max at the count', () => {
    expect(points.length).toBeGreaterThan(40);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.x).toBeGreaterThanOrEqual(points[i - 1]!.x);
      expect(points[i]!.y).toBeGreaterThanOrEqual(points[i - 1]!.y);
    }
    const median = points.find((p) => p.x >= 2)!;
    expect(median.y).toBeCloseTo(500, -1);
    expect(points.at(-1)).toMatchObject({ x: 1001, percentile: 100 });
    expect(points.at(-1)!.y).toBeCloseTo(5000, -1);
    // The point just before the max is the 99.9th percentile's neighbourhood: 999-1,000 ms, not the
    // 5 s outlier.
    expect(points.at(-2)!.y).toBeLessThan(1001);
  });

  it('has no points for an empty histogram', () => {
    expect(hdrPoints(encodeHistogram(createHistogram()))).toEqual([]);
  });

  it('labels its axis as percentiles at 1/(1-p) = 2 and every power of ten, and nothing between', () => {
    expect([1, 2, 3, 10, 50, 100, 1000, 10_000].map(hdrTickLabel)).toEqual(['0%', '50%', '', '90%', '', '99%', '99.9%', '99.99%']);
  });
});
