import type { StallCounts } from './stall-tracker.ts';
/**
 * The messages between the orchestrator and a driver process: one request/reply protocol,
 * typed here and checked where it crosses (process/ipc.ts).
 */
import type { CellParams, FailoverOutcome } from '../results/index.ts';
import type { ClientOptions, UpstreamKind } from '../transports/transport.ts';
import type { SlowRead } from '../transports/shared/read-gate.ts';
import type { SaturationThresholds } from './saturation.ts';
import { ANSWER_TIMEOUT_MS } from '../transports/shared/answer-deadline.ts';
import { DEFAULT_RECONNECT } from '../transports/shared/reconnect-policy.ts';

/**
 * What a cell's clients do: `feed` receives the server's scheduled updates; `chat` sends
 * messages that the server publishes to every client; `echo` sends messages the server returns.
 */
export type Workload = CellParams['workload'];

/** The workloads, in the order the README documents them. */
export const WORKLOADS = ['feed', 'chat', 'echo'] as const satisfies readonly Workload[];

/** `connect`: make and connect this driver's virtual clients. */
export interface ConnectRequest {
  /** A registered transport's name (transports/registry.ts). */
  readonly transport: string;
  readonly workload: Workload;
  readonly clients: number;
  /**
   * Index of this driver's first client among all the cell's drivers (chat senders are named by
   * it).
   */
  readonly firstIndex: number;
  readonly client: Omit<ClientOptions, 'readGate' | 'sharedHttp2'>;
  /** HTTP/2: consecutive clients that share one connection (1: each its own). */
  readonly h2ClientsPerConnection: number;
  /**
   * `node`: feedbench's own clients; `browser`: pages of headless Chromium using the platform's
   * APIs.
   */
  readonly clientKind: 'node' | 'browser';
  /**
   * Browser clients: consecutive clients that are tabs of one browser (1: each a browser of its
   * own).
   */
  readonly browserTabs: number;
  /** These clients are slow consumers that read like this (a driver of their own holds them). */
  readonly slowRead?: SlowRead;
  /**
   * Connections opened at once during the connect phase (a storm scenario sets it to `clients`).
   */
  readonly connectConcurrency: number;
}

/** The answer to `connect`. */
export interface ConnectReply {
  readonly connected: number;
  readonly failed: number;
  readonly firstError: string | null;
}

/** `window`: updates scheduled in [startUs, endUs) are measured (µs, monotonic). */
export interface WindowRequest {
  readonly startUs: number;
  readonly endUs: number;
  readonly saturation: SaturationThresholds;
  /** Keep deliveries per 100 ms (the failover timeline). */
  readonly timeline?: boolean;
  /**
   * Server clock minus the driver's, µs (an external target's clock; 0 or absent for feedbench's
   * own server).
   */
  readonly clockOffsetUs?: number;
  /**
   * Browser clients: their DevTools byte counts are summed over the window moved this much
   * earlier, the span the server's byte samples cover (cell-phases' byteSampleLeadUs).
   */
  readonly byteSpanLeadUs?: number;
  /**
   * Stalls: a gap between one client's deliveries longer than `gapUs` is one, and clients are
   * compared in groups of `groupSize` (stall-tracker.ts); absent: not counted.
   */
  readonly stalls?: { readonly gapUs: number; readonly groupSize: number };
}

/** `failure`: an instance was killed at `atUs` (µs, monotonic); time how clients come back. */
export interface FailureNotice {
  readonly atUs: number;
}

/** `upstream`: what the clients of a chat or echo cell send, all together. */
export interface UpstreamPlan {
  readonly kind: UpstreamKind;
  /** Messages per second summed over all clients; client k mod N sends the k-th. */
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  /** Index of this driver's first client among all drivers: chat stamps name senders by it. */
  readonly firstIndex: number;
  /** Scheduled time of the first message and the end of sending (µs, monotonic). */
  readonly startUs: number;
  readonly endUs: number;
}

/**
 * How long past its grace (`FinishRequest.drainMs`) a cell in which connections failed waits for
 * clients still coming back, ms: one answer time-out (a hung connection given up) and the longest
 * reconnect wait. What arrives then is delivered, but `late`; what has not arrived by then is lost.
 */
export const LATE_WAIT_MS = ANSWER_TIMEOUT_MS + DEFAULT_RECONNECT.maxDelayMs;

/**
 * `finish`: the window's updates are seqs first..last (null: a server that cannot say, and the
 * driver takes the lowest and highest it saw); wait up to drainMs for stragglers, and where
 * connections failed, up to `LATE_WAIT_MS` more for clients coming back.
 */
export interface FinishRequest {
  readonly first: number | null;
  readonly last: number | null;
  readonly drainMs: number;
}

