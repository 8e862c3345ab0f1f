import { alternatingRounds } from './alternating-rounds.ts';
import { calibrateProfile } from '../netem/calibrate.ts';
import { calibrateLoss } from '../netem/calibrate-loss.ts';
import { lossUnavailable } from '../netem/lossy-link.ts';
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
  return (await calibrateLossSettings(log)) && ok && pass;
}

/** Loss settings calibrated: 1 and 3 % (the loss experiments'), and 2 %. */
const LOSS_SETTINGS = [1, 2, 3];
/** Most a measured loss may differ from its setting, percentage points. */
export const LOSS_TOLERANCE_POINTS = 1;

/**
 * Each loss setting through a lossy link: the share dropped each way against the setting, and what
 * TCP sent again. Not calibrated, and not failed, where loss cannot be applied (not root).
 */
async function calibrateLossSettings(log: (line: string) => void): Promise<boolean> {
  const unavailable = lossUnavailable();
  if (unavailable) {
    log(`\nloss: not calibrated: ${unavailable}`);
    return true;
  }
  log('\nloss through a lossy link: a TCP stream of 200 B each way every ms for 3 s');
  log('set    to clients  from clients  packets  dropped  retransmitted  within 1 point');
  let ok = true;
  for (const set of LOSS_SETTINGS) {
    const c = await calibrateLoss(set);
    const within = [c.toClientsPercent, c.fromClientsPercent].every(
      (measured) => Math.abs(measured - set) <= LOSS_TOLERANCE_POINTS,
    );
    ok &&= within;
    log(
      `${`${set}%`.padEnd(6)} ${c.toClientsPercent.toFixed(2).padStart(9)}%  ${c.fromClientsPercent.toFixed(2).padStart(11)}%  ${String(c.packets).padStart(7)}  ${String(c.dropped).padStart(7)}  ${String(c.retransmits).padStart(13)}  ${within ? 'PASS' : 'FAIL'}`,
    );
  }
  return ok;
}
