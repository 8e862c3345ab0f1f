import type { CellParams } from '../../results/index.ts';

/**
 * Clients compared for shared stalls: a shared HTTP/2 connection's, or as many consecutive
 * clients on connections of their own, so the two are compared group for group.
 */
export const STALL_GROUP_SIZE = 10;

/**
 * What a driver counts as a stall in a cell: a gap between one client's deliveries of more than
 * `factor` times the cell's normal gap, which is the update interval, or for short polling the
 * poll interval when that is longer, or for bursts the gap between bursts.
 */
export function stallRequest(
  p: Pick<CellParams, 'rate_per_s' | 'poll_interval_ms' | 'burst' | 'h2_clients_per_connection'>,
  factor: number,
): { gapUs: number; groupSize: number } {
  const updateIntervalUs = 1e6 / p.rate_per_s;
  const burstGapUs = p.burst ? (p.burst.size / p.rate_per_s) * 1e6 : 0;
  const normalGapUs = Math.max(updateIntervalUs, (p.poll_interval_ms ?? 0) * 1000, burstGapUs);
  const shared = p.h2_clients_per_connection ?? 1;
  return {
    gapUs: Math.round(factor * normalGapUs),
    groupSize: shared > 1 ? shared : STALL_GROUP_SIZE,
  };
}
