import { formatFixed, formatMs } from '../../metrics/units.ts';
import { escapeHtml } from '../page/escape-html.ts';
import { figureRows } from '../page/figure-rows.ts';
import { chartBox } from '../page/chart-box.ts';
import { axis, HTTP_DASH, HTTP_NAME, transportColour } from '../charts/chart-kit.ts';
import type { ReportCell } from '../report-cells.ts';
import {
  lossSeries,
  lossyCells,
  lossyNetworks,
  medianFigure,
  type LossSeries,
  type LossyCell,
} from '../loss.ts';

/** How the lossy networks were made and what their figures mean. */
const NOTES = [
  'Packets are dropped for real: the clients run in a network namespace of their own, and nftables there drops the set share of packets in each direction (drawn per packet), or every packet during an outage. The profile\'s delay, jitter and bandwidth come from its proxy, which runs in a second namespace and stands for the server\'s edge; the proxy\'s own link to the server loses nothing. Segmentation offloads are off on the links, so a packet is one wire-sized segment.',
  'Retransmissions are TCP\'s own count in each namespace (RetransSegs), which holds that side\'s traffic only: the hop\'s are what it sent again to the clients (the feed), the clients\' what they sent again (requests, upstream). A dropped pure acknowledgement is not sent again, so drops outnumber retransmissions.',
  'A stall is a gap between one client\'s deliveries longer than a few times the cell\'s normal gap (the threshold is in each cell\'s figures). A stall is shared when another client of its group resumed within 10 ms of it: the clients of one HTTP/2 connection resume together when the lost segment arrives (head-of-line blocking); on connections of their own, only by chance.',
];

/** The figures of a configuration on one network. */
const FIGURES: readonly [string, (cells: LossyCell[] | undefined) => string][] = [
  ['latency p99 / p99.9 / max', (cs) => ['p99', 'p99_9', 'max'].map((k) => formatMs(medianFigure(cs, (c) => c.metrics.latency_us?.[k as 'p99'] ?? null))).join(' / ')],
  ['stalls per client-minute; longest', (cs) => `${formatFixed(medianFigure(cs, (c) => c.metrics.stalls?.per_client_minute), 2)}; ${formatMs((medianFigure(cs, (c) => c.metrics.stalls?.longest_ms) ?? 0) * 1000)}`],
  ['shared stalls', (cs) => formatFixed(medianFigure(cs, (c) => c.metrics.stalls?.shared_share), 2)],
  ['retransmits per 1k updates: hop / clients', (cs) => `${formatFixed(medianFigure(cs, (c) => c.metrics.network.retransmits_per_1k_updates.hop), 1)} / ${formatFixed(medianFigure(cs, (c) => c.metrics.network.retransmits_per_1k_updates.clients), 1)}`],
  ['loss measured: to / from clients (%)', (cs) => `${formatFixed(medianFigure(cs, (c) => c.metrics.network.to_clients.loss_percent), 2)} / ${formatFixed(medianFigure(cs, (c) => c.metrics.network.from_clients.loss_percent), 2)}`],
  ['delivered / due; reconnects', (cs) => (cs && cs.length > 0 ? `${cs.map((c) => c.metrics.delivery.delivered).join('+')} / ${cs.map((c) => c.metrics.delivery.published).join('+')}; ${cs.map((c) => c.metrics.reconnects ?? '-').join('+')}` : '')],
];

/**
 * A table for each set of networks the configurations ran on (the node clients' 40 ms links, the
 * pages' links without delay, ...), so no table has columns a configuration did not run.
 */
function lossTables(series: readonly LossSeries[], networks: readonly string[]): string {
  const groups = new Map<string, LossSeries[]>();
  for (const s of series) {
    const key = networks.filter((n) => s.byNetwork.has(n)).join('\n');
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups].map(([key, group]) => lossTable(group, key.split('\n'))).join('\n');
}

/** The table: a row per figure of each configuration, a column per network. */
function lossTable(series: readonly LossSeries[], networks: readonly string[]): string {
  const body = series.flatMap((s) => figureRows(s.what, FIGURES, (pick) => networks.map((n) => `<td class="n">${escapeHtml(pick(s.byNetwork.get(n)))}</td>`).join('')));
  return `<div class="scroll"><table class="loss"><thead><tr><th>cell</th><th>figure</th>${networks.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

/** p99 against the loss set, one line per configuration (dashed: HTTP/2; squares: shared connections). */
function lossChart(series: readonly LossSeries[]): object {
  const datasets = series.map((s) => {
    const points = [...s.byNetwork.values()].flatMap((cells) => {
      const p = cells[0]?.cell.params.network_profile;
      const y = medianFigure(cells, (c) => c.metrics.latency_us?.p99 ?? null);
      return p && p.outage === null && p.loss_percent !== null && y !== null ? [{ x: p.loss_percent, y: y / 1000 }] : [];
    }).sort((a, b) => a.x - b.x);
    const colour = transportColour(s.transport);
    return { label: `${s.transport}${s.variant ? ` ${s.variant}` : ''}, ${HTTP_NAME[s.http]}${s.sharedConnections ? ', shared connections' : ''}`, data: points, showLine: true, borderColor: colour, backgroundColor: colour, borderDash: HTTP_DASH[s.http], pointStyle: s.sharedConnections ? 'rect' : 'circle', pointRadius: 4 };
  });
  return {
    type: 'scatter',
    data: { datasets: datasets.filter((d) => d.data.length > 0) },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: axis('packets dropped each way (%)'), y: axis('latency p99 (ms, log scale)', 'logarithmic') } },
  };
}

/**
 * The report's section on lossy networks: how loss was applied, a table of each configuration's
 * tail latency, stalls and retransmissions per network, and p99 against the loss. Empty when no
 * cell ran on a lossy link.
 */
export function lossSection(cells: readonly ReportCell[]): { html: string; charts: { canvasId: string; config: object }[] } {
  const lossy = lossyCells(cells);
  if (lossy.length === 0) return { html: '', charts: [] };
  const series = lossSeries(lossy);
  const spec = { id: 'loss-p99', title: 'Tail latency as packets are lost', what: 'p99 delivery latency against the share of packets dropped each way, one line per transport and HTTP version (dashed: HTTP/2; squares: several clients on one HTTP/2 connection).', config: lossChart(series) };
  const html = `<section id="loss"><h2>Lossy networks</h2>
<ul class="notes">${NOTES.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>
${chartBoxFor(spec)}
${lossTables(series, lossyNetworks(lossy))}</section>`;
  return { html, charts: [{ canvasId: `loss-${spec.id}`, config: spec.config }] };
}

/** The section's chart box, with the canvas id its config is registered under. */
function chartBoxFor(spec: { id: string; title: string; what: string; config: object }): string {
  return chartBox(spec, `loss-${spec.id}`);
}
