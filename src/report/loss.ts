import { cellLabel } from '../transports/cell-label.ts';
import { median } from '../stats/percentile.ts';
import type { CellMetrics, CellParams } from '../results/index.ts';
import { usable, type MeasuredCell, type ReportCell } from './report-cells.ts';

/** A cell measured on a lossy link (its network block is there). */
export type LossyCell = MeasuredCell & {
  readonly metrics: CellMetrics & { readonly network: NonNullable<CellMetrics['network']> };
};

/** One configuration measured on several lossy networks: its cells by network name. */
export interface LossSeries {
  /** The configuration, in words, without its network. */
  readonly what: string;
  readonly transport: string;
  readonly http: CellParams['http'];
  readonly sharedConnections: boolean;
  /** What else sets its line apart: a workload other than the feed, browser pages ('' for neither). */
  readonly variant: string;
  readonly byNetwork: ReadonlyMap<string, LossyCell[]>;
}

/** The cells that ran on a lossy link. */
export function lossyCells(cells: readonly ReportCell[]): LossyCell[] {
  return usable(cells).filter((c): c is LossyCell => c.metrics.network !== null);
}

/**
 * The lossy networks of the cells, in order: by loss, then outages last, then round trip.
 */
export function lossyNetworks(cells: readonly LossyCell[]): string[] {
  const rank = new Map<string, number>();
  for (const c of cells) {
    const p = c.cell.params.network_profile;
    // Outages after every loss, loss in 0.01 % steps, then the round trip (at most 10 s).
    const loss = Math.round((p?.loss_percent ?? 0) * 100);
    rank.set(c.cell.params.network, (p?.outage ? 1e12 : 0) + loss * 1e5 + (p?.rtt_ms ?? 0));
  }
  return [...rank.keys()].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}

/** Every configuration of the lossy cells, with its cells on each network. */
export function lossSeries(cells: readonly LossyCell[]): LossSeries[] {
  const series = new Map<string, LossSeries & { byNetwork: Map<string, LossyCell[]> }>();
  for (const c of cells) {
    const p = c.cell.params;
    const what = cellLabel({ ...p, network: 'loopback' });
    const entry = series.get(what) ?? {
      what,
      transport: p.transport,
      http: p.http,
      sharedConnections: (p.h2_clients_per_connection ?? 1) > 1,
      variant: [p.workload === 'feed' ? '' : p.workload, p.client_kind === 'browser' ? 'pages' : '']
        .filter((v) => v !== '')
        .join(' '),
      byNetwork: new Map<string, LossyCell[]>(),
    };
    entry.byNetwork.set(p.network, [...(entry.byNetwork.get(p.network) ?? []), c]);
    series.set(what, entry);
  }
  return [...series.values()];
}

/** The median of a figure over a configuration's cells on one network (repetitions); null if none. */
export function medianFigure(
  cells: readonly LossyCell[] | undefined,
  pick: (c: LossyCell) => number | null | undefined,
): number | null {
  const known = (cells ?? []).flatMap((c) => {
    const v = pick(c);
    return v === null || v === undefined ? [] : [v];
  });
  return known.length > 0 ? median(known) : null;
}
