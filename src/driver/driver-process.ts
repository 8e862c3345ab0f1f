/**
 * The driver process: N virtual clients of one transport, measuring what they receive.
 * Started by `run/`; the orchestrator drives it over IPC: connect, window, finish.
 */
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { transportNamed } from '../transports/registry.ts';
import { createUpstreamOnlyClient } from '../transports/shared/http-upstream.ts';
import type { FeedClient } from '../transports/transport.ts';
import { encodeHistogram } from '../metrics/histogram.ts';
import { nowUs } from '../metrics/clock.ts';
import { roundTo } from '../metrics/units.ts';
import { SelfLoadMeter } from '../metrics/self-load.ts';
import { CellRecorder } from './cell-recorder.ts';
import { catchUp, failoverOutcome } from './recovery-outcomes.ts';
import { judgeSaturation, type SaturationThresholds } from './saturation.ts';
import type {
  ConnectReply,
  ConnectRequest,
  DriverCellResult,
  DriverProtocol,
  FinishRequest,
  UpstreamPlan,
  WindowRequest,
} from './driver-messages.ts';
import { LATE_WAIT_MS } from './driver-messages.ts';
import { UpstreamLoad } from './upstream-load.ts';
import { ReadGate } from '../transports/shared/read-gate.ts';
import { SharedHttp2Connection } from '../transports/shared/http2-share.ts';
import { noWire, type WireTotals } from '../metrics/wire-counter.ts';
import { browserClients } from './browser/browser-client.ts';
import { closeSharedChromium } from './browser/chromium.ts';
import { descendantsPssBytes } from '../metrics/process-tree.ts';
import { required } from '../metrics/required.ts';

/**
 * The driver's memory: its own RSS and, for browser clients, the browser's processes (their PSS).
 */
const memoryBytes = (): number => process.memoryUsage.rss() + descendantsPssBytes();

/**
 * What one cell's clients put in this process, replaced whole when the orchestrator reuses the
 * process for the next cell: nothing of a cell outlives it, and a timer of an ended cell writes
 * into that cell's state, not the next one's.
 */
