import type { StallCounts } from '../../driver/stall-tracker.ts';
import type { LinkSample } from '../../netem/lossy-link.ts';
import type { CellMetrics } from '../../results/index.ts';
import { roundTo } from '../../metrics/units.ts';

/** A count per 1,000 delivered updates, to 2 decimals; null without any delivered. */
const per1k = (count: number, delivered: number) =>
  delivered > 0 ? roundTo((count / delivered) * 1000, 2) : null;

/** Seen and dropped one way, and the share. */
function direction(packets: number, dropped: number) {
  return {
    packets,
    dropped,
    loss_percent: packets > 0 ? roundTo((dropped / packets) * 100, 3) : null,
  };
}

/**
 * What a lossy link did between the window's edges: the drops nftables counted each way, and the
 * retransmissions each side's TCP counted, also per 1,000 delivered updates.
 */
export function linkMetrics(
  link: { open: LinkSample; close: LinkSample; outages: number },
  lossPercentSet: number | null,
  delivered: number,
): NonNullable<CellMetrics['network']> {
  const { open, close } = link;
  const nft = (name: keyof LinkSample['nft']) => close.nft[name] - open.nft[name];
  const retransmits = {
    clients: close.clientsTcp.retransSegs - open.clientsTcp.retransSegs,
    hop: close.hopTcp.retransSegs - open.hopTcp.retransSegs,
  };
  return {
    loss_percent_set: lossPercentSet,
    to_clients: direction(nft('in_packets'), nft('in_dropped') + nft('in_outage_dropped')),
    from_clients: direction(nft('out_packets'), nft('out_dropped') + nft('out_outage_dropped')),
    outages: link.outages,
    outage_dropped: nft('in_outage_dropped') + nft('out_outage_dropped'),
    retransmits,
    retransmits_per_1k_updates: {
      clients: per1k(retransmits.clients, delivered),
      hop: per1k(retransmits.hop, delivered),
    },
    segments: {
      clients: close.clientsTcp.outSegs - open.clientsTcp.outSegs,
      hop: close.hopTcp.outSegs - open.hopTcp.outSegs,
    },
  };
}

/** A driver's stall counts as the results give them. */
export function stallMetrics(
  stalls: StallCounts,
  clients: number,
  windowMs: number,
): NonNullable<CellMetrics['stalls']> {
  return {
    threshold_ms: roundTo(stalls.threshold_us / 1000, 1),
    count: stalls.count,
    longest_ms: roundTo(stalls.longest_us / 1000, 1),
    clients: stalls.clients,
    per_client_minute: clients > 0 ? roundTo((stalls.count / clients) * (60_000 / windowMs), 3) : 0,
    group_size: stalls.group_size,
    shared_share: stalls.compared > 0 ? roundTo(stalls.shared / stalls.compared, 3) : null,
  };
}
