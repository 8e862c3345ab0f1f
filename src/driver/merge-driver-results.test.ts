import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../metrics/histogram.ts';
import { driverResult as part } from '../../test/helpers/driver-result.ts';
import { mergeDriverResults } from './merge-driver-results.ts';

describe('mergeDriverResults', () => {
  it('adds histograms bucket by bucket and sums counts, as one driver would have recorded them', () => {
    const merged = mergeDriverResults([
      part([100, 200, 300], { clients: 1, perConn: 1000 }),
      part([1000, 2000], { clients: 3, perConn: 2000 }),
    ]);
    const h = decodeHistogram(merged.histograms.latency_us);
    expect(h.totalCount).toBe(5);
    expect(h.maxValue).toBeGreaterThanOrEqual(2000);
    expect(merged.delivery).toEqual({
      published: 5,
      delivered: 5,
      late: 0,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      receiving_clients: 4,
    });
    expect(merged.wire.bytes_down).toBe(500);
    expect(merged.clients).toBe(4);
    expect(merged.timeline).toEqual([2, 4]);
    // Memory per connection weighted by clients: (1 x 1000 + 3 x 2000) / 4.
    expect(merged.driver.rss_bytes_per_conn).toBe(1750);
    expect(merged.driver.saturated).toBe(false);
  });

  it('flags the merged cell saturated when any driver was, and says which', () => {
    const merged = mergeDriverResults([
      part([1], { clients: 1, perConn: 1 }),
      part([1], { clients: 1, perConn: 1, saturated: true }),
    ]);
    expect(merged.driver).toMatchObject({
      saturated: true,
      cpu_share: 0.95,
      reason: '1 of 2 drivers: driver CPU at 95%',
    });
  });
});
