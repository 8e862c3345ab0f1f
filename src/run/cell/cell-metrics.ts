import { roundTo } from '../../metrics/units.ts';
import type { DriverCellResult } from '../../driver/driver-messages.ts';
import type { ServerSample } from '../../server/server-messages.ts';
import type { SlowConsumerCounts } from '../../transports/shared/push-cursor.ts';
import { decodeHistogram, summarize, type PercentileSummary } from '../../metrics/histogram.ts';
import type { CellMetrics, CellParams } from '../../results/index.ts';
import { stallMetrics } from './link-metrics.ts';

/** What the orchestrator sampled of the server around the window. */
export interface ServerObservations {
  /** Before any client connected. */
  readonly idle: ServerSample;
  /** After every client connected, before publishing. */
  readonly connected: ServerSample;
  readonly windowOpen: ServerSample;
  readonly windowClose: ServerSample;
  readonly publishLagUs: PercentileSummary | null;
  /** Browser cells: samples half an update period before the window's edges, for its bytes. */
  readonly bytesOpen?: ServerSample;
  readonly bytesClose?: ServerSample;
}

const slowConsumerMetrics = (c: SlowConsumerCounts) => ({
  disconnects: c.disconnects,
  skips: c.skips,
  skipped_updates: c.skippedUpdates,
  peak_queued_bytes: c.peakQueuedBytes,
});

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/**
 * Below this many clients, memory per connection is lost in the noise of the heap and is not
 * reported.
 */
export const MIN_CLIENTS_FOR_MEMORY = 100;
const round = (x: number | null, digits = 3): number | null =>
  x === null ? null : roundTo(x, digits);

/**
 * Combines the drivers' measurements and the server's samples into the cell's metrics; a slow
 * consumers' driver (`slow`) is reported apart, so the rest describe the normal clients
 * (definitions in docs/metrics.md). Pure: the same inputs give the same metrics.
 */
export function cellMetrics(
  driver: DriverCellResult,
  server: ServerObservations | null,
  windowMs: number,
  cell: CellContext,
): CellMetrics {
  const { slow, params } = cell;
  const w = windowBytes(driver, params, server);
  const bytes = w.bytes_down + w.bytes_up;
  const polls = w.requests;
  // Every HTTP request the clients made: polls, and the POSTs of an HTTP chat or echo.
  const requests = polls + (w.upstream_requests ?? 0);
  // The publisher's precision spin is the harness's own cost, not the transport's: taken out, and
  // reported apart.
  const spinUs = server ? server.windowClose.spinUs - server.windowOpen.spinUs : null;
  const serverCpuUs = server
    ? server.windowClose.cpuUs - server.windowOpen.cpuUs - (spinUs ?? 0)
    : null;
  // Scaled from the window to an hour, per client: the notification case's headline cost.
  const perClientHour = (x: number) =>
    driver.clients > 0 ? (x * 3_600_000) / windowMs / driver.clients : 0;
  return {
    latency_us: summarize(decodeHistogram(driver.histograms.latency_us)) ?? null,
    delivery: driver.delivery,
    wire: wireMetrics(driver, w, cell, requests),
    connect_us: summarize(decodeHistogram(driver.histograms.connect_us)) ?? null,
    upstream: driver.upstream && {
      ...driver.upstream,
      ack_latency_us: driver.histograms.ack_us
        ? (summarize(decodeHistogram(driver.histograms.ack_us)) ?? null)
        : null,
    },
    cost_per_client_hour: {
      bytes: Math.round(perClientHour(bytes)),
      requests: roundTo(perClientHour(requests), 1),
      server_cpu_ms: serverCpuUs === null ? null : round(perClientHour(serverCpuUs / 1000), 2),
    },
    server: serverMetrics(driver, server, windowMs, serverCpuUs),
    driver: driver.driver,
    publisher: {
      lag_us: server?.publishLagUs ?? null,
      spin_cpu_share: spinUs === null ? null : round(spinUs / (windowMs * 1000), 4),
    },
    slow_clients: slow && {
      clients: slow.clients,
      latency_us: summarize(decodeHistogram(slow.histograms.latency_us)) ?? null,
      delivery: slow.delivery,
      catch_up: slow.catch_up,
      errors: slow.errors,
    },
    errors: driver.errors,
    stalls: driver.stalls && stallMetrics(driver.stalls, driver.clients, windowMs),
    reconnects: driver.connections_in_window,
    next_hop_protocols: driver.next_hop_protocols,
    // The lossy link's counters are the rig's, added by the assembly.
    network: null,
  };
}

/** What a cell adds to the driver's and the server's figures. */
export interface CellContext {
  /** The slow consumers' driver, apart; null without. */
  readonly slow: DriverCellResult | null;
  readonly params: CellParams;
  /** Every byte of the cell's connections by both counts; null for a target. */
  readonly byteCheck: { client_bytes: number; server_bytes: number } | null;
}

/**
 * The window's bytes: as the clients' sockets counted them, or, for browser clients (whose
 * sockets are Chromium's), as the server's sockets counted them over a span holding exactly the
 * window's publishes (what it wrote is down, what it read up), per update delivered of those.
 * The pages' updates arrive in batches, so the updates received while the window was open are
 * replaced by the window's delivered ones, and the payload scaled to them.
 */
