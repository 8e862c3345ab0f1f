import { describe, expect, it } from 'vitest';
import {
  bootstrapDifferenceOfMedians,
  bootstrapRatioOfMedians,
  seededRandom,
} from './bootstrap.ts';

describe('the bootstrap interval of a ratio of medians', () => {
  const baseline = Array.from({ length: 50 }, (_, i) => 100 + (i % 10));
  const slower = baseline.map((x) => x * 1.5);

  it('holds the true ratio and is the same on every call', () => {
    const [low, high] = bootstrapRatioOfMedians(slower, baseline);
    expect(low).toBeLessThanOrEqual(1.5);
    expect(high).toBeGreaterThanOrEqual(1.5);
    expect(low).toBeGreaterThan(1.3);
    expect(bootstrapRatioOfMedians(slower, baseline)).toEqual([low, high]);
  });

  it('refuses an empty sample', () => {
    expect(() => bootstrapRatioOfMedians([], baseline)).toThrow(RangeError);
    expect(() => bootstrapDifferenceOfMedians(baseline, [])).toThrow(RangeError);
  });

  it('holds the true difference of medians when a constant is added', () => {
    const later = baseline.map((x) => x + 20);
    const [low, high] = bootstrapDifferenceOfMedians(later, baseline);
    expect(low).toBeLessThanOrEqual(20);
    expect(high).toBeGreaterThanOrEqual(20);
    expect(low).toBeGreaterThan(15);
  });

  it('draws a reproducible sequence in [0, 1) from a seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});
