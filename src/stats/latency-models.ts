import type { MeasuredTransport } from '../driver/driver-messages.ts';

/** Expected delivery latency of a transport under a network delay, µs (CLAIMS.md "Models"). */
export interface LatencyModel {
  /** Expected mean latency. */
  readonly meanUs: number;
  /** Expected worst case (ignoring queueing and processing). */
  readonly maxUs: number;
  /** How the figures were derived, for the report. */
  readonly formula: string;
}

/** The parameters a model needs. */
export interface ModelInputs {
  readonly transport: MeasuredTransport;
  /** Round-trip time between client and server, µs (about 60 µs on loopback). */
  readonly rttUs: number;
  /** Short polling period T, ms. */
  readonly pollIntervalMs: number | null;
  readonly pollMode: 'fixed-period' | 'sleep-after-response' | null;
  /** False: a new TCP connection per poll (adds one RTT). */
  readonly keepAlive: boolean | null;
  /** Updates published in groups `gapMs` apart; null: evenly spaced. */
  readonly burst?: { readonly size: number; readonly gapMs: number } | null;
}

/**
 * The latency models of CLAIMS.md, with d = RTT/2: push (WebSocket, SSE, raw TCP) d; long polling
 * d, worst case about 3d (RFC 6202 §2); short polling every T, fixed period: mean T/2 + d, max T + d;
 * sleeping T after each answer: mean T/2 + RTT.
 *
 * A new connection per poll makes each poll one RTT longer (the TCP handshake). On a fixed period
 * that only shifts when polls reach the server, not how long an update waits for one, so the
 * mean stays T/2 + d; when the client sleeps after each answer it lengthens the cycle to
 * T + 2 RTT, so the mean becomes T/2 + RTT + d. Long polling then re-requests one RTT later:
 * the worst case grows by one RTT, the mean (an update finding a request waiting) does not.
 */
export function latencyModel(inputs: ModelInputs): LatencyModel {
  const d = inputs.rttUs / 2;
  const reconnect = inputs.keepAlive === false ? inputs.rttUs : 0;
  switch (inputs.transport) {
    case 'websocket':
    case 'sse':
    case 'raw-tcp':
      return { meanUs: d, maxUs: d, formula: 'd' };
    case 'long-poll': {
      const burst = inputs.burst;
      if (burst && burst.size > 1 && (burst.size - 1) * burst.gapMs * 1000 < 2 * d) {
        // The first update of a burst finds a request waiting (d). The others are published while
        // that answer travels back and the next request travels out, so they leave with the next
        // answer, at t0 + 3d: update j waits 3d - j*gap (RFC 6202 §2.2, "maximal latency").
        let sum = d;
        for (let j = 1; j < burst.size; j++) sum += 3 * d - j * burst.gapMs * 1000;
        return { meanUs: sum / burst.size + reconnect, maxUs: 3 * d - burst.gapMs * 1000 + reconnect, formula: `bursts: first d, then 3d - j x gap (mean of ${burst.size})` };
      }
      return { meanUs: d, maxUs: 3 * d + reconnect, formula: reconnect ? 'd, worst 3d + RTT' : 'd, worst 3d' };
    }
    case 'short-poll': {
      const tUs = (inputs.pollIntervalMs ?? 1000) * 1000;
      if (inputs.pollMode === 'sleep-after-response') {
        const cycleUs = tUs + inputs.rttUs + reconnect;
        return { meanUs: cycleUs / 2 + d, maxUs: cycleUs + d, formula: reconnect ? '(T + 2 RTT)/2 + d, worst T + 2 RTT + d' : 'T/2 + RTT, worst T + RTT + d' };
      }
      return { meanUs: tUs / 2 + d, maxUs: tUs + d, formula: 'T/2 + d, worst T + d' };
    }
  }
}
