import { alternatingRounds } from './alternating-rounds.ts';
import { calibrateProfile } from '../netem/calibrate.ts';
import { NETWORK_PROFILES } from '../netem/profiles.ts';
import { required } from '../metrics/required.ts';

/**
 * Most the zero-delay proxy may add to median delivery latency at 1,000 updates/s (issue target).
 */
export const PROXY_OVERHEAD_TARGET_US = 200;

/**
 * `feedbench calibrate`: the raw TCP round trip through each profile against its configured mean
 * (RTT plus mean jitter both ways), then what the proxy itself adds to WebSocket delivery at 1,000
 * updates/s (loopback-proxy vs loopback, alternating rounds). Returns false if a target is missed.
 */
export async function runCalibration(
  rounds: number,
  log: (line: string) => void,
): Promise<boolean> {
  let ok = true;
  log('profile          configured RTT  measured RTT (p50)  deviation');
  for (const [name, profile] of Object.entries(NETWORK_PROFILES)) {
    if (profile.rttMs === 0) continue;
    const c = await calibrateProfile(profile, 40);
    const configured = profile.rttMs + (profile.jitterMs ?? 0);
    const deviation = c.measuredRttMs / configured - 1;
    log(
      `${name.padEnd(16)} ${configured.toFixed(2).padStart(10)} ms  ${c.measuredRttMs.toFixed(3).padStart(14)} ms  ${(deviation * 100).toFixed(1).padStart(8)}%`,
    );
    if (name === 'broadband' && Math.abs(deviation) > 0.05) ok = false;
  }
  log(
    '\nwhat the proxy itself adds: 1 WebSocket client at 1,000 updates/s, loopback vs loopback-proxy',
  );
  const { p50Us } = await alternatingRounds(
    {
      loopback: { rate_per_s: 1000 },
      'loopback-proxy': { rate_per_s: 1000, network: 'loopback-proxy' },
    },
    rounds,
    3_000,
    log,
  );
  const addedUs =
    required(p50Us['loopback-proxy'], "the proxy rounds' p50") -
    required(p50Us.loopback, "the loopback rounds' p50");
  const pass = addedUs < PROXY_OVERHEAD_TARGET_US;
  log(
    `proxy adds ${addedUs} µs at the median (loopback p50 ${p50Us.loopback} µs, through the proxy ${p50Us['loopback-proxy']} µs; target < ${PROXY_OVERHEAD_TARGET_US} µs): ${pass ? 'PASS' : 'FAIL'}`,
  );
  return ok && pass;
}
