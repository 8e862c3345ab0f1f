import { formatBytes, formatFixed, formatMs } from '../../metrics/units.ts';
import type { CellParams } from '../../results/index.ts';
import { escapeHtml } from '../page/escape-html.ts';
import { labelOf } from '../charts/chart-kit.ts';
import { finished, type MeasuredCell, type ReportCell } from '../report-cells.ts';

/** The parameters a Node cell and a browser cell must share to be compared. */
function crossKey(p: CellParams): string {
  const { client_kind: _k, browser_tabs: _t, header_profile: _h, repetition: _r, page_origin: page, ...rest } = p;
  // A Node cell has no page (null); a browser page of the feed's own origin is its counterpart.
  return JSON.stringify({ ...rest, page_origin: page ?? 'same' });
}

/**
 * Browser cells each beside the Node cell of the same load (browser tabs: one per browser). A
 * browser cell whose driver was the limit is kept, flagged: that the browser is the limit is part
 * of what a cross-check shows.
 */
export function crossChecks(cells: readonly ReportCell[]): { node: MeasuredCell; browser: MeasuredCell }[] {
  // Cells whose streams the server cut are the reconnect table's, not a cross-check of steady
  // delivery.
  const measured = finished(cells).filter((c) => (c.cell.params.browser_tabs ?? 1) === 1 && !c.cell.params.sse_drop_every_ms);
  const nodes = new Map(measured.filter((c) => c.cell.params.client_kind === 'node').map((c) => [crossKey(c.cell.params), c]));
  return measured.flatMap((browser) => {
    const node = browser.cell.params.client_kind === 'browser' ? nodes.get(crossKey(browser.cell.params)) : undefined;
    return node ? [{ node, browser }] : [];
  });
}

/** Browser cells whose clients were tabs of one browser: how many of them received updates. */
function tabRows(cells: readonly ReportCell[]): string[] {
  return cells
    .flatMap((c) => (c.cell.state === 'ok' && c.cell.params.client_kind === 'browser' && (c.cell.params.browser_tabs ?? 1) > 1 ? [c.cell] : []))
    .map((cell) => {
      const p = cell.params;
      const receiving = cell.metrics.delivery.receiving_clients;
      return `<tr><td>${escapeHtml(p.transport)}</td><td>HTTP/${p.http}${p.tls ? ' over TLS' : ''}</td><td class="n">${p.clients}</td><td class="n">${receiving ?? '-'}</td><td class="n">${receiving === null ? '-' : p.clients - receiving}</td></tr>`;
    });
}

/**
 * Browser cells that vary the page's origin or the server's check: whether the page's transport got
 * the feed.
 */
function originRows(cells: readonly ReportCell[]): string[] {
  return cells
    .flatMap((c) => (c.cell.state === 'ok' && c.cell.params.client_kind === 'browser' && (c.cell.params.page_origin === 'other' || c.cell.params.origin_check) ? [c.cell] : []))
    .map((cell) => {
      const p = cell.params;
      const receiving = cell.metrics.delivery.receiving_clients ?? 0;
      const refusal = cell.metrics.errors.first.find((e) => e.startsWith('refused: '))?.slice('refused: '.length) ?? '';
      const outcome = receiving > 0 ? 'receives the feed' : `refused${refusal ? ` (${refusal})` : ''}`;
      return `<tr><td>${escapeHtml(p.transport)}</td><td>${p.page_origin === 'other' ? 'another origin' : 'the feed\'s own'}</td><td>${p.origin_check ? 'own origin only' : 'none (every origin)'}</td><td class="${receiving > 0 ? '' : 'flag'}">${escapeHtml(outcome)}</td></tr>`;
    });
}

/** SSE cells whose streams the server ended every so often: how each client kind came back. */
function reconnectRows(cells: readonly ReportCell[]): string[] {
  return finished(cells)
    .filter((c) => c.cell.params.sse_drop_every_ms)
    .map(({ cell }) => {
      const p = cell.params;
      const m = cell.metrics;
      const client = `${p.client_kind === 'browser' ? 'Chromium\'s EventSource' : 'feedbench\'s client (backoff: first wait 0-100 ms)'}${m.driver.saturated ? ' ⚠' : ''}`;
      const retry = p.sse_retry_ms === null ? 'none (browser default)' : `${p.sse_retry_ms} ms`;
      const latency = m.latency_us;
      return `<tr><td>${escapeHtml(client)}</td><td>HTTP/${p.http}</td><td class="n">${p.sse_drop_every_ms} ms</td><td>${escapeHtml(retry)}</td><td class="n">${m.errors.count}</td><td class="n">${m.delivery.delivered}/${m.delivery.published}</td><td class="n">${m.delivery.lost}</td><td class="n">${escapeHtml(formatMs(latency?.p50))}</td><td class="n">${escapeHtml(formatMs(latency?.p99))}</td><td class="n">${escapeHtml(formatMs(latency?.max))}</td></tr>`;
    });
}

/**
 * Browser cells' bytes as Chromium counted them beside what the server's sockets carried, per
 * delivered update.
 */
function devtoolsRows(cells: readonly ReportCell[]): string[] {
  return finished(cells)
    .flatMap((c) => {
      const w = c.metrics.wire;
      const counted = w.browser_counted;
      if (!counted) return [];
      const serverDown = w.updates_received > 0 ? w.bytes_down / w.updates_received : null;
      const serverUp = w.updates_received > 0 ? w.bytes_up / w.updates_received : null;
      const sent = counted.sent_bytes_per_update;
      return `<tr><td>${escapeHtml(labelOf(c))}</td><td class="n">${escapeHtml(formatBytes(serverDown))}</td><td class="n">${escapeHtml(formatBytes(counted.received_bytes_per_update))}</td><td class="n">${change(serverDown, counted.received_bytes_per_update)}</td><td class="n">${escapeHtml(formatBytes(serverUp))}</td><td class="n">${sent === null ? 'not said' : escapeHtml(formatBytes(sent))}</td></tr>`;
    });
}

