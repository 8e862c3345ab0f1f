/**
 * The driver process: N virtual clients of one transport, measuring what they receive.
 * Started by `run/`; the orchestrator drives it over IPC: connect, window, finish.
 */
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { transportNamed } from '../transports/registry.ts';
import { createUpstreamOnlyClient } from '../transports/shared/http-upstream.ts';
import { nowUs } from '../metrics/clock.ts';
import { newCellState, settledMemoryBytes, wireTotals } from './cell-state.ts';
import { cellResult, drainCell } from './cell-result.ts';
import type {
  ConnectReply,
  ConnectRequest,
  DriverCellResult,
  DriverProtocol,
  FinishRequest,
  UpstreamPlan,
  WindowRequest,
} from './driver-messages.ts';
import { UpstreamLoad } from './upstream-load.ts';
import { ReadGate } from '../transports/shared/read-gate.ts';
import { SharedHttp2Connection } from '../transports/shared/http2-share.ts';
import { noWire, type WireTotals } from '../metrics/wire-counter.ts';
import { browserClients } from './browser/browser-client.ts';
import { closeSharedChromium } from './browser/chromium.ts';

let cell = newCellState(0);

exitWithParent(() => {
  cell.upstreamLoad?.stop();
  for (const client of cell.clients) client.close();
  void closeSharedChromium();
});

/**
 * HTTP/2: the connections per driver process whose bytes are split frame by frame (the first ones
 * opened); the rest are counted on their TCP sockets only, and the split of the sample stands for
 * them in proportion to their bytes (every client of a cell does the same thing).
 */
const H2_SPLIT_CONNECTIONS = 8;

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
      h2FrameSplit: i < H2_SPLIT_CONNECTIONS * perConnection,
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
  cell.connectedRssBytes = settledMemoryBytes();
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
    request.stalls,
  );
  const lead = request.byteSpanLeadUs ?? 0;
  c.browserByteSpan = { fromUs: request.startUs - lead, toUs: request.endUs - lead };
  // Snapshots run on this event loop at the window's edges, so the bytes and the updates
  // counted between them cover exactly the same span.
  setTimeout(
    () => {
      c.windowOpenLateUs = nowUs() - request.startUs;
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

function startUpstream(request: UpstreamPlan): null {
  cell.upstreamLoad = new UpstreamLoad(cell.clients, cell.recorder, request);
  cell.upstreamLoad.start();
  return null;
}

async function finish(request: FinishRequest): Promise<DriverCellResult> {
  const drained = await drainCell(cell, request);
  cell.upstreamLoad?.stop();
  return cellResult(cell, drained);
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
