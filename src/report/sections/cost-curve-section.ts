import type { CostCurve, ServerName } from '../../results/index.ts';
import { curveCharts } from '../charts/curve-charts.ts';
import { HTTP_NAME, transportColour } from '../charts/chart-kit.ts';
import { chartBox } from '../page/chart-box.ts';
import { escapeHtml } from '../page/escape-html.ts';

const fmt = (x: number | null, digits = 0) => (x === null ? '–' : x.toLocaleString('en', { maximumFractionDigits: digits }));

/** The knee in words (HTML): its interval after bisection, or the lower bound and why. */
function kneeText(c: CostCurve): string {
  const k = c.knee;
  if (k.interval && !k.lower_bound) return `${fmt(k.interval[0])}–${fmt(k.interval[1])}`;
  return `&ge; ${fmt(k.at_least)} <small>(${escapeHtml(k.reason)})</small>`;
}

/** The table of fitted costs: a row per transport, HTTP version and, with several, server. */
function curveTable(curves: readonly CostCurve[]): string {
  const servers = new Set(curves.map((c) => c.server)).size > 1;
  const rows = curves.map((c) => `<tr><td><span class="swatch" style="background:${transportColour(c.transport)}"></span>${escapeHtml(c.transport)}</td><td>${HTTP_NAME[c.http]}</td>${servers ? `<td>${escapeHtml(c.server)}</td>` : ''}<td class="n">${fmt(c.fixed_cpu_ms_per_sec, 1)}</td><td class="n">${fmt(c.marginal_cpu_us_per_event, 1)} <small>per ${c.event}</small></td><td class="n">${c.memory_per_conn_bytes === null ? '–' : (c.memory_per_conn_bytes / 1024).toFixed(1)}</td><td class="n">${kneeText(c)}</td><td class="n">${c.fit ? c.fit.r2.toFixed(3) : '–'}</td><td class="n">${c.fit ? `${(c.fit.worst_error * 100).toFixed(0)}%` : '–'}</td><td class="n">${c.steps.length}</td></tr>`);
  return `<div class="scroll"><table class="capacity"><thead><tr><th>transport</th><th>HTTP</th>${servers ? '<th>server</th>' : ''}<th>fixed CPU (ms/s per process)</th><th>marginal CPU (µs)</th><th>live heap per connection (KiB)</th><th>knee (events/s per core)</th><th>R²</th><th>worst step off the line</th><th>steps</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * The cost-curve section: what it measured, the fitted costs and knees (every server's), and the
 * two charts of the reference server's curves (their configs returned for the page script under
 * their canvas ids), since one colour per transport cannot tell servers apart. Empty without
 * curves.
 */
export function costCurveSection(curves: readonly CostCurve[], reference: ServerName): { html: string; charts: { canvasId: string; config: object }[] } {
  if (curves.length === 0) return { html: '', charts: [] };
  const charted = curves.filter((c) => c.server === reference);
  const charts = curveCharts(charted);
  const servers = new Set(curves.map((c) => c.server)).size > 1 ? `<p>The charts draw ${escapeHtml(reference)}'s curves; the table has every server's, and "The same transports on other servers" sets their knees side by side.</p>` : '';
  const html = `<h2 id="cost-curves">Cost curves, to the knee</h2>
<p>Each transport's load stepped up on one server process, kept warm between steps (its first step settled first), until the knee: p99 over ${escapeHtml([...new Set(curves.map((c) => `${c.p99_target_ms} ms`))].join(' / '))} (short polling: beyond its poll interval), the server's core over ${[...new Set(curves.map((c) => `${c.busy_share * 100}%`))].join(' / ')} busy, or an update lost; then bisected to within 10%. A knee marked &ge; is a lower bound: the driver gave out first, or no step failed. The line CPU = fixed + marginal &times; events is fitted to the steps below the knee; R² and the worst step say how well a straight line describes the curve (Node servers batch more per wake-up as load grows, so their curves bend: the decision guide reads between the measured steps, not off the line).</p>
${curveTable(curves)}
${servers}
${charts.map((c) => chartBox(c, `curves-${c.id}`)).join('')}`;
  return { html, charts: charts.map((c) => ({ canvasId: `curves-${c.id}`, config: c.config })) };
}
