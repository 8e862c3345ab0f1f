import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../src/server/demo/demo-server.ts';
import { selfSignedCertificate } from '../src/server/tls-certificate.ts';
import { canRunChromium, launchChromium } from './helpers/chromium.ts';
import { runFeedbench, startFeedbench, waitFor } from './helpers/cli.ts';
import { createServer as createNetServer } from 'node:net';

interface LaneFigures {
  id: string;
  http: string;
  transport: string;
  state: string;
  exchanges: number;
  lost: number;
  roundTripsMs: number[];
  requests: number;
  wire?: { read: number; written: number; connections: number; protocols: string[] };
}

/**
 * Waits until every lane is `done`, reading the page's figures every 200 ms; on a time-out it names
 * the lanes that were not, with their state and counts, and the page's errors.
 */
async function waitForLanes(
  lanes: () => Promise<LaneFigures[]>,
  errors: string[],
  done: (lane: LaneFigures) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const figures = await lanes();
    const behind = figures.filter((l) => !done(l));
    if (behind.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `lanes behind after ${timeoutMs} ms: ${behind
          .map(
            (l) =>
              `${l.id}: ${l.state}, ${l.exchanges} answered, ${l.lost} lost, ${l.requests} requests`,
          )
          .join('; ')}\npage errors: ${errors.join('; ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Opens the demo page and waits until every lane has answered `exchanges` questions; the page's
 * errors are collected.
 */
async function openDemo(
  browser: Browser,
  url: string,
  exchanges: number,
): Promise<{ page: Page; lanes: () => Promise<LaneFigures[]>; errors: string[] }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  await page.waitForFunction(() => 'feedbenchDemo' in globalThis);
  const lanes = () =>
    page.evaluate(() =>
      (
        globalThis as unknown as { feedbenchDemo: { lanes(): LaneFigures[] } }
      ).feedbenchDemo.lanes(),
    );
  await waitForLanes(lanes, errors, (l) => l.exchanges >= exchanges && !!l.wire, 60_000);
  return { page, lanes, errors };
}

const portRefuses = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('feedbench demo and serve on a port that is taken', () => {
  it('say so in a sentence and exit 2, for the user to pick another port', async () => {
    const holder = createNetServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    try {
      for (const command of [['demo', '--plain'], ['serve']]) {
        const run = runFeedbench([...command, '--port', String(port)], 30_000);
        expect(run.status, command[0]).toBe(2);
        expect(run.stderr.trim()).toBe(
          `port ${port} on 127.0.0.1 is in use: pick another with --port (0 picks a free one)`,
        );
      }
    } finally {
      holder.close();
    }
  }, 60_000);
});

describe.runIf(canRunChromium)(
  'feedbench demo: the article\'s "How are you?" page over every transport, in Chromium',
  () => {
    it("answers on each transport over HTTP/1.1 and HTTP/2, with each lane's round trips and the bytes its own server counted, and again after its connections drop", async () => {
      const demo = await startDemo({
        host: '127.0.0.1',
        port: 0,
        tls: selfSignedCertificate(),
        pollIntervalMs: 200,
        repeatMs: 400,
      });
      const browser = await launchChromium();
      try {
        const { lanes, errors } = await openDemo(browser, demo.url, 3);
        const figures = await lanes();
        expect(figures.map((l) => l.id).sort()).toEqual([
          'long-poll-h1.1',
          'long-poll-h2',
          'short-poll-h1.1',
          'short-poll-h2',
          'sse-h1.1',
          'sse-h2',
          'websocket-h1.1',
          'websocket-h2',
        ]);
        for (const lane of figures) {
          expect(lane.state, lane.id).toBe('open');
          expect(lane.roundTripsMs.length, lane.id).toBe(lane.exchanges);
          expect(Math.min(...lane.roundTripsMs), lane.id).toBeGreaterThan(0);
          // ALPN offered this lane's version alone, and the browser took it.
          expect(lane.wire!.protocols, lane.id).toEqual([lane.http === '2' ? 'h2' : 'http/1.1']);
          expect(lane.wire!.read, lane.id).toBeGreaterThan(0);
          expect(lane.wire!.written, lane.id).toBeGreaterThan(0);
          // Over HTTP/2 one connection carries the lane's polls, POSTs, stream and WebSocket (RFC
          // 8441).
          if (lane.http === '2') expect(lane.wire!.connections, lane.id).toBe(1);
        }
        // WebSocket asks over its socket: one HTTP request (the first /health) in all; a poller
        // keeps asking when nothing is new.
        const byId = (id: string) => figures.find((l) => l.id === id)!;
        expect(byId('websocket-h2').requests).toBe(1);
        expect(byId('short-poll-h1.1').requests).toBeGreaterThan(
          byId('short-poll-h1.1').exchanges * 2,
        );
        expect(errors).toEqual([]);

        // Every connection dropped at once, as a change of network drops them: each lane opens
        // its transport again and answers three more questions.
        demo.dropLaneConnections();
        const answered = new Map(figures.map((l) => [l.id, l.exchanges]));
        await waitForLanes(
          lanes,
          errors,
          (l) => l.state === 'open' && l.exchanges >= (answered.get(l.id) ?? 0) + 3,
          30_000,
        );
      } finally {
        await browser.close();
        await demo.close();
      }
      expect(await portRefuses(Number(new URL(demo.url).port))).toBe(true);
    }, 120_000);

    it('runs from the command line in the clear (HTTP/1.1 lanes only), prints its URL and ends everything on Ctrl-C', async () => {
      const child = startFeedbench([
        'demo',
        '--plain',
        '--port',
        '0',
        '--poll-interval-ms',
        '200',
        '--repeat-ms',
        '400',
      ]);
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      const browser = await launchChromium();
      try {
        await waitFor(() => /open (http:\S+)/.test(out), 30_000, "the demo's URL");
        const url = /open (http:\S+)/.exec(out)![1]!;
        const { lanes, errors } = await openDemo(browser, url, 2);
        const figures = await lanes();
        expect(figures.map((l) => `${l.transport} ${l.http}`).sort()).toEqual([
          'long-poll 1.1',
          'short-poll 1.1',
          'sse 1.1',
          'websocket 1.1',
        ]);
        expect(errors).toEqual([]);
        const lanePorts = [...out.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) =>
          Number(m[1]),
        );
        child.kill('SIGINT');
        expect(await exited).toBe(0);
        for (const port of lanePorts) expect(await portRefuses(port), `port ${port}`).toBe(true);
      } finally {
        await browser.close();
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }, 120_000);
  },
);
