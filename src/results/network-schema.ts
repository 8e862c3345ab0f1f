/**
 * The parts of a cell's schema about its network: the profile it ran on, the stalls its clients
 * saw, and what a lossy link did (docs/loss.md). Split from cell-schema.ts, which uses them.
 */
import { z } from 'zod';

const count = z.number().int().min(0);
const nullableNumber = z.number().nullable();

/** A cell's network profile, as it ran (docs/loss.md). */
export const NetworkProfileParamsSchema = z.object({
  rtt_ms: z.number().min(0).describe('round trip the proxy added, ms'),
  bandwidth_bps: nullableNumber.describe('bandwidth cap each way; null: none'),
  jitter_ms: z.number().min(0),
  loss_percent: nullableNumber.describe('share of packets dropped each way by nftables on a lossy link (0: the link, without loss); null: no lossy link'),
  outage: z
    .object({ every_ms: z.number(), for_ms: z.number() })
    .nullable()
    .describe('every packet dropped for for_ms once every every_ms; null: never'),
});

/** Gaps between one client's deliveries longer than a threshold, over the window. */
export const StallsSchema = z.object({
  threshold_ms: z.number().describe('a gap longer than this is a stall: stallGapFactor times the cell\'s normal gap'),
  count: count,
  longest_ms: z.number().describe('the longest stall; 0 without any'),
  clients: count.describe('clients that had at least one'),
  per_client_minute: z.number().describe('stalls per client per minute of window'),
  group_size: count.describe('clients compared for shared stalls: those of one shared HTTP/2 connection, or as many consecutive clients on connections of their own'),
  shared_share: nullableNumber.describe('share of stalls that ended within 10 ms of a stall of another client of their group, as the stalls of one connection end when its lost segment arrives (head-of-line blocking shows as a high share); null without stalls'),
});

/** Packets seen and dropped one way, and the share dropped. */
const DirectionSchema = z.object({
  packets: count,
  dropped: count,
  loss_percent: nullableNumber.describe('dropped / packets x 100; null without packets'),
});

/** What a lossy link did over a cell's window. */
export const LinkMetricsSchema = z.object({
  loss_percent_set: nullableNumber,
  to_clients: DirectionSchema.describe('packets towards the clients, counted in their namespace'),
  from_clients: DirectionSchema,
  outages: count.describe('outages that began in the window'),
  outage_dropped: count.describe('packets dropped by outages, both ways (also in each direction\'s dropped)'),
  retransmits: z
    .object({ clients: count, hop: count })
    .describe('TCP segments each side sent again (its namespace\'s RetransSegs): the clients\', and the hop\'s (the proxy that stands for the server\'s edge: what it sends the clients is the feed)'),
  retransmits_per_1k_updates: z
    .object({ clients: nullableNumber, hop: nullableNumber })
    .describe('the same per 1,000 delivered updates'),
  segments: z.object({ clients: count, hop: count }).describe('TCP segments each side sent, retransmissions included; the hop\'s include its segments to the server (ACKs, mostly), which cross no lossy link'),
});
