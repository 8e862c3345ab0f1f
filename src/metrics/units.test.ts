import { describe, expect, it } from 'vitest';
import { formatBytes, formatFixed, formatKib, formatMs, formatPercent } from './units.ts';

describe('figures with units', () => {
  it('writes milliseconds from µs, two decimals below 10 ms', () => {
    expect(formatMs(1_254)).toBe('1.25 ms');
    expect(formatMs(48_310)).toBe('48.3 ms');
    expect(formatMs(48_310, { unit: false })).toBe('48.3');
    expect(formatMs(undefined)).toBe('-');
    expect(formatMs(null, { missing: '–' })).toBe('–');
  });

  it('writes bytes, shares, fixed numbers and KiB', () => {
    expect(formatBytes(13.46)).toBe('13.5 B');
    expect(formatBytes(294.4)).toBe('294 B');
    expect(formatPercent(0.354)).toBe('35%');
    expect(formatPercent(0.0019)).toBe('0.19%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatFixed(0.49972)).toBe('0.50');
    expect(formatFixed(null)).toBe('-');
    expect(formatKib(2048)).toBe('2.0');
  });
});
