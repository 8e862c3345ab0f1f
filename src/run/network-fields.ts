/**
 * The scenario fields about the network between clients and server: the profile (a name or an
 * inline object with loss and outages) and what counts as a stall. Split from scenario-schema.ts,
 * which spreads them into the scenario object.
 */
import { z } from 'zod';
import { int, oneOrMany } from '../transports/shared/option-schemas.ts';
import { NETWORK_PROFILE_NAMES } from '../netem/profiles.ts';

/** A network profile written in the scenario: the built-in profiles' fields, and a name. */
const InlineNetworkProfile = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{0,31}$/)
      .optional()
      .describe('what cells and charts call it; default: from its settings (rtt40-loss2)'),
    rttMs: z.number().min(0).max(10_000).default(0),
    bandwidthBps: z.number().positive().optional(),
    jitterMs: z.number().min(0).max(5_000).optional(),
    lossPercent: z.number().min(0).max(50).optional(),
    outage: z
      .object({ everyMs: int(100, 3_600_000), forMs: int(1, 3_600_000) })
      .strict()
      .refine((o) => o.forMs < o.everyMs, 'forMs must be below everyMs')
      .optional(),
  })
  .strict();

/** The scenario's `network` and `stallGapFactor` fields (docs/scenarios.md, docs/loss.md). */
export const networkFields = {
  network: oneOrMany(
    z.union([z.enum(NETWORK_PROFILE_NAMES), InlineNetworkProfile]),
    `one of ${NETWORK_PROFILE_NAMES.map((n) => `"${n}"`).join(', ')}, or a profile object {name?, rttMs 0-10000, bandwidthBps > 0, jitterMs 0-5000, lossPercent 0-50, outage {everyMs, forMs below everyMs}}`,
  )
    .default('loopback')
    .describe(
      'network profile between driver and server: loopback (no proxy), lan (1 ms RTT), broadband (40 ms, 50 Mbit/s), mobile (150 ms, 5 Mbit/s, 10 ms jitter), 3g-lossy (300 ms, 1.6 Mbit/s, 20 ms jitter, 2% loss), wifi-lossy (20 ms, 30 Mbit/s, 5 ms jitter, 1% loss), handover (60 ms, 10 Mbit/s, nothing passes for 1.5 s every 10 s), or a profile of your own. Loss and outages are dropped packets (nftables in network namespaces the run makes, docs/loss.md): they need root',
    ),
  stallGapFactor: z
    .number()
    .min(1)
    .max(1_000)
    .default(3)
    .describe(
      "a gap between one client's deliveries longer than this many times the cell's normal gap (the update interval; short polling's poll interval when longer) is a stall",
    ),
};
