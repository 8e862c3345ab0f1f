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
