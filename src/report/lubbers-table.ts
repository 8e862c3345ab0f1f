import { ANCHORS } from './anchors.ts';
import { ofTransport, type ReportCell } from './report-cells.ts';

/** One row of the reproduced Lubbers & Greco table: bytes per message and the traffic it makes. */
export interface LubbersRow {
  readonly what: string;
  readonly bytesPerMessage: number;
  /** Binary megabits per second (bytes x 8 x clients / 2^20), at one message per client per second. */
  readonly mbps: readonly number[];
  readonly source: 'measured here' | 'Lubbers & Greco 2010';
}

/** Binary megabits per second for `clients` each sending `bytes` once a second (Lubbers' unit). */
export function binaryMbps(bytes: number, clients: number): number {
  return (bytes * 8 * clients) / 2 ** 20;
}

/**
 * Lubbers & Greco's table with this run's figures beside the 2010 ones: bytes per poll (headers
 * and poll-body envelope, measured as short polling's overhead per request, per header profile)
 * and bytes per WebSocket frame header (overhead per update), at 1k / 10k / 100k clients.
 */
export function lubbersRows(cells: readonly ReportCell[]): LubbersRow[] {
  const rows: LubbersRow[] = [];
  const { clients } = ANCHORS.lubbers;
  for (const profile of ['minimal', 'browser'] as const) {
    const polls = ofTransport(cells, 'short-poll', (c) => c.cell.params.header_profile === profile && c.cell.params.keep_alive !== false);
    const perRequest = polls
      .map((c) => (c.metrics.wire.requests > 0 ? (c.metrics.wire.bytes_down + c.metrics.wire.bytes_up - (c.metrics.wire.payload_bytes_per_update ?? 0) * c.metrics.wire.updates_received) / c.metrics.wire.requests : null))
      .filter((x): x is number => x !== null);
    if (perRequest.length === 0) continue;
    const bytes = Math.round(perRequest.reduce((a, b) => a + b, 0) / perRequest.length);
    rows.push({ what: `poll, ${profile} headers (request + response, updates' JSON excluded)`, bytesPerMessage: bytes, mbps: clients.map((n) => binaryMbps(bytes, n)), source: 'measured here' });
  }
  rows.push({ what: 'poll, 2010 browser (headers only)', bytesPerMessage: ANCHORS.lubbers.headerBytesPerPoll, mbps: ANCHORS.lubbers.pollingMbps, source: 'Lubbers & Greco 2010' });
  const ws = ofTransport(cells, 'websocket', (c) => !c.cell.params.ws_compression);
  if (ws.length > 0) {
    const overhead = ws.map((c) => c.metrics.wire.overhead_bytes_per_update ?? 0);
    const bytes = Math.round((overhead.reduce((a, b) => a + b, 0) / overhead.length) * 10) / 10;
    const payload = Math.round(ws[0]!.metrics.wire.payload_bytes_per_update ?? 0);
    rows.push({ what: `WebSocket frame header (per update of ${payload} B: over 125 B takes the 4-byte header)`, bytesPerMessage: bytes, mbps: clients.map((n) => binaryMbps(bytes, n)), source: 'measured here' });
  }
  rows.push({ what: 'WebSocket frame header', bytesPerMessage: ANCHORS.lubbers.wsFrameBytes, mbps: ANCHORS.lubbers.wsMbps, source: 'Lubbers & Greco 2010' });
  return rows;
}
