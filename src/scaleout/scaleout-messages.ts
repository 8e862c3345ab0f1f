import type { PercentileSummary } from '../results/index.ts';
import type {
  FeedSettings,
  ServerProcessOptions,
  ServerProtocol,
} from '../server/server-messages.ts';

/**
 * Where a shared feed lives: the publisher process's own socket on this host (no external
 * service), or a Redis and the feed's name in it (several hosts, or a Redis asked for).
 */
export type SharedFeedOptions =
  | { readonly kind: 'local'; readonly socketPath: string }
  | { readonly kind: 'redis'; readonly redisUrl: string; readonly feedName: string };

/** Options of the publisher process (argv[2], JSON). */
export interface PublisherOptions {
  readonly sharedFeed: SharedFeedOptions;
  readonly historySize: number;
  readonly historyBytes: number;
}

/** Options of one scale-out instance (argv[2], JSON): a server process's, and the shared feed. */
export interface InstanceOptions extends ServerProcessOptions {
  readonly sharedFeed: SharedFeedOptions;
}

/** Every request the orchestrator makes of the scale-out publisher process, with its reply. */
export type PublisherProtocol = {
  feed: { request: FeedSettings; reply: unknown };
  'publish-lag': { request: null; reply: PercentileSummary | null };
  /** Scheduled updates it could not write to Redis so far. */
  failures: { request: null; reply: number };
  /** Redis's CPU time so far, µs; null with the local backplane (no Redis). */
  'redis-cpu': { request: null; reply: number | null };
  'delete-feed': { request: null; reply: null };
};

/** A request for one instance, relayed by the cluster primary. */
export interface InstanceRequest {
  readonly index: number;
  readonly kind: keyof ServerProtocol;
  readonly payload: unknown;
  readonly timeoutMs: number;
}

/** The cluster primary's one request: relay to an instance, answer with its reply. */
export type ClusterProtocol = {
  instance: { request: InstanceRequest; reply: unknown };
};
