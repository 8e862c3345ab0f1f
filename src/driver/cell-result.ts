import { encodeHistogram } from '../metrics/histogram.ts';
import { roundTo } from '../metrics/units.ts';
import { required } from '../metrics/required.ts';
import { LATE_WAIT_MS, type DriverCellResult, type FinishRequest } from './driver-messages.ts';
import { catchUp, failoverOutcome } from './recovery-outcomes.ts';
import { judgeSaturation } from './saturation.ts';
import {
  browserBytes,
  deliveredSoFar,
  firstHeaderBlocks,
  memoryBytes,
  type CellState,
} from './cell-state.ts';

/** What the drain found: the window's seqs, how long it took, what arrived after the grace. */
interface Drained {
  readonly first: number;
  readonly last: number;
  readonly drainMs: number;
  readonly late: number;
}

/**
 * Waits for stragglers: until every client has the window's last update, for the grace the
 * request gives; past it, only while a client that is short of it had updates and then failed (it
 * may be coming back with its cursor), up to LATE_WAIT_MS. What arrives after the grace is late.
 */
export async function drainCell(cell: CellState, request: FinishRequest): Promise<Drained> {
  const drainStart = Date.now();
  // A server that cannot say which seqs were in the window: the range the clients saw stands in.
  const range = () =>
    request.first !== null && request.last !== null
      ? { first: request.first, last: request.last }
      : (cell.recorder.seenRange() ?? { first: 1, last: 0 });
  const graceEnd = drainStart + request.drainMs;
  let deliveredInGrace: number | undefined;
  while (!cell.recorder.allReached(range().last)) {
    const now = Date.now();
    if (now >= graceEnd) {
      deliveredInGrace ??= deliveredSoFar(cell);
      if (!cell.recorder.comingBack(range().last) || now >= graceEnd + LATE_WAIT_MS) break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const late = deliveredInGrace === undefined ? 0 : deliveredSoFar(cell) - deliveredInGrace;
  return { ...range(), drainMs: Date.now() - drainStart, late };
}

/** The delivery counts of a drained cell; an echo counts its answers instead. */
function delivery(cell: CellState, drained: Drained): DriverCellResult['delivery'] {
  const { recorder } = cell;
  if (recorder.workload === 'echo') {
    // An echo is delivered when its answer comes back; the feed's counts do not apply.
    const { sent, answered } = recorder.upstream;
    const none = { late: 0, duplicated: 0, reordered: 0, receiving_clients: null };
    return { published: sent, delivered: answered, lost: sent - answered, ...none };
  }
  const perClient = drained.last >= drained.first ? drained.last - drained.first + 1 : 0;
  const published = perClient * cell.clients.length;
  const delivered = deliveredSoFar(cell);
  const sum = (pick: (t: (typeof recorder.trackers)[number]) => number) =>
    recorder.trackers.reduce((total, t) => total + pick(t), 0);
  return {
    published,
    delivered,
    late: drained.late,
    lost: Math.max(0, published - delivered),
    duplicated: sum((t) => t.duplicated),
    reordered: sum((t) => t.reordered),
    receiving_clients: recorder.trackers.filter((t) => t.delivered > 0).length,
  };
}

/** The bytes and requests of the window. */
function wire(cell: CellState): DriverCellResult['wire'] {
  const { recorder, wireInWindow: w } = cell;
  return {
    bytes_down: w.down,
    bytes_up: w.up,
    payload_bytes: recorder.payloadBytes,
    updates_received: recorder.updatesReceived,
    handshake_bytes: recorder.handshakeBytes,
    connections: recorder.connections,
    requests: recorder.requests,
    upstream_requests: recorder.upstreamRequests,
    empty_polls: recorder.emptyPolls,
    h2_header_down: w.h2HeaderDown,
    h2_header_up: w.h2HeaderUp,
    h2_data_down: w.h2DataDown,
    h2_data_up: w.h2DataUp,
    h2_framing_down: w.h2FramingDown,
    h2_framing_up: w.h2FramingUp,
    h2_split_bytes_down: w.h2TappedDown,
    h2_split_bytes_up: w.h2TappedUp,
    ...firstHeaderBlocks(cell),
  };
}

/** The driver's own load, and whether it was the limit. */
function honesty(cell: CellState): DriverCellResult['driver'] {
  const verdict = judgeSaturation(
    cell.load,
    required(cell.saturation, 'the saturation thresholds of the connect request'),
  );
  const clients = cell.clients.length;
  // Below 100 clients the heap's noise swamps the figure (MIN_CLIENTS_FOR_MEMORY). A browser page
  // costs megabytes: its figure needs no crowd to rise above the noise.
  const measurable = clients >= 100 || (cell.clientsArePages && clients > 0);
  return {
    cpu_share: roundTo(cell.load.cpuShare, 3),
    event_loop_p99_ms: roundTo(cell.load.eventLoopP99Ms, 2),
    saturated: verdict.saturated,
    reason: verdict.reason,
    rss_bytes: memoryBytes(),
    rss_bytes_per_conn:
      cell.earlierCells > 0 || !measurable
        ? null
        : Math.round((cell.connectedRssBytes - cell.idleRssBytes) / clients),
  };
}

/** What this driver measured in a drained cell, for the orchestrator. */
export function cellResult(cell: CellState, drained: Drained): DriverCellResult {
  const { recorder } = cell;
  return {
    histograms: {
      latency_us: encodeHistogram(recorder.latencyUs),
      connect_us: encodeHistogram(recorder.connectUs),
      ack_us: recorder.workload === 'chat' ? encodeHistogram(recorder.ackUs) : null,
    },
    delivery: delivery(cell, drained),
    upstream: recorder.workload === 'feed' ? null : { ...recorder.upstream },
    wire: wire(cell),
    driver: honesty(cell),
    clients: cell.clients.length,
    timeline: recorder.timeline && [...recorder.timeline],
    failover: failoverOutcome(recorder),
    catch_up: catchUp(recorder, cell.clients.length),
    errors: { count: recorder.errorCount, first: recorder.firstErrors },
    drain_ms: drained.drainMs,
    window_open_late_us: cell.windowOpenLateUs,
    browser_bytes: browserBytes(cell),
    stalls: recorder.stalls?.counts() ?? null,
    connections_in_window: recorder.connectionsInWindow,
    next_hop_protocols: recorder.nextHops.size > 0 ? Object.fromEntries(recorder.nextHops) : null,
  };
}
