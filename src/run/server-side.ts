import type { PercentileSummary } from '../metrics/histogram.ts';
import type { ServerSample } from '../server/server-messages.ts';
import type { StartedChild } from '../process/children.ts';

const IPC_TIMEOUT_MS = 10_000;

/**
 * The server side of a cell as the orchestrator drives it: one server process, or several
 * instances behind a load balancer sharing a feed (scale-out). Samples are summed over instances.
 */
export interface ServerSide {
  /** Where clients connect (before any network proxy). */
  readonly port: number;
  /** Cores the server side is pinned to, or undefined when not pinned. */
  readonly cores: number[] | undefined;
  /** The raw TCP floor's port, when the single server serves it. */
  readonly rawPort: number | null;
  /** CPU, memory and connections, summed over every instance (a killed one counts as last seen); null for a server feedbench did not start. */
  sample(gc?: boolean): Promise<ServerSample | null>;
  /** Starts or stops the scheduled feed. */
  feed(settings: { rate: number; payloadBytes: number; burst?: { size: number; gapMs: number } }): Promise<unknown>;
  /** The publisher's lag since the last call (which resets it). */
  publishLag(): Promise<PercentileSummary | null>;
  /**
   * The seqs published with ts in [fromUs, toUs), from an instance that is still alive: null when
   * none was, undefined when the server cannot say (a target), and the drivers take what they saw.
   */
  windowRange(fromUs: number, toUs: number): Promise<{ first: number; last: number } | null | undefined>;
}

/** The classic cell: one server process hosting the feed and every transport. */
export function singleServer(server: StartedChild): ServerSide {
  const ask = <T>(kind: string, payload: unknown) => server.ipc.request<T>(kind, payload, IPC_TIMEOUT_MS);
  return {
    port: server.info.port as number,
    cores: server.cores,
    rawPort: (server.info.rawPort as number | null) ?? null,
    sample: (gc = false) => ask<ServerSample>('sample', { gc }),
    feed: (settings) => ask('feed', settings),
    publishLag: () => ask<PercentileSummary | null>('publish-lag', null),
    windowRange: (fromUs, toUs) => ask('window-range', { fromUs, toUs }),
  };
}
