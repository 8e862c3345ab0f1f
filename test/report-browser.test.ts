import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildReport } from '../src/report/build-report.ts';
import { canRunChromium, launchChromium } from './helpers/chromium.ts';

/** A run of every kind the report draws: the feed, chat, echo, a capacity ladder, scale-out and failover. */
const FIXTURES = ['default-run', 'chat-run', 'echo-run', 'game-run', 'scale-out-backplane-run', 'scale-out-failover-run'].map((name) => fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url)));
/** Screenshots land beside the generated report, for a person to look at. */
const SCREENSHOTS = fileURLToPath(new URL('../report/', import.meta.url));

describe.runIf(canRunChromium)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let reportUrl: string;
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'feedbench-report-')), 'index.html');
    buildReport(FIXTURES, out);
    reportUrl = pathToFileURL(out).href;
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  for (const [name, viewport] of [['wide', { width: 1280, height: 900 }], ['narrow', { width: 390, height: 844 }]] as const) {
    it(`draws every chart, logs no error and makes no network request (${name} window)`, async () => {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
      await page.goto(reportUrl, { waitUntil: 'load' });
      const canvases = await page.$$eval('canvas', (all) =>
        all.map((c) => {
          const canvas = c as HTMLCanvasElement;
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
          return { id: canvas.id, width: canvas.width, painted };
        }),
      );
      expect(canvases.length).toBeGreaterThanOrEqual(7);
      for (const chart of ['chat', 'echo', 'capacity', 'failover-timeline', 'backplane']) expect(canvases.map((c) => c.id).join(' ')).toContain(chart);
      for (const c of canvases) {
        expect(c.width, c.id).toBeGreaterThan(0);
        expect(c.painted, `${c.id} is blank`).toBeGreaterThan(500);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      // A narrow window must not need sideways scrolling of the page itself (tables scroll in their box).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await page.screenshot({ path: join(SCREENSHOTS, `screenshot-${name}.png`), fullPage: true });
      await page.close();
    });
  }

  it('shows a verdict for every claim, and the machine it was measured on', async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    const verdicts = await page.$$eval('.overview tbody tr', (rows) => rows.map((r) => [r.children[0]!.textContent, r.children[2]!.textContent]));
    expect(verdicts.map((v) => v[0])).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
    // The failover run judges C5; the feed run alone could not.
    expect(verdicts.find((v) => v[0] === 'C5')![1]).not.toBe('not measured in this run');
    expect(await page.textContent('body')).toContain('Capacity ladders');
    expect(await page.textContent('table.info')).toContain('cores');
    await page.close();
  });
});
