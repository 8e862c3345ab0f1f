import { decodeHistogram } from '../metrics/histogram.ts';
import type { CapacityResult } from '../results/index.ts';
import { capacityResults, cellFlags, ofWorkload, type ReportCell } from './report-cells.ts';
import { scaleOutCharts } from './scaleout-charts.ts';
import { bytesPerClientHour, intervalSweep } from './interval-sweep.ts';
import { median } from '../stats/percentile.ts';
import { kindOf } from '../transports/registry.ts';
import { axis, bars, colourOf, labelOf, p50p99Bars, transportColour, type ChartSpec } from './chart-kit.ts';

const CDF_PERCENTILES = [0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

/** Dash patterns that tell apart cells of one transport (same colour) on line charts. */
const DASHES = [[], [8, 4], [2, 3], [12, 3, 2, 3]];

function latencyCdf(cells: readonly ReportCell[]): object {
  const seen = new Map<string, number>();
  const datasets = cells
    .flatMap((c) => (c.cell.histograms && c.cell.metrics?.latency_us ? [{ ...c, histogram: c.cell.histograms.latency_us }] : []))
    .map((c) => {
      const h = decodeHistogram(c.histogram);
      const variant = seen.get(c.cell.params.transport) ?? 0;
      seen.set(c.cell.params.transport, variant + 1);
      const flagged = cellFlags(c).length > 0;
      return {
        label: labelOf(c),
        data: CDF_PERCENTILES.map((p) => ({ x: Math.max(0.001, h.getValueAtPercentile(p) / 1000), y: p })),
        borderColor: colourOf(c),
        backgroundColor: colourOf(c),
        borderDash: DASHES[variant % DASHES.length],
        borderWidth: flagged ? 4 : 2,
        pointStyle: flagged ? 'crossRot' : 'circle',
        pointRadius: flagged ? 5 : 2,
        showLine: true,
      };
    });
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: axis('delivery latency (ms, log scale)', 'logarithmic'), y: axis('percentile of deliveries (%)', 'linear', { min: 0, max: 100 }) },
    },
  };
}

/** Bytes per update against the update interval, per transport, with the one-an-hour points extrapolated. */
function intervalChart(cells: readonly ReportCell[]): object {
  const sweep = intervalSweep(cells);
  const series = (transport: string) =>
    sweep.flatMap(({ rate, polls, push }) => {
      const own = [...polls, ...push].filter((c) => c.cell.params.transport === transport);
      return own.length > 0 ? [{ x: 1 / rate, y: median(own.map((c) => c.metrics.wire.bytes_per_update ?? 0)) }] : [];
    });
  const slowest = sweep.at(-1);
  const datasets: object[] = ['short-poll', 'sse', 'websocket'].map((t) => ({
    label: t, data: series(t), borderColor: transportColour(t), backgroundColor: transportColour(t), showLine: true, pointRadius: 3,
  }));
  if (slowest) {
    // One update an hour: a poller still polls every period (its bytes per client-hour all fall
    // on that one update); push still sends one update. Drawn dashed, marked extrapolated.
    const pollHour = median(slowest.polls.map(bytesPerClientHour));
    for (const t of ['short-poll', 'sse', 'websocket']) {
      const last = series(t).at(-1);
      if (!last) continue;
      const y = t === 'short-poll' ? pollHour : last.y;
      datasets.push({ label: `${t} (extrapolated to 1/hour)`, data: [last, { x: 3600, y }], borderColor: transportColour(t), backgroundColor: transportColour(t), borderDash: [6, 4], pointStyle: 'triangle', pointRadius: 4, showLine: true });
    }
  }
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: axis('seconds between updates (log scale)', 'logarithmic'), y: axis('wire bytes per delivered update (log scale)', 'logarithmic') },
    },
  };
}

/** p99 latency against clients, one line per capacity ladder, and the target as a dashed line. */
function capacityChart(ladders: readonly CapacityResult[]): object {
  const datasets: object[] = ladders.map((c) => ({
    label: `${c.label}: ${c.lower_bound ? '>= ' : ''}${c.capacity_clients}`,
    // Bisection steps come after the ladder's: the line is drawn in client order.
    ...((steps) => ({
      data: steps.map((s) => ({ x: s.clients, y: s.p99_us === null ? null : s.p99_us / 1000 })),
      pointStyle: steps.map((s) => (s.passed ? 'circle' : 'crossRot')), pointRadius: steps.map((s) => (s.passed ? 3 : 7)),
    }))([...c.steps].sort((a, b) => a.clients - b.clients)),
    borderColor: transportColour(c.transport), backgroundColor: transportColour(c.transport), showLine: true,
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

/** The charts of the chat, echo, scale-out and capacity experiments, each only when the run has it. */
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
          config: capacityChart(ladders),
        }]
      : []),
  ];
}

