/**
 * One server instance of several (scale-out): the feed server of `server/`, whose updates come
 * from the shared Redis stream (from its start, so its ring holds the shared history) and whose
 * clients' publishes go to it. Options as JSON in argv[2], with `sharedFeed`.
 */
import { serveFeedServer, serverOptionsFromArgv } from '../server/serve-feed-server.ts';
import type { InstanceOptions } from './scaleout-messages.ts';
import { RedisBackplane, feedKeys } from './redis-backplane.ts';

const options = serverOptionsFromArgv() as InstanceOptions;
const backplane = new RedisBackplane(options.sharedFeed.redisUrl, feedKeys(options.sharedFeed.feedName), options.historySize);

await serveFeedServer(options, {
  async attach(server) {
    await backplane.connect();
    server.publisher.shareThrough((data, ts) => backplane.publish(data, ts));
    backplane.follow((update) => server.publisher.ingest(update), (error) => {
      console.error(`server ${process.pid}: lost the shared feed: ${error.message}`);
      process.exit(1);
    });
  },
  close: () => backplane.close(),
});
