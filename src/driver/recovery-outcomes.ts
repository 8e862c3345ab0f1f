import type { FailoverOutcome } from '../results/index.ts';
import type { CatchUp } from './driver-messages.ts';
import type { CellRecorder } from './cell-recorder.ts';
import { summarize } from '../metrics/histogram.ts';
import { median } from '../stats/percentile.ts';
import { roundTo } from '../metrics/units.ts';

/**
 * How the clients came through an instance's death: cut off, back, how soon, latency meanwhile;
 * null when none died.
 */
export function failoverOutcome(recorder: CellRecorder): FailoverOutcome | null {
  if (recorder.failureAtUs === Infinity) return null;
  const recoveries: number[] = [];
  let affected = 0;
  recorder.lostAtUs.forEach((lost, i) => {
    if (lost === undefined) return;
    affected++;
    const back = recorder.recoveredAtUs[i];
    if (back !== undefined) recoveries.push((back - recorder.failureAtUs) / 1000);
  });
  return {
    affected_clients: affected,
    recovered_clients: recoveries.length,
    recovery_ms:
      recoveries.length > 0
        ? { p50: roundTo(median(recoveries), 1), max: roundTo(Math.max(...recoveries), 1) }
        : null,
    latency_after_failure_us: summarize(recorder.afterFailureUs) ?? null,
  };
}

/**
 * Slow consumers that paused: from the pause's end to each one's first update published after it;
 * null when none paused.
 */
export function catchUp(recorder: CellRecorder, clients: number): CatchUp | null {
  if (recorder.resumedAtUs === Infinity) return null;
  const ms = recorder.caughtUpAtUs
    .filter((at) => at !== undefined)
    .map((at) => (at - recorder.resumedAtUs) / 1000);
  return {
    clients,
    caught_up: ms.length,
    ms: ms.length > 0 ? { p50: roundTo(median(ms), 1), max: roundTo(Math.max(...ms), 1) } : null,
  };
}
