import type { ClaimAssessment, HttpJudgement, Verdict } from '../claims/index.ts';
import { escapeHtml } from '../page/escape-html.ts';
import { cellFlags, flagsOf, type FlagKind, type ReportCell } from '../report-cells.ts';
import type { TransportCost } from './decision-guide.ts';
import { HTTP_NAME } from '../charts/chart-kit.ts';

const VERDICT_TEXT: Record<Verdict, string> = {
  supported: 'supported',
  'supported-with-condition': 'supported, with a condition',
  'not-supported': 'not supported',
  'not-measured': 'not measured in this run',
};

/** A verdict as a coloured badge. */
export const badge = (v: Verdict, title = '') => `<span class="verdict ${v}"${title ? ` title="${escapeHtml(title)}"` : ''}>${VERDICT_TEXT[v]}</span>`;

/** A claim's verdicts: one per HTTP version, side by side, when the run has both. */
export function verdicts(claim: ClaimAssessment): string {
  if (claim.byHttp.length < 2) return badge(claim.verdict);
  return claim.byHttp.map((j) => `<span class="http-verdict">${HTTP_NAME[j.http]} ${badge(j.verdict)}</span>`).join(' ');
}

/**
 * The verdict table: a row per claim, a column per client kind and HTTP version the run has
 * (feedbench's own clients first); each verdict's reason on hover, the claim's card a click away.
 */
export function verdictTable(claims: readonly ClaimAssessment[]): string {
  const own = claims[0]?.byHttp.map((j) => j.http) ?? [];
  const pages = [...new Set(claims.flatMap((c) => c.byBrowser.map((j) => j.http)))].sort();
  const head = [...own.map((h) => `feedbench clients, ${HTTP_NAME[h]}`), ...pages.map((h) => `Chromium pages, ${HTTP_NAME[h]}`)];
  const cell = (j: HttpJudgement | undefined, why: string) => (j ? `<td>${badge(j.verdict, j.because)}</td>` : `<td class="na" title="${escapeHtml(why)}">not judged</td>`);
  const rows = claims.map((c) => {
    const judged = own.map((h) => cell(c.byHttp.find((j) => j.http === h), 'not measured over this version'));
    const browsers = pages.map((h) => cell(c.byBrowser.find((j) => j.http === h), c.browserJudged === true ? 'no browser cells over this version' : `not judged on browser pages: ${c.browserJudged}`));
    return `<tr><td><a href="#${c.id}">${c.id}</a></td><td><a href="#${c.id}">${escapeHtml(c.title)}</a></td>${judged.join('')}${browsers.join('')}</tr>`;
  });
  const noPages = pages.length === 0 ? '<p class="small">No browser clients in this run: <code>scenarios/browser.json</code> adds Chromium pages, and columns for them here.</p>' : '';
  return `<div class="scroll"><table class="verdicts"><thead><tr><th>#</th><th>claim</th>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${noPages}`;
}

/** A publisher lag p99 over this marks a cell noisy, µs. */
const NOISY_LAG_US = 5_000;

/**
 * What a reader must know of each kind of flagged cell; noisy is the first screen's own (charts do
 * not outline it).
 */
const FLAG_MEANING: [FlagKind | 'noisy', string][] = [
  ['errored', 'did not finish: no figures, judged on nothing'],
  ['driver saturated', 'the load driver, not the server, may have set the latency: left out of every verdict'],
  ['updates lost', 'some clients missed updates in the window'],
  ['noisy', `the publisher ran over ${NOISY_LAG_US / 1000} ms late at p99: something held its CPU (the machine, or the cell's own load), and every latency of the cell carries it`],
  ['not applicable', 'not run against this target, with the reason'],
];

/**
 * The cells under each kind of flag, in the order a reader should see them; kinds no cell has are
 * left out.
 */
function honestyGroups(cells: readonly ReportCell[]): { title: string; cells: ReportCell[]; what: string }[] {
  const noisy = (c: ReportCell) => (c.cell.metrics?.publisher.lag_us?.p99 ?? 0) > NOISY_LAG_US;
  return FLAG_MEANING.map(([kind, what]) => ({
    title: kind,
    cells: cells.filter((c) => (kind === 'noisy' ? noisy(c) : flagsOf(c).some((f) => f.kind === kind))),
    what,
  })).filter((g) => g.cells.length > 0);
}


