import type { PercentileSummary } from '../results/index.ts';
import type {
  FeedSettings,
  ServerProtocol,
  ServerReadyInfo,
  ServerSample,
} from './server-messages.ts';
import type { StartedChild } from '../process/children.ts';

/**
 * The server side of a cell as the orchestrator drives it: one server process, or several
 * instances behind a load balancer sharing a feed (scale-out). Samples are summed over instances.
 */
export interface ServerSide {
  /** Where clients connect (before any network proxy). */
  readonly port: number;
  /** Cores the server side is pinned to, or undefined when not pinned. */
  readonly cores: number[] | undefined;
  /** Ports of the listeners of their own it started (the raw TCP floor's), by transport name. */
  readonly ownPorts: Readonly<Record<string, number>>;
  /**
   * CPU, memory and connections, summed over every instance (a killed one counts as last seen);
   * null for a server feedbench did not start.
   */
  sample(gc?: boolean): Promise<ServerSample | null>;
  /** Starts or stops the scheduled feed. */
  feed(settings: FeedSettings): Promise<unknown>;
  /** The publisher's lag since the last call (which resets it). */
  publishLag(): Promise<PercentileSummary | null>;
  /**
   * The seqs published with ts in [fromUs, toUs), from an instance that is still alive: null when
   * none was, undefined when the server cannot say (a target), and the drivers take what they saw.
   */
  windowRange(
    fromUs: number,
    toUs: number,
  ): Promise<{ first: number; last: number } | null | undefined>;
}

/** The classic cell: one server process hosting the feed and every transport. */
export function singleServer(server: StartedChild<ServerProtocol>): ServerSide {
  const info = server.info as unknown as ServerReadyInfo;
  return {
    port: info.port,
    cores: server.cores,
    ownPorts: info.ownPorts,
    sample: (gc = false) => server.ipc.request('sample', { gc }),
    feed: (settings) => server.ipc.request('feed', settings),
    publishLag: () => server.ipc.request('publish-lag', null),
    windowRange: (fromUs, toUs) => server.ipc.request('window-range', { fromUs, toUs }),
  };
}
