import { connect, createServer, type AddressInfo } from 'node:net';
import { nowUs } from '../metrics/clock.ts';
import { median } from '../stats/percentile.ts';
import { startDelayProxy } from './delay-proxy.ts';
import type { NetworkProfile } from './profiles.ts';

/** What calibration measured through one profile. */
export interface Calibration {
  readonly configuredRttMs: number;
  /** Median round trip of a small message through the proxy, ms. */
  readonly measuredRttMs: number;
  /** Measured over configured, minus one. */
  readonly deviation: number;
  readonly samples: number;
}

/**
 * Measures the raw TCP round trip through a profile: a one-byte ping answered by an echo server
 * behind the proxy, `samples` times after a warm-up, on one connection.
 */
export async function calibrateProfile(
  profile: NetworkProfile,
  samples = 40,
): Promise<Calibration> {
  const echo = createServer({ noDelay: true }, (s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const proxy = await startDelayProxy(profile, {
    host: '127.0.0.1',
    port: (echo.address() as AddressInfo).port,
  });
  const socket = connect({ host: '127.0.0.1', port: proxy.port, noDelay: true });
  await new Promise((r) => socket.once('connect', r));
  const rtts: number[] = [];
  try {
    for (let i = 0; i < samples + 3; i++) {
      const start = nowUs();
      await new Promise<void>((resolve) => {
        socket.once('data', () => resolve());
        socket.write('p');
      });
      if (i >= 3) rtts.push((nowUs() - start) / 1000); // the first pings also pay the handshake hold
    }
  } finally {
    socket.destroy();
    await proxy.close();
    echo.close();
  }
  const measuredRttMs = median(rtts);
  return {
    configuredRttMs: profile.rttMs,
    measuredRttMs,
    deviation: measuredRttMs / profile.rttMs - 1,
    samples,
  };
}
