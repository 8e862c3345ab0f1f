import { median } from '../stats/percentile.ts';
import type { Cell, CellParams } from './cells.ts';
import { runCell } from './run-cell.ts';
import { parseScenario } from './scenario.ts';

/** What `feedbench selftest` measured. */
export interface SelftestReport {
  /** Median over rounds of each round's p50 delivery latency, µs. */
  readonly websocketP50Us: number;
  readonly rawTcpP50Us: number;
  /** websocket minus raw TCP, µs. */
  readonly overheadUs: number;
  /** True when the overhead is within the target (100 µs). */
  readonly pass: boolean;
}

/** How far above the raw TCP floor feedbench's WebSocket median may sit (issue: measurement floor). */
export const FLOOR_TARGET_US = 100;

/**
 * Measures the harness's floor: 1 client at 100 updates/s over WebSocket, and over a raw TCP
 * stream fed by the same publisher in the same server process, in alternating rounds so drift
 * on a shared machine hits both alike. Everything but the transport stack is shared (publisher
 * and its timer lag, process layout, pinning), so the difference is what WebSocket and `ws` add.
 */
export async function runSelftest(rounds: number, durationMs: number, log: (line: string) => void): Promise<SelftestReport> {
  const scenario = parseScenario({ name: 'selftest', transports: ['websocket'], clients: 1, ratePerSec: 100, payloadBytes: 64, warmupMs: 1_000, durationMs }, 'selftest');
  const base: Omit<CellParams, 'transport' | 'repetition'> = {
    clients: 1, rate_per_s: 100, payload_bytes: 64, header_profile: 'minimal', poll_interval_ms: null, poll_mode: null,
    keep_alive: null, long_poll_timeout_ms: null, ws_compression: false, network: 'loopback', tls: false,
  };
  const p50s: Record<'websocket' | 'raw-tcp', number[]> = { websocket: [], 'raw-tcp': [] };
  for (let round = 1; round <= rounds; round++) {
    for (const transport of ['websocket', 'raw-tcp'] as const) {
      const cell: Cell = { id: `${transport}.${round}`, params: { ...base, transport, repetition: round } };
      const result = await runCell(cell, scenario);
      if (result.state !== 'ok' || !result.metrics?.latency_us) throw new Error(`selftest ${transport} round ${round} failed: ${result.reason}`);
      const m = result.metrics;
      p50s[transport].push(m.latency_us!.p50);
      log(`round ${round} ${transport.padEnd(9)} p50 ${m.latency_us!.p50} µs  p99 ${m.latency_us!.p99} µs  publisher lag p50 ${m.publisher.lag_us?.p50 ?? '-'} µs  lost ${m.delivery.lost}`);
    }
  }
  const websocketP50Us = median(p50s.websocket);
  const rawTcpP50Us = median(p50s['raw-tcp']);
  const overheadUs = websocketP50Us - rawTcpP50Us;
  const pass = overheadUs <= FLOOR_TARGET_US;
  log(`floor: raw TCP p50 ${rawTcpP50Us} µs, WebSocket p50 ${websocketP50Us} µs, difference ${overheadUs} µs (target <= ${FLOOR_TARGET_US} µs): ${pass ? 'PASS' : 'FAIL'}`);
  log('both include the publisher\'s timer lag (latency is measured from the scheduled publish time)');
  return { websocketP50Us, rawTcpP50Us, overheadUs, pass };
}
