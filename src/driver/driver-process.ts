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
import { SelfLoadMeter } from '../metrics/self-load.ts';
import { CellRecorder } from './cell-recorder.ts';
import { catchUp, failoverOutcome } from './recovery-outcomes.ts';
import { judgeSaturation, type SaturationThresholds } from './saturation.ts';
import type { ConnectReply, ConnectRequest, DriverCellResult, DriverProtocol, FinishRequest, UpstreamPlan, WindowRequest } from './driver-messages.ts';
import { UpstreamLoad } from './upstream-load.ts';
import { ReadGate } from '../transports/shared/read-gate.ts';
import { SharedHttp2Connection } from '../transports/shared/http2-share.ts';
import { noWire, type WireTotals } from '../metrics/wire-counter.ts';
import { browserClients } from './browser/browser-client.ts';
import { closeSharedChromium } from './browser/chromium.ts';
import { descendantsPssBytes } from '../metrics/process-tree.ts';

let recorder = new CellRecorder();
let clients: FeedClient[] = [];
let meter = new SelfLoadMeter();
let saturation: SaturationThresholds | undefined;
let upstreamLoad: UpstreamLoad | undefined;
let load = { cpuShare: 0, eventLoopP99Ms: 0 };
let wireAtOpen = noWire();
let wireInWindow = noWire();
/** Browser clients: the span their DevTools byte counts are summed over (the window, moved by the request's lead). */
let browserByteSpan: { fromUs: number; toUs: number } | undefined;
/** The driver's memory: its own RSS and, for browser clients, the browser's processes (their PSS). */
const memoryBytes = (): number => process.memoryUsage.rss() + descendantsPssBytes();
/** Memory before any client existed, for the driver's memory per connection. */
let idleRssBytes = memoryBytes();
/**
 * Cells this process served before the current one (the orchestrator reuses drivers between
 * cells): a reused process's memory per connection is not measured, its heap holds what earlier
 * cells freed.
 */
let earlierCells = 0;
let connectedRssBytes = idleRssBytes;
/** Whether this driver's clients are browser pages. */
let clientsArePages = false;
/** Slow consumers' gate: set when this driver's clients are the slow ones. */
let readGate: ReadGate | undefined;

exitWithParent(() => {
  upstreamLoad?.stop();
  for (const client of clients) client.close();
  void closeSharedChromium();
});

function wireTotals(): WireTotals {
  const sum = noWire();
  for (const client of clients) {
    const t = client.wire.totals();
    for (const key of Object.keys(sum) as (keyof WireTotals)[]) sum[key] += t[key];
  }
  return sum;
}

/** The first request and answer header blocks of every HTTP/2 connection the clients opened. */
function firstHeaderBlocks(): { h2_first_connections: number; h2_first_request_header_bytes: number; h2_first_response_header_bytes: number } {
  const sum = { h2_first_connections: 0, h2_first_request_header_bytes: 0, h2_first_response_header_bytes: 0 };
  for (const client of clients) {
    const first = client.wire.firstHeaderBlocks();
    sum.h2_first_connections += first.connections;
    sum.h2_first_request_header_bytes += first.requestBytes;
    sum.h2_first_response_header_bytes += first.responseBytes;
  }
  return sum;
}

