import { describe, expect, it } from 'vitest';
import { okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import type { CellParams } from '../../results/index.ts';
import { c8SlowConsumers } from './c8-slow-consumers.ts';

const slowParams = (clients: number, policy: 'disconnect' | 'skip-to-latest' | null): CellParams['slow_consumers'] => ({
  clients, read_bytes_per_s: null, pause_after_ms: 2_000, pause_for_ms: 5_000, policy, max_queued_bytes: 1_048_576,
});

/**
 * A pair of cells, without and with one slow client: normal p99s, and what the server's policy did.
 */
function pair(transport: string, policy: 'disconnect' | 'skip-to-latest' | null, p99Without: number, p99With: number, disconnects = 0, peakWith = 150e6) {
  const polling = transport === 'short-poll' ? { poll_interval_ms: 100, poll_mode: 'fixed-period' as const, keep_alive: true } : {};
  const acted = { disconnects, skips: 0, skipped_updates: 0, peak_queued_bytes: disconnects > 0 ? 1_100_000 : 0 };
  return [
    okCell({ transport, ...polling, slow_consumers: slowParams(0, policy) }, { latency_us: { p99: p99Without }, server: { peak_rss_bytes: 150e6, slow_consumers: { disconnects: 0, skips: 0, skipped_updates: 0, peak_queued_bytes: 0 } } }),
    okCell(
      { transport, ...polling, slow_consumers: slowParams(1, policy) },
      {
        latency_us: { p99: p99With },
        server: { peak_rss_bytes: peakWith, slow_consumers: acted },
        slow_clients: { clients: 1, latency_us: null, delivery: { published: 100, delivered: 40, lost: 60, duplicated: 0, reordered: 0 }, catch_up: { clients: 1, caught_up: 1, ms: { p50: 80, max: 80 } }, errors: { count: 0, first: [] } },
      },
    ),
  ];
}

describe('C8, slow consumers (ours)', () => {
  it('is supported when the policy acted on push and nobody else was hurt', () => {
    const j = c8SlowConsumers.judge(reportOf([...pair('websocket', 'disconnect', 5_000, 5_500, 1), ...pair('short-poll', null, 60_000, 61_000)]));
    expect(j.verdict).toBe('supported');
    expect(j.because).toContain('fell past the server\'s bound in 1 of 1 cells');
    expect(j.numbers.find(([label]) => label === 'websocket (disconnect)')?.[1]).toContain('1 disconnected');
  });

  it('has a condition when no push connection fell past the bound, or catching up cost the others their p99', () => {
    expect(c8SlowConsumers.judge(reportOf([...pair('websocket', 'disconnect', 5_000, 5_500, 0), ...pair('short-poll', null, 60_000, 61_000)])).because).toContain('no policy acted');
    const hurt = c8SlowConsumers.judge(reportOf([...pair('websocket', 'skip-to-latest', 5_000, 50_000, 1), ...pair('short-poll', null, 60_000, 61_000)]));
    expect(hurt.verdict).toBe('supported-with-condition');
    expect(hurt.because).toContain('rose past the noise in websocket (skip-to-latest)');
  });

  it('is not supported when a slow poller grew the server, or a slow push client did despite the policy', () => {
    expect(c8SlowConsumers.judge(reportOf([...pair('websocket', 'disconnect', 5_000, 5_500, 1), ...pair('short-poll', null, 60_000, 61_000, 0, 400e6)])).because).toContain('polling did not limit itself');
    expect(c8SlowConsumers.judge(reportOf([...pair('websocket', 'disconnect', 5_000, 5_500, 1, 400e6), ...pair('short-poll', null, 60_000, 61_000)])).verdict).toBe('not-supported');
  });

  it('is not measured without cells with and without slow clients for both kinds', () => {
    expect(c8SlowConsumers.judge(reportOf(pair('websocket', 'disconnect', 5_000, 5_500, 1))).verdict).toBe('not-measured');
  });
});
