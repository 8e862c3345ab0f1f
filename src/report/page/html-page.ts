import { ANCHORS } from '../anchors.ts';
import { HTTP_NAME, transportColour, type ChartSpec } from '../charts/chart-kit.ts';
import type { ClaimAssessment } from '../claims/index.ts';
import type { Judgement } from '../claims/claim.ts';
import type { LubbersRow } from '../sections/lubbers-table.ts';
import { capacityResults, cellFlags, costCurves, type ReportCell } from '../report-cells.ts';
import type { CapacityResult, ConformanceFile, ResultsFile } from '../../results/index.ts';
import type { TransportCost } from '../sections/decision-guide.ts';
import { badge, decisionGuide, honestyFlags, verdicts, verdictTable } from '../sections/first-screen.ts';
import { pageScript } from './page-script.ts';
import { chartBox } from './chart-box.ts';
import { costCurveSection } from '../sections/cost-curve-section.ts';
import { referenceServer } from '../servers.ts';
import { STYLE } from './page-style.ts';

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
  /** Each claim's charts, drawn from the cells its verdicts used, by claim id. */
  readonly claimCharts: ReadonlyMap<string, readonly ChartSpec[]>;
  /** The decision guide's coefficients. */
  readonly guideCosts: readonly TransportCost[];
}

import { escapeHtml } from './escape-html.ts';
import { httpVersionsSection } from '../sections/http-versions-section.ts';
import { serverAgreement, serversSection } from '../sections/servers-section.ts';
import { browserSection } from '../sections/browser-section.ts';
import { conformanceSection } from '../sections/conformance-section.ts';
import { agentsSection } from '../sections/agents-section.ts';
import { lossSection } from '../sections/loss-section.ts';
import { http3Section } from '../sections/http3-section.ts';
const ms = (us: number | undefined | null) => (us === undefined || us === null ? '–' : (us / 1000).toFixed(us < 10_000 ? 2 : 1));
const num = (x: number | undefined | null, d = 0) => (x === undefined || x === null ? '–' : x.toFixed(d));


