import type { TransportCost } from '../sections/decision-guide.ts';
import { curveCost, guideRows } from '../sections/guide-rows.ts';
import { hdrTickLabel } from '../charts/hdr-plot.ts';

/** JSON for a <script> element: `<` escaped so no data can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The page's own script: draws every chart (the colours of a dark scheme when the reader's is
 * dark, sharp when printed, log axes labelled 1-2-5, the HDR plot's axis as percentiles) and
 * runs the decision guide. The guide's and the HDR axis's functions are the TypeScript ones,
 * inlined from their source, so the page computes exactly what the tests check.
 */
export function pageScript(charts: Record<string, object>, costs: readonly TransportCost[]): string {
  return `<script type="application/json" id="chart-data">${scriptJson(charts)}</script>
<script type="application/json" id="guide-costs">${scriptJson(costs)}</script>
<script>
(function () {
  // Names a bundler may keep on functions (keepNames) need a definition in the page.
  var __name = function (f) { return f; };
  var hdrTickLabel = ${hdrTickLabel.toString()};
  var curveCost = ${curveCost.toString()};
  var guideRows = ${guideRows.toString()};
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  // Log axes label only 1, 2 and 5 of each decade; Chart.js would label every minor tick.
  function decadeLabel(value) {
    var mantissa = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
    return [1, 2, 5].some(function (m) { return Math.abs(mantissa - m) < 1e-6; }) ? String(+value.toPrecision(3)) : '';
  }
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  var drawn = [];
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var config = JSON.parse(JSON.stringify(specs[canvas.dataset.chart]));
    config.options.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
    Object.values(config.options.scales || {}).forEach(function (scale) {
      if (scale.ticks && scale.ticks.hdrPercentile) scale.ticks = Object.assign({}, scale.ticks, { callback: hdrTickLabel, autoSkip: false });
      else if (scale.type === 'logarithmic') scale.ticks = Object.assign({}, scale.ticks, { callback: decadeLabel, autoSkip: false });
    });
    drawn.push(new Chart(canvas, config));
  });
  // On paper every chart shows: the closed sections open, each chart redraws at the page's width,
  // in the light scheme's colours whatever the screen's. Text and grid colours are set on each
  // chart's own options: a scale keeps the colours it resolved when it was made.
  function paint(chart, isDark) {
    var text = isDark ? '#c9d1d9' : '#444';
    var grid = isDark ? 'rgba(201, 209, 217, 0.18)' : 'rgba(0, 0, 0, 0.1)';
    var o = chart.options;
    Object.values(o.scales || {}).forEach(function (scale) {
      scale.ticks.color = text; scale.title.color = text; scale.grid.color = grid; scale.border.color = grid;
    });
    o.plugins.legend.labels.color = text; o.plugins.subtitle.color = text; o.plugins.title.color = text;
  }
  function repaint(isDark) { drawn.forEach(function (chart) { paint(chart, isDark); chart.resize(); chart.update('none'); }); }
  if (dark) repaint(true);
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    repaint(false);
  });
  window.addEventListener('afterprint', function () { repaint(dark); });

  var costs = JSON.parse(document.getElementById('guide-costs').textContent);
  var rowsEl = document.getElementById('g-rows');
  if (!rowsEl) return;
  function value(id) { var v = Number(document.getElementById(id).value); return Number.isFinite(v) && v >= 0 ? v : 0; }
  function fmt(x, digits) { return x === null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en') : (+x.toPrecision(digits || 3)).toLocaleString('en'); }
  function render() {
    var http = document.getElementById('g-http').value;
    var inputs = { clients: value('g-clients'), updatesPerSec: value('g-rate'), payloadBytes: value('g-payload'), acceptedDelayMs: value('g-delay') };
    var rows = guideRows(costs.filter(function (c) { return c.http === http; }), inputs);
    rowsEl.innerHTML = rows.map(function (r) {
      var miss = r.meetsDelay === false ? ' class="flag" title="misses the accepted delay"' : '';
      var basis = r.basis === 'curve' ? '' : ' <small title="no cost curve for this transport: scaled linearly from light-load cells">(light load)</small>';
      var cores = r.extrapolated ? '<td class="n extrapolated" title="extrapolated: ' + r.extrapolated.replace(/"/g, '&quot;') + '">' + fmt(r.serverCores) + '*</td>' : '<td class="n">' + fmt(r.serverCores) + basis + '</td>';
      return '<tr><td>' + r.transport + '</td><td class="n">' + fmt(r.typicalMs) + '</td><td class="n"' + miss + '>' + fmt(r.worstMs) + '</td><td class="n">' + fmt(r.requestsPerSec) +
        '</td><td class="n">' + fmt(r.megabitsPerSec) + '</td>' + cores + '<td class="n">' + (r.serverProcesses === null ? '–' : r.serverProcesses) + '</td><td class="n">' + fmt(r.serverMiB) + '</td><td class="n">' + fmt(r.connections) + '</td></tr>';
    }).join('');
    var notesEl = document.getElementById('g-notes');
    if (notesEl) notesEl.innerHTML = rows.filter(function (r) { return r.extrapolated; }).map(function (r) {
      return '<li>* ' + r.transport + ', extrapolated: ' + r.extrapolated + '</li>';
    }).join('');
  }
  document.querySelectorAll('form.guide input, form.guide select').forEach(function (el) { el.addEventListener('input', render); });
  render();
})();
</script>`;
}
