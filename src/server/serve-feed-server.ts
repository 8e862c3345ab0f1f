import { createFeedServer, DEFAULT_SERVER_OPTIONS, type FeedServer } from './feed-server.ts';
import { seqRangeInWindow } from '../feed/ring-buffer.ts';
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { summarize } from '../metrics/histogram.ts';
import { transportNamed } from '../transports/registry.ts';
import type { ServerProcessOptions, ServerProtocol, ServerReadyInfo } from './server-messages.ts';

/** The options a server process was started with (argv[2], JSON), defaults filled. */
export function serverOptionsFromArgv(): ServerProcessOptions {
  return {
    ...DEFAULT_SERVER_OPTIONS,
    host: '127.0.0.1',
    port: 0,
    ...(JSON.parse(process.argv[2] ?? '{}') as Partial<ServerProcessOptions>),
  };
}

/**
 * A process-wide addition to the feed server (the scale-out backplane): set up before it listens,
 * ended with it.
 */
export interface ServerAttachment {
  attach(server: FeedServer): Promise<void>;
  close(): void;
}

/**
 * The body of a server process: one feed server with every transport, the listeners of their
 * own the orchestrator asked for, and the orchestrator's requests answered over IPC. It exits
 * with its parent, however the parent ends.
 */
export async function serveFeedServer(
  options: ServerProcessOptions,
  attachment?: ServerAttachment,
): Promise<void> {
  const server = createFeedServer(options);
  exitWithParent(() => {
    attachment?.close();
    server.listener.close();
  });
  await attachment?.attach(server);
  const port = await server.listen(options.port, options.host);
  const ownPorts: Record<string, number> = {};
  for (const name of options.ownListeners ?? []) {
    const start = transportNamed(name).ownListener;
    if (!start) throw new Error(`${name} has no listener of its own`);
    ownPorts[name] = (await start(server.publisher, options.host)).port;
  }
  serveIpc<ServerProtocol>(
    {
      feed: (settings) => {
        server.publisher.configure(settings);
        return server.publisher.settings;
      },
      sample: (request) => {
        // A full GC first (outside the window only) makes memory per connection a measure of what
        // connections keep alive, not of when the collector last ran.
        const collect = (globalThis as { gc?: () => void }).gc;
        if (request?.gc && collect) collect();
        const cpu = process.cpuUsage();
        const memory = process.memoryUsage();
        return {
          cpuUs: cpu.user + cpu.system,
          rssBytes: memory.rss,
          connections: server.openConnections(),
          wireBytes: server.wireBytes(),
          liveBytes: request?.gc && collect ? memory.heapUsed + memory.external : null,
          peakRssBytes: process.resourceUsage().maxRSS * 1024,
          spinUs: server.publisher.spinUs,
          slowConsumers: server.slowConsumerCounts(),
        };
      },
      'window-range': ({ fromUs, toUs }) =>
        seqRangeInWindow(server.publisher.ring, fromUs, toUs) ?? null,
      'publish-lag': () => {
        const summary = summarize(server.publishLagUs) ?? null;
        server.publishLagUs.reset();
        return summary;
      },
    },
    { port, ownPorts, pid: process.pid } satisfies ServerReadyInfo,
  );
}
