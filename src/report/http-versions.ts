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
 * Every cell of the run measured over both HTTP/1.1 and HTTP/2 (with one client per HTTP/2
 * connection, as a browser tab has), matched on everything else, for the side-by-side table.
 * Repetitions: the first of each.
 */
export function httpPairs(cells: readonly ReportCell[]): HttpPair[] {
  const measured = usable(cells).filter((c) => (c.cell.params.h2_clients_per_connection ?? 1) === 1);
  const byKey = new Map<string, { http1?: MeasuredCell; http2?: MeasuredCell }>();
  for (const c of measured) {
    const key = pairKey(c.cell.params);
    const pair = byKey.get(key) ?? {};
    if (c.cell.params.http === '2') pair.http2 ??= c;
    else pair.http1 ??= c;
    byKey.set(key, pair);
  }
  const pairs: HttpPair[] = [];
  for (const { http1, http2 } of byKey.values()) {
    if (!http1 || !http2) continue;
    pairs.push({ what: http1.label, transport: http1.cell.params.transport, http1, http2 });
  }
  return pairs;
}

/**
 * Connections the server held per client at the window's close (1 for one per client, 1/k when k
 * share one).
 */
export function connectionsPerClient(c: MeasuredCell): number | null {
  const connections = c.metrics.server.connections;
  return connections === null ? null : connections / c.cell.params.clients;
}
