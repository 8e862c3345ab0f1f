import type { CellParams } from '../results/index.ts';
import { usable, type MeasuredCell, type ReportCell } from './report-cells.ts';

/** One cell measured over both HTTP versions: the same load, transport and environment. */
export interface HttpPair {
  /** What the two cells share, for people: `sse 200c 2/s 128B browser tls`. */
  readonly what: string;
  readonly transport: string;
  readonly http1: MeasuredCell;
  readonly http2: MeasuredCell;
}

/** The parameters two cells must share to be compared across HTTP versions. */
function pairKey(p: CellParams): string {
  const { http: _http, h2_clients_per_connection: _k, repetition: _r, ...rest } = p;
  return JSON.stringify(rest);
}

/**
 * Cells measured over two HTTP versions, matched on everything else (one client per HTTP/2
 * connection, as a browser tab has); repetitions: the first of each.
 */
function versionPairs(
  cells: readonly ReportCell[],
  [a, b]: readonly [CellParams['http'], CellParams['http']],
): { what: string; transport: string; first: MeasuredCell; second: MeasuredCell }[] {
  const measured = usable(cells).filter((c) => (c.cell.params.h2_clients_per_connection ?? 1) === 1);
  const byKey = new Map<string, { first?: MeasuredCell; second?: MeasuredCell }>();
  for (const c of measured) {
    const key = pairKey(c.cell.params);
    const pair = byKey.get(key) ?? {};
    if (c.cell.params.http === a) pair.first ??= c;
    if (c.cell.params.http === b) pair.second ??= c;
    byKey.set(key, pair);
  }
  return [...byKey.values()].flatMap(({ first, second }) =>
    first && second ? [{ what: first.label, transport: first.cell.params.transport, first, second }] : [],
  );
}

/**
 * Every cell of the run measured over both HTTP/1.1 and HTTP/2, matched on everything else, for
 * the side-by-side table.
 */
export function httpPairs(cells: readonly ReportCell[]): HttpPair[] {
  return versionPairs(cells, ['1.1', '2']).map(({ first, second, ...p }) => ({ ...p, http1: first, http2: second }));
}

/** Browser cells measured over both HTTP/2 and HTTP/3 (both through caddy), matched on the rest. */
export function http3Pairs(cells: readonly ReportCell[]): { what: string; transport: string; http2: MeasuredCell; http3: MeasuredCell }[] {
  return versionPairs(cells, ['2', '3']).map(({ first, second, ...p }) => ({ ...p, http2: first, http3: second }));
}

/**
 * Connections the server held per client at the window's close (1 for one per client, 1/k when k
 * share one).
 */
export function connectionsPerClient(c: MeasuredCell): number | null {
  const connections = c.metrics.server.connections;
  return connections === null ? null : connections / c.cell.params.clients;
}
