import { Publisher } from '../feed/publisher.ts';
import { PreciseWaker, TimerWaker } from '../feed/precise-waker.ts';
import { UpdateRing } from '../feed/ring-buffer.ts';
import { createHistogram, recordValue, type Histogram } from '../metrics/histogram.ts';
import { nowUs } from '../metrics/clock.ts';

/** A server's publisher and the histogram of how late it published. */
export interface TimedPublisher {
  readonly publisher: Publisher;
  readonly publishLagUs: Histogram;
}

/**
 * The feed's publisher as every server process runs it: its history bounded by count and bytes,
 * its lag recorded, its schedule kept by the precise waker (FEEDBENCH_TIMER=node keeps it on
 * Node's timers, as before the precise waker: for comparisons).
 */
export function createTimedPublisher(historySize: number, historyBytes: number): TimedPublisher {
  const publishLagUs = createHistogram();
  const waker =
    process.env.FEEDBENCH_TIMER === 'node' ? new TimerWaker(nowUs) : new PreciseWaker(nowUs);
  const publisher = new Publisher(
    new UpdateRing(historySize, historyBytes),
    nowUs,
    (lag) => recordValue(publishLagUs, lag),
    waker,
  );
  return { publisher, publishLagUs };
}
