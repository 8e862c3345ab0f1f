/** A network condition between driver and server, applied by the user-space proxy. */
export interface NetworkProfile {
  /** Round-trip time added by the proxy, ms (half each way). */
  readonly rttMs: number;
  /** Bandwidth cap each way, bits per second; undefined: no cap. */
  readonly bandwidthBps?: number;
  /** Extra one-way delay drawn uniformly from [0, jitterMs] per chunk (order is always kept). */
  readonly jitterMs?: number;
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
] as const;

/** One of the built-in profiles. */
export type NetworkProfileName = (typeof NETWORK_PROFILE_NAMES)[number];

/**
 * The built-in profiles (issue: lan 1 ms RTT, broadband 40 ms and 50 Mbit/s, mobile 150 ms, 5
 * Mbit/s, jitter).
 */
export const NETWORK_PROFILES: Readonly<
  Record<Exclude<NetworkProfileName, 'loopback'>, NetworkProfile>
> = {
  'loopback-proxy': { rttMs: 0 },
  lan: { rttMs: 1 },
  broadband: { rttMs: 40, bandwidthBps: 50e6 },
  mobile: { rttMs: 150, bandwidthBps: 5e6, jitterMs: 10 },
};

/**
 * Round trip of loopback itself, µs (docs/claims.md: raw TCP round trip about 60 µs on the
 * development machine).
 */
export const LOOPBACK_RTT_US = 60;

/** A proxied profile by name (a cell's `network`); throws for loopback or a name not built in. */
export function networkProfile(name: string): NetworkProfile {
  const profile = (NETWORK_PROFILES as Readonly<Record<string, NetworkProfile>>)[name];
  if (!profile)
    throw new Error(
      `no proxied network profile named ${JSON.stringify(name)} (known: ${Object.keys(NETWORK_PROFILES).join(', ')})`,
    );
  return profile;
}

/**
 * The mean round trip a cell sees under a profile, µs: loopback, the profile's RTT, and its mean
 * jitter both ways.
 */
export function meanRttUs(name: string): number {
  if (name === 'loopback') return LOOPBACK_RTT_US;
  const p = networkProfile(name);
  return LOOPBACK_RTT_US + p.rttMs * 1000 + (p.jitterMs ?? 0) * 1000;
}
