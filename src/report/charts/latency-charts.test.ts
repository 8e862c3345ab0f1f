import { describe, expect, it } from 'vitest';
import { latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { latencyCharts } from './latency-charts.ts';

type BarConfig = { data: { labels: string[][]; datasets: { label: string; data: (number | number[] | null)[] }[] } };

describe('the latency charts', () => {
  it('draw p50 and p99 as the median of a cell\'s repetitions, with a bar from their lowest to their highest', () => {
    const cells = reportOf([
      okCell({ transport: 'websocket', repetition: 1 }, { latency_us: latency(1_000) }),
      okCell({ transport: 'websocket', repetition: 2 }, { latency_us: latency(3_000) }),
      okCell({ transport: 'websocket', repetition: 3 }, { latency_us: latency(2_000) }),
      okCell({ transport: 'sse' }, { latency_us: latency(4_000) }),
    ]);
    const bars = latencyCharts(cells).find((c) => c.id === 'latency-bars')!.config as BarConfig;
    expect(bars.data.labels).toHaveLength(2); // one bar group per repeated cell
    const byLabel = Object.fromEntries(bars.data.datasets.map((d) => [d.label, d.data]));
    expect(byLabel['p50']).toEqual([2, 4]);
    expect(byLabel['p99']).toEqual([4, 8]);
    expect(byLabel['p50: lowest to highest over the repetitions']).toEqual([[1, 3], null]);
    expect(byLabel['p99: lowest to highest over the repetitions']).toEqual([[2, 6], null]);
  });

  it('draw no interval where no cell was repeated', () => {
    const bars = latencyCharts(reportOf([okCell({ transport: 'websocket' })])).find((c) => c.id === 'latency-bars')!.config as BarConfig;
    expect(bars.data.datasets.map((d) => d.label)).toEqual(['p50', 'p99']);
  });
});
