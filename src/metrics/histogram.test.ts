import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  encodeHistogram,
  mergeEncoded,
  recordValue,
  summarize,
} from './histogram.ts';

describe('histogram', () => {
  it('summarizes percentiles within HDR precision', () => {
    const h = createHistogram();
    for (let v = 1; v <= 1000; v++) recordValue(h, v);
    const s = summarize(h)!;
    expect(s.count).toBe(1000);
    expect(s.p50).toBe(500);
    expect(s.p99).toBe(990);
    expect(s.max).toBe(1000);
    expect(s.mean).toBe(500.5);
  });

  it('is undefined when empty, and clamps negative values to zero', () => {
    const h = createHistogram();
    expect(summarize(h)).toBeUndefined();
    recordValue(h, -5);
    expect(summarize(h)!.max).toBe(0);
  });

  it('merges encoded histograms exactly', () => {
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 0; i < 300; i++) recordValue(a, 100);
    for (let i = 0; i < 100; i++) recordValue(b, 5000);
    const merged = summarize(mergeEncoded([encodeHistogram(a), encodeHistogram(b)]))!;
    expect(merged.count).toBe(400);
    expect(merged.p50).toBe(100);
    // After a round trip through the encoding, a value reads as its bucket's highest
    // equivalent value: 5000 becomes 5003, inside the 0.1% that 3 significant digits promise.
    expect(merged.max).toBe(5003);
    expect(Math.abs(merged.mean - 1325) / 1325).toBeLessThan(0.001);
  });
});
