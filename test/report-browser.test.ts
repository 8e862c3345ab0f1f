import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildReport } from '../src/report/build-report.ts';
import { canRunChromium, launchChromium } from './helpers/chromium.ts';

/**
 * A run of every kind the report draws: the feed, chat, echo, a capacity ladder, scale-out and
 * failover.
 */
const FIXTURES = [
  'default-run',
  'chat-run',
  'echo-run',
  'game-run',
  'scale-out-backplane-run',
  'scale-out-failover-run',
].map((name) => fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url)));
/** Screenshots land beside the generated report, for a person to look at. */
const SCREENSHOTS = fileURLToPath(new URL('../report', import.meta.url));

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

  for (const [name, viewport] of [
    ['wide', { width: 1280, height: 900 }],
    ['narrow', { width: 390, height: 844 }],
  ] as const) {
    it(`draws every chart, logs no error and makes no network request (${name} window)`, async () => {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
      await page.goto(reportUrl, { waitUntil: 'load' });
      // Every chart over all cells waits in a closed <details>: open it, as a reader would.
      await page.evaluate(() =>
        document.querySelectorAll('details').forEach((d) => (d.open = true)),
      );
      await page.waitForTimeout(300);
      const canvases = await page.$$eval('canvas', (all) =>
        all.map((c) => {
          const canvas = c;
          const pixels = canvas
            .getContext('2d')!
            .getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
          return { id: canvas.id, width: canvas.width, painted };
        }),
      );
      expect(canvases.length).toBeGreaterThanOrEqual(7);
      for (const chart of ['chat', 'echo', 'capacity', 'failover-timeline', 'backplane'])
        expect(canvases.map((c) => c.id).join(' ')).toContain(chart);
      for (const c of canvases) {
        expect(c.width, c.id).toBeGreaterThan(0);
        expect(c.painted, `${c.id} is blank`).toBeGreaterThan(500);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      // A narrow window must not need sideways scrolling of the page itself (tables scroll in their
      // box).
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
      await page.screenshot({ path: join(SCREENSHOTS, `screenshot-${name}.png`), fullPage: true });
      await page.close();
    });
  }

  it('shows a verdict for every claim, and the machine it was measured on', async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    const verdicts = await page.$$eval('table.verdicts tbody tr', (rows) =>
      rows.map((r) => [r.children[0]!.textContent, r.children[2]!.textContent]),
    );
    expect(verdicts.map((v) => v[0])).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
    // The failover run judges C5; the feed run alone could not.
    expect(verdicts.find((v) => v[0] === 'C5')![1]).not.toBe('not measured in this run');
    expect(await page.textContent('body')).toContain('Capacity ladders');
    expect(await page.textContent('table.info')).toContain('cores');
    await page.close();
  });

  it('answers on the first screen: verdicts, a decision guide that follows its inputs, and the honesty flags', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(reportUrl);
    // The verdict table and the guide's table both begin within the first 900 px.
    const tops = await page.evaluate(() =>
      ['table.verdicts', 'table.guide'].map(
        (s) => document.querySelector(s)!.getBoundingClientRect().top,
      ),
    );
    expect(Math.max(...tops)).toBeLessThan(900);
    const rows = async () =>
      page.$$eval('#g-rows tr', (trs) =>
        trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)),
      );
    const before = await rows();
    expect(before.map((r) => r[0])).toEqual(['short-poll', 'long-poll', 'sse', 'websocket']);
    const pollRequests = (r: string[][]) => Number(r[0]![3]!.replace(/,/g, ''));
    // Halving the accepted delay makes short polling poll (more than) twice as often; push makes no
    // requests either way.
    await page.fill('#g-delay', '500');
    await page.dispatchEvent('#g-delay', 'input');
    const after = await rows();
    expect(pollRequests(after)).toBeGreaterThan(2 * pollRequests(before));
    expect(after.find((r) => r[0] === 'websocket')![3]).toBe('0');
    expect(await page.textContent('body')).toContain('Before you trust a number');
    await page.close();
  });
});
