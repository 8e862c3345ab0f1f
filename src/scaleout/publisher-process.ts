/**
 * The publisher of a shared feed (scale-out): publishes the scenario's updates on schedule, once
 * each, where every server instance picks them up: into Redis, or, on one host, straight from this
 * process's own feed, whose ring is then the shared history (LocalFeedHub). A process of its own,
 * so that killing an instance (the failover experiment) never stops the feed. Options as JSON in
 * argv[2] (PublisherOptions).
 */
import { Publisher } from '../feed/publisher.ts';
import { PreciseWaker } from '../feed/precise-waker.ts';
import { UpdateRing } from '../feed/ring-buffer.ts';
import { createHistogram, recordValue, summarize } from '../metrics/histogram.ts';
import { nowUs } from '../metrics/clock.ts';
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { RedisBackplane, feedKeys } from './redis-backplane.ts';
import { LocalFeedHub } from './local-backplane.ts';
import type { PublisherOptions, PublisherProtocol } from './scaleout-messages.ts';

const { sharedFeed, historySize, historyBytes } = JSON.parse(
  process.argv[2] ?? '{}',
) as PublisherOptions;
const publishLagUs = createHistogram();
const publisher = new Publisher(
  new UpdateRing(historySize, historyBytes),
  nowUs,
  (lag) => recordValue(publishLagUs, lag),
  new PreciseWaker(nowUs),
);
let failures = 0;
let redis: RedisBackplane | undefined;
if (sharedFeed.kind === 'redis') {
  const backplane = new RedisBackplane(
    sharedFeed.redisUrl,
    feedKeys(sharedFeed.feedName),
    historySize,
  );
  redis = backplane;
  exitWithParent(() => backplane.close());
  await redis.connect();
  // The local ring is then only the schedule's bookkeeping: seqs are Redis's, and instances answer
  // cursors.
  publisher.onPublish((update) => {
    backplane.publish(update.data, update.ts).catch(() => failures++);
  });
} else {
  const hub = new LocalFeedHub(publisher);
  exitWithParent(() => hub.close());
  await hub.listen(sharedFeed.socketPath);
}

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
    'redis-cpu': () => (redis ? redis.redisCpuUs() : null),
    'delete-feed': () => (redis ? redis.deleteFeed().then(() => null) : null),
  },
  { pid: process.pid },
);
