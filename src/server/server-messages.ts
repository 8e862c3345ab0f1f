import type { FeedServerOptions } from './feed-server.ts';

/** A resource sample of the server process, for CPU per update and memory per connection. */
export interface ServerSample {
  /** User + system CPU time since the process started, µs. */
  readonly cpuUs: number;
  /** Resident set size, bytes. */
  readonly rssBytes: number;
  /** Open TCP connections. */
  readonly connections: number;
  /** V8 heap used + external memory after a full GC, bytes (only when the sample asked for a GC). */
  readonly liveBytes: number | null;
}

/** Options the orchestrator passes to the server process (argv[2], JSON). */
export interface ServerProcessOptions extends FeedServerOptions {
  readonly host: string;
  readonly port: number;
  /** Also serve the raw TCP floor (selftest) on a second port, announced as `rawPort`. */
  readonly rawTcpFloor?: boolean;
  /** One instance of several: the feed is shared through Redis (scale-out), named `feedName` there. */
  readonly sharedFeed?: SharedFeedOptions;
}

/** Where a shared feed lives: the Redis and the feed's name in it. */
export interface SharedFeedOptions {
  readonly redisUrl: string;
  readonly feedName: string;
}
