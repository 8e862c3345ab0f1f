import { describe, expect, it } from 'vitest';
import { afterEach, vi } from 'vitest';
import { DEFAULT_SETTLE_MS, isSteady, settledAtMs, settleMsOf } from './settle.ts';

/** One value per 250 ms slice: `seconds` gives each second's rate, repeated four times. */
const slices = (seconds: number[]) => seconds.flatMap((x) => [x, x, x, x]);

describe("a scenario's settle limit", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is the scenario's own, else the environment's, else the default", () => {
    vi.stubEnv('FEEDBENCH_SETTLE_MS', '0');
    expect(settleMsOf({ settleMs: 1_500 })).toBe(1_500);
    expect(settleMsOf({})).toBe(0);
    vi.stubEnv('FEEDBENCH_SETTLE_MS', '');
    expect(settleMsOf({})).toBe(DEFAULT_SETTLE_MS);
    vi.stubEnv('FEEDBENCH_SETTLE_MS', 'soon');
    expect(settleMsOf({})).toBe(DEFAULT_SETTLE_MS);
  });
});

describe('a steady CPU rate, slice to slice', () => {
  it('is two slices within 15% of each other', () => {
    expect(isSteady(300, 180)).toBe(false); // JIT still going
    expect(isSteady(180, 160)).toBe(true);
  });

  it('holds within 15 ms/s at low rates, where 15% is less than the noise', () => {
    expect(isSteady(20, 34)).toBe(true);
    expect(isSteady(20, 36)).toBe(false);
  });
});

describe('when a fresh server has settled', () => {
  it('is the first second from which every later 2 s span is within 15% of steady', () => {
    // JIT in the first two seconds, then within noise of 100.
    expect(settledAtMs(slices([300, 180, 110, 95, 100, 105, 98, 100]), 250, 100)).toBe(2000);
  });

  it('is 0 for a server steady from the start', () => {
    expect(settledAtMs(slices([100, 104, 97, 100]), 250, 100)).toBe(0);
  });

  it('moves past a late excursion: a settled server that jumps again has not settled', () => {
    expect(settledAtMs(slices([300, 100, 100, 100, 160, 160, 100, 100]), 250, 100)).toBe(6000);
  });

  it('is null when the last span is still off', () => {
    expect(settledAtMs(slices([300, 200, 150, 140]), 250, 100)).toBeNull();
  });

  it('tolerates 15 ms/s at low rates, where a shared machine is noisier than 15%', () => {
    expect(settledAtMs(slices([90, 30, 50, 35, 42, 40]), 250, 40)).toBe(1000);
  });
});
