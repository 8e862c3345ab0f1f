/** A network condition between driver and server, applied by the user-space proxy. */
export interface NetworkProfile {
  /** Round-trip time added by the proxy, ms (half each way). */
  readonly rttMs: number;
  /** Bandwidth cap each way, bits per second; undefined: no cap. */
  readonly bandwidthBps?: number;
  /** Extra one-way delay drawn uniformly from [0, jitterMs] per chunk (order is always kept). */
  readonly jitterMs?: number;
}

/** Names of the built-in profiles; `loopback` means no proxy at all. */
export const NETWORK_PROFILE_NAMES = ['loopback', 'lan', 'broadband', 'mobile'] as const;

/** One of the built-in profiles. */
export type NetworkProfileName = (typeof NETWORK_PROFILE_NAMES)[number];

/** The built-in profiles (issue: lan 1 ms RTT, broadband 40 ms and 50 Mbit/s, mobile 150 ms, 5 Mbit/s, jitter). */
export const NETWORK_PROFILES: Readonly<Record<Exclude<NetworkProfileName, 'loopback'>, NetworkProfile>> = {
  lan: { rttMs: 1 },
  broadband: { rttMs: 40, bandwidthBps: 50e6 },
  mobile: { rttMs: 150, bandwidthBps: 5e6, jitterMs: 10 },
};
