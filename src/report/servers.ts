import { SERVERS, type CellParams, type ServerName } from '../results/index.ts';
import { costCurves, type ReportCell } from './report-cells.ts';
import type { CostCurve } from '../results/index.ts';

/** The servers these cells ran on, in SERVERS' order (feedbench's own first). */
export function serversOf(cells: readonly ReportCell[]): ServerName[] {
  const present = new Set(cells.map((c) => c.cell.params.server));
  return SERVERS.filter((s) => present.has(s));
}

/**
 * The server a report's verdicts and guide are read on: feedbench's own when the run has it, else
 * the first there is. Figures of different servers are never mixed in one verdict.
 */
export function referenceServer(cells: readonly ReportCell[]): ServerName {
  return serversOf(cells)[0] ?? 'feedbench';
}

/** The cells of the reference server. */
export function onReferenceServer<T extends ReportCell>(cells: readonly T[]): T[] {
  const server = referenceServer(cells);
  return cells.filter((c) => c.cell.params.server === server);
}

/**
 * The cost curves measured on the reference server: those the guide, the table of the article's
 * figures and the claims read, so that no figure of theirs mixes servers.
 */
export function referenceCostCurves(cells: readonly ReportCell[]): CostCurve[] {
  const server = referenceServer(cells);
  return costCurves(cells).filter((c) => c.server === server);
}

/** One cell's parameters run on several servers: the same load, transport and environment. */
export interface ServerRow {
  /** The cell's label on the reference server, the server left out. */
  readonly what: string;
  readonly transport: string;
  readonly http: CellParams['http'];
  /** Each server's cell (measured, or not: its state says), by server. */
  readonly byServer: ReadonlyMap<ServerName, ReportCell>;
}

/** The parameters two cells must share to be compared across servers. */
function rowKey(p: CellParams): string {
  const { server: _server, repetition: _r, ...rest } = p;
  return JSON.stringify(rest);
}

/**
 * Every cell of the run that was asked of more than one server, matched on everything else, with
 * the server's name taken out of its label; the first repetition of each, and no cost curve's step.
 * Empty when the run has one server.
 */
export function serverRows(cells: readonly ReportCell[]): ServerRow[] {
  if (serversOf(cells).length < 2) return [];
  const rows = new Map<string, { what: string; p: CellParams; byServer: Map<ServerName, ReportCell> }>();
  for (const c of cells) {
    // A cost curve's steps are compared by their knees (kneesByServer), not step by step.
    if (c.run.cost_curves) continue;
    const p = c.cell.params;
    const key = rowKey(p);
    const row = rows.get(key) ?? { what: c.label.replace(` on ${p.server}`, ''), p, byServer: new Map() };
    if (!row.byServer.has(p.server)) row.byServer.set(p.server, c);
    rows.set(key, row);
  }
  return [...rows.values()].filter((r) => r.byServer.size > 1).map((r) => ({ what: r.what, transport: r.p.transport, http: r.p.http, byServer: r.byServer }));
}
