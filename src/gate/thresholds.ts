/**
 * How much change the gate tolerates before it calls a regression. Chosen from repeated runs of
 * `scenarios/ci.json` on the 2-core development machine with no code change (docs/gate.md).
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
   * ...widened by this many times the rise of the raw TCP reference's median p50 (baseline to
   * current run), as a share of the model: a short poll's update crosses about three of the
   * machine's wake-ups (the poll timer, the request, the answer) where the reference's crosses one,
   * so a machine slower by 1 ms per wake-up adds about 3 ms to polling's mean (docs/gate.md).
   */
  readonly modelWakeupsPerReference: number;
  /**
   * CPU-bound latency, the cell's own part: p50 minus the raw TCP reference's p50 in the same
   * repetition. It counts as grown when its median rose by more than this many ms and by more than
   * `ownLatencyGrowthShare` of the baseline cell's p50. Added time, not a ratio: the machine's
   * wake-up delay adds about the same time to every cell (docs/gate.md), which a ratio turns into
   * a swing.
   */
  readonly ownLatencyGrowthMs: number;
  /** See `ownLatencyGrowthMs`: the share of the baseline p50 the growth must also exceed. */
  readonly ownLatencyGrowthShare: number;
  /**
   * ...plus this many times the rise of the reference's median p50 (baseline to current run): a
   * transport's delivery crosses more of the machine's wake-ups than the reference's one, so a
   * slower machine grows the own part too (long polling +1.03 ms when the reference rose 1.62 ms).
   */
  readonly ownPerReferenceRise: number;
  /**
   * Server CPU per update as an in-run ratio to the raw TCP reference: the ratio of medians that
   * counts as large. Wider than latency's, because polling's per-request cost (HTTP parsing,
   * routing, a read and a write per poll) does not move with the reference's one write per update
   * from one machine of the same kind to the next: an unchanged checkout read 1.1x to 1.6x of the
   * baseline at scenarios/ci.json's load (docs/gate.md).
   */
  readonly serverCpuRatio: number;
  /**
   * CPU-bound latency in absolute terms, for regressions on the path the raw TCP reference shares
   * (publishing, fan-out) that its own part cannot see: grown when the median p50 rose by more than
   * this many ms and by more than `absoluteGrowthShare` of the baseline's. Wider, because the
   * machine's own delay moves every p50 together.
   */
  readonly absoluteGrowthMs: number;
  /** See `absoluteGrowthMs`. */
  readonly absoluteGrowthShare: number;
  /**
   * ...plus this many times the rise of the publisher's median timer lateness (the machine's own
   * wake-up delay, which no transport's path touches): long polling's p50 rose 2.65 ms when that
   * lateness rose 0.46 ms, with no change of code.
   */
  readonly absolutePerPublishLagRise: number;
  /**
   * The one-sided rank-sum p-value at or below which a change over repetitions counts as
   * significant.
   */
  readonly significance: number;
  /**
   * Model means at or above this many µs make a cell's latency model-bound (network or poll
   * interval dominate).
   */
  readonly modelBoundFromUs: number;
}

/** The defaults (docs/gate.md gives the spread they were chosen from). */
export const DEFAULT_THRESHOLDS: GateThresholds = {
  bytesPerUpdate: 0.03,
  requestsPerUpdate: 0.05,
  handshakeBytes: 0.02,
  modelDeviation: 0.1,
  modelWakeupsPerReference: 4,
  ownLatencyGrowthMs: 1.5,
  ownLatencyGrowthShare: 0.5,
  ownPerReferenceRise: 1,
  serverCpuRatio: 2,
  absoluteGrowthMs: 3,
  absoluteGrowthShare: 1,
  absolutePerPublishLagRise: 6,
  significance: 0.05,
  modelBoundFromUs: 10_000,
};
