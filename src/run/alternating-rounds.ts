import { median } from '../stats/percentile.ts';
import type { CellParams } from '../results/index.ts';
import type { Cell } from './cells.ts';
import { runCell } from './cell/run-cell.ts';
import { parseScenario } from './scenario.ts';

/** Parameters of a 1-client WebSocket cell on loopback; variants override what they compare. */
export const SINGLE_CLIENT_CELL: Omit<CellParams, 'repetition'> = {
  transport: 'websocket',
  workload: 'feed',
  instances: 1,
  balancer: null,
  failover_at_ms: null,
  clients: 1,
  rate_per_s: 100,
  payload_bytes: 64,
  header_profile: 'minimal',
  poll_interval_ms: null,
  poll_mode: null,
  keep_alive: null,
  long_poll_timeout_ms: null,
  ws_compression: false,
  ws_upgrade_from_polling: null,
  sse_drop_every_ms: null,
  sse_retry_ms: null,
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
  slow_consumers: null,
};

/**
 * Medians over rounds of each variant's figures, µs: delivery latency p50 and p99, publisher lag
 * p50 and p99.
 */
export interface AlternatingResult {
  readonly p50Us: Record<string, number>;
  readonly p99Us: Record<string, number>;
  readonly lagP50Us: Record<string, number>;
  readonly lagP99Us: Record<string, number>;
}

/**
 * Runs cells of two or more variants in alternating rounds (A, B, A, B, ...) so that drift on a
 * shared machine hits every variant alike, and returns the median of each variant's p50s.
 * Throws if a cell fails: a comparison with a hole in it would mislead.
 */
export async function alternatingRounds(
  variants: Record<string, Partial<CellParams>>,
  rounds: number,
  durationMs: number,
  log: (line: string) => void,
): Promise<AlternatingResult> {
  const scenario = parseScenario(
    {
      name: 'compare',
      transports: ['websocket'],
      clients: 1,
      ratePerSec: 100,
      payloadBytes: 64,
      warmupMs: 1_000,
      durationMs,
    },
    'compare',
  );
  const figures = { p50Us: {}, p99Us: {}, lagP50Us: {}, lagP99Us: {} } as Record<
    keyof AlternatingResult,
    Record<string, number[]>
  >;
  const keep = (figure: keyof AlternatingResult, name: string, value: number | undefined) => {
    if (value !== undefined) (figures[figure][name] ??= []).push(value);
  };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, overrides] of Object.entries(variants)) {
      const cell: Cell = {
        id: `${name}.${round}`,
        params: { ...SINGLE_CLIENT_CELL, ...overrides, repetition: round },
      };
      const result = await runCell(cell, scenario);
      const latency = result.metrics?.latency_us;
      if (result.state !== 'ok' || !result.metrics || !latency)
        throw new Error(`${name} round ${round} failed: ${result.reason}`);
      const m = result.metrics;
      keep('p50Us', name, latency.p50);
      keep('p99Us', name, latency.p99);
      keep('lagP50Us', name, m.publisher.lag_us?.p50);
      keep('lagP99Us', name, m.publisher.lag_us?.p99);
      log(
        `round ${round} ${name.padEnd(14)} p50 ${latency.p50} µs  p99 ${latency.p99} µs  publisher lag p50 ${m.publisher.lag_us?.p50 ?? '-'} µs  lost ${m.delivery.lost}${m.driver.saturated ? '  SATURATED' : ''}`,
      );
    }
  }
  const medians = (all: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(all).map(([k, v]) => [k, median(v)]));
  return {
    p50Us: medians(figures.p50Us),
    p99Us: medians(figures.p99Us),
    lagP50Us: medians(figures.lagP50Us),
    lagP99Us: medians(figures.lagP99Us),
  };
}