async function connectAll(request: ConnectRequest): Promise<ConnectReply> {
  recorder.workload = request.workload;
  if (request.slowRead) readGate = new ReadGate(request.slowRead);
  const transport = transportNamed(request.transport);
  recorder.upstreamIsHttp = transport.upstream === 'http-post';
  // An echo over HTTP needs no feed: only the POST connection, so no poll shares its socket.
  const factory = request.clientKind === 'browser' ? browserClients(transport.name, request.browserTabs) : request.workload === 'echo' && transport.upstream === 'http-post' ? createUpstreamOnlyClient : transport.client;
  // HTTP/2 with k clients per connection: every k consecutive clients share one, as tabs of a browser.
  const perConnection = request.client.http === '2' ? request.h2ClientsPerConnection : 1;
  let share: SharedHttp2Connection | undefined;
  for (let i = 0; i < request.clients; i++) {
    const pollPhaseMs = ((i + 0.5) / request.clients) * request.client.pollIntervalMs;
    if (perConnection > 1 && i % perConnection === 0) share = new SharedHttp2Connection();
    const options = { ...request.client, pollPhaseMs, ...(readGate ? { readGate } : {}), ...(perConnection > 1 && share ? { sharedHttp2: share } : {}) };
    clients.push(factory(options, recorder.forClient(request.firstIndex + i)));
  }
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < clients.length) {
      const client = clients[next++]!;
      try {
        await client.connect();
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.connectConcurrency, clients.length) }, worker));
  connectedRssBytes = memoryBytes();
  clientsArePages = request.clientKind === 'browser';
  return { connected: clients.length - failed, failed, firstError };
}

function openWindow(request: WindowRequest): null {
  saturation = request.saturation;
  recorder.setWindow(request.startUs, request.endUs, request.clockOffsetUs ?? 0, request.timeline ?? false);
  const lead = request.byteSpanLeadUs ?? 0;
  browserByteSpan = { fromUs: request.startUs - lead, toUs: request.endUs - lead };
  // Snapshots run on this event loop at the window's edges, so the bytes and the updates
  // counted between them cover exactly the same span.
  setTimeout(() => {
    wireAtOpen = wireTotals();
    recorder.measuring = true;
    meter.start();
  }, Math.max(0, (request.startUs - nowUs()) / 1000));
  const pause = readGate?.spec.pause;
  if (pause) {
    const pauseAtUs = request.startUs + pause.afterMs * 1000;
    recorder.resumedAtUs = pauseAtUs + pause.forMs * 1000;
    setTimeout(() => readGate?.pauseFor(pause.forMs), Math.max(0, (pauseAtUs - nowUs()) / 1000));
  }
  setTimeout(() => {
    recorder.measuring = false;
    load = meter.stop();
    const atClose = wireTotals();
    wireInWindow = noWire();
    for (const key of Object.keys(atClose) as (keyof WireTotals)[]) wireInWindow[key] = atClose[key] - wireAtOpen[key];
  }, Math.max(0, (request.endUs - nowUs()) / 1000));
  return null;
}

/** The window's bytes as the browser counted them for its pages; null for other clients, or when a page's count overflowed. */
function browserBytes(): { down: number; up: number } | null {
  const span = browserByteSpan;
  if (!clientsArePages || !span) return null;
  const sum = { down: 0, up: 0 };
  for (const client of clients) {
    const counted = client.countedByBrowser?.between(span.fromUs, span.toUs);
    if (!counted) return null;
    sum.down += counted.down;
    sum.up += counted.up;
  }
  return sum;
}

function startUpstream(request: UpstreamPlan): null {
  upstreamLoad = new UpstreamLoad(clients, recorder, request);
  upstreamLoad.start();
  return null;
}

