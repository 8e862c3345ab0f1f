import { kindOf } from '../../transports/registry.ts';
import { axis, bars, lineStyleOf, labelOf, type ChartSpec } from './chart-kit.ts';
import { hdrPoints } from './hdr-plot.ts';
import { intervalChart } from './interval-chart.ts';
import { intervalSweep } from '../claims/interval-sweep.ts';
import { finished, type ReportCell } from '../report-cells.ts';
import { repetitionGroups } from '../repetitions.ts';

/**
 * The HDR percentile plot of cells' delivery latency: every bucket of each cell's histogram,
 * x = 1/(1-p) on a log axis labelled as percentiles (so 99%, 99.9% and the max get room), y the
 * latency on a log axis. One line per cell: its transport's colour, its HTTP version's dash, its
 * client kind's marker.
 */
export function latencyHdr(cells: readonly ReportCell[]): object {
  const datasets = cells.flatMap((c) => {
    const encoded = c.cell.histograms?.latency_us;
    if (!encoded || !c.cell.metrics?.latency_us) return [];
    const points = hdrPoints(encoded);
    return [{ label: labelOf(c), data: points.map(({ x, y }) => ({ x, y: Math.max(0.001, y) })), ...lineStyleOf(c), pointRadius: 1.5, pointHitRadius: 4 }];
  });
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      // The page script labels an axis marked hdrPercentile as percentiles (hdrTickLabel).
      scales: { x: axis('percentile of deliveries (log scale of 1/(1-p): the tail gets room)', 'logarithmic', { min: 1, ticks: { hdrPercentile: true } }), y: axis('delivery latency (ms, log scale)', 'logarithmic') },
    },
  };
}

/**
 * p50 and p99 per cell on a log axis; where a cell was repeated, the bar is the median over its
 * repetitions and a thin floating bar spans their lowest to highest value (the interval).
 */
function p50p99WithIntervals(cells: readonly ReportCell[], title: string): object {
  const groups = repetitionGroups(finished(cells));
  const shown = groups.map((g) => g.first);
  const ms = (us: number | undefined) => (us === undefined ? null : us / 1000);
  const config = bars(shown, [
    { label: 'p50', value: (_m, c) => ms(groups.find((g) => g.first === c)?.median((m) => m.latency_us?.p50)) },
    { label: 'p99', value: (_m, c) => ms(groups.find((g) => g.first === c)?.median((m) => m.latency_us?.p99)), faded: true },
  ], title, 'logarithmic') as { data: { datasets: object[] } };
  if (groups.some((g) => g.cells.length > 1)) {
    for (const [name, pick] of [['p50', (us: { p50: number }) => us.p50], ['p99', (us: { p99: number }) => us.p99]] as const) {
      config.data.datasets.push({
        label: `${name}: lowest to highest over the repetitions`,
        data: groups.map((g) => (g.cells.length > 1 ? g.range((m) => (m.latency_us ? pick(m.latency_us) : undefined))?.map((v) => v / 1000) ?? null : null)),
        backgroundColor: '#57606a', barPercentage: 0.25, grouped: false,
      });
    }
  }
  return config;
}

/**
 * The feed's latency charts: the HDR percentile plot, p50 and p99 (with intervals), the interval
 * sweep and the model.
 */
export function latencyCharts(cells: readonly ReportCell[]): ChartSpec[] {
  return [
    {
      id: 'latency-hdr',
      title: 'Delivery latency, whole distribution (HDR percentile plot)',
      what: 'Each cell\'s full latency histogram, from each update\'s scheduled publish time to its arrival: the percentile on a log scale of 1/(1-p), so the tail (99%, 99.9%, the max at the right end) is as wide as the median. Lower is better. Colour: transport; dashed: HTTP/2; triangles: browser clients; thick with crosses: flagged.',
      config: latencyHdr(cells),
    },
    {
      id: 'latency-bars',
      title: 'Delivery latency p50 and p99',
      what: 'Median (solid) and 99th percentile (faded) delivery latency per cell; where cells were repeated, a grey bar spans the repetitions\' lowest to highest value.',
      config: p50p99WithIntervals(cells, 'delivery latency (ms, log scale)'),
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
      what: 'Mean delivery latency measured (solid) beside the latency model for the cell\'s transport, RTT and poll interval (faded): push d, long polling d (3d for the later updates of a burst), short polling T/2 + d. The gap is processing: publishing, fan-out, parsing.',
      config: bars(cells.filter((c) => c.cell.model && kindOf(c.cell.params.transport) !== 'floor'), [
        { label: 'measured mean', value: (m) => (m.latency_us ? m.latency_us.mean / 1000 : null) },
        { label: 'model mean', value: (_m, c) => (c.cell.model ? c.cell.model.mean_us / 1000 : null), faded: true },
      ], 'mean latency (ms, log scale)', 'logarithmic'),
    },
  ];
}
