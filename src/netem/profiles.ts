/** Every packet dropped for `forMs` once every `everyMs`: a tunnel, a Wi-Fi handover. */
export interface Outage {
  readonly everyMs: number;
  readonly forMs: number;
}

/**
 * A network condition between driver and server. Delay, jitter and bandwidth come from the
 * user-space proxy; loss and outages from nftables in a network namespace (lossy-network.ts),
 * where TCP and QUIC then retransmit for real.
 */
export interface NetworkProfile {
  /** Round-trip time added by the proxy, ms (half each way). */
  readonly rttMs: number;
  /** Bandwidth cap each way, bits per second; undefined: no cap. */
  readonly bandwidthBps?: number;
  /** Extra one-way delay drawn uniformly from [0, jitterMs] per chunk (order is always kept). */
  readonly jitterMs?: number;
  /** Share of packets dropped in each direction, percent; undefined or 0: none. */
  readonly lossPercent?: number;
  /** Periodic outages; undefined: none. */
  readonly outage?: Outage;
}

/**
 * Names of the built-in profiles. `loopback` means no proxy at all; `loopback-proxy` is the proxy
 * with no delay, to measure what the proxy itself adds.
 */
export const NETWORK_PROFILE_NAMES = [
  'loopback',
  'loopback-proxy',
  'lan',
  'broadband',
  'mobile',
  '3g-lossy',
  'wifi-lossy',
  'handover',
] as const;

/** One of the built-in profiles. */
export type NetworkProfileName = (typeof NETWORK_PROFILE_NAMES)[number];

/**
 * The built-in profiles: lan 1 ms RTT, broadband 40 ms and 50 Mbit/s, mobile 150 ms, 5 Mbit/s and
 * jitter; the lossy ones after Chrome DevTools' "3G" (300 ms, 1.6 Mbit/s) with 2% loss, a busy
 * Wi-Fi (20 ms, 1% loss), and a link that drops everything for 1.5 s every 10 s (a handover).
 */
export const NETWORK_PROFILES: Readonly<
  Record<Exclude<NetworkProfileName, 'loopback'>, NetworkProfile>
> = {
  'loopback-proxy': { rttMs: 0 },
  lan: { rttMs: 1 },
  broadband: { rttMs: 40, bandwidthBps: 50e6 },
  mobile: { rttMs: 150, bandwidthBps: 5e6, jitterMs: 10 },
  '3g-lossy': { rttMs: 300, bandwidthBps: 1.6e6, jitterMs: 20, lossPercent: 2 },
  'wifi-lossy': { rttMs: 20, bandwidthBps: 30e6, jitterMs: 5, lossPercent: 1 },
  handover: { rttMs: 60, bandwidthBps: 10e6, outage: { everyMs: 10_000, forMs: 1_500 } },
};

/**
 * Round trip of loopback itself, µs (docs/claims.md: raw TCP round trip about 60 µs on the
 * development machine).
 */
export const LOOPBACK_RTT_US = 60;

/** A proxied profile by name; throws for loopback or a name not built in. */
export function networkProfile(name: string): NetworkProfile {
  const profile = (NETWORK_PROFILES as Readonly<Record<string, NetworkProfile>>)[name];
  if (!profile)
    throw new Error(
      `no proxied network profile named ${JSON.stringify(name)} (known: ${Object.keys(NETWORK_PROFILES).join(', ')})`,
    );
  return profile;
}

/**
 * Whether a profile runs on a lossy link (lossy-link.ts): it sets a loss (0 included, the
 * baseline of a loss series, measured on the same path) or outages.
 */
export function onLossyLink(profile: NetworkProfile | null): boolean {
  return profile?.lossPercent !== undefined || profile?.outage !== undefined;
}

/**
 * A short name for an inline profile, from its settings (`rtt40-loss2`), for cell labels and
 * charts: the same settings always give the same name.
 */
export function profileLabel(p: NetworkProfile): string {
  const parts = [
    p.rttMs > 0 ? `rtt${p.rttMs}` : '',
    p.bandwidthBps ? `${p.bandwidthBps / 1e6}mbit` : '',
    p.jitterMs ? `jitter${p.jitterMs}` : '',
    p.lossPercent !== undefined ? `loss${p.lossPercent}` : '',
    p.outage ? `outage${p.outage.forMs}per${p.outage.everyMs}` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? parts.join('-') : 'proxy';
}

/**
 * The mean round trip a cell sees under a profile (null: loopback, no proxy), µs: loopback, the
 * profile's RTT, and its mean jitter both ways.
 */
export function meanRttUs(profile: NetworkProfile | null): number {
  if (!profile) return LOOPBACK_RTT_US;
  return LOOPBACK_RTT_US + profile.rttMs * 1000 + (profile.jitterMs ?? 0) * 1000;
}
