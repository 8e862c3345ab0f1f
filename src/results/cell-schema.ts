/**
 * One cell of a results file, as zod schemas: the single source of the cell's TypeScript types
 * and of its part of `results/results.schema.json`. Field meanings are docs/metrics.md's.
 */
import { z } from 'zod';

import { LinkMetricsSchema, NetworkProfileParamsSchema, StallsSchema } from './network-schema.js';

const count = z.number().int().min(0);

/**
 * The servers a cell can run on (docs/servers.md): feedbench's own (Express), the same transports
 * on bare node:http (`node-http`), nginx with the nchan module, and a Socket.IO 4 server.
 */
export const SERVERS = ['feedbench', 'node-http', 'nchan', 'socket.io'] as const;

/** One of SERVERS. */
export type ServerName = (typeof SERVERS)[number];
const nullableNumber = z.number().nullable();

/** JSON-safe percentile summary of a histogram; every field in the histogram's unit (µs here). */
export const PercentileSummarySchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p99_9: z.number(),
  max: z.number(),
  mean: z.number(),
  count: count,
});

/**
 * Slow consumers of a cell: how many, how they read, and the server's policy for push connections.
 */
export const SlowConsumerParamsSchema = z.object({
  clients: count.describe('slow clients, beside the cell\'s normal ones'),
  read_bytes_per_s: nullableNumber.describe('each slow client reads at most this fast'),
  pause_after_ms: nullableNumber.describe('slow clients stop reading this long after the window opens'),
  pause_for_ms: nullableNumber.describe('... for this long'),
  policy: z.enum(['disconnect', 'skip-to-latest']).nullable().describe('what the server does to a push connection past max_queued_bytes; null for polling'),
  max_queued_bytes: count.describe('bytes one push connection may have outstanding'),
});

/** The parameters of one matrix cell; `null` where a parameter does not apply to the transport. */
export const CellParamsSchema = z.object({
  transport: z.string().min(1).describe('a transport name (short-poll, long-poll, sse, websocket) or raw-tcp, the floor'),
  workload: z.enum(['feed', 'chat', 'echo']).describe('what the clients do'),
  clients: z.number().int().min(1),
  rate_per_s: z.number().positive(),
  payload_bytes: count,
  header_profile: z.enum(['minimal', 'browser']),
  poll_interval_ms: nullableNumber,
  poll_mode: z.enum(['fixed-period', 'sleep-after-response']).nullable(),
  keep_alive: z.boolean().nullable(),
  long_poll_timeout_ms: nullableNumber,
  ws_compression: z.boolean().nullable(),
  ws_upgrade_from_polling: z.boolean().nullable().default(null).describe('WebSocket on Socket.IO: true, start by long polling and upgrade (Engine.IO\'s upgrade, Socket.IO\'s default); null: WebSocket from the start, and every other transport'),
  sse_drop_every_ms: nullableNumber.default(null).describe('SSE: the server ended every open event stream this often (the reconnect experiment); null: never'),
  sse_retry_ms: nullableNumber.default(null).describe('SSE: the `retry:` the server sent at each stream\'s start (EventSource\'s reconnection time); null: none, the browser\'s default'),
  network: z.string().min(1).describe('network profile between driver and server (loopback: no proxy): a built-in name, an inline profile\'s name, or its settings (rtt40-loss2)'),
  network_profile: NetworkProfileParamsSchema.nullable().default(null).describe('the profile\'s settings; null on loopback, and in files written before they were recorded (the name then says them)'),
  tls: z.boolean(),
  http: z.enum(['1.1', '2', '3']).default('1.1').describe('HTTP version: 1.1, 2 (h2 by ALPN over TLS, h2c with prior knowledge without; WebSocket over HTTP/2 by RFC 8441), or 3 (QUIC: browser pages through caddy, front_proxy)'),
  front_proxy: z.enum(['caddy']).nullable().default(null).describe('a reverse proxy between the clients and the server: caddy, which speaks HTTP/1.1, 2 and 3 to the pages and HTTP/1.1 to the server (the only way to HTTP/3); null: none'),
  h2_clients_per_connection: nullableNumber.default(null).describe('HTTP/2: virtual clients sharing one connection, as tabs of one browser; null over HTTP/1.1'),
  origin_check: z.boolean().default(false).describe('the server let only its own origin in'),
  page_origin: z.enum(['same', 'other']).nullable().default(null).describe('browser clients: the page\'s origin against the feed\'s; null for node clients'),
  browser_tabs: nullableNumber.default(null).describe('browser clients that are tabs of one browser, sharing its connections; null for node clients'),
  client_kind: z.enum(['node', 'browser']).default('node').describe('node: feedbench\'s own clients; browser: pages of headless Chromium using EventSource, WebSocket and fetch'),
  burst: z.object({ size: z.number().int().min(2), gap_ms: z.number().min(0) }).nullable(),
  server: z.enum(SERVERS).default('feedbench').describe('the server measured: feedbench (its own, on Express), node-http (the same transports on bare node:http, no framework), nchan (nginx with the nchan module), socket.io (a Socket.IO 4 server; long polling and WebSocket only); feedbench in files written before the dimension'),
  instances: z.number().int().min(1).describe('server instances behind one address'),
  balancer: z.enum(['auto', 'haproxy', 'cluster']).nullable(),
  failover_at_ms: nullableNumber.describe('when an instance is killed, ms from the window\'s start'),
  slow_consumers: SlowConsumerParamsSchema.nullable().default(null).describe('slow clients beside the cell\'s `clients` (scenario `slowConsumers`); null: none, and the server\'s default policy'),
  repetition: z.number().int().min(1),
});

