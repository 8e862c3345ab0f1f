import { describe, expect, it } from 'vitest';
import { NO_TRANSPORT_PARAMS, pollVariants } from './descriptor.ts';

describe('the cell variants of a polling transport', () => {
  it('make each polling variant once per keep-alive setting, variants first', () => {
    const variants = pollVariants([true, false], 'feed', [
      { poll_interval_ms: 100 },
      { poll_interval_ms: 1000 },
    ]);
    expect(variants.map((v) => [v.poll_interval_ms, v.keep_alive])).toEqual([
      [100, true],
      [100, false],
      [1000, true],
      [1000, false],
    ]);
    expect(variants[0]).toEqual({
      ...NO_TRANSPORT_PARAMS,
      poll_interval_ms: 100,
      keep_alive: true,
    });
  });

  it('vary only keep-alive for an echo, which is a POST and does not poll', () => {
    expect(pollVariants(true, 'echo', [{ long_poll_timeout_ms: 30_000 }])).toEqual([
      { ...NO_TRANSPORT_PARAMS, keep_alive: true },
    ]);
  });
});
