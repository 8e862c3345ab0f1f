/**
 * The publish schedule of a constant-rate feed: update k (1-based, counted from the
 * schedule's start) is due at `startUs + (k - 1) * 1e6 / ratePerSec`.
 * Pure arithmetic, no timers, so that it can be tested exactly; the publisher drives it.
 */
export class RateSchedule {
  /** Microseconds between two scheduled updates. */
  readonly intervalUs: number;

  /**
   * @param startUs scheduled time of the first update, µs on the monotonic clock.
   * @param ratePerSec updates per second, > 0.
   */
  constructor(readonly startUs: number, readonly ratePerSec: number) {
    if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) throw new RangeError(`rate must be a positive number of updates per second, got ${ratePerSec}`);
    this.intervalUs = 1e6 / ratePerSec;
  }

  /** Scheduled time (integer µs) of the k-th update of this schedule, k >= 1. */
  dueUs(k: number): number {
    return Math.round(this.startUs + (k - 1) * this.intervalUs);
  }

  /** How many updates are due at or before `nowUs` (0 before the start). */
  dueCount(nowUs: number): number {
    if (nowUs < this.startUs) return 0;
    return Math.floor((nowUs - this.startUs) / this.intervalUs) + 1;
  }
}