const DeliverySchema = z.object({
  published: count,
  delivered: count,
  late: count.default(0).describe('of `delivered`, the updates that arrived after the grace that follows the window (clients that came back late after a failure); 0 in files written before it was counted'),
  lost: count,
  duplicated: count,
  reordered: count,
  receiving_clients: nullableNumber.default(null).describe('clients that received at least one of the window\'s updates (a browser may hold a stream back: its 6-connection limit); null in files written before it was counted'),
});

const DriverHonestySchema = z.object({
  cpu_share: z.number(),
  event_loop_p99_ms: z.number(),
  saturated: z.boolean(),
  reason: z.string().nullable(),
  rss_bytes: z.number(),
  rss_bytes_per_conn: nullableNumber,
});

/** The metrics of one cell that ran, named and defined in docs/metrics.md. */
export const CellMetricsSchema = z.object({
  latency_us: PercentileSummarySchema.nullable().describe('client receive time minus scheduled publish time, µs'),
  delivery: DeliverySchema,
  wire: z.object({
    bytes_down: count,
    bytes_up: count,
    bytes_per_update: nullableNumber,
    payload_bytes_per_update: nullableNumber.describe('the updates\' own JSON per update; the rest of bytes_per_update is transport overhead'),
    overhead_bytes_per_update: nullableNumber,
    handshake_bytes: nullableNumber.describe('mean bytes to make a connection usable, per connection'),
    requests: count.describe('HTTP requests the clients made in the window: polls, and the POSTs of a chat or echo over an HTTP transport'),
    requests_per_update: nullableNumber,
    empty_poll_share: nullableNumber,
    updates_received: count,
    browser_counted: z
      .object({
        received_bytes_per_update: nullableNumber.describe('bytes Chromium received (HTTP: encodedDataLength, headers and body as they came, without TLS; WebSocket: frames and handshake), per delivered update'),
        sent_bytes_per_update: nullableNumber.describe('WebSocket: frames Chromium sent (masked) per delivered update; null for HTTP transports (the DevTools protocol does not say what a request sent)'),
      })
      .nullable()
      .default(null)
      .describe('browser clients: the window\'s bytes as the browser itself counted them (the DevTools protocol\'s network events), beside the server\'s count; null for other clients'),
    counted_at: z.enum(['client', 'server']).default('client').describe('whose sockets the window\'s bytes were counted on: the clients\' (feedbench\'s own), or the server\'s (browser clients, whose sockets are Chromium\'s)'),
    byte_check: z
      .object({ client_bytes: count, server_bytes: count, difference_share: z.number() })
      .nullable()
      .default(null)
      .describe('every byte of the cell\'s connections from their opening until the feed stopped and settled, as the clients\' sockets and the server\'s counted them, and (server - client) / client: a check of the byte counts (a poll in flight at the moment may differ); null for a target'),
    http2: z
      .object({
        header_block_bytes_per_update: nullableNumber.describe('HPACK-encoded header blocks (HEADERS, CONTINUATION), both ways'),
        data_bytes_per_update: nullableNumber.describe('DATA frames\' payload: the bodies'),
        framing_bytes_per_update: nullableNumber.describe('frame headers, SETTINGS, WINDOW_UPDATE, PING, RST_STREAM, GOAWAY, padding'),
        tls_bytes_per_update: nullableNumber.describe('what TLS records add on the TCP socket; 0 for h2c'),
        first_request_header_bytes: nullableNumber.describe('a connection\'s first request header block (HPACK table empty), mean per connection'),
        first_response_header_bytes: nullableNumber,
        request_header_bytes: nullableNumber.describe('request header block per request in the window (HPACK table warm); null without requests'),
        response_header_bytes: nullableNumber,
      })
      .nullable()
      .default(null)
      .describe('HTTP/2 cells: the window\'s bytes by what they carried, counted frame by frame on the first 8 connections of each driver process and scaled to all in proportion to their TCP bytes, each way; null over HTTP/1.1'),
  }),
  connect_us: PercentileSummarySchema.nullable(),
  upstream: z
    .object({ sent: count, answered: count, failed: count, ack_latency_us: PercentileSummarySchema.nullable() })
    .nullable()
    .describe('chat and echo: upstream messages scheduled in the window; null for the feed workload'),
  cost_per_client_hour: z
    .object({ bytes: z.number(), requests: z.number(), server_cpu_ms: nullableNumber })
    .nullable()
    .describe('what one client costs for an hour at this load; null in files written before it was measured'),
  server: z.object({
    cpu_ms_per_1k_updates: nullableNumber,
    cpu_share: nullableNumber,
    rss_bytes: nullableNumber,
    peak_rss_bytes: nullableNumber.default(null).describe('the server\'s largest RSS up to the window\'s close (summed over instances); null in files written before it was measured'),
    rss_bytes_per_conn: nullableNumber,
    live_bytes_per_conn: nullableNumber,
    live_bytes: nullableNumber.default(null).describe('V8 heap used + external after a full GC, with the cell\'s clients connected, bytes; null in files written before it was recorded'),
    connections: nullableNumber,
    slow_consumers: z
      .object({ disconnects: count, skips: count, skipped_updates: count, peak_queued_bytes: count })
      .nullable()
      .default(null)
      .describe('what the slow-consumer policy did over the cell, warm-up included; null in files written before it was measured'),
  }),
  driver: DriverHonestySchema,
  slow_clients: z
    .object({
      clients: count,
      latency_us: PercentileSummarySchema.nullable(),
      delivery: DeliverySchema,
      catch_up: z
        .object({ clients: count, caught_up: count, ms: z.object({ p50: z.number(), max: z.number() }).nullable() })
        .nullable()
        .describe('after a pause: from its end to each slow client\'s first update published after it'),
      errors: z.object({ count: count, first: z.array(z.string()) }),
    })
    .nullable()
    .default(null)
    .describe('what the slow clients saw, apart from the normal clients the rest of the metrics describe; null without slow clients'),
  publisher: z.object({
    lag_us: PercentileSummarySchema.nullable(),
    spin_cpu_share: nullableNumber.default(null).describe('share of a core the publisher spent spinning on the clock for precise publish times, over the window; taken out of the server\'s CPU figures'),
  }),
  errors: z.object({ count: count, first: z.array(z.string()) }),
  stalls: StallsSchema.nullable().default(null).describe('gaps in each client\'s deliveries of the window\'s updates; null in files written before they were counted'),
  reconnects: count.nullable().default(null).describe('connections the clients opened while the window was open: reconnects of push transports and of keep-alive polling (without keep-alive, every request opens one); null in files written before they were counted'),
  next_hop_protocols: z.record(z.string(), count).nullable().default(null).describe('browser pages: how many loaded the feed\'s origin over each protocol (the document\'s nextHopProtocol: h3, h2, http/1.1); null for feedbench\'s own clients'),
  network: LinkMetricsSchema.nullable().default(null).describe('what the lossy link did over the window (docs/loss.md); null when the cell\'s network drops nothing'),
});

