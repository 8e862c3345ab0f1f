import { formatBytes, formatFixed, formatMs } from '../../metrics/units.ts';
import { escapeHtml } from '../page/escape-html.ts';
import { connectionsPerClient, httpPairs, type HttpPair } from '../http-versions.ts';
import type { MeasuredCell, ReportCell } from '../report-cells.ts';

/** What HTTP/2 changes, and what it does not: the models' words beside the measured table. */
const WHAT_CHANGES = [
  'HTTP/2 adds no transit of its own: the latency models are the same, and any difference below is the cost of its framing, flow control and HPACK in the client and server.',
  'One connection per origin carries every poll, stream and socket: a page\'s SSE streams are no longer capped at 6 per origin (HTTP/1.1\'s browser limit), and k clients can share one connection (scenario h2ClientsPerConnection).',
  'HPACK: a header already sent on a connection costs a byte or so (RFC 7541 appendix C.3), so a repeated poll\'s headers shrink to a few bytes; the first request on a connection pays them in full.',
  'One TCP connection also means TCP head-of-line blocking across its streams: one lost segment holds every stream behind it until it is sent again. Only profiles that drop packets (lossPercent, outage, 3g-lossy, wifi-lossy, handover) show it: see "Lossy networks" where the run has them.',
];

function row(label: string, pick: (c: MeasuredCell) => string, pair: HttpPair): string {
  return `<td>${escapeHtml(label)}</td><td class="n">${escapeHtml(pick(pair.http1))}</td><td class="n">${escapeHtml(pick(pair.http2))}</td>`;
}

const FIGURES: readonly [string, (c: MeasuredCell) => string][] = [
  ['latency p50', (c) => formatMs(c.metrics.latency_us?.p50)],
  ['latency p99', (c) => formatMs(c.metrics.latency_us?.p99)],
  ['bytes per update (both ways)', (c) => formatBytes(c.metrics.wire.bytes_per_update)],
  ['request header bytes: first / later', (c) => (c.metrics.wire.http2 ? `${formatBytes(c.metrics.wire.http2.first_request_header_bytes)} / ${formatBytes(c.metrics.wire.http2.request_header_bytes)}` : 'as sent, every time')],
  ['server CPU ms per 1k updates', (c) => formatFixed(c.metrics.server.cpu_ms_per_1k_updates, 1)],
  ['connections per client', (c) => formatFixed(connectionsPerClient(c), 2)],
];

/**
 * The report's section on HTTP versions: what HTTP/2 changes, then every cell measured over both
 * versions with its figures side by side. Empty when the run has no such pair.
 */
export function httpVersionsSection(cells: readonly ReportCell[]): string {
  const pairs = httpPairs(cells);
  if (pairs.length === 0) return '';
  const body = pairs.flatMap((pair) => FIGURES.map(([label, pick], i) => `<tr>${i === 0 ? `<td rowspan="${FIGURES.length}">${escapeHtml(pair.what)}</td>` : ''}${row(label, pick, pair)}</tr>`));
  return `<h2>HTTP/1.1 and HTTP/2, side by side</h2>
<ul class="notes">${WHAT_CHANGES.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>
<div class="scroll"><table class="http-pairs"><thead><tr><th>cell (HTTP/1.1 label)</th><th>figure</th><th>HTTP/1.1</th><th>HTTP/2</th></tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}
