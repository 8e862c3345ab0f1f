/**
 * How much change the gate tolerates before it calls a regression. Chosen from repeated runs of
 * `scenarios/ci.json` on the 2-core development machine with no code change (README, "CI gate").
 */
export interface GateThresholds {
  /** Wire bytes per update: relative change allowed (deterministic up to seq digits). */
  readonly bytesPerUpdate: number;
  /** Requests per update: relative change allowed (polls per update depend on timing a little). */
  readonly requestsPerUpdate: number;
  /** Handshake bytes: relative change allowed. */
  readonly handshakeBytes: number;
  /**
   * Model-bound latency: how far (absolute, as a share of the model) the mean's deviation from the
   * model may grow.
   */
  readonly modelDeviation: number;
  /**
   * CPU-bound figures as in-run ratios to the raw TCP reference: the ratio of medians (current /
   * baseline) that counts as large.
   */
  readonly cpuBoundRatio: number;
  /**
   * Server CPU per update as an in-run ratio to the raw TCP reference: the ratio of medians that
   * counts as large. Wider than latency's, because polling's per-request cost (HTTP parsing,
   * routing, a read and a write per poll) does not move with the reference's one write per update
   * from one machine of the same kind to the next: an unchanged checkout read 1.1x to 1.6x of the
   * baseline at scenarios/ci.json's load (docs/gate.md).
   */
  readonly serverCpuRatio: number;
  /**
   * CPU-bound latency in absolute terms (current / baseline p50), for regressions on the path the
   * raw TCP reference shares (publishing, fan-out) that a ratio to it cannot see. Wider, because
   * absolute times drift with the machine.
   */
  readonly absoluteRatio: number;
  /**
   * ...and the one-sided rank-sum p-value at or below which a ratio change counts as significant.
   */
  readonly significance: number;
  /**
   * Model means at or above this many µs make a cell's latency model-bound (network or poll
   * interval dominate).
   */
  readonly modelBoundFromUs: number;
}

/** The defaults (see README for the spread they were chosen from). */
export const DEFAULT_THRESHOLDS: GateThresholds = {
  bytesPerUpdate: 0.03,
  requestsPerUpdate: 0.05,
  handshakeBytes: 0.02,
  modelDeviation: 0.1,
  cpuBoundRatio: 1.5,
  serverCpuRatio: 2,
  absoluteRatio: 2,
  significance: 0.05,
  modelBoundFromUs: 10_000,
};
