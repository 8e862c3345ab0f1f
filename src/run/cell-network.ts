/**
 * A cell's network profile between the scenario's words and the results' record: a name or an
 * inline object in, a label and the settings out, and back to the settings the rig applies.
 */
import {
  networkProfile,
  profileLabel,
  type NetworkProfile,
  type NetworkProfileName,
} from '../netem/profiles.ts';
import type { CellParams } from '../results/index.ts';

/** A scenario's `network` entry: a built-in name or an inline profile. */
export type NetworkEntry =
  | NetworkProfileName
  | ({ readonly name?: string | undefined } & {
      readonly [K in keyof NetworkProfile]: NetworkProfile[K] | undefined;
    });

/** The two cell parameters a network entry gives. */
export type CellNetwork = Pick<CellParams, 'network' | 'network_profile'>;

/** A network entry's cell parameters: loopback has no profile (and no proxy). */
export function cellNetwork(entry: NetworkEntry): CellNetwork {
  if (entry === 'loopback') return { network: 'loopback', network_profile: null };
  const profile = typeof entry === 'string' ? networkProfile(entry) : withoutUndefined(entry);
  const network = typeof entry === 'string' ? entry : (entry.name ?? profileLabel(profile));
  return {
    network,
    network_profile: {
      rtt_ms: profile.rttMs,
      bandwidth_bps: profile.bandwidthBps ?? null,
      jitter_ms: profile.jitterMs ?? 0,
      loss_percent: profile.lossPercent ?? null,
      outage: profile.outage
        ? { every_ms: profile.outage.everyMs, for_ms: profile.outage.forMs }
        : null,
    },
  };
}

/** An inline profile without its name and unset fields. */
function withoutUndefined(entry: Exclude<NetworkEntry, string>): NetworkProfile {
  return {
    rttMs: entry.rttMs ?? 0,
    ...(entry.bandwidthBps !== undefined ? { bandwidthBps: entry.bandwidthBps } : {}),
    ...(entry.jitterMs !== undefined ? { jitterMs: entry.jitterMs } : {}),
    ...(entry.lossPercent !== undefined ? { lossPercent: entry.lossPercent } : {}),
    ...(entry.outage ? { outage: entry.outage } : {}),
  };
}

/**
 * The profile a cell runs under; null for loopback. A file written before the settings were
 * recorded has only a built-in name, which says them.
 */
export function profileOfCell(p: CellNetwork): NetworkProfile | null {
  const s = p.network_profile;
  if (!s) return p.network === 'loopback' ? null : networkProfile(p.network);
  return {
    rttMs: s.rtt_ms,
    ...(s.bandwidth_bps !== null ? { bandwidthBps: s.bandwidth_bps } : {}),
    ...(s.jitter_ms > 0 ? { jitterMs: s.jitter_ms } : {}),
    ...(s.loss_percent !== null ? { lossPercent: s.loss_percent } : {}),
    ...(s.outage ? { outage: { everyMs: s.outage.every_ms, forMs: s.outage.for_ms } } : {}),
  };
}
