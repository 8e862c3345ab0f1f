import { describe, expect, it } from 'vitest';
import { encodeHistogram, createHistogram, recordValue } from '../../metrics/histogram.ts';
import { NO_H2_WIRE, type DriverCellResult } from '../../driver/driver-messages.ts';
import type { ServerSample } from '../../server/server-messages.ts';
import { noSlowConsumerCounts } from '../../transports/shared/push-cursor.ts';
import { assembleCell, erroredCell, modelFor } from './assemble-cell.ts';
import type { Collected } from './cell-phases.ts';
import type { Cell } from '../cells.ts';
import { expandCells } from '../cells.ts';
import { parseScenario } from '../scenario.ts';

const [cell] = expandCells(
  parseScenario(
    {
      name: 'a',
      transports: ['websocket'],
      clients: 100,
      ratePerSec: 10,
      payloadBytes: 64,
      durationMs: 1_000,
    },
    'a',
  ),
) as [Cell];
const histogram = (...values: number[]) => {
  const h = createHistogram();
  for (const v of values) recordValue(h, v);
  return encodeHistogram(h);
};
const sample = (
  cpuUs: number,
  rssBytes: number,
  liveBytes: number | null = null,
): ServerSample => ({
  cpuUs,
  rssBytes,
  connections: 100,
  wireBytes: { read: 0, written: 0 },
  liveBytes,
  peakRssBytes: rssBytes,
  spinUs: 0,
  slowConsumers: noSlowConsumerCounts(),
});

const driver: DriverCellResult = {
  histograms: {
    latency_us: histogram(1_000, 2_000, 3_000),
    connect_us: histogram(500),
    ack_us: null,
  },
  upstream: null,
  delivery: {
    published: 1000,
    delivered: 1000,
    late: 0,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    receiving_clients: 100,
  },
  wire: {
    bytes_down: 170_000,
    bytes_up: 0,
    payload_bytes: 150_000,
    updates_received: 1000,
    handshake_bytes: 30_000,
    connections: 100,
    requests: 0,
    upstream_requests: 0,
    empty_polls: 0,
    ...NO_H2_WIRE,
  },
  driver: {
    cpu_share: 0.2,
    event_loop_p99_ms: 1,
    saturated: false,
    reason: null,
    rss_bytes: 1,
    rss_bytes_per_conn: null,
  },
  clients: 100,
  timeline: null,
  failover: null,
  catch_up: null,
  errors: { count: 1, first: ['one error'] },
  drain_ms: 20,
  browser_bytes: null,
  window_open_late_us: null,
  stalls: null,
  connections_in_window: 0,
  next_hop_protocols: null,
};
const collected: Collected = {
  connect: { connected: 98, failed: 2, firstError: 'ECONNRESET' },
  server: {
    idle: sample(0, 100e6, 10e6),
    connected: sample(1_000, 110e6, 12e6),
    windowOpen: sample(2_000, 110e6),
    windowClose: sample(52_000, 111e6),
    publishLagUs: null,
  },
  driver,
  slowDriver: null,
  redisCpuUs: null,
  killed: null,
  unpublished: 0,
  clockOffsetUs: 0,
  byteCheck: { client_bytes: 1_000_000, server_bytes: 1_000_500 },
  settledMs: 0,
  link: null,
};
const facts = {
  cores: { server: [0], driver: [1] },
  driverProcesses: 1,
  balancer: null,
  backplane: null,
  target: null,
  warmupMs: 250,
  serverReused: false,
};

