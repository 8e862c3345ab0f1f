import { describe, expect, it } from 'vitest';
import { DelayLine } from './delay-line.ts';

describe('DelayLine', () => {
  it('delays each chunk by the one-way delay', () => {
    const line = new DelayLine(20_000, undefined);
    expect(line.release(1_000, 100)).toBe(21_000);
    expect(line.release(5_000, 100)).toBe(25_000);
  });

  it('serializes chunks at the bandwidth, queueing behind earlier ones', () => {
    const line = new DelayLine(0, 8e6); // 1 byte per µs
    expect(line.release(0, 1000)).toBe(1000);
    expect(line.release(0, 500)).toBe(1500); // waited for the first chunk to leave
    expect(line.release(10_000, 10)).toBe(10_010);
  });

  it('adds jitter without ever reordering', () => {
    const draws = [1, 0];
    const line = new DelayLine(1000, undefined, 5000, () => draws.shift()!);
    const a = line.release(0, 1);
    const b = line.release(10, 1);
    expect(a).toBe(6000);
    expect(b).toBe(6000); // its own release would be 1010, but it may not overtake
  });
});
