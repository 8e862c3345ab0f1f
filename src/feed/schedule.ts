/** Updates published in groups: `size` updates `gapMs` apart (a burst), groups evenly spaced. */
export interface BurstShape {
  readonly size: number;
  readonly gapMs: number;
}

/**
 * The publish schedule of a feed at `ratePerSec` updates per second on average. Without a burst
 * shape, update k (1-based) is due at `startUs + (k - 1) * 1e6 / ratePerSec`. With one, updates
 * come in groups of `size`, `gapMs` apart inside a group, and a group starts every
 * `size / ratePerSec` seconds. Pure arithmetic, no timers, so that it can be tested exactly.
 */
export class RateSchedule {
  /** Microseconds between the starts of two groups (between two updates without bursts). */
  readonly intervalUs: number;
  readonly #size: number;
  readonly #gapUs: number;

  /**
   * @param startUs scheduled time of the first update, µs on the monotonic clock.
   * @param ratePerSec updates per second on average, > 0.
   */
  constructor(
    readonly startUs: number,
    readonly ratePerSec: number,
    burst: BurstShape = { size: 1, gapMs: 0 },
  ) {
    if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec))
      throw new RangeError(
        `rate must be a positive number of updates per second, got ${ratePerSec}`,
      );
    if (!Number.isInteger(burst.size) || burst.size < 1)
      throw new RangeError(`burst size must be a positive integer, got ${burst.size}`);
    this.#size = burst.size;
    this.#gapUs = burst.gapMs * 1000;
    this.intervalUs = (1e6 * burst.size) / ratePerSec;
    if ((burst.size - 1) * this.#gapUs >= this.intervalUs) {
      throw new RangeError(
        `a burst of ${burst.size} updates ${burst.gapMs} ms apart does not fit in its ${this.intervalUs / 1000} ms slot at ${ratePerSec} updates/s`,
      );
    }
  }

  /** Scheduled time (integer µs) of the k-th update of this schedule, k >= 1. */
  dueUs(k: number): number {
    const group = Math.floor((k - 1) / this.#size);
    const inGroup = (k - 1) % this.#size;
    return Math.round(this.startUs + group * this.intervalUs + inGroup * this.#gapUs);
  }

  /** How many updates are due at or before `nowUs` (0 before the start). */
  dueCount(nowUs: number): number {
    if (nowUs < this.startUs) return 0;
    const elapsed = nowUs - this.startUs;
    const group = Math.floor(elapsed / this.intervalUs);
    const intoGroup = elapsed - group * this.intervalUs;
    const inGroup =
      this.#gapUs === 0
        ? this.#size
        : Math.min(this.#size, Math.floor(intoGroup / this.#gapUs) + 1);
    return group * this.#size + inGroup;
  }
}
