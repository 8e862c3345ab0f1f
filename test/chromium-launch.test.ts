import { afterAll, describe, expect, it } from 'vitest';
import { closeSharedChromium, sharedChromium } from '../src/driver/browser/chromium.ts';
import { canRunChromium } from './helpers/chromium.ts';

describe.runIf(canRunChromium)("the driver's Chromium", () => {
  afterAll(() => closeSharedChromium());

  it("opens a context's page without a renderer for the browser's own UI", async () => {
    // Every context is a window, and Chromium 15x gave each window an omnibox popup WebUI renderer
    // that cost more than the page itself in its first seconds: the driver turns it off.
    const browser = await sharedChromium();
    const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
    for (const context of contexts) await (await context.newPage()).goto('about:blank');
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = (await cdp.send('Target.getTargets', { filter: [{}] })) as {
      targetInfos: { type: string; url: string }[];
    };
    expect(targetInfos.filter((t) => t.type === 'page')).toHaveLength(2);
    expect(targetInfos.filter((t) => t.type === 'browser_ui').map((t) => t.url)).toEqual([]);
  });
});
