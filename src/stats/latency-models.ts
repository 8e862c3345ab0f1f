/**
 * Expected delivery latency of a transport under a network delay, µs (docs/claims.md, latency
 * models).
 */
export interface LatencyModel {
  /** Expected mean latency. */
  readonly meanUs: number;
  /** Expected worst case (ignoring queueing and processing). */
  readonly maxUs: number;
  /** How the figures were derived, for the report. */
  readonly formula: string;
}

/** Updates published in groups `gapMs` apart; null: evenly spaced. */
export type Bursts = { readonly size: number; readonly gapMs: number } | null;

/**
 * Push (WebSocket, SSE, raw TCP): an update leaves at once and takes d = RTT/2 (docs/claims.md,
 * latency models).
 */
export function pushModel(rttUs: number): LatencyModel {
  const d = rttUs / 2;
  return { meanUs: d, maxUs: d, formula: 'd' };
}

/**
 * Long polling: d, worst case about 3d (RFC 6202 §2). Without keep-alive the next request is one
 * RTT later (a TCP handshake): the worst case grows by one RTT, the mean (an update finding a
 * request waiting) does not.
 */
export function longPollModel(
  rttUs: number,
  keepAlive: boolean | null,
  burst: Bursts = null,
): LatencyModel {
  const d = rttUs / 2;
  const reconnect = keepAlive === false ? rttUs : 0;
  if (burst && burst.size > 1 && (burst.size - 1) * burst.gapMs * 1000 < 2 * d) {
    // The first update of a burst finds a request waiting (d). The others are published while
    // that answer travels back and the next request travels out, so they leave with the next
    // answer, at t0 + 3d: update j waits 3d - j*gap (RFC 6202 §2.2, "maximal latency").
    let sum = d;
    for (let j = 1; j < burst.size; j++) sum += 3 * d - j * burst.gapMs * 1000;
    return {
      meanUs: sum / burst.size + reconnect,
      maxUs: 3 * d - burst.gapMs * 1000 + reconnect,
      formula: `bursts: first d, then 3d - j x gap (mean of ${burst.size})`,
    };
  }
  return {
    meanUs: d,
    maxUs: 3 * d + reconnect,
    formula: reconnect ? 'd, worst 3d + RTT' : 'd, worst 3d',
  };
}

/**
 * Short polling every T: on a fixed period mean T/2 + d, max T + d; sleeping T after each
 * answer, mean T/2 + RTT. A new connection per poll makes each poll one RTT longer: on a fixed
 * period that only shifts when polls reach the server, so the mean stays T/2 + d; sleeping after
 * each answer, it lengthens the cycle to T + 2 RTT, so the mean becomes T/2 + RTT + d.
 */
export function shortPollModel(
  rttUs: number,
  pollIntervalMs: number | null,
  pollMode: 'fixed-period' | 'sleep-after-response' | null,
  keepAlive: boolean | null,
): LatencyModel {
  const d = rttUs / 2;
  const reconnect = keepAlive === false ? rttUs : 0;
  const tUs = (pollIntervalMs ?? 1000) * 1000;
  if (pollMode === 'sleep-after-response') {
    const cycleUs = tUs + rttUs + reconnect;
    return {
      meanUs: cycleUs / 2 + d,
      maxUs: cycleUs + d,
      formula: reconnect
        ? '(T + 2 RTT)/2 + d, worst T + 2 RTT + d'
        : 'T/2 + RTT, worst T + RTT + d',
    };
  }
  return { meanUs: tUs / 2 + d, maxUs: tUs + d, formula: 'T/2 + d, worst T + d' };
}
