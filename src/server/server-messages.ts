/**
 * The messages between the orchestrator and a server process: its options (argv), what it
 * announces when ready, and one request/reply protocol, typed here and checked where it crosses.
 */
import type { PercentileSummary } from '../results/index.ts';
import type { FeedServerOptions } from './feed-server.ts';
import type { SlowConsumerCounts } from '../transports/shared/push-cursor.ts';

/** A resource sample of the server process, for CPU per update and memory per connection. */
export interface ServerSample {
  /** User + system CPU time since the process started, µs. */
  readonly cpuUs: number;
  /** Resident set size, bytes. */
  readonly rssBytes: number;
  /** Open TCP connections. */
  readonly connections: number;
  /**
   * Bytes every accepted TCP socket has read and written so far: the server's side of the wire
   * count; null for a server that does not count them (nchan).
   */
  readonly wireBytes: { readonly read: number; readonly written: number } | null;
  /**
   * V8 heap used + external memory after a full GC, bytes (only when the sample asked for a GC).
   */
  readonly liveBytes: number | null;
  /** The largest resident set size so far (the kernel's maxrss), bytes. */
  readonly peakRssBytes: number;
  /**
   * µs the publisher has spun on the clock for precise publish times (CPU that is the harness's,
   * not a transport's).
   */
  readonly spinUs: number;
  /** What the slow-consumer policy did so far. */
  readonly slowConsumers: SlowConsumerCounts;
}

/** Options the orchestrator passes to the server process (argv[2], JSON). */
export interface ServerProcessOptions extends FeedServerOptions {
  readonly host: string;
  readonly port: number;
  /**
   * Transports whose listener of their own to start too (the raw TCP floor), each announced in
   * `ownPorts`.
   */
  readonly ownListeners?: readonly string[];
}

/** What a server process announces when ready. */
export interface ServerReadyInfo {
  readonly port: number;
  /** The port of each listener of its own it started, by transport name. */
  readonly ownPorts: Readonly<Record<string, number>>;
  readonly pid: number;
}

/** The scheduled feed's settings. */
export interface FeedSettings {
  readonly rate: number;
  readonly payloadBytes: number;
  readonly burst?: { readonly size: number; readonly gapMs: number };
}

/** Every request the orchestrator makes of a server process, with its reply. */
export type ServerProtocol = {
  feed: { request: FeedSettings; reply: unknown };
  sample: { request: { gc?: boolean } | null; reply: ServerSample };
  'window-range': {
    request: { fromUs: number; toUs: number };
    reply: { first: number; last: number } | null;
  };
  'publish-lag': { request: null; reply: PercentileSummary | null };
};
