import type { FeedClient } from '../transports/transport.ts';
import type { ReadGate } from '../transports/shared/read-gate.ts';
import { SelfLoadMeter } from '../metrics/self-load.ts';
import { noWire, type WireTotals } from '../metrics/wire-counter.ts';
import { descendantsPssBytes } from '../metrics/process-tree.ts';
import { CellRecorder } from './cell-recorder.ts';
import type { SaturationThresholds } from './saturation.ts';
import type { UpstreamLoad } from './upstream-load.ts';

/**
 * The driver's memory: its own RSS and, for browser clients, the browser's processes (their PSS).
 */
export const memoryBytes = (): number => process.memoryUsage.rss() + descendantsPssBytes();

/**
 * Memory after a full collection where the process may run one (`--expose-gc`): without it, a
 * collection of start-up garbage between the idle and the connected sample once gave 100 clients
 * -1,229 bytes each.
 */
export function settledMemoryBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return memoryBytes();
}

/**
 * What one cell's clients put in this process, replaced whole when the orchestrator reuses the
 * process for the next cell: nothing of a cell outlives it, and a timer of an ended cell writes
 * into that cell's state, not the next one's.
 */
export function newCellState(earlierCells: number) {
  const idleRssBytes = settledMemoryBytes();
  return {
    recorder: new CellRecorder(),
    clients: [] as FeedClient[],
    meter: new SelfLoadMeter(),
    saturation: undefined as SaturationThresholds | undefined,
    upstreamLoad: undefined as UpstreamLoad | undefined,
    load: { cpuShare: 0, eventLoopP99Ms: 0 },
    wireAtOpen: noWire(),
    /** When the window actually opened here, µs, minus when it was due; null until it opened. */
    windowOpenLateUs: null as number | null,
    wireInWindow: noWire(),
    /**
     * Browser clients: the span their DevTools byte counts are summed over (the window, moved by
     * the request's lead).
     */
    browserByteSpan: undefined as { fromUs: number; toUs: number } | undefined,
    /**
     * Memory before any client existed, and once they all connected: the driver's memory per
     * connection.
     */
    idleRssBytes,
    connectedRssBytes: idleRssBytes,
    /**
     * Cells this process served before this one: a reused process's memory per connection is not
     * measured (its heap holds what they freed).
     */
    earlierCells,
    /** Whether this driver's clients are browser pages. */
    clientsArePages: false,
    /** Slow consumers' gate: set when this driver's clients are the slow ones. */
    readGate: undefined as ReadGate | undefined,
  };
}

/** Everything one cell put in the driver process. */
export type CellState = ReturnType<typeof newCellState>;

/** The byte counts of every client's sockets, summed. */
export function wireTotals(clients: readonly FeedClient[]): WireTotals {
  const sum = noWire();
  for (const client of clients) {
    const t = client.wire.totals();
    for (const key of Object.keys(sum) as (keyof WireTotals)[]) sum[key] += t[key];
  }
  return sum;
}

/** The first request and answer header blocks of every HTTP/2 connection the clients opened. */
export function firstHeaderBlocks(cell: CellState): {
  h2_first_connections: number;
  h2_first_request_header_bytes: number;
  h2_first_response_header_bytes: number;
} {
  const sum = {
    h2_first_connections: 0,
    h2_first_request_header_bytes: 0,
    h2_first_response_header_bytes: 0,
  };
  for (const client of cell.clients) {
    const first = client.wire.firstHeaderBlocks();
    sum.h2_first_connections += first.connections;
    sum.h2_first_request_header_bytes += first.requestBytes;
    sum.h2_first_response_header_bytes += first.responseBytes;
  }
  return sum;
}

/**
 * The window's bytes as the browser counted them for its pages; null for other clients, or when a
 * page's count overflowed.
 */
export function browserBytes(cell: CellState): { down: number; up: number } | null {
  const span = cell.browserByteSpan;
  if (!cell.clientsArePages || !span) return null;
  const sum = { down: 0, up: 0 };
  for (const client of cell.clients) {
    const counted = client.countedByBrowser?.between(span.fromUs, span.toUs);
    if (!counted) return null;
    sum.down += counted.down;
    sum.up += counted.up;
  }
  return sum;
}

/** Updates of the window delivered so far, over every client. */
export function deliveredSoFar(cell: CellState): number {
  return cell.recorder.trackers.reduce((sum, t) => sum + t.delivered, 0);
}
