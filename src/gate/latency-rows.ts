import type { OkCell } from '../results/index.ts';
import { addedTimeRow, type ComparisonRow } from './comparison-rows.ts';
import { inRunDifferences, medianOf, okCells, type Group } from './cell-groups.ts';
import type { MachineDrift } from './machine-drift.ts';
import type { GateThresholds } from './thresholds.ts';

/**
 * Latency: by its deviation from the model where a model bounds it (a network profile, a poll
 * interval), else by the time it adds over the raw TCP reference of the same repetition, and by
 * its absolute p50; both as added time, since the machine's own delay adds rather than scales.
 */
export function latencyRows(
  label: string,
  b: OkCell[],
  c: OkCell[],
  refs: { refBase: Group | undefined; refCur: Group | undefined; drift: MachineDrift },
  t: GateThresholds,
): ComparisonRow[] {
  const model = c[0]?.model;
  const p50 = (x: OkCell) => x.metrics.latency_us?.p50;
  // The machine's own delay, measured by the reference in each run, widens the model's allowance
  // and the cell's own part. A regression on the reference's own (shared) path would widen them
  // too: the absolute rows, widened only by the publisher's lateness, are what catch it.
  const refRiseUs = Math.max(
    0,
    (medianOf(okCells(refs.refCur), p50) ?? 0) - (medianOf(okCells(refs.refBase), p50) ?? 0),
  );
  if (model && model.mean_us >= t.modelBoundFromUs) {
    const bDev = medianOf(b, (x) => x.model?.deviation);
    const cDev = medianOf(c, (x) => x.model?.deviation);
    if (bDev === null || cDev === null) return [];
    const grew = cDev - bDev;
    const allowed = t.modelDeviation + (t.modelWakeupsPerReference * refRiseUs) / model.mean_us;
    const points = (x: number) => (x * 100).toFixed(1);
    return [
      {
        cell: label,
        metric: `mean latency vs model (${model.formula})`,
        baseline: `${points(bDev)}%`,
        current: `${points(cDev)}%`,
        ratio: null,
        interval: `+${points(allowed)} points (${(t.modelDeviation * 100).toFixed(0)} + ${t.modelWakeupsPerReference} x reference p50 rise ${(refRiseUs / 1000).toFixed(2)} ms)`,
        verdict: grew > allowed ? 'regressed' : grew < -t.modelDeviation ? 'improved' : 'ok',
      },
    ];
  }
  const p50s = (cells: OkCell[]) =>
    cells.map(p50).filter((x): x is number => typeof x === 'number');
  const baseP50 = medianOf(b, p50) ?? 0;
  const allowedUs = (ms: number, share: number, machineUs: number) =>
    Math.max(ms * 1000, share * baseP50) + machineUs;
  return [
    addedTimeRow(
      label,
      'p50 latency - raw TCP p50',
      inRunDifferences(b, refs.refBase, p50),
      inRunDifferences(c, refs.refCur, p50),
      allowedUs(t.ownLatencyGrowthMs, t.ownLatencyGrowthShare, t.ownPerReferenceRise * refRiseUs),
      t,
    ),
    addedTimeRow(
      label,
      'p50 latency (absolute)',
      p50s(b),
      p50s(c),
      // Not widened by the reference: a slower shared path slows it too. The publisher's timer
      // lateness is the machine's alone.
      allowedUs(
        t.absoluteGrowthMs,
        t.absoluteGrowthShare,
        t.absolutePerPublishLagRise * refs.drift.publishLagRiseUs,
      ),
      t,
    ),
  ];
}
