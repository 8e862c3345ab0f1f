/**
 * A driver's result for one cell built from its latency samples, every other field a plain
 * default: for tests of what merges or relays drivers' results.
 */
import { createHistogram, encodeHistogram, recordValue } from '../../src/metrics/histogram.ts';
import { NO_H2_WIRE, type DriverCellResult } from '../../src/driver/driver-messages.ts';

/** One driver's result whose latency (and connect) histogram holds exactly `latencies`. */
export function driverResult(
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
    stalls: null,
    connections_in_window: 0,
    next_hop_protocols: null,
  };
}
