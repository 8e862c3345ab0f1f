/** When a driver counts as the limit of a cell rather than the server. */
export interface SaturationThresholds {
  /** Driver CPU, as a share of one core (0..1), at or above which it is saturated. */
  readonly cpuShare: number;
  /** Driver event-loop delay p99, ms, above which its receive times are late by that much. */
  readonly eventLoopP99Ms: number;
}

/**
 * Defaults: a driver near one full core, or whose loop is 20 ms late, is no longer a neutral
 * observer.
 */
export const DEFAULT_SATURATION: SaturationThresholds = { cpuShare: 0.9, eventLoopP99Ms: 20 };

/** What the driver measured of itself over the window. */
export interface DriverLoad {
  readonly cpuShare: number;
  readonly eventLoopP99Ms: number;
}

/** Judges whether the driver, not the server, limited a cell, and says why. */
export function judgeSaturation(
  load: DriverLoad,
  thresholds: SaturationThresholds,
): { saturated: boolean; reason: string | null } {
  const reasons: string[] = [];
  if (load.cpuShare >= thresholds.cpuShare) {
    reasons.push(
      `driver CPU at ${(load.cpuShare * 100).toFixed(0)}% of a core (limit ${(thresholds.cpuShare * 100).toFixed(0)}%)`,
    );
  }
  if (load.eventLoopP99Ms > thresholds.eventLoopP99Ms) {
    reasons.push(
      `driver event-loop delay p99 ${load.eventLoopP99Ms.toFixed(1)} ms (limit ${thresholds.eventLoopP99Ms} ms)`,
    );
  }
  return { saturated: reasons.length > 0, reason: reasons.length > 0 ? reasons.join('; ') : null };
}