const change = (a: number | null | undefined, b: number | null | undefined): string => (a && b !== null && b !== undefined ? `${b >= a ? '+' : ''}${Math.round(((b - a) / a) * 100)}%` : '-');

/**
 * The report's section on browser clients: each browser cell beside the Node cell of the same
 * load (latency, bytes and requests per update, and the difference), and, for browsers whose
 * clients were tabs, how many tabs received the feed. Empty without browser cells.
 */
export function browserSection(cells: readonly ReportCell[]): string {
  const pairs = crossChecks(cells);
  const tabs = tabRows(cells);
  const origins = originRows(cells);
  const reconnects = reconnectRows(cells);
  const devtools = devtoolsRows(cells);
  if ([pairs, tabs, origins, reconnects, devtools].every((rows) => rows.length === 0)) return '';
  const figures: [string, (c: MeasuredCell) => number | null | undefined, (x: number | null | undefined) => string][] = [
    ['latency p50', (c) => c.metrics.latency_us?.p50, (x) => formatMs(x)],
    ['latency p99', (c) => c.metrics.latency_us?.p99, (x) => formatMs(x)],
    ['bytes per update', (c) => c.metrics.wire.bytes_per_update, (x) => formatBytes(x)],
    ['requests per update', (c) => c.metrics.wire.requests_per_update, (x) => formatFixed(x, 2)],
  ];
  const rows = pairs.flatMap(({ node, browser }) =>
    figures.map(([label, pick, format], i) => `<tr>${i === 0 ? `<td rowspan="${figures.length}">${escapeHtml(labelOf(node))}${browser.metrics.driver.saturated ? ' (in Chromium: ⚠ the driver\'s core was full)' : ''}</td>` : ''}<td>${label}</td><td class="n">${escapeHtml(format(pick(node)))}</td><td class="n">${escapeHtml(format(pick(browser)))}</td><td class="n">${change(pick(node), pick(browser))}</td></tr>`),
  );
  return `<h2>Browser clients beside Node clients</h2>
<p>Browser clients are pages of headless Chromium using the platform's EventSource, WebSocket and fetch, timed on the page's clock mapped exactly to the server's (same host). Their bytes are counted on the server's sockets; Node clients' on their own. Chromium sends its own headers, and the pages share the driver's core with the browser's processes.</p>
${rows.length > 0 ? `<div class="scroll"><table class="browser-pairs"><thead><tr><th>cell (Node clients' label)</th><th>figure</th><th>Node clients</th><th>in Chromium</th><th>difference</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>` : ''}
${devtools.length > 0 ? `<h3>The browser's own byte count beside the server's</h3><p>Per delivered update: what the server's sockets wrote and read (TCP payload: TLS records included), and what Chromium's DevTools protocol counted (HTTP: <code>encodedDataLength</code>, headers and body as received, without TLS; WebSocket: every frame each way). Chromium does not say what an HTTP request sent. The difference over TLS is TLS's records; in the clear, how each side counts.</p><div class="scroll"><table class="devtools"><thead><tr><th>cell</th><th>server wrote</th><th>Chromium received</th><th>difference</th><th>server read</th><th>Chromium sent</th></tr></thead><tbody>${devtools.join('')}</tbody></table></div>` : ''}
${origins.length > 0 ? `<h3>Origins (claim C7's other side)</h3><p>A page of another origin (another port) reaching the feed: a cross-origin fetch poll or EventSource is blocked by the browser unless the server answers with CORS headers, but a WebSocket is not subject to CORS: it connects unless the server checks Origin itself (scenario originCheck, serve --allowed-origins).</p><div class="scroll"><table class="origins"><thead><tr><th>transport</th><th>page's origin</th><th>server's origin check</th><th>outcome</th></tr></thead><tbody>${origins.join('')}</tbody></table></div>` : ''}
${reconnects.length > 0 ? `<h3>When the server drops streams: EventSource's reconnect against feedbench's</h3><p>The server ends every event stream at once, every so often (a deploy, a proxy's time-out). EventSource reconnects by itself after its reconnection time (Chromium's default 3 s, or the server's <code>retry:</code>) and resumes with <code>Last-Event-ID</code>; feedbench's client waits by its own backoff (ignoring <code>retry:</code>) and resumes the same way. Updates published while a client is away reach it late, not never: the wait shows in the tail.</p><div class="scroll"><table class="reconnects"><thead><tr><th>client</th><th>HTTP</th><th>streams ended every</th><th>retry: sent</th><th>drops seen</th><th>delivered</th><th>lost</th><th>p50</th><th>p99</th><th>max</th></tr></thead><tbody>${reconnects.join('')}</tbody></table></div>` : ''}
${tabs.length > 0 ? `<h3>Tabs of one browser: the connection limit</h3><p>Each client a tab of one browser opening the stream to one origin. Over HTTP/1.1 Chromium holds at most 6 connections per origin, so later tabs wait (here, they could not even load); over HTTP/2 every tab's stream shares one connection.</p><div class="scroll"><table class="tabs"><thead><tr><th>transport</th><th>HTTP</th><th>tabs</th><th>tabs receiving</th><th>tabs held back</th></tr></thead><tbody>${tabs.join('')}</tbody></table></div>` : ''}`;
}
