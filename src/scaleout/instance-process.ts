/**
 * One server instance of several (scale-out): the feed server of `server/`, whose updates come
 * from the shared feed (from its start, so its ring holds the shared history) and whose clients'
 * publishes go to it: the publisher process's local socket, or Redis. Options as JSON in argv[2],
 * with `sharedFeed`.
 */
import { serveFeedServer, serverOptionsFromArgv } from '../server/serve-feed-server.ts';
import type { InstanceOptions } from './scaleout-messages.ts';
import { RedisBackplane, feedKeys } from './redis-backplane.ts';
import { LocalBackplane } from './local-backplane.ts';

/**
 * How long an instance that lost the shared feed waits to be stopped before it reports the loss and
 * exits.
 */
const LOSS_GRACE_MS = 500;

const options = serverOptionsFromArgv() as InstanceOptions;
const shared = options.sharedFeed;
const backplane =
  shared.kind === 'redis'
    ? new RedisBackplane(shared.redisUrl, feedKeys(shared.feedName), options.historySize)
    : new LocalBackplane(shared.socketPath);

await serveFeedServer(options, {
  async attach(server) {
    await backplane.connect();
    server.publisher.shareThrough((data, ts) => backplane.publish(data, ts));
    backplane.follow(
      (update) => server.publisher.ingest(update),
      (error) => {
        // A cell's teardown stops the publisher and the instances at once: an instance told to
        // stop is gone before this fires; one that is not has really lost the feed.
        setTimeout(() => {
          console.error(`server ${process.pid}: lost the shared feed: ${error.message}`);
          process.exit(1);
        }, LOSS_GRACE_MS).unref();
      },
    );
  },
  close: () => backplane.close(),
});
