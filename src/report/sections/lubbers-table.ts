import { ANCHORS } from '../anchors.ts';
import { referenceCostCurves } from '../servers.ts';
import { ofTransport, type ReportCell } from '../report-cells.ts';
import type { CostCurve } from '../../results/index.ts';

/** One row of the reproduced Lubbers & Greco table: bytes per message and the traffic it makes. */
export interface LubbersRow {
  readonly what: string;
  readonly bytesPerMessage: number;
  /**
   * Binary megabits per second (bytes x 8 x clients / 2^20), at one message per client per second.
   */
  readonly mbps: readonly number[];
  readonly source: 'measured here' | 'Lubbers & Greco 2010';
  /**
   * Server processes the clients need at one message each per second, by the transport's cost
   * curve's knee (events/s one process passed at), per client count; null without a curve.
   */
  readonly processes: readonly number[] | null;
}

/** Processes for 1k / 10k / 100k clients at one event each per second, from a curve's knee. */
function processesFor(curves: readonly CostCurve[], transport: string, http: '1.1' | '2'): number[] | null {
  const knee = curves.find((c) => c.transport === transport && c.http === http)?.knee.at_least;
  return knee ? ANCHORS.lubbers.clients.map((n) => Math.ceil(n / knee)) : null;
}

/** Binary megabits per second for `clients` each sending `bytes` once a second (Lubbers' unit). */
export function binaryMbps(bytes: number, clients: number): number {
  return (bytes * 8 * clients) / 2 ** 20;
}

/**
 * Bytes per poll (request and response, the updates' JSON excluded) of plain short-polling cells,
 * or null when none.
 */
function bytesPerPoll(cells: readonly ReportCell[], http: '1.1' | '2', profile: 'minimal' | 'browser'): number | null {
  const polls = ofTransport(cells, 'short-poll', (c) => c.cell.params.header_profile === profile && c.cell.params.keep_alive !== false && c.cell.params.http === http && !c.cell.params.tls);
  const perRequest = polls
    .map(({ metrics: { wire } }) => (wire.requests > 0 ? (wire.bytes_down + wire.bytes_up - (wire.payload_bytes_per_update ?? 0) * wire.updates_received) / wire.requests : null))
    .filter((x): x is number => x !== null);
  return perRequest.length === 0 ? null : Math.round(perRequest.reduce((a, b) => a + b, 0) / perRequest.length);
}

/** The measured WebSocket overhead per update over one HTTP version: its row, or null. */
function webSocketRow(cells: readonly ReportCell[], http: '1.1' | '2', curves: readonly CostCurve[]): LubbersRow | null {
  const ws = ofTransport(cells, 'websocket', (c) => !c.cell.params.ws_compression && c.cell.params.http === http && !c.cell.params.tls);
  const first = ws[0];
  if (first === undefined) return null;
  const overhead = ws.map((c) => c.metrics.wire.overhead_bytes_per_update ?? 0);
  const bytes = Math.round((overhead.reduce((a, b) => a + b, 0) / overhead.length) * 10) / 10;
  const payload = Math.round(first.metrics.wire.payload_bytes_per_update ?? 0);
  const framing = http === '2' ? ' + HTTP/2 DATA frame header (9 B)' : '';
  return { what: `WebSocket frame header${framing} (per update of ${payload} B: over 125 B takes the 4-byte header)`, bytesPerMessage: bytes, mbps: ANCHORS.lubbers.clients.map((n) => binaryMbps(bytes, n)), source: 'measured here', processes: processesFor(curves, 'websocket', http) };
}

/**
 * Lubbers & Greco's table with this run's figures beside the 2010 ones: bytes per poll (headers
 * and poll-body envelope, measured as short polling's overhead per request, per header profile
 * and HTTP version: over HTTP/2 with HPACK's table warm) and bytes per WebSocket frame header
 * (overhead per update), at 1k / 10k / 100k clients; and, where the run measured the transport's
 * cost curve, the server processes those clients need at one message a second, by its knee.
 */
export function lubbersRows(cells: readonly ReportCell[]): LubbersRow[] {
  const rows: LubbersRow[] = [];
  const curves = referenceCostCurves(cells);
  const { clients } = ANCHORS.lubbers;
  for (const http of ['1.1', '2'] as const) {
    for (const profile of ['minimal', 'browser'] as const) {
      const bytes = bytesPerPoll(cells, http, profile);
      if (bytes === null) continue;
      const version = http === '2' ? 'HTTP/2 (h2c, HPACK table warm)' : 'HTTP/1.1';
      rows.push({ what: `poll over ${version}, ${profile} headers (request + response, updates' JSON excluded)`, bytesPerMessage: bytes, mbps: clients.map((n) => binaryMbps(bytes, n)), source: 'measured here', processes: processesFor(curves, 'short-poll', http) });
    }
  }
  rows.push({ what: 'poll, 2010 browser (headers only)', bytesPerMessage: ANCHORS.lubbers.headerBytesPerPoll, mbps: ANCHORS.lubbers.pollingMbps, source: 'Lubbers & Greco 2010', processes: null });
  for (const http of ['1.1', '2'] as const) {
    const row = webSocketRow(cells, http, curves);
    if (row) rows.push(row);
  }
  rows.push({ what: 'WebSocket frame header', bytesPerMessage: ANCHORS.lubbers.wsFrameBytes, mbps: ANCHORS.lubbers.wsMbps, source: 'Lubbers & Greco 2010', processes: null });
  return rows;
}
