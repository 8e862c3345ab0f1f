import { describe, expect, it } from 'vitest';
import { median, percentile, sortAscending } from './percentile.ts';

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    const s = sortAscending([4, 1, 3, 2]);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 50)).toBe(2.5);
    expect(percentile(s, 100)).toBe(4);
    expect(percentile(s, 90)).toBeCloseTo(3.7, 12);
  });

  it('gives the middle value for an odd count', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('refuses empty input and out-of-range percentiles', () => {
    expect(() => sortAscending([])).toThrow('zero samples');
    expect(() => percentile(sortAscending([1]), 101)).toThrow(RangeError);
  });
});
