import { describe, expect, it } from 'vitest';
import { DeliveryTracker } from './delivery-tracker.ts';

const run = (seqs: number[]) => {
  const t = new DeliveryTracker();
  const arrivals = seqs.map((s) => t.record(s));
  return { t, arrivals };
};

describe('DeliveryTracker', () => {
  it('counts an in-order stream as all new', () => {
    const { t, arrivals } = run([5, 6, 7, 8]);
    expect(arrivals).toEqual(['new', 'new', 'new', 'new']);
    expect([t.delivered, t.duplicated, t.reordered, t.highest]).toEqual([4, 0, 0, 8]);
  });

  it('counts a repeat as a duplicate', () => {
    const { t } = run([1, 2, 2, 3, 1]);
    expect([t.delivered, t.duplicated, t.reordered]).toEqual([3, 2, 0]);
  });

  it('counts a late arrival into a hole as reordered, and a second one as a duplicate', () => {
    const { t, arrivals } = run([1, 2, 5, 3, 4, 3]);
    expect(arrivals).toEqual(['new', 'new', 'new', 'reordered', 'reordered', 'duplicate']);
    expect([t.delivered, t.duplicated, t.reordered]).toEqual([5, 1, 2]);
  });

  it('counts arrivals below the first one as reordered', () => {
    const { t, arrivals } = run([10, 8, 9, 8]);
    expect(arrivals).toEqual(['new', 'reordered', 'reordered', 'duplicate']);
    expect(t.delivered).toBe(3);
  });

  it('leaves holes that never fill uncounted, for the caller to count as lost', () => {
    const { t } = run([1, 4, 6]);
    expect(t.delivered).toBe(3); // of 6 published: 3 lost
  });

  it('counts, rather than remembers, a hole too wide to hold', () => {
    const { t } = run([1, 1_000_000]);
    expect(t.forgottenHoles).toBe(999_998);
    expect(t.delivered).toBe(2);
  });
});
