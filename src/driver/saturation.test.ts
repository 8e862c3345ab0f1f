import { describe, expect, it } from 'vitest';
import { DEFAULT_SATURATION, judgeSaturation } from './saturation.ts';

describe('judgeSaturation', () => {
  it('is not saturated under both thresholds', () => {
    expect(judgeSaturation({ cpuShare: 0.5, eventLoopP99Ms: 3 }, DEFAULT_SATURATION)).toEqual({
      saturated: false,
      reason: null,
    });
  });

  it('names every threshold crossed', () => {
    const verdict = judgeSaturation({ cpuShare: 0.97, eventLoopP99Ms: 45.2 }, DEFAULT_SATURATION);
    expect(verdict.saturated).toBe(true);
    expect(verdict.reason).toBe(
      'driver CPU at 97% of a core (limit 90%); driver event-loop delay p99 45.2 ms (limit 20 ms)',
    );
  });
});
