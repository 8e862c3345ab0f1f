import { median } from '../../stats/percentile.ts';
import { axis, HTTP_DASH, HTTP_NAME, transportColour } from './chart-kit.ts';
import { bytesPerClientHour, intervalSweep } from '../claims/interval-sweep.ts';
import type { ReportCell } from '../report-cells.ts';


/**
 * Bytes per update against the update interval, one line per transport and HTTP version (dashed:
 * HTTP/2), with the one-an-hour points extrapolated (triangles, thin dotted line).
 */
export function intervalChart(cells: readonly ReportCell[]): object {
  const sweep = intervalSweep(cells);
  const versions = (['1.1', '2'] as const).filter((h) => sweep.some(({ polls, push }) => [...polls, ...push].some((c) => c.cell.params.http === h)));
  const series = (transport: string, http: '1.1' | '2') =>
    sweep.flatMap(({ rate, polls, push }) => {
      const own = [...polls, ...push].filter((c) => c.cell.params.transport === transport && c.cell.params.http === http);
      return own.length > 0 ? [{ x: 1 / rate, y: median(own.map((c) => c.metrics.wire.bytes_per_update ?? 0)) }] : [];
    });
  const slowest = sweep.at(-1);
  const datasets: object[] = [];
  for (const http of versions) {
    for (const t of ['short-poll', 'sse', 'websocket']) {
      const measured = series(t, http);
      if (measured.length === 0) continue;
      const style = { borderColor: transportColour(t), backgroundColor: transportColour(t), borderDash: HTTP_DASH[http], showLine: true };
      datasets.push({ label: `${t}, ${HTTP_NAME[http]}`, data: measured, pointRadius: 3, ...style });
      if (!slowest) continue;
      // One update an hour: a poller still polls every period (its bytes per client-hour all fall
      // on that one update); push still sends one update.
      const polls = slowest.polls.filter((c) => c.cell.params.http === http);
      const last = measured.at(-1);
      if (!last) continue;
      const y = t === 'short-poll' ? (polls.length > 0 ? median(polls.map(bytesPerClientHour)) : null) : last.y;
      if (y !== null) datasets.push({ label: `${t}, ${HTTP_NAME[http]} (extrapolated to 1/hour)`, data: [last, { x: 3600, y }], ...style, borderDash: [2, 3], borderWidth: 1, pointStyle: 'triangle', pointRadius: 4 });
    }
  }
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: axis('seconds between updates (log scale)', 'logarithmic'), y: axis('wire bytes per delivered update (B, log scale)', 'logarithmic') },
    },
  };
}
