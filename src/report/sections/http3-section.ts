import { formatBytes, formatFixed, formatMs } from '../../metrics/units.ts';
import { escapeHtml } from '../page/escape-html.ts';
import { figureRows } from '../page/figure-rows.ts';
import { http3Pairs } from '../http-versions.ts';
import type { MeasuredCell, ReportCell } from '../report-cells.ts';

/** What the HTTP/3 cells are, in words. */
const NOTES = [
  'HTTP/3 runs over QUIC (UDP), which Node 20 lacks: its clients are Chromium\'s pages, and they reach feedbench\'s server through caddy, which speaks HTTP/1.1, 2 and 3 to the pages and HTTP/1.1 to the server. The HTTP/2 pages here go through the same caddy, so only the protocol differs.',
  'Each page\'s protocol is checked (the navigation\'s nextHopProtocol); a page of an HTTP/3 cell that did not get h3 is counted as not connected.',
  'Bytes are Chromium\'s own count of what each page received; the server\'s sockets see caddy\'s HTTP/1.1 requests. Server CPU is the feed server\'s alone, without caddy\'s.',
  'On a lossy link, QUIC recovers each stream on its own, where one lost TCP segment holds back every stream of an HTTP/2 connection; one page has one stream or poll at a time, so the difference shows in how each protocol recovers a loss, not in head-of-line blocking across streams.',
];

const FIGURES: readonly [string, (c: MeasuredCell) => string][] = [
  ['protocol the pages got', (c) => Object.entries(c.metrics.next_hop_protocols ?? {}).map(([p, n]) => `${p} ×${n}`).join(', ') || '-'],
  ['latency p50 / p99 / max', (c) => `${formatMs(c.metrics.latency_us?.p50)} / ${formatMs(c.metrics.latency_us?.p99)} / ${formatMs(c.metrics.latency_us?.max)}`],
  ['stalls per client-minute; longest', (c) => `${formatFixed(c.metrics.stalls?.per_client_minute, 2)}; ${formatMs((c.metrics.stalls?.longest_ms ?? 0) * 1000)}`],
  ['bytes the page received per update', (c) => formatBytes(c.metrics.wire.browser_counted?.received_bytes_per_update)],
  ['delivered / due; errors', (c) => `${c.metrics.delivery.delivered} / ${c.metrics.delivery.published}; ${c.metrics.errors.count}`],
];

/**
 * The report's section on HTTP/3: browser cells measured over HTTP/2 and HTTP/3 through caddy,
 * side by side. Empty when the run has no such pair.
 */
export function http3Section(cells: readonly ReportCell[]): string {
  const pairs = http3Pairs(cells);
  if (pairs.length === 0) return '';
  const body = pairs.flatMap((pair) => figureRows(pair.what, FIGURES, (pick) => `<td class="n">${escapeHtml(pick(pair.http2))}</td><td class="n">${escapeHtml(pick(pair.http3))}</td>`));
  return `<section id="http3"><h2>HTTP/2 and HTTP/3 pages, through caddy</h2>
<ul class="notes">${NOTES.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>
<div class="scroll"><table class="http3-pairs"><thead><tr><th>cell (HTTP/2 label)</th><th>figure</th><th>HTTP/2</th><th>HTTP/3</th></tr></thead><tbody>${body.join('')}</tbody></table></div></section>`;
}
