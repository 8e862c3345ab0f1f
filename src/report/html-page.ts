import { ANCHORS } from './anchors.ts';
import { transportColour, type ChartSpec } from './chart-kit.ts';
import type { ClaimAssessment, Verdict } from './claims/index.ts';
import type { Judgement } from './claims/claim.ts';
import type { LubbersRow } from './lubbers-table.ts';
import { capacityResults, cellFlags, type ReportCell } from './report-cells.ts';
import type { CapacityResult, ConformanceFile, ResultsFile } from '../results/index.ts';

/** Everything the page shows, computed before any HTML is written. */
export interface PageContent {
  readonly runs: readonly ResultsFile[];
  readonly sources: readonly string[];
  readonly cells: readonly ReportCell[];
  readonly claims: readonly ClaimAssessment[];
  readonly charts: readonly ChartSpec[];
  readonly lubbers: readonly LubbersRow[];
  /** Chart.js UMD bundle, inlined so the page needs no network. */
  readonly chartJs: string;
  readonly generatedAt: string;
  /** `feedbench conform` runs shown with the results. */
  readonly conformance: readonly ConformanceFile[];
}

import { escapeHtml } from './escape-html.ts';
import { httpVersionsSection } from './http-versions-section.ts';
import { browserSection } from './browser-section.ts';
import { conformanceSection } from './conformance-section.ts';
const VERDICT_TEXT: Record<Verdict, string> = {
  supported: 'supported',
  'supported-with-condition': 'supported, with a condition',
  'not-supported': 'not supported',
  'not-measured': 'not measured in this run',
};

const badge = (v: Verdict) => `<span class="verdict ${v}">${VERDICT_TEXT[v]}</span>`;
const ms = (us: number | undefined | null) => (us === undefined || us === null ? '–' : (us / 1000).toFixed(us < 10_000 ? 2 : 1));
const num = (x: number | undefined | null, d = 0) => (x === undefined || x === null ? '–' : x.toFixed(d));

function chartBox(spec: ChartSpec, canvasId: string): string {
  // Bar charts grow with their bars; line and scatter charts have a fixed height.
  const barCount = (spec.config as { type?: string; data?: { labels?: unknown[] } }).type === 'bar' ? (spec.config as { data: { labels: unknown[] } }).data.labels.length : 0;
  // A line chart's legend takes a row per three or so datasets, above the plot: leave the plot its 300 px.
  const lines = (spec.config as { data?: { datasets?: unknown[] } }).data?.datasets?.length ?? 0;
  const height = barCount > 0 ? Math.max(180, 80 + barCount * 44) : 300 + 8 * lines;
  return `<figure class="chart"><figcaption><strong>${escapeHtml(spec.title)}</strong><br><span class="what">${escapeHtml(spec.what)}</span></figcaption>
<div class="chart-box" style="height:${height}px"><canvas id="${canvasId}" data-chart="${spec.id}" role="img" aria-label="${escapeHtml(spec.title)}"></canvas></div></figure>`;
}

