import type { CapacityResult, CellMetrics, CostCurve, CellParams, CellResult, OkCell, ResultsFile } from '../results/index.ts';
import { cellLabel } from '../transports/cell-label.ts';
import { kindOf } from '../transports/registry.ts';
import type { TransportDescriptor } from '../transports/descriptor.ts';
import { median } from '../stats/percentile.ts';

/**
 * A cell as the report sees it: the cell, the run it came from, and a label unique in the report.
 */
export interface ReportCell {
  readonly cell: CellResult;
  readonly run: ResultsFile;
  readonly label: string;
}

/** A cell that finished, with its metrics. */
export type MeasuredCell = ReportCell & { readonly cell: OkCell; readonly metrics: CellMetrics };

/**
 * Flattens results files into report cells, labelled; scenario name added when several runs are
 * shown.
 */
export function reportCells(runs: readonly ResultsFile[]): ReportCell[] {
  const several = new Set(runs.map((r) => r.scenario.name)).size > 1;
  return runs.flatMap((run) =>
    run.cells.map((cell) => {
      let label = cellLabel(cell.params);
      if (cell.params.repetition > 1) label += ` #${cell.params.repetition}`;
      if (several) label = `${run.scenario.name}: ${label}`;
      return { cell, run, label };
    }),
  );
}

/** Cells that finished, with their metrics (their driver may have been the limit). */
export function finished(cells: readonly ReportCell[]): MeasuredCell[] {
  return cells.flatMap((c) => (c.cell.state === 'ok' ? [{ ...c, cell: c.cell, metrics: c.cell.metrics }] : []));
}

/** Cells fit to judge a claim by: finished, and not limited by their own driver. */
export function usable(cells: readonly ReportCell[]): MeasuredCell[] {
  return finished(cells).filter((c) => !c.metrics.driver.saturated);
}

/**
 * Cells of one workload (feed, chat, echo): claims about the feed are judged on feed cells only.
 */
export function ofWorkload<T extends ReportCell>(cells: readonly T[], workload: CellParams['workload']): T[] {
  return cells.filter((c) => c.cell.params.workload === workload);
}

/** Every capacity ladder in the runs behind these cells. */
export function capacityResults(cells: readonly ReportCell[]): CapacityResult[] {
  return [...new Set(cells.map((c) => c.run))].flatMap((run) => run.capacity ?? []);
}

/** Every cost curve in the runs behind these cells. */
export function costCurves(cells: readonly ReportCell[]): CostCurve[] {
  return [...new Set(cells.map((c) => c.run))].flatMap((run) => run.cost_curves ?? []);
}

/**
 * The cells of the one load (same run, clients, rate, payload, headers) measured over the most
 * transports, the earliest such load first: latency depends on the load, so transports are
 * compared on one. Returns the load's description too.
 */
export function matchedLoad(cells: readonly MeasuredCell[]): { cells: MeasuredCell[]; load: string } {
  const groups = new Map<string, MeasuredCell[]>();
  for (const c of cells) {
    const p = c.cell.params;
    const key = `${c.run.scenario.name}: ${p.clients} clients, ${p.rate_per_s}/s, ${p.payload_bytes} B${p.header_profile === 'minimal' ? '' : `, ${p.header_profile} headers`}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  let best: [string, MeasuredCell[]] | undefined;
  for (const entry of groups) {
    const transports = new Set(entry[1].map((c) => c.cell.params.transport)).size;
    if (!best || transports > new Set(best[1].map((c) => c.cell.params.transport)).size) best = entry;
  }
  return best ? { cells: best[1], load: best[0] } : { cells: [], load: '-' };
}

/** Usable cells of one transport, optionally filtered further. */
export function ofTransport(cells: readonly ReportCell[], transport: string, where: (c: MeasuredCell) => boolean = () => true): MeasuredCell[] {
  return usable(cells).filter((c) => c.cell.params.transport === transport && where(c));
}

/** Usable cells of every transport of one kind (`poll`, `push`: the descriptors say which). */
export function ofKind(cells: readonly ReportCell[], kind: TransportDescriptor['kind']): MeasuredCell[] {
  return usable(cells).filter((c) => kindOf(c.cell.params.transport) === kind);
}

/** The median of a metric over cells, ignoring cells where it is null; undefined if none has it. */
export function medianOf(cells: readonly MeasuredCell[], metric: (m: CellMetrics) => number | null | undefined): number | undefined {
  const values = cells.map((c) => metric(c.metrics)).filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? median(values) : undefined;
}

/** What can be wrong with a cell, by kind. */
export type FlagKind = 'errored' | 'not applicable' | 'driver saturated' | 'updates lost';

/**
 * The flags a person must see wherever the cell appears, each with its kind (for grouping) and its
 * text.
 */
export function flagsOf(c: ReportCell): { kind: FlagKind; text: string }[] {
  const flags: { kind: FlagKind; text: string }[] = [];
  if (c.cell.state !== 'ok') flags.push({ kind: c.cell.state === 'errored' ? 'errored' : 'not applicable', text: `${c.cell.state}: ${c.cell.reason}` });
  if (c.cell.metrics?.driver.saturated) flags.push({ kind: 'driver saturated', text: `driver saturated: ${c.cell.metrics.driver.reason}` });
  if (c.cell.metrics && c.cell.metrics.delivery.lost > 0) flags.push({ kind: 'updates lost', text: `${c.cell.metrics.delivery.lost} updates lost` });
  return flags;
}

/** Flags a person must see wherever the cell appears. */
export function cellFlags(c: ReportCell): string[] {
  return flagsOf(c).map((f) => f.text);
}
