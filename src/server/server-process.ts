/**
 * The server process: one feed server on loopback, driven by the orchestrator over IPC.
 * Started by `run/` with its options as JSON in argv[2]; never shares a process with a driver,
 * so its CPU and memory are measured alone.
 */
import { createFeedServer, DEFAULT_SERVER_OPTIONS, type FeedServerOptions } from './feed-server.ts';
import { seqRangeInWindow } from '../feed/ring-buffer.ts';
import { serveIpc } from '../process/ipc.ts';
import { startRawTcpFloor } from '../transports/raw-tcp-floor.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { summarize } from '../metrics/histogram.ts';
import type { ServerProcessOptions, ServerSample } from './server-messages.ts';
import { RedisBackplane, feedKeys } from '../scaleout/redis-backplane.ts';

const options: ServerProcessOptions = { ...DEFAULT_SERVER_OPTIONS, host: '127.0.0.1', port: 0, ...JSON.parse(process.argv[2] ?? '{}') };
const server = createFeedServer(options);
let backplane: RedisBackplane | undefined;
exitWithParent(() => {
  backplane?.close();
  server.httpServer.close();
});
if (options.sharedFeed) {
  // One instance of several: updates come from the shared stream (from its start, so this ring
  // holds the shared history), and clients' publishes go to it.
  backplane = new RedisBackplane(options.sharedFeed.redisUrl, feedKeys(options.sharedFeed.feedName), options.historySize);
  await backplane.connect();
  server.publisher.shareThrough((data, ts) => backplane!.publish(data, ts));
  backplane.follow((update) => server.publisher.ingest(update), (error) => {
    console.error(`server ${process.pid}: lost the shared feed: ${error.message}`);
    process.exit(1);
  });
}
const port = await server.listen(options.port, options.host);
const rawPort = options.rawTcpFloor ? (await startRawTcpFloor(server.publisher, options.host)).port : null;

serveIpc(
  {
    feed: (settings: { rate: number; payloadBytes: number }) => {
      server.publisher.configure(settings);
      return server.publisher.settings;
    },
    sample: (request: { gc?: boolean } | null): ServerSample => {
      // A full GC first (outside the window only) makes memory per connection a measure of what
      // connections keep alive, not of when the collector last ran.
      const collect = (globalThis as { gc?: () => void }).gc;
      if (request?.gc && collect) collect();
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      return { cpuUs: cpu.user + cpu.system, rssBytes: memory.rss, connections: server.openConnections(), liveBytes: request?.gc && collect ? memory.heapUsed + memory.external : null };
    },
    'window-range': ({ fromUs, toUs }: { fromUs: number; toUs: number }) => seqRangeInWindow(server.publisher.ring, fromUs, toUs) ?? null,
    'publish-lag': () => {
      const summary = summarize(server.publishLagUs) ?? null;
      server.publishLagUs.reset();
      return summary;
    },
  },
  { port, rawPort, pid: process.pid },
);