/** The feed's latency charts: distribution, p50 and p99, the interval sweep and the model. */
function latencyCharts(cells: readonly ReportCell[]): ChartSpec[] {
  return [
    {
      id: 'latency-cdf',
      title: 'Delivery latency distribution',
      what: 'How long updates took from their scheduled publish time to each client: the further left and the steeper, the better. Cells of one transport share its colour and differ in dash; flagged cells have crosses.',
      config: latencyCdf(cells),
    },
    {
      id: 'latency-bars',
      title: 'Delivery latency p50 and p99',
      what: 'Median (solid) and 99th percentile (faded) delivery latency per cell, log scale.',
      config: p50p99Bars(cells),
    },
    // Only a run that swept the update interval has this chart.
    ...(intervalSweep(cells).length >= 2
      ? [{
          id: 'interval',
          title: 'Cost per update as updates get rarer',
          what: 'Wire bytes per delivered update at each update interval, polling every second against push; dashed lines extrapolate to one update an hour from the measured cost of a poll and of an update.',
          config: intervalChart(cells),
        }]
      : []),
    {
      id: 'model',
      title: 'Measured mean latency against the model',
      what: 'Mean delivery latency measured (solid) beside the CLAIMS.md model for the cell\'s transport, RTT and poll interval (faded): push d, long polling d (3d for the later updates of a burst), short polling T/2 + d. The gap is processing: publishing, fan-out, parsing.',
      config: bars(cells.filter((c) => c.cell.model && kindOf(c.cell.params.transport) !== 'floor'), [
        { label: 'measured mean', value: (m) => (m.latency_us ? m.latency_us.mean / 1000 : null) },
        { label: 'model mean', value: (_m, c) => (c.cell.model ? c.cell.model.mean_us / 1000 : null), faded: true },
      ], 'mean latency (ms, log scale)', 'logarithmic'),
    },
  ];
}

/** The feed's cost charts: bytes, requests, set-up, server CPU and memory. */
function costCharts(cells: readonly ReportCell[]): ChartSpec[] {
  const kib = (b: number | null) => (b === null ? null : b / 1024);
  return [
    {
      id: 'bytes',
      title: 'Wire bytes per delivered update',
      what: 'Bytes on the wire per update received, both directions: the update\'s own JSON (solid) and what the transport adds, headers and framing (faded).',
      config: bars(cells, [
        { label: 'update JSON', value: (m) => m.wire.payload_bytes_per_update },
        { label: 'headers and framing', value: (m) => m.wire.overhead_bytes_per_update, faded: true },
      ], 'bytes per update', 'linear', true),
    },
    {
      id: 'requests',
      title: 'Requests per update and empty polls',
      what: 'HTTP requests made per update received (solid) and the share of polls that came back empty (faded, %). Push transports make none after connecting.',
      config: bars(cells, [
        { label: 'requests per update', value: (m) => m.wire.requests_per_update },
        { label: 'empty polls (%)', value: (m) => (m.wire.empty_poll_share === null ? null : m.wire.empty_poll_share * 100), faded: true },
      ], 'requests per update / empty polls (%)'),
    },
    {
      id: 'connect',
      title: 'Connection set-up time',
      what: 'From connect start to the first usable byte (WebSocket upgrade, SSE response head, first poll answer): p50 solid, p99 faded.',
      config: bars(cells, [
        { label: 'p50', value: (m) => (m.connect_us ? m.connect_us.p50 / 1000 : null) },
        { label: 'p99', value: (m) => (m.connect_us ? m.connect_us.p99 / 1000 : null), faded: true },
      ], 'set-up time (ms, log scale)', 'logarithmic'),
    },
    {
      id: 'cpu',
      title: 'Server CPU per 1,000 delivered updates',
      what: 'CPU time the server process spent over the window, per 1,000 updates delivered: what each transport costs the server.',
      config: bars(cells, [{ label: 'server CPU', value: (m) => m.server.cpu_ms_per_1k_updates }], 'CPU ms per 1,000 updates'),
    },
    {
      id: 'memory',
      title: 'Memory per connection',
      what: 'What each connected client costs the server: live JavaScript heap and buffers after a full GC (solid), and resident memory growth (faded, noisier: the heap grows in steps).',
      config: bars(cells, [
        { label: 'server, live after GC', value: (m) => kib(m.server.live_bytes_per_conn) },
        { label: 'server, RSS', value: (m) => kib(m.server.rss_bytes_per_conn), faded: true },
      ], 'KiB per connection'),
    },
  ];
}

/** Every chart of the report, built from the cells (errored cells appear, with no value and their mark). */
export function buildCharts(all: readonly ReportCell[]): ChartSpec[] {
  // The feed's charts show feed cells; chat, echo and capacity have charts of their own.
  const feed = ofWorkload(all, 'feed');
  return [...workloadCharts(all), ...latencyCharts(feed), ...costCharts(feed)];
}
