import { axis, HTTP_DASH, p50p99Bars, transportColour, type ChartSpec } from './chart-kit.ts';
import type { ReportCell } from '../report-cells.ts';
import { backplanePairs, failoverCells } from '../claims/scaleout-evidence.ts';

/** C5's charts: deliveries per 100 ms around the kill, per transport; and the backplane's cost. */
export function scaleOutCharts(all: readonly ReportCell[]): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const failover = failoverCells(all).flatMap((c) => (c.scaleOut.timeline_per_100ms ? [{ ...c, timeline: c.scaleOut.timeline_per_100ms }] : []));
  if (failover.length > 0) {
    const datasets: object[] = failover.map((c) => ({
      label: c.label,
      data: c.timeline.map((n, i) => ({ x: i / 10, y: n })),
      borderColor: transportColour(c.cell.params.transport), backgroundColor: transportColour(c.cell.params.transport),
      borderDash: HTTP_DASH[c.cell.params.http], showLine: true, pointRadius: 0, borderWidth: 1.5,
    }));
    const peak = Math.max(...failover.flatMap((c) => c.timeline));
    // One line per moment of killing (to the 100 ms the chart resolves): cells killed a millisecond
    // apart share it.
    for (const at of new Set(failover.map((c) => Math.round(c.scaleOut.killed.at_ms / 100) * 100))) {
      datasets.push({ label: `instance killed (${(at / 1000).toFixed(1)} s)`, data: [{ x: at / 1000, y: 0 }, { x: at / 1000, y: peak }], borderColor: '#d0021b', borderDash: [6, 4], pointRadius: 0, showLine: true });
    }
    charts.push({
      id: 'failover-timeline',
      title: 'Failover: deliveries per 100 ms, one instance killed',
      what: 'Updates delivered (first arrivals, all clients) in each 100 ms of the window, per transport; the red dashed line marks the SIGKILL. A dip is clients cut off; a spike after it is the backlog they fetch with their cursor.',
      config: { type: 'scatter', data: { datasets }, options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: axis('seconds into the window'), y: { ...axis('deliveries per 100 ms'), min: 0 } } } },
    });
  }
  const pairs = backplanePairs(all);
  if (pairs.length > 0) {
    const cells = pairs.flatMap(({ single, shared }) => [single, shared]);
    charts.push({
      id: 'backplane',
      title: 'What the backplane costs: one instance in memory vs K through Redis',
      what: 'Delivery latency p50 (solid) and p99 (faded) of the same load on one in-memory server and on K instances sharing the feed through Redis (no instance killed).',
      config: p50p99Bars(cells),
    });
  }
  return charts;
}
