import type { FailoverOutcome, ScaleOutResult } from '../../results/index.ts';
import { ofWorkload, usable, type MeasuredCell, type ReportCell } from '../report-cells.ts';

/**
 * A finished cell of the failover experiment, with its scale-out record, the kill and how clients
 * came through it.
 */
export type FailoverCell = MeasuredCell & { readonly scaleOut: ScaleOutResult & { readonly killed: NonNullable<ScaleOutResult['killed']>; readonly failover: FailoverOutcome | null } };

/** Server instances behind the cell's one address. */
export const instancesOf = (c: ReportCell) => c.cell.params.instances;

/**
 * Scale-out cells whose run killed an instance, that finished (saturated ones included: failover is
 * about correctness).
 */
export function failoverCells(all: readonly ReportCell[]): FailoverCell[] {
  return all.flatMap((c) => (c.cell.state === 'ok' && c.cell.scale_out?.killed ? [{ ...c, cell: c.cell, metrics: c.cell.metrics, scaleOut: { ...c.cell.scale_out, killed: c.cell.scale_out.killed } }] : []));
}

/**
 * Pairs of cells alike but for one in-memory instance vs K instances through Redis, no instance
 * killed.
 */
export function backplanePairs(all: readonly ReportCell[]): { single: MeasuredCell; shared: MeasuredCell }[] {
  const cells = ofWorkload(usable(all), 'feed').filter((c) => c.cell.params.failover_at_ms === null || c.cell.params.failover_at_ms === undefined);
  const key = (c: MeasuredCell) => JSON.stringify({ ...c.cell.params, instances: undefined, balancer: undefined, repetition: undefined, run: c.run.scenario.name });
  return cells
    .filter((c) => instancesOf(c) > 1)
    .flatMap((shared) => {
      const single = cells.find((c) => instancesOf(c) === 1 && key(c) === key(shared));
      return single ? [{ single, shared }] : [];
    });
}