function windowBytes(
  driver: DriverCellResult,
  params: CellParams,
  server: ServerObservations | null,
): DriverCellResult['wire'] {
  const w = driver.wire;
  if (params.client_kind !== 'browser' || !server) return w;
  const open = (server.bytesOpen ?? server.windowOpen).wireBytes;
  const close = (server.bytesClose ?? server.windowClose).wireBytes;
  if (!open || !close) return w;
  const delivered = driver.delivery.delivered;
  const payloadPerUpdate = w.updates_received > 0 ? w.payload_bytes / w.updates_received : 0;
  return {
    ...w,
    bytes_down: close.written - open.written,
    bytes_up: close.read - open.read,
    updates_received: delivered,
    payload_bytes: Math.round(payloadPerUpdate * delivered),
  };
}

/**
 * HTTP/2's bytes per update by what they carried, and header blocks per request: the first on a
 * connection (HPACK's table empty) apart from the window's (table warm). Null over HTTP/1.1.
 */
function http2Split(
  w: DriverCellResult['wire'],
  http: CellParams['http'],
): CellMetrics['wire']['http2'] {
  if (http !== '2') return null;
  const perUpdate = (x: number) => round(ratio(x, w.updates_received), 1);
  // The split was counted on a sample of the connections: it stands for all of them in proportion
  // to their TCP bytes, each way (the same as counted when every connection was split).
  const down = w.h2_split_bytes_down > 0 ? w.bytes_down / w.h2_split_bytes_down : 1;
  const up = w.h2_split_bytes_up > 0 ? w.bytes_up / w.h2_split_bytes_up : 1;
  const header = { down: w.h2_header_down * down, up: w.h2_header_up * up };
  const data = w.h2_data_down * down + w.h2_data_up * up;
  const framing = w.h2_framing_down * down + w.h2_framing_up * up;
  const frames = header.down + header.up + data + framing;
  return {
    header_block_bytes_per_update: perUpdate(header.down + header.up),
    data_bytes_per_update: perUpdate(data),
    framing_bytes_per_update: perUpdate(framing),
    tls_bytes_per_update: perUpdate(Math.max(0, w.bytes_down + w.bytes_up - frames)),
    first_request_header_bytes: round(
      ratio(w.h2_first_request_header_bytes, w.h2_first_connections),
      1,
    ),
    first_response_header_bytes: round(
      ratio(w.h2_first_response_header_bytes, w.h2_first_connections),
      1,
    ),
    request_header_bytes: round(ratio(header.up, w.requests), 1),
    response_header_bytes: round(ratio(header.down, w.requests), 1),
  };
}

/** The window's bytes and requests, per delivered update. */
function wireMetrics(
  driver: DriverCellResult,
  w: DriverCellResult['wire'],
  { params, byteCheck }: CellContext,
  requests: number,
): CellMetrics['wire'] {
  const bytes = w.bytes_down + w.bytes_up;
  const polls = w.requests;
  return {
    bytes_down: w.bytes_down,
    bytes_up: w.bytes_up,
    bytes_per_update: round(ratio(bytes, w.updates_received), 1),
    payload_bytes_per_update: round(ratio(w.payload_bytes, w.updates_received), 1),
    overhead_bytes_per_update: round(ratio(bytes - w.payload_bytes, w.updates_received), 1),
    handshake_bytes: round(ratio(w.handshake_bytes, w.connections), 1),
    requests,
    requests_per_update: round(ratio(requests, w.updates_received), 4),
    empty_poll_share: round(ratio(w.empty_polls, polls), 4),
    updates_received: w.updates_received,
    byte_check: byteCheck && {
      ...byteCheck,
      difference_share: roundTo(
        ratio(byteCheck.server_bytes - byteCheck.client_bytes, byteCheck.client_bytes) ?? 0,
        5,
      ),
    },
    http2: http2Split(w, params.http),
    counted_at: params.client_kind === 'browser' ? 'server' : 'client',
    browser_counted: driver.browser_bytes && {
      received_bytes_per_update: round(ratio(driver.browser_bytes.down, w.updates_received), 1),
      // Chromium says what a WebSocket sent (its frames), not what an HTTP request did.
      sent_bytes_per_update:
        params.transport === 'websocket'
          ? round(ratio(driver.browser_bytes.up, w.updates_received), 1)
          : null,
    },
  };
}

/** The server's CPU and memory over the window; all null for a target feedbench did not start. */
function serverMetrics(
  driver: DriverCellResult,
  server: ServerObservations | null,
  windowMs: number,
  serverCpuUs: number | null,
): CellMetrics['server'] {
  const enoughClients = driver.clients >= MIN_CLIENTS_FOR_MEMORY;
  return {
    cpu_ms_per_1k_updates:
      serverCpuUs === null
        ? null
        : round(ratio(serverCpuUs / 1000, driver.delivery.delivered / 1000), 3),
    cpu_share: serverCpuUs === null ? null : round(serverCpuUs / (windowMs * 1000), 3),
    rss_bytes: server ? server.windowClose.rssBytes : null,
    peak_rss_bytes: server ? server.windowClose.peakRssBytes : null,
    rss_bytes_per_conn:
      server && enoughClients
        ? round(ratio(server.connected.rssBytes - server.idle.rssBytes, driver.clients), 0)
        : null,
    live_bytes_per_conn:
      server &&
      enoughClients &&
      server.connected.liveBytes !== null &&
      server.idle.liveBytes !== null
        ? round(ratio(server.connected.liveBytes - server.idle.liveBytes, driver.clients), 0)
        : null,
    live_bytes: server?.connected.liveBytes ?? null,
    connections: server ? server.windowClose.connections : null,
    slow_consumers: server ? slowConsumerMetrics(server.windowClose.slowConsumers) : null,
  };
}
