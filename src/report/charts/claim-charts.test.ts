import { describe, expect, it } from 'vitest';
import { latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { assessClaims } from '../claims/index.ts';
import { claimCharts, cellsUsed } from './claim-charts.ts';

describe('a claim card\'s charts', () => {
  const poll = { transport: 'short-poll' as const, poll_interval_ms: 250, poll_mode: 'fixed-period' as const, keep_alive: true };
  const cells = reportOf([
    okCell({ ...poll }, { wire: { requests_per_update: 2, empty_poll_share: 0.5 }, latency_us: latency(125_000) }),
    okCell({ transport: 'websocket' }),
    okCell({ transport: 'sse' }),
    // Another load (fewer clients, another rate): not the one C1 is judged on.
    okCell({ ...poll, clients: 20, rate_per_s: 1 }, { wire: { requests_per_update: 4, empty_poll_share: 0.75 } }),
  ]);
  const c1 = assessClaims(cells).find((c) => c.id === 'C1')!;

  it('draw only the cells the verdict used, with the deciding figure written on the first', () => {
    const used = cellsUsed(c1, cells).map((c) => c.label);
    expect(used).toHaveLength(3);
    expect(used.some((l) => l.includes('20c'))).toBe(false);
    const [requests] = claimCharts(c1, cells);
    const config = requests!.config as { data: { labels: string[][] }; options: { plugins: { subtitle: { text: string[] } } } };
    expect(requests!.id).toBe('requests');
    expect(config.data.labels.map((l) => l.join(' '))).toEqual(used);
    expect(config.options.plugins.subtitle.text).toEqual(['short polling: 2.00 requests per update, push: 0.00']);
  });

  it('are none for a claim the run did not measure', () => {
    const c5 = assessClaims(cells).find((c) => c.id === 'C5')!;
    expect(c5.verdict).toBe('not-measured');
    expect(claimCharts(c5, cells)).toEqual([]);
  });
});