function newCellState(earlierCells: number) {
  const idleRssBytes = memoryBytes();
  return {
    recorder: new CellRecorder(),
    clients: [] as FeedClient[],
    meter: new SelfLoadMeter(),
    saturation: undefined as SaturationThresholds | undefined,
    upstreamLoad: undefined as UpstreamLoad | undefined,
    load: { cpuShare: 0, eventLoopP99Ms: 0 },
    wireAtOpen: noWire(),
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

let cell = newCellState(0);

exitWithParent(() => {
  cell.upstreamLoad?.stop();
  for (const client of cell.clients) client.close();
  void closeSharedChromium();
});

function wireTotals(clients: readonly FeedClient[]): WireTotals {
  const sum = noWire();
  for (const client of clients) {
    const t = client.wire.totals();
    for (const key of Object.keys(sum) as (keyof WireTotals)[]) sum[key] += t[key];
  }
  return sum;
}

/** The first request and answer header blocks of every HTTP/2 connection the clients opened. */
function firstHeaderBlocks(): {
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

async function connectAll(request: ConnectRequest): Promise<ConnectReply> {
  cell.recorder.workload = request.workload;
  if (request.slowRead) cell.readGate = new ReadGate(request.slowRead);
  const transport = transportNamed(request.transport);
  cell.recorder.upstreamIsHttp = transport.upstream === 'http-post';
  // An echo over HTTP needs no feed: only the POST connection, so no poll shares its socket.
  const factory =
    request.clientKind === 'browser'
      ? browserClients(transport.name, request.browserTabs)
      : request.workload === 'echo' && transport.upstream === 'http-post'
        ? createUpstreamOnlyClient
        : transport.client;
  // HTTP/2 with k clients per connection: every k consecutive clients share one, as tabs of a
  // browser.
  const perConnection = request.client.http === '2' ? request.h2ClientsPerConnection : 1;
  let share: SharedHttp2Connection | undefined;
  for (let i = 0; i < request.clients; i++) {
    const pollPhaseMs = ((i + 0.5) / request.clients) * request.client.pollIntervalMs;
    if (perConnection > 1 && i % perConnection === 0) share = new SharedHttp2Connection();
    const options = {
      ...request.client,
      pollPhaseMs,
      ...(cell.readGate ? { readGate: cell.readGate } : {}),
      ...(perConnection > 1 && share ? { sharedHttp2: share } : {}),
    };
    cell.clients.push(factory(options, cell.recorder.forClient(request.firstIndex + i)));
  }
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    for (let client = cell.clients[next++]; client !== undefined; client = cell.clients[next++]) {
      try {
        await client.connect();
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(request.connectConcurrency, cell.clients.length) }, worker),
  );
  cell.connectedRssBytes = memoryBytes();
  cell.clientsArePages = request.clientKind === 'browser';
  return { connected: cell.clients.length - failed, failed, firstError };
}

function openWindow(request: WindowRequest): null {
  // The window's timers keep the cell they were set for: a later reset cannot send them into the
  // next one.
  const c = cell;
  c.saturation = request.saturation;
  c.recorder.setWindow(
    request.startUs,
    request.endUs,
    request.clockOffsetUs ?? 0,
    request.timeline ?? false,
  );
  const lead = request.byteSpanLeadUs ?? 0;
  c.browserByteSpan = { fromUs: request.startUs - lead, toUs: request.endUs - lead };
  // Snapshots run on this event loop at the window's edges, so the bytes and the updates
  // counted between them cover exactly the same span.
  setTimeout(
    () => {
      c.wireAtOpen = wireTotals(c.clients);
      c.recorder.measuring = true;
      c.meter.start();
    },
    Math.max(0, (request.startUs - nowUs()) / 1000),
  );
  const pause = c.readGate?.spec.pause;
  if (pause) {
    const pauseAtUs = request.startUs + pause.afterMs * 1000;
    c.recorder.resumedAtUs = pauseAtUs + pause.forMs * 1000;
    setTimeout(() => c.readGate?.pauseFor(pause.forMs), Math.max(0, (pauseAtUs - nowUs()) / 1000));
  }
  setTimeout(
    () => {
      c.recorder.measuring = false;
      c.load = c.meter.stop();
      const atClose = wireTotals(c.clients);
      c.wireInWindow = noWire();
      for (const key of Object.keys(atClose) as (keyof WireTotals)[])
        c.wireInWindow[key] = atClose[key] - c.wireAtOpen[key];
    },
    Math.max(0, (request.endUs - nowUs()) / 1000),
  );
  return null;
}

/**
 * The window's bytes as the browser counted them for its pages; null for other clients, or when a
 * page's count overflowed.
 */
function browserBytes(): { down: number; up: number } | null {
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

function startUpstream(request: UpstreamPlan): null {
  cell.upstreamLoad = new UpstreamLoad(cell.clients, cell.recorder, request);
  cell.upstreamLoad.start();
  return null;
}

/** Updates of the window delivered so far, over every client. */
function deliveredSoFar(): number {
  return cell.recorder.trackers.reduce((sum, t) => sum + t.delivered, 0);
}

async function finish(request: FinishRequest): Promise<DriverCellResult> {
  const drainStart = Date.now();
  // A server that cannot say which seqs were in the window: the range the clients saw stands in.
  const range = () =>
    request.first !== null && request.last !== null
      ? { first: request.first, last: request.last }
      : (cell.recorder.seenRange() ?? { first: 1, last: 0 });
  // Past the grace, only a cell whose connections failed waits on: its clients may be coming back.
  const graceEnd = drainStart + request.drainMs;
  let deliveredInGrace: number | undefined;
  while (!cell.recorder.allReached(range().last)) {
    const now = Date.now();
    if (now >= graceEnd) {
      deliveredInGrace ??= deliveredSoFar();
      if (cell.recorder.errorCount === 0 || now >= graceEnd + LATE_WAIT_MS) break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const drainMs = Date.now() - drainStart;
  const { first, last } = range();
  const perClient = last >= first ? last - first + 1 : 0;
  const delivered = deliveredSoFar();
  const late = deliveredInGrace === undefined ? 0 : delivered - deliveredInGrace;
  let duplicated = 0;
  let reordered = 0;
  for (const t of cell.recorder.trackers) {
    duplicated += t.duplicated;
    reordered += t.reordered;
  }
  cell.upstreamLoad?.stop();
  const echo = cell.recorder.workload === 'echo';
  const published = perClient * cell.clients.length;
  const verdict = judgeSaturation(
    cell.load,
    required(cell.saturation, 'the saturation thresholds of the connect request'),
  );
  return {
    histograms: {
      latency_us: encodeHistogram(cell.recorder.latencyUs),
      connect_us: encodeHistogram(cell.recorder.connectUs),
      ack_us: cell.recorder.workload === 'chat' ? encodeHistogram(cell.recorder.ackUs) : null,
    },
    // An echo is delivered when its answer comes back; the feed's counts do not apply.
    delivery: echo
      ? {
          published: cell.recorder.upstream.sent,
          delivered: cell.recorder.upstream.answered,
          late: 0,
          lost: cell.recorder.upstream.sent - cell.recorder.upstream.answered,
          duplicated: 0,
          reordered: 0,
          receiving_clients: null,
        }
      : {
          published,
          delivered,
          late,
          lost: Math.max(0, published - delivered),
          duplicated,
          reordered,
          receiving_clients: cell.recorder.trackers.filter((t) => t.delivered > 0).length,
        },
    upstream: cell.recorder.workload === 'feed' ? null : { ...cell.recorder.upstream },
    wire: {
      bytes_down: cell.wireInWindow.down,
      bytes_up: cell.wireInWindow.up,
      payload_bytes: cell.recorder.payloadBytes,
      updates_received: cell.recorder.updatesReceived,
      handshake_bytes: cell.recorder.handshakeBytes,
      connections: cell.recorder.connections,
      requests: cell.recorder.requests,
      upstream_requests: cell.recorder.upstreamRequests,
      empty_polls: cell.recorder.emptyPolls,
      h2_header_down: cell.wireInWindow.h2HeaderDown,
      h2_header_up: cell.wireInWindow.h2HeaderUp,
      h2_data_down: cell.wireInWindow.h2DataDown,
      h2_data_up: cell.wireInWindow.h2DataUp,
      h2_framing_down: cell.wireInWindow.h2FramingDown,
      h2_framing_up: cell.wireInWindow.h2FramingUp,
      ...firstHeaderBlocks(),
    },
    driver: {
      cpu_share: roundTo(cell.load.cpuShare, 3),
      event_loop_p99_ms: roundTo(cell.load.eventLoopP99Ms, 2),
      saturated: verdict.saturated,
      reason: verdict.reason,
      rss_bytes: memoryBytes(),
      // Below 100 clients the heap's noise swamps the figure (MIN_CLIENTS_FOR_MEMORY).
      // A browser page costs megabytes: its figure needs no crowd to rise above the noise.
      rss_bytes_per_conn:
        cell.earlierCells > 0
          ? null
          : cell.clients.length >= 100 || (cell.clientsArePages && cell.clients.length > 0)
            ? Math.round((cell.connectedRssBytes - cell.idleRssBytes) / cell.clients.length)
            : null,
    },
    clients: cell.clients.length,
    timeline: cell.recorder.timeline && [...cell.recorder.timeline],
    failover: failoverOutcome(cell.recorder),
    catch_up: catchUp(cell.recorder, cell.clients.length),
    errors: { count: cell.recorder.errorCount, first: cell.recorder.firstErrors },
    drain_ms: drainMs,
    browser_bytes: browserBytes(),
  };
}

/** Ends the cell's clients and starts this process afresh for the next cell of the run. */
async function reset(): Promise<null> {
  cell.upstreamLoad?.stop();
  for (const client of cell.clients) client.close();
  await closeSharedChromium();
  cell = newCellState(cell.earlierCells + 1);
  return null;
}

serveIpc<DriverProtocol>(
  {
    connect: connectAll,
    window: openWindow,
    upstream: startUpstream,
    failure: ({ atUs }) => {
      cell.recorder.failureAtUs = atUs;
      return null;
    },
    finish,
    'wire-total': () => {
      const { down, up } = wireTotals(cell.clients);
      return down + up;
    },
    reset,
  },
  { pid: process.pid },
);