function runInfo(runs: readonly ResultsFile[], sources: readonly string[]): string {
  const rows = runs.map((r, i) => {
    const m = r.machine;
    const commit = r.tool.commit ? `${r.tool.commit.slice(0, 10)}${r.tool.commit_dirty ? ' (uncommitted changes)' : ''}` : 'unknown';
    const cores = [...new Set(r.cells.map((c) => `server ${c.cores.server?.join(',') ?? 'unpinned'} / driver ${c.cores.driver?.join(',') ?? 'unpinned'}`))].join('; ');
    return `<tr><td>${escapeHtml(r.scenario.name)}${r.complete ? '' : ' <span class="flag">incomplete run</span>'}</td><td>${escapeHtml(m.cpu_model)}, ${m.cores} cores, ${(m.memory_bytes / 2 ** 30).toFixed(0)} GiB</td><td>${escapeHtml(m.node)}, ${escapeHtml(m.os)}</td><td>${escapeHtml(cores)}</td><td>feedbench ${escapeHtml(r.tool.version)}, ${escapeHtml(commit)}</td><td>${escapeHtml(r.created_at)}</td><td class="path">${escapeHtml(sources[i] ?? '')}</td></tr>`;
  });
  return `<div class="scroll"><table class="info"><thead><tr><th>scenario</th><th>machine</th><th>runtime</th><th>cores pinned</th><th>tool</th><th>started</th><th>results file</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const HTTP_NAME = { '1.1': 'HTTP/1.1', '2': 'HTTP/2' } as const;

/** A judgement's reasons, figures and notes. */
function judgementBody(j: Judgement): string {
  const numbers = j.numbers.length > 0 ? `<div class="scroll"><table class="numbers"><tbody>${j.numbers.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="n">${escapeHtml(v)}</td></tr>`).join('')}</tbody></table></div>` : '';
  return `<p class="because">${escapeHtml(j.because)}</p>
${numbers}
${j.notes.length > 0 ? `<ul class="notes">${j.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}`;
}

/** One claim's verdicts: one per HTTP version, side by side, when the run has both. */
function verdicts(claim: ClaimAssessment): string {
  if (claim.byHttp.length < 2) return badge(claim.verdict);
  return claim.byHttp.map((j) => `<span class="http-verdict">${HTTP_NAME[j.http]} ${badge(j.verdict)}</span>`).join(' ');
}

function claimCard(claim: ClaimAssessment, charts: readonly ChartSpec[]): string {
  const judged = claim.byHttp.length < 2
    ? judgementBody(claim)
    : `<div class="versions">${claim.byHttp.map((j) => `<div class="version"><h4>Over ${HTTP_NAME[j.http]} ${badge(j.verdict)}</h4>${judgementBody(j)}</div>`).join('')}</div>`;
  const anchors = claim.anchors.map((key) => {
    const a = ANCHORS[key as keyof typeof ANCHORS] as { source: string; text?: string; latency?: string };
    const text = 'text' in a && a.text ? a.text : key === 'lubbers' ? `871 bytes of headers per poll; 1k/10k/100k clients polling once a second = 6.6/66/665 Mbps vs 0.015/0.153/1.526 Mbps over WebSocket; ${ANCHORS.lubbers.latency}` : '';
    return `<li><em>${escapeHtml(a.source)}</em>: ${escapeHtml(text)}</li>`;
  });
  const evidence = claim.byHttp.every((j) => j.verdict === 'not-measured') ? '' : claim.charts.map((id) => charts.find((c) => c.id === id)).filter((c): c is ChartSpec => !!c).map((c) => chartBox(c, `${claim.id}-${c.id}`)).join('');
  return `<section class="card" id="${claim.id}">
<h3>${claim.id}. ${escapeHtml(claim.title)} ${verdicts(claim)}</h3>
<blockquote>${escapeHtml(claim.articleWords)}</blockquote>
<p class="experiment"><strong>Experiment:</strong> ${escapeHtml(claim.experiment)}</p>
${judged}
${anchors.length > 0 ? `<div class="anchors"><strong>Published figures:</strong><ul>${anchors.join('')}</ul></div>` : ''}
${evidence}
</section>`;
}

function lubbersTable(rows: readonly LubbersRow[]): string {
  const body = rows.map((r) => `<tr class="${r.source === 'measured here' ? 'measured' : 'published'}"><td>${escapeHtml(r.what)}</td><td>${escapeHtml(r.source)}</td><td class="n">${r.bytesPerMessage}</td>${r.mbps.map((x) => `<td class="n">${x < 1 ? x.toFixed(3) : x.toFixed(1)}</td>`).join('')}</tr>`);
  return `<table class="lubbers"><thead><tr><th>message</th><th>source</th><th>bytes per message</th><th>1,000 clients (Mbps)</th><th>10,000 clients (Mbps)</th><th>100,000 clients (Mbps)</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function capacityTable(ladders: readonly CapacityResult[]): string {
  const rows = ladders.flatMap((c) =>
    c.steps.map((s, i) => `<tr class="${s.passed ? '' : 'flagged'}">${i === 0 ? `<td rowspan="${c.steps.length}"><span class="swatch" style="background:${transportColour(c.transport)}"></span>${escapeHtml(c.label)}</td><td class="n" rowspan="${c.steps.length}">${c.lower_bound ? '&ge; ' : ''}${c.capacity_clients}${c.interval && !c.lower_bound ? ` <small>(${c.interval[0]}-${c.interval[1]})</small>` : ''}</td>` : ''}<td class="n">${s.clients}${s.bisection ? ' <small>(bisection)</small>' : ''}</td><td class="n">${ms(s.p99_us)}</td><td class="n">${s.lost}</td><td>${s.passed ? 'passed' : `<span class="flag">${escapeHtml(s.reason ?? '')}</span>`}</td></tr>`),
  );
  return `<div class="scroll"><table class="capacity"><thead><tr><th>configuration</th><th>capacity (clients)</th><th>step (clients)</th><th>p99 ms</th><th>lost</th><th>step</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function rawTable(cells: readonly ReportCell[]): string {
  const head = ['cell', 'state / flags', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'published', 'delivered', 'lost', 'dup', 'reord', 'B/update', 'overhead B/update', 'handshake B', 'req/update', 'empty polls', 'set-up p50 ms', 'set-up p99 ms', 'ack p50 ms', 'KiB/client-hour', 'srv CPU ms/1k', 'srv CPU %', 'srv live KiB/conn', 'srv RSS KiB/conn', 'drv CPU %', 'drv loop p99 ms', 'publisher lag p50 ms', 'errors'];
  const rows = cells.map((c) => {
    const m = c.cell.metrics;
    const flags = cellFlags(c);
    const state = `${c.cell.state}${flags.length > 0 ? `<br><span class="flag">${escapeHtml(flags.join('; '))}</span>` : ''}`;
    const swatch = `<span class="swatch" style="background:${transportColour(c.cell.params.transport)}"></span>`;
    if (!m) return `<tr class="flagged"><td>${swatch}${escapeHtml(c.label)}</td><td>${state}</td>${'<td>–</td>'.repeat(head.length - 2)}</tr>`;
    const l = m.latency_us;
    const values = [ms(l?.p50), ms(l?.p90), ms(l?.p99), ms(l?.p99_9), ms(l?.max), num(m.delivery.published), num(m.delivery.delivered), num(m.delivery.lost), num(m.delivery.duplicated), num(m.delivery.reordered),
      num(m.wire.bytes_per_update, 1), num(m.wire.overhead_bytes_per_update, 1), num(m.wire.handshake_bytes), num(m.wire.requests_per_update, 3), m.wire.empty_poll_share === null ? '–' : `${(m.wire.empty_poll_share * 100).toFixed(0)}%`,
      ms(m.connect_us?.p50), ms(m.connect_us?.p99), ms(m.upstream?.ack_latency_us?.p50), m.cost_per_client_hour ? (m.cost_per_client_hour.bytes / 1024).toFixed(1) : '–', num(m.server.cpu_ms_per_1k_updates, 1), m.server.cpu_share === null ? '–' : (m.server.cpu_share * 100).toFixed(1), m.server.live_bytes_per_conn === null ? '–' : (m.server.live_bytes_per_conn / 1024).toFixed(1), m.server.rss_bytes_per_conn === null ? '–' : (m.server.rss_bytes_per_conn / 1024).toFixed(1),
      (m.driver.cpu_share * 100).toFixed(1), num(m.driver.event_loop_p99_ms, 2), ms(m.publisher.lag_us?.p50), num(m.errors.count)];
    return `<tr class="${flags.length > 0 ? 'flagged' : ''}"><td>${swatch}${escapeHtml(c.label)}</td><td>${state}</td>${values.map((v) => `<td class="n">${v}</td>`).join('')}</tr>`;
  });
  return `<div class="scroll"><table class="raw"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const STYLE = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #f6f7f9; }
body { margin: 0 auto; max-width: 1200px; padding: 16px; line-height: 1.45; }
h1 { margin: 0 0 4px; } h2 { margin-top: 32px; border-bottom: 2px solid #d8dde3; padding-bottom: 4px; }
.sub { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; font-size: 13px; background: #fff; }
th, td { border: 1px solid #d8dde3; padding: 4px 6px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
table.raw td:first-child { white-space: nowrap; }
.card { overflow-wrap: anywhere; }
.key > span.k { white-space: nowrap; }
table.info, table.lubbers, table.overview, table.capacity { width: 100%; }
td.path { word-break: break-all; }
.card { background: #fff; border: 1px solid #d8dde3; border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
.card h3 { margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
blockquote { margin: 0 0 8px; padding: 4px 12px; border-left: 4px solid #c9d1d9; color: #444; font-style: italic; }
.because { font-size: 16px; }
.versions { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; } .version h4 { margin: 8px 0 4px; }
.http-verdict { font-size: 13px; font-weight: 400; white-space: nowrap; }
.verdict { font-size: 13px; font-weight: 600; padding: 2px 10px; border-radius: 12px; color: #fff; white-space: nowrap; }
.verdict.supported { background: #1a7f37; } .verdict.supported-with-condition { background: #bf8700; }
.verdict.not-supported { background: #cf222e; } .verdict.not-measured { background: #6e7781; }
.numbers td:first-child { color: #444; } .notes { color: #444; font-size: 14px; } .anchors { font-size: 14px; color: #333; }
figure.chart { margin: 12px 0; } figcaption .what { color: #57606a; font-size: 14px; }
.chart-box { position: relative; width: 100%; }
.key { display: flex; flex-wrap: wrap; gap: 12px; font-size: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.flag { color: #cf222e; font-weight: 600; } tr.flagged td:first-child { box-shadow: inset 4px 0 #cf222e; }
tr.measured td { font-weight: 600; }
@media (max-width: 640px) { body { padding: 8px; } .because { font-size: 15px; } th, td { padding: 3px 4px; }
  /* A card's figures stack, label over value: two columns would squeeze the labels to a word a line. */
  table.numbers td { display: block; border-bottom: none; } table.numbers td.n { text-align: left; white-space: normal; font-weight: 600; border-top: none; border-bottom: 1px solid #d8dde3; } }
`;

/** The whole report as one self-contained HTML document (Chart.js inlined, no network). */
export function renderPage(content: PageContent): string {
  const ladders = capacityResults(content.cells);
  const inCards = new Set(content.claims.filter((c) => c.verdict !== 'not-measured').flatMap((c) => c.charts));
  const others = content.charts.filter((c) => !inCards.has(c.id));
  const chartData = JSON.stringify(Object.fromEntries(content.charts.map((c) => [c.id, c.config]))).replace(/</g, '\\u003c');
  const transports = [...new Set(content.cells.map((c) => c.cell.params.transport))];
  const flagged = content.cells.filter((c) => cellFlags(c).length > 0);
  const overview = content.claims.map((c) => `<tr><td><a href="#${c.id}">${c.id}</a></td><td>${escapeHtml(c.title)}</td><td>${verdicts(c)}</td><td>${c.byHttp.map((j) => escapeHtml(c.byHttp.length > 1 ? `${HTTP_NAME[j.http]}: ${j.because}` : j.because)).join('<br>')}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>feedbench report: ${escapeHtml(content.runs.map((r) => r.scenario.name).join(', '))}</title>
<style>${STYLE}</style></head>
<body>
<h1>feedbench report</h1>
<p class="sub">Short polling, long polling, Server-Sent Events and WebSocket, measured on one update feed. Generated ${escapeHtml(content.generatedAt)} from the results below; every verdict is computed from these numbers.</p>
${runInfo(content.runs, content.sources)}
<p class="key">${transports.map((t) => `<span class="k"><span class="swatch" style="background:${transportColour(t)}"></span>${escapeHtml(t)}</span>`).join('')}<span><span class="flag">⚠</span> flagged cell (errored, driver saturated, or updates lost): red outline on charts, red mark in tables</span></p>
${flagged.length > 0 ? `<p class="flag">Flagged cells: ${flagged.map((c) => `${escapeHtml(c.label)} (${escapeHtml(cellFlags(c).join('; '))})`).join('; ')}. Claims are judged without them.</p>` : ''}
<h2>The article's claims at a glance</h2>
<div class="scroll"><table class="overview"><thead><tr><th>#</th><th>claim</th><th>verdict</th><th>why</th></tr></thead><tbody>${overview}</tbody></table></div>
<h2>Evidence, claim by claim</h2>
${content.claims.map((c) => claimCard(c, content.charts)).join('\n')}
${ladders.length > 0 ? `<h2>Capacity ladders</h2><p>Each configuration's client count stepped up until p99 delivery latency broke its target, updates were lost, or the driver saturated (then the capacity is a lower bound, marked &ge;); then the gap between the last passing and the first failing step was bisected to within 10%, and the capacity lies in the interval shown. Each step is a cell of its own in the tables below.</p>${capacityTable(ladders)}` : ''}
${others.length > 0 ? `<h2>Other measurements</h2>${others.map((c) => chartBox(c, `other-${c.id}`)).join('')}` : ''}
${httpVersionsSection(content.cells)}
${browserSection(content.cells)}
${conformanceSection(content.conformance)}
<h2>Lubbers &amp; Greco (2010), reproduced</h2>
<p>Traffic when every client receives one message a second: by polling (one request and response each) or over WebSocket (one frame each). Mbps in binary megabits (bytes × 8 × clients / 2<sup>20</sup>), TCP/IP headers not counted, as in the original.</p>
<div class="scroll">${lubbersTable(content.lubbers)}</div>
<h2>All figures</h2>
<p>Every cell of the run(s), as measured. Latency from each update's scheduled publish time; bytes both directions while the window was open; CPU and memory of the server process alone.</p>
${rawTable(content.cells)}
<script>${content.chartJs}</script>
<script type="application/json" id="chart-data">${chartData}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  // Log axes label only 1, 2 and 5 of each decade; Chart.js would label every minor tick.
  function decadeLabel(value) {
    var mantissa = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
    return [1, 2, 5].some(function (m) { return Math.abs(mantissa - m) < 1e-6; }) ? String(+value.toPrecision(3)) : '';
  }
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var config = JSON.parse(JSON.stringify(specs[canvas.dataset.chart]));
    Object.values(config.options.scales || {}).forEach(function (scale) {
      if (scale.type === 'logarithmic') scale.ticks = Object.assign({}, scale.ticks, { callback: decadeLabel, autoSkip: false });
    });
    new Chart(canvas, config);
  });
})();
</script>
</body></html>
`;
}
