import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, installed by .ci/run (`apt-get install chromium`); never downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** True when the browser tests can run here; in CI a missing browser is a failure, not a skip. */
export const canRunChromium = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Launches headless Chromium with the flags that keep it off the (closed) network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * What every browser-client scenario of the tests shares: 10 updates/s of 64 B to pages, a 1.5 s
 * window. The pages' own work is not what these tests check: a loaded machine may flag a cell
 * saturated, never fail it.
 */
export const BROWSER_SCENARIO = {
  ratePerSec: 10,
  payloadBytes: 64,
  clientKind: 'browser',
  warmupMs: 500,
  durationMs: 1_500,
  shortPoll: { intervalMs: 100 },
  saturation: { cpuShare: 10, eventLoopP99Ms: 10_000 },
} as const;
