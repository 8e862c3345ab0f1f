import { Publisher } from '../feed/publisher.ts';
import { PreciseWaker, TimerWaker } from '../feed/precise-waker.ts';
import { UpdateRing, seqRangeInWindow } from '../feed/ring-buffer.ts';
import { createHistogram, recordValue, summarize, type Histogram } from '../metrics/histogram.ts';
import { nowUs } from '../metrics/clock.ts';
import type { ServerProtocol, ServerSample } from './server-messages.ts';
import type { IpcHandlers } from '../process/ipc.ts';

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

/** The orchestrator's requests about the feed, answered from a server's publisher. */
export function publisherHandlers({
  publisher,
  publishLagUs,
}: TimedPublisher): Pick<IpcHandlers<ServerProtocol>, 'feed' | 'window-range' | 'publish-lag'> {
  return {
    feed: (settings) => {
      publisher.configure(settings);
      return publisher.settings;
    },
    'window-range': ({ fromUs, toUs }) => seqRangeInWindow(publisher.ring, fromUs, toUs) ?? null,
    'publish-lag': () => {
      const summary = summarize(publishLagUs) ?? null;
      publishLagUs.reset();
      return summary;
    },
  };
}

/**
 * This Node process's CPU and memory for a server sample; with `gc`, a full GC first (outside the
 * window only), so that live memory measures what connections keep alive, not when the collector
 * last ran.
 */
export function nodeProcessSample(
  gc: boolean | undefined,
): Pick<ServerSample, 'cpuUs' | 'rssBytes' | 'liveBytes' | 'peakRssBytes'> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) collect();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuUs: cpu.user + cpu.system,
    rssBytes: memory.rss,
    liveBytes: gc && collect ? memory.heapUsed + memory.external : null,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
