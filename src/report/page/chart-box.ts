import type { ChartSpec } from '../charts/chart-kit.ts';
import { escapeHtml } from './escape-html.ts';

/** A chart's figure: caption, and a canvas sized for its kind, drawn by the page script. */
export function chartBox(spec: ChartSpec, canvasId: string): string {
  // Bar charts grow with their bars; line and scatter charts have a fixed height.
  const barCount = (spec.config as { type?: string; data?: { labels?: unknown[] } }).type === 'bar' ? (spec.config as { data: { labels: unknown[] } }).data.labels.length : 0;
  // A line chart's legend takes a row per three or so datasets, above the plot: leave the plot its
  // 300 px.
  const lines = (spec.config as { data?: { datasets?: unknown[] } }).data?.datasets?.length ?? 0;
  const height = barCount > 0 ? Math.max(180, 80 + barCount * 44) : 300 + 8 * lines;
  return `<figure class="chart"><figcaption><strong>${escapeHtml(spec.title)}</strong><br><span class="what">${escapeHtml(spec.what)}</span></figcaption>
<div class="chart-box" style="height:${height}px"><canvas id="${canvasId}" data-chart="${canvasId}" role="img" aria-label="${escapeHtml(spec.title)}"></canvas></div></figure>`;
}