function runInfo(runs: readonly ResultsFile[], sources: readonly string[]): string {
  const rows = runs.map((r, i) => {
    const m = r.machine;
    const commit = r.tool.commit ? `${r.tool.commit.slice(0, 10)}${r.tool.commit_dirty ? ' (uncommitted changes)' : ''}` : 'unknown';
    const cores = [...new Set(r.cells.map((c) => `server ${c.cores.server?.join(',') ?? 'unpinned'} / driver ${c.cores.driver?.join(',') ?? 'unpinned'}`))].join('; ');
    return `<tr><td>${escapeHtml(r.scenario.name)}${r.complete ? '' : ' <span class="flag">incomplete run</span>'}</td><td>${escapeHtml(m.cpu_model)}, ${m.cores} cores, ${(m.memory_bytes / 2 ** 30).toFixed(0)} GiB</td><td>${escapeHtml(m.node)}, ${escapeHtml(m.os)}</td><td>${escapeHtml(cores)}</td><td>feedbench ${escapeHtml(r.tool.version)}, ${escapeHtml(commit)}</td><td>${escapeHtml(r.created_at)}</td><td class="path">${escapeHtml(sources[i] ?? '')}</td></tr>`;
  });
  return `<div class="scroll"><table class="info"><thead><tr><th>scenario</th><th>machine</th><th>runtime</th><th>cores pinned</th><th>tool</th><th>started</th><th>results file</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}


/** A judgement's reasons, figures and notes. */
function judgementBody(j: Judgement): string {
  const numbers = j.numbers.length > 0 ? `<div class="scroll"><table class="numbers"><tbody>${j.numbers.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="n">${escapeHtml(v)}</td></tr>`).join('')}</tbody></table></div>` : '';
  return `<p class="because">${escapeHtml(j.because)}</p>
${numbers}
${j.notes.length > 0 ? `<ul class="notes">${j.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}`;
}


/** On a run of several servers: the claim's verdict on each, and whether it holds on all. */
function serverLine(claim: ClaimAssessment): string {
  if (claim.byServer.length < 2) return '';
  const each = claim.byServer.map((j) => `${escapeHtml(j.server)} ${badge(j.verdict)}`).join(' · ');
  return `<p class="servers"><strong>On each server</strong> (over ${HTTP_NAME[claim.byHttp[0]?.http ?? '1.1']}, <a href="#servers">side by side</a>): ${each}. Verdict: ${escapeHtml(serverAgreement(claim))}.</p>`;
}

/** Where the run has lossy networks: the claim judged on each alone, and whether that changed it. */
function lossLine(claim: ClaimAssessment): string {
  if (claim.underLoss.length === 0) return '';
  const each = claim.underLoss.map((j) => {
    const without = claim.byHttp.find((h) => h.http === j.http);
    const changed = without !== undefined && without.verdict !== j.verdict;
    // Notes the judgement without loss did not have (a tail that loss stretched, say).
    const fresh = j.notes.filter((n) => !(without?.notes ?? []).includes(n)).map((n) => ` ${escapeHtml(n)}`).join('');
    return `<li>${escapeHtml(j.network)}, ${HTTP_NAME[j.http]}: ${badge(j.verdict)} ${changed ? '<strong>changed under loss</strong>' : 'as without loss'}. ${escapeHtml(j.because)}${fresh}</li>`;
  });
  return `<div class="under-loss"><strong>Under loss</strong> (the claim judged on each lossy network's cells alone, <a href="#loss">lossy networks</a>):<ul>${each.join('')}</ul></div>`;
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
  const evidence = charts.map((c) => chartBox(c, `${claim.id}-${c.id}`)).join('');
  const drawn = charts.length > 0 ? 'The charts draw only the cells the verdicts used; ' : '';
  return `<section class="card" id="${claim.id}">
<h3>${claim.id}. ${escapeHtml(claim.title)} ${verdicts(claim)}</h3>
<blockquote>${escapeHtml(claim.articleWords)}</blockquote>
<p class="experiment"><strong>Experiment:</strong> ${escapeHtml(claim.experiment)}</p>
${judged}
${serverLine(claim)}
${lossLine(claim)}
${anchors.length > 0 ? `<div class="anchors"><strong>Published figures:</strong><ul>${anchors.join('')}</ul></div>` : ''}
${evidence}
<p class="full">${drawn}every cell is in <a href="#all-figures">the full table</a>, and on <a href="#all-charts">every chart over all cells</a>.</p>
</section>`;
}

function lubbersTable(rows: readonly LubbersRow[]): string {
  const body = rows.map((r) => `<tr class="${r.source === 'measured here' ? 'measured' : 'published'}"><td>${escapeHtml(r.what)}</td><td>${escapeHtml(r.source)}</td><td class="n">${r.bytesPerMessage}</td>${r.mbps.map((x) => `<td class="n">${x < 1 ? x.toFixed(3) : x.toFixed(1)}</td>`).join('')}<td class="n">${r.processes ? r.processes.map((n) => n.toLocaleString('en')).join(' / ') : '–'}</td></tr>`);
  return `<table class="lubbers"><thead><tr><th>message</th><th>source</th><th>bytes per message</th><th>1,000 clients (Mbps)</th><th>10,000 clients (Mbps)</th><th>100,000 clients (Mbps)</th><th>server processes at 1k / 10k / 100k (cost curve's knee)</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function capacityTable(ladders: readonly CapacityResult[]): string {
  const rows = ladders.flatMap((c) =>
    c.steps.map((s, i) => `<tr class="${s.passed ? '' : 'flagged'}">${i === 0 ? `<td rowspan="${c.steps.length}"><span class="swatch" style="background:${transportColour(c.transport)}"></span>${escapeHtml(c.label)}</td><td class="n" rowspan="${c.steps.length}">${c.lower_bound ? '&ge; ' : ''}${c.capacity_clients}${c.interval && !c.lower_bound ? ` <small>(${c.interval[0]}-${c.interval[1]})</small>` : ''}</td>` : ''}<td class="n">${s.clients}${s.bisection ? ' <small>(bisection)</small>' : ''}</td><td class="n">${ms(s.p99_us)}</td><td class="n">${s.lost}</td><td>${s.passed ? 'passed' : `<span class="flag">${escapeHtml(s.reason ?? '')}</span>`}</td></tr>`),
  );
  return `<div class="scroll"><table class="capacity"><thead><tr><th>configuration</th><th>capacity (clients)</th><th>step (clients)</th><th>p99 ms</th><th>lost</th><th>step</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function rawTable(cells: readonly ReportCell[]): string {
  const head = ['cell', 'state / flags', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'published', 'delivered', 'late', 'lost', 'dup', 'reord', 'B/update', 'overhead B/update', 'handshake B', 'req/update', 'empty polls', 'set-up p50 ms', 'set-up p99 ms', 'ack p50 ms', 'KiB/client-hour', 'srv CPU ms/1k', 'srv CPU %', 'srv live KiB/conn', 'srv RSS KiB/conn', 'drv CPU %', 'drv loop p99 ms', 'publisher lag p50 ms', 'errors'];
  const rows = cells.map((c) => {
    const m = c.cell.metrics;
    const flags = cellFlags(c);
    const state = `${c.cell.state}${flags.length > 0 ? `<br><span class="flag">${escapeHtml(flags.join('; '))}</span>` : ''}`;
    const swatch = `<span class="swatch" style="background:${transportColour(c.cell.params.transport)}"></span>`;
    if (!m) return `<tr class="flagged"><td>${swatch}${escapeHtml(c.label)}</td><td>${state}</td>${'<td>–</td>'.repeat(head.length - 2)}</tr>`;
    const l = m.latency_us;
    const values = [ms(l?.p50), ms(l?.p90), ms(l?.p99), ms(l?.p99_9), ms(l?.max), num(m.delivery.published), num(m.delivery.delivered), num(m.delivery.late), num(m.delivery.lost), num(m.delivery.duplicated), num(m.delivery.reordered),
      num(m.wire.bytes_per_update, 1), num(m.wire.overhead_bytes_per_update, 1), num(m.wire.handshake_bytes), num(m.wire.requests_per_update, 3), m.wire.empty_poll_share === null ? '–' : `${(m.wire.empty_poll_share * 100).toFixed(0)}%`,
      ms(m.connect_us?.p50), ms(m.connect_us?.p99), ms(m.upstream?.ack_latency_us?.p50), m.cost_per_client_hour ? (m.cost_per_client_hour.bytes / 1024).toFixed(1) : '–', num(m.server.cpu_ms_per_1k_updates, 1), m.server.cpu_share === null ? '–' : (m.server.cpu_share * 100).toFixed(1), m.server.live_bytes_per_conn === null ? '–' : (m.server.live_bytes_per_conn / 1024).toFixed(1), m.server.rss_bytes_per_conn === null ? '–' : (m.server.rss_bytes_per_conn / 1024).toFixed(1),
      (m.driver.cpu_share * 100).toFixed(1), num(m.driver.event_loop_p99_ms, 2), ms(m.publisher.lag_us?.p50), num(m.errors.count)];
    return `<tr class="${flags.length > 0 ? 'flagged' : ''}"><td>${swatch}${escapeHtml(c.label)}</td><td>${state}</td>${values.map((v) => `<td class="n">${v}</td>`).join('')}</tr>`;
  });
  return `<div class="scroll"><table class="raw"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}


/** The first screen: the verdict table, the decision guide and the run's honesty flags. */
function firstScreen(content: PageContent): string {
  return `<h2>The answer</h2>
<p>Each claim of the article, judged from this run's measurements: hover a verdict for its reason, click a claim for its evidence.</p>
${verdictTable(content.claims)}
<h3>Which transport for your case?</h3>
${decisionGuide(content.guideCosts)}
<h3>Before you trust a number</h3>
${honestyFlags(content.cells)}`;
}

/** The whole report as one self-contained HTML document (Chart.js inlined, no network). */
export function renderPage(content: PageContent): string {
  const ladders = capacityResults(content.cells);
  const chartData: Record<string, object> = Object.fromEntries(content.charts.map((c) => [`all-${c.id}`, c.config]));
  for (const [claim, charts] of content.claimCharts) for (const c of charts) chartData[`${claim}-${c.id}`] = c.config;
  const curves = costCurveSection(costCurves(content.cells), referenceServer(content.cells));
  for (const c of curves.charts) chartData[c.canvasId] = c.config;
  const loss = lossSection(content.cells);
  for (const c of loss.charts) chartData[c.canvasId] = c.config;
  const transports = [...new Set(content.cells.map((c) => c.cell.params.transport))];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>feedbench report: ${escapeHtml(content.runs.map((r) => r.scenario.name).join(', '))}</title>
<style>${STYLE}</style></head>
<body>
<h1>feedbench report</h1>
<p class="sub">Short polling, long polling, Server-Sent Events and WebSocket, measured on one update feed. Generated ${escapeHtml(content.generatedAt)} from the results listed at the end; every verdict and figure is computed from them.</p>
${firstScreen(content)}
<p class="key">${transports.map((t) => `<span class="k"><span class="swatch" style="background:${transportColour(t)}"></span>${escapeHtml(t)}</span>`).join('')}<span>solid line: HTTP/1.1, dashed: HTTP/2; circle: feedbench's clients, triangle: browser pages</span><span><span class="flag">⚠</span> flagged cell: red outline on charts, red mark in tables</span></p>
<h2>Evidence, claim by claim</h2>
${content.claims.map((c) => claimCard(c, content.claimCharts.get(c.id) ?? [])).join('\n')}
${ladders.length > 0 ? `<h2>Capacity ladders</h2><p>Each configuration's client count stepped up until p99 delivery latency broke its target, updates were lost, or the driver saturated (then the capacity is a lower bound, marked &ge;); then the gap between the last passing and the first failing step was bisected to within 10%, and the capacity lies in the interval shown. Each step is a cell of its own in the tables below.</p>${capacityTable(ladders)}` : ''}
${curves.html}
${serversSection(content.cells, content.claims)}
${httpVersionsSection(content.cells)}
${http3Section(content.cells)}
${loss.html}
${browserSection(content.cells)}
${conformanceSection(content.conformance)}
${agentsSection(content.runs)}
<h2>Lubbers &amp; Greco (2010), reproduced</h2>
<p>Traffic when every client receives one message a second: by polling (one request and response each) or over WebSocket (one frame each). Mbps in binary megabits (bytes × 8 × clients / 2<sup>20</sup>), TCP/IP headers not counted, as in the original.</p>
<div class="scroll">${lubbersTable(content.lubbers)}</div>
<h2 id="all-charts">Every chart over all cells</h2>
<details><summary>Show the ${content.charts.length} charts, each over every cell of the run (the claim cards above draw only the cells their verdicts used)</summary>
${content.charts.map((c) => chartBox(c, `all-${c.id}`)).join('')}
</details>
<h2 id="all-figures">All figures</h2>
<p>Every cell of the run(s), as measured. Latency from each update's scheduled publish time; bytes both directions while the window was open; CPU and memory of the server process alone.</p>
${rawTable(content.cells)}
<h2>Runs</h2>
${runInfo(content.runs, content.sources)}
<script>${content.chartJs}</script>
${pageScript(chartData, content.guideCosts)}
</body></html>
`;
}