describe('assembling a cell from what its phases collected', () => {
  it('computes the metrics of docs/metrics.md from the driver and the server samples', () => {
    const result = assembleCell(cell, collected, facts, 4_000, new Date(0), 1_000);
    expect(result.state).toBe('ok');
    expect(result.metrics.wire).toMatchObject({
      bytes_per_update: 170,
      payload_bytes_per_update: 150,
      overhead_bytes_per_update: 20,
      handshake_bytes: 300,
      http2: null,
    });
    expect(result.metrics.wire.byte_check).toEqual({
      client_bytes: 1_000_000,
      server_bytes: 1_000_500,
      difference_share: 0.0005,
    });
    expect(result.metrics.server).toMatchObject({
      cpu_ms_per_1k_updates: 50,
      cpu_share: 0.05,
      rss_bytes_per_conn: 100_000,
      live_bytes_per_conn: 20_000,
    });
    expect(result.warmup_ms).toBe(250);
    expect(result.metrics.latency_us).toMatchObject({ count: 3 });
    expect(result.scale_out).toBeNull();
    expect(result.external).toBeNull();
  });

  it("puts the orchestrator's own errors first, without changing the driver's result", () => {
    const result = assembleCell(
      cell,
      { ...collected, unpublished: 3 },
      facts,
      4_000,
      new Date(0),
      1_000,
    );
    expect(result.metrics.errors.first).toEqual([
      '3 scheduled updates could not be written to Redis (they have no seq, so no client missed them)',
      '2 of 100 clients failed to connect: ECONNRESET',
      'one error',
    ]);
    expect(driver.errors.first).toEqual(['one error']);
  });

  it("reports no RSS per connection on a kept server, whose RSS holds earlier cells' memory", () => {
    const result = assembleCell(
      cell,
      collected,
      { ...facts, serverReused: true },
      4_000,
      new Date(0),
      1_000,
    );
    expect(result.server_reused).toBe(true);
    expect(result.metrics.server.rss_bytes_per_conn).toBeNull();
    expect(result.metrics.server.live_bytes_per_conn).toBe(20_000);
  });

  it("measures the mean against the transport's model", () => {
    const result = assembleCell(cell, collected, facts, 4_000, new Date(0), 1_000);
    expect(result.model).toMatchObject({ mean_us: 30, formula: 'd' });
    expect(result.model?.deviation).toBeCloseTo(result.metrics.latency_us!.mean / 30 - 1, 2);
  });

  it("records a scale-out cell's balancer, Redis cost and kill", () => {
    const result = assembleCell(
      cell,
      { ...collected, redisCpuUs: 5_000, killed: { instance: 0, at_ms: 300 } },
      { ...facts, balancer: 'haproxy', backplane: 'redis' },
      4_000,
      new Date(0),
      1_000,
    );
    expect(result.scale_out).toMatchObject({
      balancer: 'haproxy',
      backplane: 'redis',
      redis_cpu_ms_per_1k_updates: 5,
      killed: { instance: 0, at_ms: 300 },
    });
  });

  it('makes an errored cell with the reason and the model, and nothing measured', () => {
    const result = erroredCell(cell, 'the server crashed', 10, new Date(0));
    expect(result).toMatchObject({
      state: 'errored',
      reason: 'the server crashed',
      metrics: null,
      histograms: null,
      model: modelFor(cell),
    });
  });
});

describe("HTTP/2's bytes by what they carried, split on a sample of the connections", () => {
  const [h2Cell] = expandCells(
    parseScenario(
      {
        name: 'h2',
        transports: ['short-poll'],
        http: ['2'],
        clients: 100,
        ratePerSec: 10,
        payloadBytes: 64,
        durationMs: 1_000,
      },
      'h2',
    ),
  ) as [Cell];
  const split = (share: number): DriverCellResult => ({
    ...driver,
    wire: {
      ...driver.wire,
      bytes_down: 200_000,
      bytes_up: 50_000,
      requests: 400,
      h2_header_down: 40_000 * share,
      h2_header_up: 10_000 * share,
      h2_data_down: 150_000 * share,
      h2_data_up: 0,
      h2_framing_down: 10_000 * share,
      h2_framing_up: 40_000 * share,
      h2_split_bytes_down: 200_000 * share,
      h2_split_bytes_up: 50_000 * share,
    },
  });
  const http2Of = (d: DriverCellResult) =>
    assembleCell(h2Cell, { ...collected, driver: d }, facts, 4_000, new Date(0), 1_000).metrics.wire
      .http2;

  it('stands for every connection in proportion to their bytes, as when all were split', () => {
    const all = http2Of(split(1));
    expect(all).toMatchObject({
      header_block_bytes_per_update: 50,
      data_bytes_per_update: 150,
      framing_bytes_per_update: 50,
      tls_bytes_per_update: 0,
      request_header_bytes: 25,
      response_header_bytes: 100,
    });
    expect(http2Of(split(0.08))).toEqual(all);
  });
});
