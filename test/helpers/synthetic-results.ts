/**
 * Synthetic results for tests of the readers (claims, charts, gate): cells built from a few
 * figures, every other field a plain default, validated by the results schema like a real file.
 */
import {
  parseResults,
  type CellMetrics,
  type CellParams,
  type CellResult,
  type ResultsFile,
} from '../../src/results/index.ts';
import { reportCells, type ReportCell } from '../../src/report/report-cells.ts';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | null : T[K];
};

const PARAMS: CellParams = {
  transport: 'websocket',
  workload: 'feed',
  clients: 100,
  rate_per_s: 10,
  payload_bytes: 128,
  header_profile: 'minimal',
  poll_interval_ms: null,
  poll_mode: null,
  keep_alive: null,
  long_poll_timeout_ms: null,
  ws_compression: null,
  ws_upgrade_from_polling: null,
  sse_drop_every_ms: null,
  sse_retry_ms: null,
  slow_consumers: null,
  network: 'loopback',
  network_profile: null,
  front_proxy: null,
  server: 'feedbench',
  tls: false,
  http: '1.1',
  h2_clients_per_connection: null,
  client_kind: 'node',
  browser_tabs: null,
  page_origin: null,
  origin_check: false,
  burst: null,
  instances: 1,
  balancer: null,
  failover_at_ms: null,
  repetition: 1,
};

const summary = (p50: number) => ({
  p50,
  p90: p50 * 1.5,
  p99: p50 * 2,
  p99_9: p50 * 2.5,
  max: p50 * 3,
  mean: p50 * 1.1,
  count: 1000,
});

const METRICS: CellMetrics = {
  latency_us: summary(1_000),
  delivery: {
    published: 1000,
    delivered: 1000,
    late: 0,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    receiving_clients: 100,
  },
  wire: {
    bytes_down: 200_000,
    bytes_up: 0,
    bytes_per_update: 200,
    payload_bytes_per_update: 160,
    overhead_bytes_per_update: 40,
    handshake_bytes: 300,
    requests: 0,
    requests_per_update: 0,
    empty_poll_share: null,
    updates_received: 1000,
    counted_at: 'client',
    browser_counted: null,
    byte_check: null,
    http2: null,
  },
  connect_us: summary(500),
  upstream: null,
  cost_per_client_hour: { bytes: 1_000_000, requests: 0, server_cpu_ms: 10 },
  server: {
    cpu_ms_per_1k_updates: 50,
    cpu_share: 0.1,
    rss_bytes: 100_000_000,
    peak_rss_bytes: 110_000_000,
    rss_bytes_per_conn: 20_000,
    live_bytes_per_conn: 10_000,
    live_bytes: 5_000_000,
    connections: 100,
    slow_consumers: { disconnects: 0, skips: 0, skipped_updates: 0, peak_queued_bytes: 0 },
  },
  driver: {
    cpu_share: 0.1,
    event_loop_p99_ms: 1,
    saturated: false,
    reason: null,
    rss_bytes: 90_000_000,
    rss_bytes_per_conn: null,
  },
  publisher: { lag_us: summary(50), spin_cpu_share: 0.01 },
  slow_clients: null,
  errors: { count: 0, first: [] },
  stalls: null,
  reconnects: null,
  next_hop_protocols: null,
  network: null,
};

function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (!over) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object'
        ? merge(current, value as never)
        : value;
  }
  return out as T;
}

/** A latency summary whose p50 is `p50Us` (the other percentiles follow it). */
export const latency = (p50Us: number) => summary(p50Us);

/**
 * One finished cell: its parameters and metrics are the defaults overridden by `params` and
 * `metrics`.
 */
export function okCell(
  params: Partial<CellParams>,
  metrics?: DeepPartial<CellMetrics>,
  extra: Partial<Extract<CellResult, { state: 'ok' }>> = {},
): CellResult {
  return {
    id: `${params.transport ?? 'websocket'}.${Math.random().toString(36).slice(2, 7)}`,
    params: { ...PARAMS, ...params },
    started_at: '2026-11-25T00:00:00.000Z',
    duration_ms: 5_000,
    cores: { server: [0], driver: [1] },
    state: 'ok',
    reason: null,
    metrics: merge(METRICS, metrics),
    model: { mean_us: 30, max_us: 30, rtt_us: 60, formula: 'd', deviation: 0 },
    histograms: { latency_us: '', connect_us: '' },
    ...extra,
  };
}

/** A cell that failed. */
export function erroredCell(
  params: Partial<CellParams>,
  reason = 'the server crashed',
): CellResult {
  return {
    id: 'e',
    params: { ...PARAMS, ...params },
    started_at: '2026-11-25T00:00:00.000Z',
    duration_ms: 1,
    cores: { server: null, driver: null },
    state: 'errored',
    reason,
    metrics: null,
    model: null,
    histograms: null,
  };
}

/** A results file of these cells, checked by the results schema. */
export function syntheticRun(
  cells: CellResult[],
  name = 'synthetic',
  durationMs = 10_000,
): ResultsFile {
  return parseResults(
    {
      schema_version: 2,
      tool: { name: 'feedbench', version: '0.0.0', commit: null, commit_dirty: null },
      machine: { node: 'v20', os: 'Linux', cpu_model: 'test', cores: 2, memory_bytes: 1 },
      created_at: '2026-11-25T00:00:00.000Z',
      finished_at: '2026-11-25T00:01:00.000Z',
      complete: true,
      scenario: { name, durationMs, warmupMs: 1_000, repetitions: 1 },
      cells,
    },
    name,
  );
}

/** The report's cells of one synthetic run. */
export const reportOf = (cells: CellResult[], durationMs?: number): ReportCell[] =>
  reportCells([syntheticRun(cells, 'synthetic', durationMs)]);
