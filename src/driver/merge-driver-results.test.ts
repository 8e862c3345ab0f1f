import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  recordValue,
} from '../metrics/histogram.ts';
import { NO_H2_WIRE, type DriverCellResult } from './driver-messages.ts';
import { mergeDriverResults } from './merge-driver-results.ts';

function part(
  latencies: number[],
  extra: { clients: number; saturated?: boolean; perConn: number },
): DriverCellResult {
  const h = createHistogram();
  for (const l of latencies) recordValue(h, l);
  const encoded = encodeHistogram(h);
  return {
    histograms: { latency_us: encoded, connect_us: encoded, ack_us: null },
    delivery: {
      published: latencies.length,
      delivered: latencies.length,
      late: 0,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      receiving_clients: extra.clients,
    },
    upstream: null,
    wire: {
      bytes_down: 100 * latencies.length,
      bytes_up: 10,
      payload_bytes: 50,
      updates_received: latencies.length,
      handshake_bytes: 200,
      connections: extra.clients,
      requests: 0,
      upstream_requests: 0,
      empty_polls: 0,
      ...NO_H2_WIRE,
    },
    driver: {
      cpu_share: extra.saturated ? 0.95 : 0.3,
      event_loop_p99_ms: 2,
      saturated: extra.saturated ?? false,
      reason: extra.saturated ? 'driver CPU at 95%' : null,
      rss_bytes: 1000,
      rss_bytes_per_conn: extra.perConn,
    },
    clients: extra.clients,
    timeline: [1, 2],
    failover: null,
    catch_up: null,
    errors: { count: 0, first: [] },
    drain_ms: 5,
    browser_bytes: null,
    window_open_late_us: null,
  };
}

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
