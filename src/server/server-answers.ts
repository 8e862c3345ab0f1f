import { seqRangeInWindow } from '../feed/ring-buffer.ts';
import { summarize } from '../metrics/histogram.ts';
import type { IpcHandlers } from '../process/ipc.ts';
import type { ServerProtocol, ServerSample } from './server-messages.ts';
import type { TimedPublisher } from './timed-publisher.ts';

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
