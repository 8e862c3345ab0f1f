import { formatBytes, formatFixed, formatMs } from '../../metrics/units.ts';
import type { ServerName } from '../../results/index.ts';
import type { ClaimAssessment } from '../claims/index.ts';
import { badge } from './first-screen.ts';
import { escapeHtml } from '../page/escape-html.ts';
import { figureRows } from '../page/figure-rows.ts';
import { cellFlags, type ReportCell } from '../report-cells.ts';
import { referenceServer, serverRows, serversOf, type ServerRow } from '../servers.ts';
import { costCurves } from '../report-cells.ts';
import { HTTP_NAME } from '../charts/chart-kit.ts';
import type { CostCurve } from '../../results/index.ts';

/** What each server is, in a sentence. */
const WHAT_IT_IS: Record<ServerName, string> = {
  feedbench: "feedbench's own server, on Express 5",
  'node-http': 'the same transport code on bare node:http, without a framework',
  nchan: 'nginx with the nchan module (C), its four subscriber forms on the same paths, published to by POST',
  'socket.io': 'a Socket.IO 4 server on node:http: Engine.IO long polling and WebSocket, each update one update event',
};

const kib = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '-' : `${(bytes / 1024).toFixed(1)} KiB`);

/** The figures compared, each read from a measured cell. */
const FIGURES: readonly [string, (c: ReportCell) => string][] = [
  ['latency p50 / p99', (c) => (c.cell.state === 'ok' ? `${formatMs(c.cell.metrics.latency_us?.p50)} / ${formatMs(c.cell.metrics.latency_us?.p99)}` : '')],
  ['bytes per update (both ways)', (c) => (c.cell.state === 'ok' ? formatBytes(c.cell.metrics.wire.bytes_per_update) : '')],
  ['requests per update', (c) => (c.cell.state === 'ok' ? formatFixed(c.cell.metrics.wire.requests_per_update, 2) : '')],
  ['server CPU ms per 1k updates', (c) => (c.cell.state === 'ok' ? formatFixed(c.cell.metrics.server.cpu_ms_per_1k_updates, 1) : '')],
  ['server memory per connection (RSS)', (c) => (c.cell.state === 'ok' ? kib(c.cell.metrics.server.rss_bytes_per_conn) : '')],
  ['updates delivered / due', (c) => (c.cell.state === 'ok' ? `${c.cell.metrics.delivery.delivered} / ${c.cell.metrics.delivery.published}` : '')],
];

/** One server's column of one figure: the figure, or why the cell has none. */
function figureCell(c: ReportCell | undefined, pick: (c: ReportCell) => string, first: boolean): string {
  if (!c) return '<td class="n">not asked</td>';
  if (c.cell.state !== 'ok') return first ? `<td>${escapeHtml(c.cell.state)}${c.cell.reason ? `: ${escapeHtml(c.cell.reason)}` : ''}</td>` : '<td></td>';
  const flagged = first && cellFlags(c).length > 0 ? ` <span class="flag" title="${escapeHtml(cellFlags(c).join('; '))}">⚠</span>` : '';
  return `<td class="n">${escapeHtml(pick(c))}${flagged}</td>`;
}