/** How the clients came through an instance's death (the failover experiment). */
export const FailoverOutcomeSchema = z.object({
  affected_clients: count,
  recovered_clients: count,
  recovery_ms: z.object({ p50: z.number(), max: z.number() }).nullable(),
  latency_after_failure_us: PercentileSummarySchema.nullable(),
});

/** What a scale-out cell adds to its results. */
export const ScaleOutResultSchema = z.object({
  instances: z.number().int().min(1),
  balancer: z.enum(['haproxy', 'cluster']),
  backplane: z.enum(['redis', 'local']).describe('how the instances shared the feed: Redis Streams, or the publisher process\'s local socket'),
  redis_cpu_ms_per_1k_updates: nullableNumber.describe('Redis\'s CPU per 1,000 delivered updates; null with the local backplane'),
  killed: z.object({ instance: count, at_ms: z.number() }).nullable(),
  failover: FailoverOutcomeSchema.nullable(),
  timeline_per_100ms: z.array(count).nullable(),
});

/** A server's clock against the driver host's, from `GET /clock` exchanges (NTP-style). */
export const ClockEstimateSchema = z.object({
  offset_us: z.number(),
  uncertainty_us: z.number(),
  clock: z.string(),
  samples: count,
});

/**
 * The expected latency of the cell (docs/claims.md latency models) and the measured mean's
 * deviation from it.
 */
