/**
 * Synthetic cells measured on a lossy link, for the tests of the report's loss section and of the
 * claims judged under loss.
 */
import { latency, okCell } from './synthetic-results.ts';
import type { CellParams, CellResult } from '../../src/results/index.ts';

const direction = (packets: number, dropped: number) => ({
  packets,
  dropped,
  loss_percent: (dropped / packets) * 100,
});

/**
 * A cell on a 40 ms link that drops `lossPercent` (or has outages), with its latency (a p50 of
 * `p50Us`, 20 ms unless given, and a p99 of `p99Us`) and the link's counts.
 */
export function lossyCell(
  params: Partial<CellParams>,
  lossPercent: number,
  p99Us: number,
  outage: { every_ms: number; for_ms: number } | null = null,
  p50Us = 20_000,
): CellResult {
  const network = outage ? 'handover' : `rtt40-loss${lossPercent}`;
  const profile = {
    rtt_ms: 40,
    bandwidth_bps: null,
    jitter_ms: 0,
    loss_percent: lossPercent,
    outage,
  };
  const dropped = Math.round(lossPercent * 10);
  return okCell(
    { ...params, network, network_profile: profile },
    {
      latency_us: { ...latency(p50Us), p99: p99Us },
      stalls: {
        threshold_ms: 150,
        count: 2,
        longest_ms: 280,
        clients: 2,
        per_client_minute: 0.3,
        group_size: 10,
        shared_share: 0.5,
      },
      network: {
        loss_percent_set: lossPercent,
        to_clients: direction(1_000, dropped),
        from_clients: direction(800, dropped),
        outages: outage ? 1 : 0,
        outage_dropped: 0,
        retransmits: { clients: 3, hop: dropped },
        retransmits_per_1k_updates: { clients: 1.5, hop: dropped / 2 },
        segments: { clients: 800, hop: 1_000 },
      },
    },
  );
}
