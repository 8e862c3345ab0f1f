import { describe, expect, it } from 'vitest';
import type { LinkSample } from '../../netem/lossy-link.ts';
import { linkMetrics, stallMetrics } from './link-metrics.ts';

/** A sample of the link's counters; `at` scales them, as counters only grow. */
const sample = (at: number, outage = 0): LinkSample => ({
  nft: {
    in_packets: 1_000 * at,
    in_dropped: 20 * at,
    in_outage_dropped: outage,
    out_packets: 500 * at,
    out_dropped: 10 * at,
    out_outage_dropped: 0,
  },
  clientsTcp: { outSegs: 400 * at, retransSegs: 2 * at },
  hopTcp: { outSegs: 900 * at, retransSegs: 15 * at },
});

describe("a lossy link's figures over a window", () => {
  it('counts what happened between the edges, outage drops in both the direction and their own count', () => {
    const m = linkMetrics({ open: sample(1), close: sample(3, 40), outages: 1 }, 2, 4_000);
    expect(m.to_clients).toEqual({ packets: 2_000, dropped: 80, loss_percent: 4 });
    expect(m.from_clients).toEqual({ packets: 1_000, dropped: 20, loss_percent: 2 });
    expect(m.outage_dropped).toBe(40);
    expect(m.outages).toBe(1);
    expect(m.loss_percent_set).toBe(2);
    expect(m.retransmits).toEqual({ clients: 4, hop: 30 });
    expect(m.retransmits_per_1k_updates).toEqual({ clients: 1, hop: 7.5 });
    expect(m.segments).toEqual({ clients: 800, hop: 1_800 });
  });

  it('has no shares without packets or deliveries', () => {
    const m = linkMetrics({ open: sample(1), close: sample(1), outages: 0 }, 0, 0);
    expect(m.to_clients.loss_percent).toBeNull();
    expect(m.retransmits_per_1k_updates).toEqual({ clients: null, hop: null });
  });
});

describe("a cell's stalls", () => {
  it('are per client-minute of window, in ms, with the shared share of those compared', () => {
    const counts = {
      threshold_us: 150_000,
      count: 12,
      longest_us: 281_400,
      clients: 5,
      group_size: 10,
      shared: 3,
      compared: 12,
    };
    expect(stallMetrics(counts, 40, 10_000)).toEqual({
      threshold_ms: 150,
      count: 12,
      longest_ms: 281.4,
      clients: 5,
      per_client_minute: 1.8,
      group_size: 10,
      shared_share: 0.25,
    });
    expect(
      stallMetrics({ ...counts, count: 0, shared: 0, compared: 0 }, 40, 10_000).shared_share,
    ).toBeNull();
  });
});