const ModelSchema = z.object({ mean_us: z.number(), max_us: z.number(), rtt_us: z.number(), formula: z.string(), deviation: nullableNumber });

const HistogramsSchema = z.object({ latency_us: z.string(), connect_us: z.string(), ack_us: z.string().nullable().optional() });

/** What every cell carries, whatever its state. */
const CellBase = z.object({
  id: z.string().min(1),
  params: CellParamsSchema,
  started_at: z.string(),
  duration_ms: z.number(),
  cores: z.object({ server: z.array(count).nullable(), driver: z.array(count).nullable() }),
  model: ModelSchema.nullable(),
  external: z.object({ url: z.string(), clock: ClockEstimateSchema, applied_offset_us: z.number(), feed_control: z.boolean() }).nullable().optional(),
  hosts: z.array(z.object({ clients: z.number().int().min(1), clock: ClockEstimateSchema.nullable(), applied_offset_us: nullableNumber })).optional(),
  driver_processes: z.number().int().min(1).optional(),
  warmup_ms: z.number().min(0).optional().describe('the warm-up before the window, ms: the scenario\'s, plus settleMs on a server that had not yet run this transport; absent in files written before it was recorded'),
  server_reused: z.boolean().optional().describe('the server process was kept from an earlier cell of the run (its RSS per connection is then not reported)'),
  scale_out: ScaleOutResultSchema.nullable().optional(),
});

/** A cell that ran to the end: its metrics and histograms are there. */
export const OkCellSchema = CellBase.extend({
  state: z.literal('ok'),
  reason: z.null().optional(),
  metrics: CellMetricsSchema,
  histograms: HistogramsSchema,
});

/** A cell that failed: why, and whatever was measured before it did (often nothing). */
export const ErroredCellSchema = CellBase.extend({
  state: z.literal('errored'),
  reason: z.string(),
  metrics: CellMetricsSchema.nullable(),
  histograms: HistogramsSchema.nullable(),
});

/** A cell that could not apply to this run (a transport a target does not serve, say): why. */
export const NotApplicableCellSchema = CellBase.extend({
  state: z.literal('not-applicable'),
  reason: z.string(),
  metrics: z.null(),
  histograms: z.null(),
});

/** One cell in a results file, by state. */
export const CellResultSchema = z.discriminatedUnion('state', [OkCellSchema, ErroredCellSchema, NotApplicableCellSchema]);
