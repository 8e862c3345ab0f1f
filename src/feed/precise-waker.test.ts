import { describe, expect, it } from 'vitest';
import { nowUs } from '../metrics/clock.ts';
import { PreciseWaker } from './precise-waker.ts';

// On the real clock: only what cannot depend on the machine's load is asserted (never early,
// the last wake wins, a cancelled wake never comes); how late is bench:publisher's to measure.
const wakeAt = (waker: PreciseWaker, dueUs: number) =>
  new Promise<number>((resolve) => waker.at(dueUs, () => resolve(nowUs())));

describe('PreciseWaker', () => {
  it('never calls back before the due time, through the worker and through the timer', async () => {
    const waker = new PreciseWaker(nowUs);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the worker is up
    for (const aheadUs of [5_000, 300, 0]) {
      const due = nowUs() + aheadUs;
      expect(await wakeAt(waker, due)).toBeGreaterThanOrEqual(due);
    }
    expect(waker.spinUs).toBeGreaterThanOrEqual(0);
  });

  it('keeps only the last wake asked for, and none once cancelled', async () => {
    const waker = new PreciseWaker(nowUs);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const calls: string[] = [];
    waker.at(nowUs() + 3_000, () => calls.push('replaced'));
    const last = wakeAt(waker, nowUs() + 5_000).then(() => calls.push('last'));
    await last;
    waker.at(nowUs() + 2_000, () => calls.push('cancelled'));
    waker.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual(['last']);
  });
});
