import { alternatingRounds } from './alternating-rounds.ts';

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
 * stream fed by the same publisher in the same server process, in alternating rounds. Everything
 * but the transport stack is shared (publisher and its timer lag, process layout, pinning), so
 * the difference is what WebSocket and `ws` add.
 */
export async function runSelftest(rounds: number, durationMs: number, log: (line: string) => void): Promise<SelftestReport> {
  const { p50Us } = await alternatingRounds({ websocket: { transport: 'websocket' }, 'raw-tcp': { transport: 'raw-tcp' } }, rounds, durationMs, log);
  const websocketP50Us = p50Us.websocket!;
  const rawTcpP50Us = p50Us['raw-tcp']!;
  const overheadUs = websocketP50Us - rawTcpP50Us;
  const pass = overheadUs <= FLOOR_TARGET_US;
  log(`floor: raw TCP p50 ${rawTcpP50Us} µs, WebSocket p50 ${websocketP50Us} µs, difference ${overheadUs} µs (target <= ${FLOOR_TARGET_US} µs): ${pass ? 'PASS' : 'FAIL'}`);
  log('both include the publisher\'s timer lag (latency is measured from the scheduled publish time)');
  return { websocketP50Us, rawTcpP50Us, overheadUs, pass };
}
