import type { OkCell, ResultsFile } from '../results/index.ts';
import { median } from '../stats/percentile.ts';

/**
 * How much later this run's machine woke than the baseline's, read from a figure no transport's
 * code touches: the publisher's timer lateness (p50), which every cell records before any fan-out.
 * On this machine kind it sat at 1-100 µs in quiet hours and at 400-530 µs in the hours when every
 * p50 rose by 1.5 ms (docs/gate.md).
 */
export interface MachineDrift {
  /** Median over all cells of the publisher's lag p50, current minus baseline, µs; 0 if it fell. */
  readonly publishLagRiseUs: number;
}

function medianPublishLagUs(run: ResultsFile): number | null {
  const lags = run.cells
    .filter((c): c is OkCell => c.state === 'ok')
    .map((c) => c.metrics.publisher?.lag_us?.p50)
    .filter((x): x is number => typeof x === 'number');
  return lags.length > 0 ? median(lags) : null;
}

/** The machine's drift between a baseline and a current run (none when either lacks the lag). */
export function machineDrift(baseline: ResultsFile, current: ResultsFile): MachineDrift {
  const base = medianPublishLagUs(baseline);
  const cur = medianPublishLagUs(current);
  return { publishLagRiseUs: base === null || cur === null ? 0 : Math.max(0, cur - base) };
}
