import { describe, expect, it } from 'vitest';
import { RateSchedule } from './schedule.ts';
import { makePayload } from './payload.ts';

describe('RateSchedule', () => {
  it('spaces updates by 1/rate from the start', () => {
    const s = new RateSchedule(1_000_000, 100);
    expect(s.intervalUs).toBe(10_000);
    expect(s.dueUs(1)).toBe(1_000_000);
    expect(s.dueUs(3)).toBe(1_020_000);
  });

  it('counts the updates due at a time, the one exactly due included', () => {
    const s = new RateSchedule(1_000_000, 100);
    expect(s.dueCount(999_999)).toBe(0);
    expect(s.dueCount(1_000_000)).toBe(1);
    expect(s.dueCount(1_019_999)).toBe(2);
    expect(s.dueCount(1_020_000)).toBe(3);
  });

  it('rounds non-integer intervals to whole microseconds', () => {
    expect(new RateSchedule(0, 3).dueUs(2)).toBe(333_333);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateSchedule(0, 0)).toThrow(RangeError);
  });
});

describe('makePayload', () => {
  it('makes exactly the requested number of bytes, varying with the seed', () => {
    for (const size of [0, 1, 16, 1024, 16_384, 70_000])
      expect(Buffer.byteLength(makePayload(size, 3))).toBe(size);
    expect(makePayload(64, 1)).not.toBe(makePayload(64, 2));
  });

  it('needs no JSON escaping', () => {
    const p = makePayload(4096, 9);
    expect(JSON.stringify(p).length).toBe(p.length + 2);
  });
});

describe('RateSchedule with bursts', () => {
  it('publishes groups of size updates gapMs apart, a group every size/rate seconds', () => {
    const s = new RateSchedule(0, 4, { size: 2, gapMs: 10 }); // a pair every 500 ms
    expect([1, 2, 3, 4].map((k) => s.dueUs(k))).toEqual([0, 10_000, 500_000, 510_000]);
    expect(s.dueCount(0)).toBe(1);
    expect(s.dueCount(9_999)).toBe(1);
    expect(s.dueCount(10_000)).toBe(2);
    expect(s.dueCount(499_999)).toBe(2);
    expect(s.dueCount(510_000)).toBe(4);
  });

  it('refuses a burst longer than its slot', () => {
    expect(() => new RateSchedule(0, 10, { size: 3, gapMs: 150 })).toThrow('does not fit'); // 300 ms of burst in a 300 ms slot
    expect(() => new RateSchedule(0, 10, { size: 3, gapMs: 100 })).not.toThrow();
  });
});
