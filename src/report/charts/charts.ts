import type { CapacityResult } from '../../results/index.ts';
import { capacityResults, ofWorkload, type ReportCell } from '../report-cells.ts';
import { scaleOutCharts } from './scaleout-charts.ts';
import { axis, bars, HTTP_DASH, p50p99Bars, transportColour, type ChartSpec } from './chart-kit.ts';
import { latencyCharts } from './latency-charts.ts';
import { costCharts } from './cost-charts.ts';

/** p99 latency against clients, one line per capacity ladder, and the target as a dashed line. */
function capacityChart(ladders: readonly CapacityResult[], cells: readonly ReportCell[]): object {
  // A ladder's HTTP version is its steps' cells': dashed for HTTP/2, as on every line chart.
  const httpOf = (c: CapacityResult) => cells.find((x) => x.cell.id === c.steps[0]?.cell_id)?.cell.params.http ?? '1.1';
  const datasets: object[] = ladders.map((c) => ({
    label: `${c.label}: ${c.lower_bound ? '>= ' : ''}${c.capacity_clients}`,
    // Bisection steps come after the ladder's: the line is drawn in client order.
    ...((steps) => ({
      data: steps.map((s) => ({ x: s.clients, y: s.p99_us === null ? null : s.p99_us / 1000 })),
      pointStyle: steps.map((s) => (s.passed ? 'circle' : 'crossRot')), pointRadius: steps.map((s) => (s.passed ? 3 : 7)),
    }))([...c.steps].sort((a, b) => a.clients - b.clients)),
    borderColor: transportColour(c.transport), backgroundColor: transportColour(c.transport), borderDash: HTTP_DASH[httpOf(c)], showLine: true,
  }));
  const xs = ladders.flatMap((c) => c.steps.map((s) => s.clients));
  for (const target of new Set(ladders.map((c) => c.p99_target_ms))) {
    datasets.push({ label: `p99 target ${target} ms`, data: [{ x: Math.min(...xs), y: target }, { x: Math.max(...xs), y: target }], borderColor: '#d0021b', borderDash: [6, 4], pointRadius: 0, showLine: true });
  }
  return {
    type: 'scatter',
    data: { datasets },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: axis('clients (log scale)', 'logarithmic'), y: axis('p99 delivery latency (ms, log scale)', 'logarithmic') } },
  };
}

/**
 * The charts of the chat, echo, scale-out and capacity experiments, each only when the run has it.
 */
function workloadCharts(all: readonly ReportCell[]): ChartSpec[] {
  const chat = ofWorkload(all, 'chat');
  const echo = ofWorkload(all, 'echo');
  const ladders = capacityResults(all);
  return [
    ...(chat.length > 0
      ? [{
          id: 'chat',
          title: 'Chat: send to receive, and upstream acknowledgement',
          what: "Chat messages sent by the clients themselves: from a sender's send to every other client's receive, p50 (solid), and from the send to the server's acknowledgement, p50 (faded). WebSocket sends a frame on its connection; the others POST on a second one.",
          config: bars(chat, [
            { label: 'send to others, p50', value: (m) => (m.latency_us ? m.latency_us.p50 / 1000 : null) },
            { label: 'acknowledgement, p50', value: (m) => (m.upstream?.ack_latency_us ? m.upstream.ack_latency_us.p50 / 1000 : null), faded: true },
          ], 'latency (ms, log scale)', 'logarithmic'),
        }]
      : []),
    ...(echo.length > 0
      ? [{
          id: 'echo',
          title: 'Echo round trip ("How are you?")',
          what: 'A client sends a message and the server returns it: round trip p50 (solid) and p99 (faded), over a WebSocket frame and an HTTP POST with and without keep-alive.',
          config: p50p99Bars(echo, 'round trip ', 'round trip (ms, log scale)'),
        }]
      : []),
    ...scaleOutCharts(all),
    ...(ladders.length > 0
      ? [{
          id: 'capacity',
          title: 'Capacity: clients served under the p99 target',
          what: 'p99 delivery latency as the client count steps up, per transport; a cross marks the step that broke the target (or lost updates, or saturated the driver). The legend gives each capacity.',
          config: capacityChart(ladders, all),
        }]
      : []),
  ];
}

/**
 * Every chart of the report, built from the cells (errored cells appear, with no value and their
 * mark).
 */
export function buildCharts(all: readonly ReportCell[]): ChartSpec[] {
  // The feed's charts show feed cells; chat, echo and capacity have charts of their own.
  const feed = ofWorkload(all, 'feed');
  return [...workloadCharts(all), ...latencyCharts(feed), ...costCharts(feed)];
}
