import { createFeedServer, DEFAULT_SERVER_OPTIONS, type FeedServer } from './feed-server.ts';
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { nodeProcessSample, publisherHandlers } from './server-answers.ts';
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
      ...publisherHandlers(server),
      sample: (request) => ({
        ...nodeProcessSample(request?.gc),
        connections: server.openConnections(),
        wireBytes: server.wireBytes(),
        spinUs: server.publisher.spinUs,
        slowConsumers: server.slowConsumerCounts(),
      }),
    },
    { port, ownPorts, pid: process.pid } satisfies ServerReadyInfo,
  );
}
