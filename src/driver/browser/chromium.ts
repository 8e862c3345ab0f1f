import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumNetworkArgs, type BrowserNetwork } from './chromium-network.ts';

/** Where Debian puts Chromium; FEEDBENCH_CHROMIUM names another. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The Chromium this process drives: FEEDBENCH_CHROMIUM, else Debian's. */
export function chromiumPath(): string {
  return process.env.FEEDBENCH_CHROMIUM || DEFAULT_CHROMIUM;
}

/**
 * A sentence for a machine without the browser; null when it is there. Nothing is ever downloaded.
 */
export function chromiumMissing(): string | null {
  const path = chromiumPath();
  return existsSync(path)
    ? null
    : `browser clients need Chromium at ${path}: install it with \`apt-get install chromium\` (Debian) or set FEEDBENCH_CHROMIUM to a Chromium binary; feedbench never downloads one`;
}

/**
 * Features turned off in the browser. Chromium 15x gives every window (so every browser context
 * Playwright opens) a renderer of its own for the omnibox popup's WebUI, which headless never shows:
 * measured here (6 pages pinned to one core, SSE at 1 update/s), those renderers took 22-34% of the
 * core in the pages' first seconds against 3-5% for the pages themselves, and 130 MiB each.
 * Chromium reads only the last `--disable-features`, so this one repeats Playwright's own list
 * (playwright-core 1.65, `chromiumSwitches`, less its Windows and Edge entries) before adding the
 * popups.
 */
export const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
];

let launched: Promise<Browser> | undefined;

/**
 * The shared browser's temporary folder (its TMPDIR), removed when it closes or this process
 * exits, whichever comes first. Chromium puts its single-instance socket in a temporary folder of
 * its own and removes it only at a clean exit; a driver that exits kills its browser, and a run of
 * scenarios/browser.json left 16 such folders in /tmp.
 */
let browserTemp: { readonly path: string; readonly remove: () => void } | undefined;

function ownTempFolder(): { readonly path: string; readonly remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'feedbench-chromium-'));
  const remove = () => {
    process.off('exit', remove);
    rmSync(path, { recursive: true, force: true });
  };
  process.once('exit', remove);
  return { path, remove };
}

/**
 * The one headless Chromium of this driver process, launched at the first call. Started from the
 * driver, it inherits the driver's CPU pinning, so the browser's work counts on the driver's cores.
 * Flags keep it off any network but the run's; behind a front proxy, they name its `network`
 * (a browser driver serves one cell, so the first call's network is the process's).
 */
export function sharedChromium(network?: BrowserNetwork): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) return Promise.reject(new Error(missing));
  if (launched) return launched;
  browserTemp?.remove();
  browserTemp = ownTempFolder();
  const env = { ...process.env, TMPDIR: browserTemp.path };
  launched = import('playwright-core').then(({ chromium }) =>
    chromium.launch({
      executablePath: chromiumPath(),
      env,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        ...chromiumNetworkArgs(network),
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-renderer-backgrounding',
        '--disable-background-timer-throttling',
        '--disable-backgrounding-occluded-windows',
        `--disable-features=${DISABLED_FEATURES.join(',')}`,
      ],
    }),
  );
  return launched;
}

/** Closes the shared browser, if one was launched. */
export async function closeSharedChromium(): Promise<void> {
  const closing = launched;
  const temp = browserTemp;
  launched = undefined;
  browserTemp = undefined;
  const browser = closing && (await closing.catch(() => undefined));
  try {
    await browser?.close();
  } finally {
    temp?.remove();
  }
}
