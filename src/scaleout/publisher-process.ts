/**
 * The publisher of a shared feed (scale-out): publishes the scenario's updates on schedule into
 * Redis, once each, where every server instance picks them up. A process of its own, so that
 * killing an instance (the failover experiment) never stops the feed. Options as JSON in
 * argv[2]: `{redisUrl, feedName, historySize}`.
 */
import { Publisher } from '../feed/publisher.ts';
import { PreciseWaker } from '../feed/precise-waker.ts';
import { UpdateRing } from '../feed/ring-buffer.ts';
import { createHistogram, recordValue, summarize } from '../metrics/histogram.ts';
import { nowUs } from '../metrics/clock.ts';
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { RedisBackplane, feedKeys } from './redis-backplane.ts';
import type { PublisherProtocol } from './scaleout-messages.ts';

const { redisUrl, feedName, historySize } = JSON.parse(process.argv[2] ?? '{}') as { redisUrl: string; feedName: string; historySize: number };
const backplane = new RedisBackplane(redisUrl, feedKeys(feedName), historySize);
exitWithParent(() => backplane.close());
await backplane.connect();
const publishLagUs = createHistogram();
// The local ring is only the schedule's bookkeeping: seqs are Redis's, and instances answer cursors.
const publisher = new Publisher(new UpdateRing(historySize), nowUs, (lag) => recordValue(publishLagUs, lag), new PreciseWaker(nowUs));
let failures = 0;
publisher.onPublish((update) => {
  backplane.publish(update.data, update.ts).catch(() => failures++);
});

serveIpc<PublisherProtocol>(
  {
    feed: (settings) => {
      publisher.configure(settings);
      return publisher.settings;
    },
    'publish-lag': () => {
      const summary = summarize(publishLagUs) ?? null;
      publishLagUs.reset();
      return summary;
    },
    failures: () => failures,
    'redis-cpu': () => backplane.redisCpuUs(),
    'delete-feed': () => backplane.deleteFeed().then(() => null),
  },
  { pid: process.pid },
);