async function finish(request: FinishRequest): Promise<DriverCellResult> {
  const drainStart = Date.now();
  // A server that cannot say which seqs were in the window: the range the clients saw stands in.
  const range = () => (request.first !== null && request.last !== null ? { first: request.first, last: request.last } : recorder.seenRange() ?? { first: 1, last: 0 });
  while (!recorder.allReached(range().last) && Date.now() - drainStart < request.drainMs) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const drainMs = Date.now() - drainStart;
  const { first, last } = range();
  const perClient = last >= first ? last - first + 1 : 0;
  let delivered = 0;
  let duplicated = 0;
  let reordered = 0;
  for (const t of recorder.trackers) {
    delivered += t.delivered;
    duplicated += t.duplicated;
    reordered += t.reordered;
  }
  upstreamLoad?.stop();
  const echo = recorder.workload === 'echo';
  const published = perClient * clients.length;
  const verdict = judgeSaturation(load, saturation!);
  return {
    histograms: {
      latency_us: encodeHistogram(recorder.latencyUs),
      connect_us: encodeHistogram(recorder.connectUs),
      ack_us: recorder.workload === 'chat' ? encodeHistogram(recorder.ackUs) : null,
    },
    // An echo is delivered when its answer comes back; the feed's counts do not apply.
    delivery: echo
      ? { published: recorder.upstream.sent, delivered: recorder.upstream.answered, lost: recorder.upstream.sent - recorder.upstream.answered, duplicated: 0, reordered: 0, receiving_clients: null }
      : { published, delivered, lost: Math.max(0, published - delivered), duplicated, reordered, receiving_clients: recorder.trackers.filter((t) => t.delivered > 0).length },
    upstream: recorder.workload === 'feed' ? null : { ...recorder.upstream },
    wire: {
      bytes_down: wireInWindow.down,
      bytes_up: wireInWindow.up,
      payload_bytes: recorder.payloadBytes,
      updates_received: recorder.updatesReceived,
      handshake_bytes: recorder.handshakeBytes,
      connections: recorder.connections,
      requests: recorder.requests,
      upstream_requests: recorder.upstreamRequests,
      empty_polls: recorder.emptyPolls,
      h2_header_down: wireInWindow.h2HeaderDown,
      h2_header_up: wireInWindow.h2HeaderUp,
      h2_data_down: wireInWindow.h2DataDown,
      h2_data_up: wireInWindow.h2DataUp,
      h2_framing_down: wireInWindow.h2FramingDown,
      h2_framing_up: wireInWindow.h2FramingUp,
      ...firstHeaderBlocks(),
    },
    driver: {
      cpu_share: round(load.cpuShare, 3),
      event_loop_p99_ms: round(load.eventLoopP99Ms, 2),
      saturated: verdict.saturated,
      reason: verdict.reason,
      rss_bytes: memoryBytes(),
      // Below 100 clients the heap's noise swamps the figure (MIN_CLIENTS_FOR_MEMORY).
      // A browser page costs megabytes: its figure needs no crowd to rise above the noise.
      rss_bytes_per_conn: earlierCells > 0 ? null : clients.length >= 100 || (clientsArePages && clients.length > 0) ? Math.round((connectedRssBytes - idleRssBytes) / clients.length) : null,
    },
    clients: clients.length,
    timeline: recorder.timeline && [...recorder.timeline],
    failover: failoverOutcome(recorder),
    catch_up: catchUp(recorder, clients.length),
    errors: { count: recorder.errorCount, first: recorder.firstErrors },
    drain_ms: drainMs,
    browser_bytes: browserBytes(),
  };
}

/** Ends the cell's clients and starts this process afresh for the next cell of the run. */
async function reset(): Promise<null> {
  upstreamLoad?.stop();
  for (const client of clients) client.close();
  await closeSharedChromium();
  recorder = new CellRecorder();
  clients = [];
  meter = new SelfLoadMeter();
  saturation = undefined;
  upstreamLoad = undefined;
  load = { cpuShare: 0, eventLoopP99Ms: 0 };
  wireAtOpen = noWire();
  wireInWindow = noWire();
  browserByteSpan = undefined;
  clientsArePages = false;
  readGate = undefined;
  idleRssBytes = memoryBytes();
  connectedRssBytes = idleRssBytes;
  earlierCells++;
  return null;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

serveIpc<DriverProtocol>(
  {
    connect: connectAll,
    window: openWindow,
    upstream: startUpstream,
    failure: ({ atUs }) => {
      recorder.failureAtUs = atUs;
      return null;
    },
    finish,
    'wire-total': () => {
      const { down, up } = wireTotals();
      return down + up;
    },
    reset,
  },
  { pid: process.pid },
);