/** The run's honesty flags, grouped, each cell named with its reason; a clean run says so. */
export function honestyFlags(cells: readonly ReportCell[]): string {
  const groups = honestyGroups(cells);
  if (groups.length === 0) return `<p class="clean">Every one of the ${cells.length} cells finished, lost nothing, and neither driver nor publisher was the limit.</p>`;
  const items = groups.map((g) => `<li><span class="flag">${g.cells.length} ${escapeHtml(g.title)}</span> (${escapeHtml(g.what)}): ${g.cells.map((c) => `<span title="${escapeHtml(cellFlags(c).join('; ') || (c.cell.reason ?? ''))}">${escapeHtml(c.label)}</span>`).join(', ')}</li>`);
  return `<ul class="honesty">${items.join('')}</ul>`;
}

/**
 * The decision guide's form and table; the page script fills the table from `costs` as the inputs
 * change.
 */
export function decisionGuide(costs: readonly TransportCost[]): string {
  if (costs.length === 0) return '<p>The decision guide needs feed cells of feedbench\'s own clients without TLS: none in this run.</p>';
  const versions = [...new Set(costs.map((c) => c.http))];
  const input = (id: string, label: string, value: number, unit: string) => `<label>${label} <input type="number" id="${id}" min="0" step="any" value="${value}"> <span class="unit">${unit}</span></label>`;
  return `<form class="guide" onsubmit="return false">
${input('g-clients', 'clients', 10000, '')}
${input('g-rate', 'updates', 1, 'per second, to each client')}
${input('g-payload', 'update size', Math.round(costs.find((c) => c.updateJsonB !== null)?.updateJsonB ?? 128), 'bytes of JSON per update')}
${input('g-delay', 'accepted delay', 1000, 'ms')}
<label>over <select id="g-http">${versions.map((h) => `<option value="${h}">${HTTP_NAME[h]}</option>`).join('')}</select></label>
</form>
<div class="scroll"><table class="guide"><thead><tr><th>transport</th><th>typical delay (ms)</th><th>worst delay (ms)</th><th>requests per second</th><th>wire traffic (Mbit/s)</th><th>server CPU (cores)</th><th>server processes</th><th>server memory (MiB)</th><th>open connections</th></tr></thead><tbody id="g-rows"></tbody></table></div>
<ul class="small guide-notes" id="g-notes"></ul>
<p class="small">${guideBasis(costs)}</p>`;
}

/** Where the guide's server figures come from, in words: the cost curves, or light-load cells. */
function guideBasis(costs: readonly TransportCost[]): string {
  const curves = costs.filter((c) => c.curve !== null);
  const loads = [...new Set(costs.map((c) => c.load))];
  const latency = 'short polling polls often enough to keep within the accepted delay, so its cost grows as the delay shrinks; long polling makes a request per update; push holds a connection per client and sends each update on it.';
  const fromCurves = curves.length > 0
    ? `Server CPU, processes and the latency of push and long polling come from the cost curves this run measured (${escapeHtml(curves.map((c) => `${c.transport} over ${HTTP_NAME[c.http]}: ${c.curve?.steps.length ?? 0} steps, knee at ${Math.round(c.curve?.kneeEvents ?? 0).toLocaleString('en')}${c.curve?.kneeLowerBound ? '+' : ''} events/s per process`).join('; '))}): the load is split over as many server processes as the knee needs, each process's CPU read between the measured steps. A figure outside the measured range is marked * and said below the table. `
    : 'No cost curve in this run (scenarios/cost-curves.json measures them): server CPU is scaled linearly from light-load cells, which overstates polling at scale (a lightly loaded server spends more per request than a busy one) and knows nothing of the knee. ';
  const rest = curves.length < costs.length && curves.length > 0 ? 'Rows marked "light load" have no curve and are scaled linearly from light-load cells. ' : '';
  return `Computed in the page from this run's figures: ${latency} ${fromCurves}${rest}Bytes and memory per connection come from one load (${escapeHtml(loads.join('; '))}); typical and worst delay of push and long polling are p50 and p99 (a worst delay in red misses the accepted one).`;
}