/** Each claim's verdict on each server, and whether it holds on every server measured. */
function verdictsByServer(claims: readonly ClaimAssessment[], servers: readonly ServerName[]): string {
  const judged = claims.filter((c) => c.byServer.length > 1);
  if (judged.length === 0) return '';
  const rows = judged.map((c) => `<tr><td>${escapeHtml(`${c.id} ${c.title}`)}</td>${servers.map((s) => {
    const j = c.byServer.find((b) => b.server === s);
    return `<td>${j ? badge(j.verdict) : '-'}</td>`;
  }).join('')}<td>${escapeHtml(serverAgreement(c))}</td></tr>`);
  return `<div class="scroll"><table class="server-verdicts"><thead><tr><th>claim</th>${servers.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}<th>on every server?</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * Each transport's knee and marginal CPU on each server that has its cost curve: a row per
 * transport and HTTP version measured on more than one server. Empty when there is none.
 */
export function kneesByServer(curves: readonly CostCurve[], servers: readonly ServerName[]): string {
  const rows = new Map<string, Map<ServerName, CostCurve>>();
  for (const c of curves) {
    const key = `${c.transport}, ${HTTP_NAME[c.http]}`;
    const row = rows.get(key) ?? new Map<ServerName, CostCurve>();
    if (!row.has(c.server)) row.set(c.server, c);
    rows.set(key, row);
  }
  const compared = [...rows].filter(([, row]) => row.size > 1);
  if (compared.length === 0) return '';
  // Short: the most events/s that passed (+ when a lower bound), the reason on hover.
  const knee = (c: CostCurve) => `<span title="${escapeHtml(c.knee.reason)}">${Math.round(c.knee.at_least).toLocaleString('en')}${c.knee.lower_bound ? '+' : ''}</span>`;
  const cell = (c: CostCurve | undefined) => (c ? `<td class="n">${knee(c)}<br><small>${formatFixed(c.marginal_cpu_us_per_event, 1)} µs per ${c.event}</small></td>` : '<td class="n">not measured</td>');
  const body = compared.map(([what, row]) => `<tr><td>${escapeHtml(what)}</td>${servers.map((s) => cell(row.get(s))).join('')}</tr>`);
  return `<h3>Knees by server</h3>
<p>Each server's cost curve to its knee: the most events/s (requests answered for short polling, updates delivered otherwise) a step passed on one server core before p99, the core or delivery gave out; + marks a lower bound (the driver gave out first, or no step failed; the reason shows on hover, and in the cost-curve table). Below it, the marginal server CPU per event under the knee.</p>
<div class="scroll"><table class="server-knees"><thead><tr><th>transport</th>${servers.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

/**
 * Whether a claim's verdict is the same on every server that measured it, in words; the servers
 * that did not measure it are named apart, since they neither confirm nor contradict it.
 */
export function serverAgreement(claim: Pick<ClaimAssessment, 'byServer'>): string {
  const measured = claim.byServer.filter((j) => j.verdict !== 'not-measured');
  const unmeasured = claim.byServer.filter((j) => j.verdict === 'not-measured').map((j) => j.server);
  const aside = unmeasured.length > 0 ? ` (not measured on ${unmeasured.join(', ')})` : '';
  const [only, ...others] = measured;
  if (!only) return 'measured on no server';
  if (others.length === 0) return `measured on ${only.server} only${aside}`;
  const verdicts = new Set(measured.map((j) => j.verdict));
  return verdicts.size === 1 ? `the same on ${measured.map((j) => j.server).join(', ')}${aside}` : `depends on the server${aside}`;
}

/** Each cell asked of several servers, its figures side by side. */
function pairsTable(rows: readonly ServerRow[], servers: readonly ServerName[]): string {
  const body = rows.flatMap((row) => figureRows(row.what, FIGURES, (pick, i) => servers.map((s) => figureCell(row.byServer.get(s), pick, i === 0)).join('')));
  return `<div class="scroll"><table class="server-pairs"><thead><tr><th>cell</th><th>figure</th>${servers.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

/**
 * The report's section "The same transports on other servers": each cell the run asked of several
 * servers, with its figures side by side, and each claim's verdict per server. Empty when the run
 * has one server.
 */
export function serversSection(cells: readonly ReportCell[], claims: readonly ClaimAssessment[]): string {
  const rows = serverRows(cells);
  const servers = serversOf(cells);
  const knees = kneesByServer(costCurves(cells), servers);
  if (rows.length === 0 && knees === '') return '';
  return `<h2 id="servers">The same transports on other servers</h2>
<ul class="notes">${servers.map((s) => `<li><b>${escapeHtml(s)}</b>: ${escapeHtml(WHAT_IT_IS[s])}.</li>`).join('')}
<li>The verdicts and the guide above are read on ${escapeHtml(referenceServer(cells))}'s cells; the table below judges each claim on each server's cells alone, with the same judge.</li>
<li>Server CPU and memory are the server process's alone (nginx's for nchan, from /proc; nchan's publisher is the application's and is not counted; Socket.IO's publisher runs in its process, as feedbench's does). Memory per connection needs a fresh server and enough clients to rise above the process's own.</li></ul>
${verdictsByServer(claims, servers)}
${knees}
${rows.length > 0 ? pairsTable(rows, servers) : ''}`;
}
