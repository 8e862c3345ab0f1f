import { describe, expect, it } from 'vitest';
import { rankSumPGreater } from './rank-sum.ts';
import { bootstrapRatioOfMedians } from './bootstrap.ts';

describe('rankSumPGreater', () => {
  it('is 1/C(6,3) = 0.05 when all three current values exceed all three baseline values', () => {
    expect(rankSumPGreater([4, 5, 6], [1, 2, 3])).toBe(0.05);
  });

  it('is 1 when current is all below', () => {
    expect(rankSumPGreater([1, 2, 3], [4, 5, 6])).toBe(1);
  });

  it('counts ties half: identical samples are no evidence (p = 1)', () => {
    expect(rankSumPGreater([1, 1], [1, 1])).toBe(1);
  });

  it('matches the exact distribution for one overlap', () => {
    // U = 8 of 9; splits of 6 values with U >= 8: 2 of 20.
    expect(rankSumPGreater([3, 5, 6], [1, 2, 4])).toBe(0.1);
  });
});

describe('bootstrapRatioOfMedians', () => {
  it('brackets the true ratio and is reproducible', () => {
    const a = bootstrapRatioOfMedians([2, 2.1, 1.9, 2.05], [1, 1.05, 0.95, 1]);
    expect(a[0]).toBeGreaterThan(1.7);
    expect(a[1]).toBeLessThan(2.3);
    expect(bootstrapRatioOfMedians([2, 2.1, 1.9, 2.05], [1, 1.05, 0.95, 1])).toEqual(a);
  });
});