/** The HTTP/2 wire fields of a driver's result when it had no HTTP/2 connection. */
export const NO_H2_WIRE = {
  h2_header_down: 0,
  h2_header_up: 0,
  h2_data_down: 0,
  h2_data_up: 0,
  h2_framing_down: 0,
  h2_framing_up: 0,
  h2_split_bytes_down: 0,
  h2_split_bytes_up: 0,
  h2_first_connections: 0,
  h2_first_request_header_bytes: 0,
  h2_first_response_header_bytes: 0,
} as const;

/** What one driver measured in one cell; the orchestrator adds the server's side. */
export interface DriverCellResult {
  /** Encoded HDR histograms (µs). */
  readonly histograms: {
    readonly latency_us: string;
    readonly connect_us: string;
    readonly ack_us: string | null;
  };
  /** Chat and echo: upstream messages scheduled in the window; null for the feed workload. */
  readonly upstream: { sent: number; answered: number; failed: number } | null;
  readonly delivery: {
    published: number;
    delivered: number;
    late: number;
    lost: number;
    duplicated: number;
    reordered: number;
    receiving_clients: number | null;
  };
  /** Bytes and requests while the window was open, and the updates received in that time. */
  readonly wire: {
    bytes_down: number;
    bytes_up: number;
    payload_bytes: number;
    updates_received: number;
    handshake_bytes: number;
    connections: number;
    /** Polls completed in the window. */
    requests: number;
    /** Upstream POSTs answered in the window (chat and echo over an HTTP transport). */
    upstream_requests: number;
    empty_polls: number;
    /** HTTP/2 (0 otherwise): the window's bytes by frame content, each way. */
    h2_header_down: number;
    h2_header_up: number;
    h2_data_down: number;
    h2_data_up: number;
    h2_framing_down: number;
    h2_framing_up: number;
    /**
     * HTTP/2: TCP bytes of the connections split frame by frame (a sample of them); the split above
     * covers those only.
     */
    h2_split_bytes_down: number;
    h2_split_bytes_up: number;
    /**
     * HTTP/2: connections whose first request and answer header blocks are summed below (whole run,
     * not the window).
     */
    h2_first_connections: number;
    h2_first_request_header_bytes: number;
    h2_first_response_header_bytes: number;
  };
  readonly driver: {
    cpu_share: number;
    event_loop_p99_ms: number;
    saturated: boolean;
    reason: string | null;
    rss_bytes: number;
    rss_bytes_per_conn: number | null;
  };
  readonly clients: number;
  /** Deliveries per 100 ms of the window, when the window asked for a timeline. */
  readonly timeline: number[] | null;
  /** When an instance was killed during the window; null otherwise. */
  readonly failover: FailoverOutcome | null;
  readonly errors: { count: number; first: string[] };
  /**
   * Slow consumers that paused: how long after the pause each took to receive an update published
   * after it; null without a pause.
   */
  readonly catch_up: CatchUp | null;
  /** ms spent draining after the window before every client had its updates (or drainMs). */
  readonly drain_ms: number;
  /**
   * How late the window opened in this process, µs on its own clock (its timer fired this long
   * after the window's start): with several load hosts, the start skew between them.
   */
  readonly window_open_late_us: number | null;
  /**
   * Browser clients: the window's bytes as Chromium's DevTools counted them (HTTP: received only);
   * null for other clients.
   */
  readonly browser_bytes: { readonly down: number; readonly up: number } | null;
  /** Gaps in the clients' deliveries; null when the window did not ask for them. */
  readonly stalls: StallCounts | null;
  /** Connections the clients opened while the window was open (reconnects, for push). */
  readonly connections_in_window: number;
  /** Browser pages by the protocol their document came over; null for other clients. */
  readonly next_hop_protocols: Readonly<Record<string, number>> | null;
}

/**
 * How long slow consumers took to catch up after their pause: to receive an update published after
 * it.
 */
export interface CatchUp {
  readonly clients: number;
  /** Clients that caught up before the drain ended. */
  readonly caught_up: number;
  readonly ms: { readonly p50: number; readonly max: number } | null;
}

/** Every request the orchestrator makes of a driver, with its reply. */
export type DriverProtocol = {
  connect: { request: ConnectRequest; reply: ConnectReply };
  window: { request: WindowRequest; reply: null };
  upstream: { request: UpstreamPlan; reply: null };
  failure: { request: FailureNotice; reply: null };
  finish: { request: FinishRequest; reply: DriverCellResult };
  /**
   * Every byte the clients' sockets have moved since they opened, both ways: the client side of the
   * byte check.
   */
  'wire-total': { request: null; reply: number };
  /**
   * Closes every client and starts the process afresh: the orchestrator reuses it for the next
   * cell.
   */
  reset: { request: null; reply: null };
};
