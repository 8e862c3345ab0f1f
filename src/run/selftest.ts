import { alternatingRounds } from './alternating-rounds.ts';
import { required } from '../metrics/required.ts';

/** A p50 and a p99, µs. */
export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

/** What `feedbench selftest` measured (medians over rounds), in the shape `--json` prints. */
export interface SelftestReport {
  readonly publisher_lag_us: Percentiles;
  readonly websocket_us: Percentiles;
  readonly raw_tcp_us: Percentiles;
  /** WebSocket p50 minus raw TCP p50, µs. */
  readonly overhead_us: number;
  /** True when every target below holds. */
  readonly pass: boolean;
  /** Each target missed, in words. */
  readonly missed: readonly string[];
}

/** The harness's own floor (issue 17): where feedbench's figures start. */
export const FLOOR_TARGETS_US = {
  /** WebSocket p50 for one client on loopback. */
  websocketP50: 100,
  /** WebSocket p50 above raw TCP's. */
  overheadP50: 50,
  /** The publisher's lag behind its schedule. */
  lagP50: 20,
  lagP99: 200,
} as const;

/**
 * Measures the harness's floor: 1 client at 100 updates/s over WebSocket, and over a raw TCP
 * stream fed by the same publisher in the same server process, in alternating rounds. Everything
 * but the transport stack is shared (publisher and its lag, process layout, pinning), so the
 * difference is what WebSocket and `ws` add; the publisher's lag is what every figure carries.
 */
export async function runSelftest(
  rounds: number,
  durationMs: number,
  log: (line: string) => void,
): Promise<SelftestReport> {
  const r = await alternatingRounds(
    { websocket: { transport: 'websocket' }, 'raw-tcp': { transport: 'raw-tcp' } },
    rounds,
    durationMs,
    log,
  );
  const figure = (figures: Record<string, number | undefined>, name: string) =>
    required(figures[name], `${name}'s rounds`);
  const websocket = { p50: figure(r.p50Us, 'websocket'), p99: figure(r.p99Us, 'websocket') };
  const rawTcp = { p50: figure(r.p50Us, 'raw-tcp'), p99: figure(r.p99Us, 'raw-tcp') };
  // Both variants run the same publisher: its lag over every round.
  const lag = {
    p50: Math.max(r.lagP50Us.websocket ?? 0, r.lagP50Us['raw-tcp'] ?? 0),
    p99: Math.max(r.lagP99Us.websocket ?? 0, r.lagP99Us['raw-tcp'] ?? 0),
  };
  const overhead = websocket.p50 - rawTcp.p50;
  const missed = [
    websocket.p50 > FLOOR_TARGETS_US.websocketP50
      ? `WebSocket p50 ${websocket.p50} µs is over ${FLOOR_TARGETS_US.websocketP50} µs`
      : '',
    overhead > FLOOR_TARGETS_US.overheadP50
      ? `WebSocket p50 is ${overhead} µs over raw TCP's (target ${FLOOR_TARGETS_US.overheadP50} µs)`
      : '',
    lag.p50 > FLOOR_TARGETS_US.lagP50
      ? `publisher lag p50 ${lag.p50} µs is over ${FLOOR_TARGETS_US.lagP50} µs`
      : '',
    lag.p99 > FLOOR_TARGETS_US.lagP99
      ? `publisher lag p99 ${lag.p99} µs is over ${FLOOR_TARGETS_US.lagP99} µs`
      : '',
  ].filter((m) => m !== '');
  log(
    `floor: publisher lag p50 ${lag.p50} µs p99 ${lag.p99} µs; raw TCP p50 ${rawTcp.p50} µs p99 ${rawTcp.p99} µs; WebSocket p50 ${websocket.p50} µs p99 ${websocket.p99} µs (${overhead} µs over raw TCP)`,
  );
  log(missed.length === 0 ? 'PASS: every floor target holds' : `FAIL: ${missed.join('; ')}`);
  return {
    publisher_lag_us: lag,
    websocket_us: websocket,
    raw_tcp_us: rawTcp,
    overhead_us: overhead,
    pass: missed.length === 0,
    missed,
  };
}
