import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  createFeedServer,
  DEFAULT_SERVER_OPTIONS,
  type FeedServer,
  type FeedServerOptions,
} from '../src/server/feed-server.ts';
import type { SlowConsumerPolicy } from '../src/protocol/feed-protocol.ts';
import { plainGet, rawClient, webSocketUpgrade } from './helpers/raw-clients.ts';
import { createShortPollClient } from '../src/transports/short-poll/client.ts';
import { nowUs } from '../src/metrics/clock.ts';

// Each bound of docs/protocol.md's 1.1 edges, hit on purpose: the answer the protocol names, the
// server alive afterwards, and a well-behaved client beside the bad one unharmed.

const PAYLOAD = 'x'.repeat(64 * 1024);
/**
 * Updates published at a paused client: 19 MiB, far past any socket buffer and the 1 MiB bound
 * below.
 */
const BURST = 300;

let server: FeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<FeedServerOptions>): Promise<number> {
  server = createFeedServer({ ...DEFAULT_SERVER_OPTIONS, ...options });
  return server.listen(0, '127.0.0.1');
}

async function expectAlive(port: number): Promise<void> {
  expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
}

/**
 * Publishes `count` large updates, yielding to I/O every few so sockets fill and drain as in a real
 * run.
 */
async function publishBurst(feed: FeedServer, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    feed.publisher.publishNow(PAYLOAD);
    if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A well-behaved WebSocket client that collects the seqs it is sent. */
async function normalClient(port: number): Promise<{ seqs: number[]; ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const seqs: number[] = [];
  ws.on('message', (data) => seqs.push((JSON.parse(data.toString()) as { seq: number }).seq));
  await new Promise((resolve) => ws.once('open', resolve));
  return { seqs, ws };
}

describe('a push client that stops reading', () => {
  it.each([
    ['websocket', 'disconnect', webSocketUpgrade('/ws')],
    ['websocket', 'skip-to-latest', webSocketUpgrade('/ws')],
    ['sse', 'disconnect', plainGet('/sse')],
    ['sse', 'skip-to-latest', plainGet('/sse')],
  ] as const)(
    'over %s with %s is bounded, counted and harms no one else',
    async (transport, policy: SlowConsumerPolicy, opening) => {
      const port = await start({ slowConsumers: { maxQueuedBytes: 1024 * 1024, policy } });
      const feed = server!;
      const normal = await normalClient(port);
      const paused = await rawClient(port, opening, true);
      await publishBurst(feed, BURST);
      // A disconnected slow consumer has DISCONNECT_GRACE_MS to read its close before the server
      // cuts the socket: it resumes as soon as the server has counted the disconnect, not after
      // the normal client's checks (on a busy machine those took longer than the grace, and the
      // cut reset the connection before the close frame was read).
      if (policy === 'disconnect') {
        await expect.poll(() => feed.slowConsumerCounts().disconnects, { timeout: 10_000 }).toBe(1);
        paused.socket.resume();
      }

      await expect.poll(() => normal.seqs.length, { timeout: 10_000 }).toBe(BURST);
      expect(normal.seqs).toEqual(Array.from({ length: BURST }, (_, i) => i + 1));
      const counts = feed.slowConsumerCounts();
      expect(counts.peakQueuedBytes).toBeGreaterThan(1024 * 1024);
      // What the server held for the paused client stayed near the bound, not the 19 MiB published.
      expect(counts.peakQueuedBytes).toBeLessThan(1024 * 1024 + 2 * PAYLOAD.length);

      if (policy !== 'disconnect') paused.socket.resume();
      if (policy === 'disconnect') {
        expect(counts).toMatchObject({ disconnects: 1, skips: 0 });
        // WebSocket: a close frame with 1008 (0x03f0) and the reason; SSE: the chunked stream's
        // last chunk.
        const ended =
          transport === 'websocket'
            ? (text: string) => /\x88.\x03\xf0slow consumer/s.test(text)
            : (text: string) => text.endsWith('\r\n0\r\n\r\n');
        await paused.waitFor(ended);
      } else {
        // The skip happens when the socket drains: a gap message, then the feed from the newest
        // update.
        await paused.waitFor((text) => text.includes(`"seq":${BURST},`));
        expect(paused.text()).toContain('"type":"gap"');
        const after = feed.slowConsumerCounts();
        expect(after.disconnects).toBe(0);
        expect(after.skips).toBeGreaterThanOrEqual(1);
        expect(after.skippedUpdates).toBeGreaterThan(0);
      }
      normal.ws.close();
      await expectAlive(port);
    },
  );
});

/**
 * A client WebSocket text frame written by hand: masked, with a zero key, so the payload stays as
 * it is.
 */
function maskedTextFrame(payload: string): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([
    Buffer.from([0x81, 0x80 | 126, body.length >> 8, body.length & 0xff, 0, 0, 0, 0]),
    body,
  ]);
}

describe('a WebSocket client that sends echoes and never reads the answers', () => {
  it('is closed with 1008 once its unread answers pass the bound, and a client beside it is unharmed', async () => {
    const port = await start({
      slowConsumers: { maxQueuedBytes: 1024 * 1024, policy: 'disconnect' },
    });
    const normal = await normalClient(port);
    const flooder = await rawClient(port, webSocketUpgrade('/ws'), true);
    const frame = maskedTextFrame(
      JSON.stringify({ type: 'echo', data: 'x'.repeat(60_000), id: 1 }),
    );
    // 18 MB of echoes: far past the kernel's buffers and the 1 MiB bound.
    for (let i = 0; i < 300; i++)
      if (!flooder.socket.write(frame))
        await new Promise((resolve) => flooder.socket.once('drain', resolve));
    server!.publisher.publishNow('after');
    await expect.poll(() => normal.seqs).toEqual([1]);
    flooder.socket.resume();
    await flooder.waitFor((text) =>
      /\x88.\x03\xf0slow consumer: \d+ bytes of answers unread/s.test(text),
    );
    normal.ws.close();
    await expectAlive(port);
  });
});

describe('poll answers are bounded', () => {
  it('GET /poll?since=0 over a large history answers at most 1 MiB with "more": true, and the rest follows', async () => {
    const port = await start({});
    for (let i = 0; i < 50; i++) server!.publisher.publishNow(PAYLOAD);
    let since = 0;
    let answers = 0;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/poll?since=${since}`);
      const body = await res.text();
      expect(body.length).toBeLessThanOrEqual(1024 * 1024 + 200);
      const answer = JSON.parse(body) as { updates: { seq: number }[]; more?: boolean };
      expect(answer.updates[0]?.seq).toBe(since + 1);
      since = answer.updates.at(-1)!.seq;
      answers++;
      if (!answer.more) break;
    }
    expect(since).toBe(50);
    expect(answers).toBeGreaterThan(3);
  });

  it('feedbench\'s polling client follows "more": it asks again at once and gets every update in order', async () => {
    const port = await start({});
    const seqs: number[] = [];
    const errors: string[] = [];
    let polls = 0;
    const client = createShortPollClient(
      // One poll a minute, the first 300 ms from now: only asking again at once gets all in time.
      {
        host: '127.0.0.1',
        port,
        http: '1.1',
        headerProfile: 'minimal',
        pollIntervalMs: 60_000,
        pollPhaseMs: (nowUs() / 1000 + 300) % 60_000,
        pollMode: 'fixed-period',
        keepAlive: true,
        longPollTimeoutMs: 30_000,
        wsCompression: false,
      },
      {
        update: (seq) => seqs.push(seq),
        pollCompleted: () => polls++,
        connected: () => {},
        error: (message) => errors.push(message),
      },
    );
    await client.connect();
    for (let i = 0; i < 50; i++) server!.publisher.publishNow(PAYLOAD);
    await expect.poll(() => seqs.length, { timeout: 10_000 }).toBe(50);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // 3.2 MB in answers of at most 1 MiB: at least four polls.
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(errors).toEqual([]);
    client.close();
  });

  it('a long poll past the bound on held polls is answered 503 busy, and the held ones still get their update', async () => {
    const port = await start({ maxHeldLongPolls: 2 });
    const held = [1, 2].map(() =>
      fetch(`http://127.0.0.1:${port}/long-poll?since=0&timeout=10000`),
    );
    await expect.poll(() => server!.openConnections()).toBe(2);
    // The two are held once the server has parsed them; ask until the third is refused.
    let refused: Response | undefined;
    await expect
      .poll(async () => {
        refused = await fetch(`http://127.0.0.1:${port}/long-poll?since=0&timeout=1`);
        return refused.status;
      })
      .toBe(503);
    expect(await refused!.json()).toMatchObject({ error: 'busy' });
    server!.publisher.publishNow('hi');
    for (const answer of await Promise.all(held))
      expect(await answer.json()).toMatchObject({ updates: [{ seq: 1, data: 'hi' }] });
    await expectAlive(port);
  });
});

/** POSTs `body` in chunks with no Content-Length, as a streaming client does. */
function postChunked(
  port: number,
  path: string,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.slice(at, at + 16 * 1024));
    req.end();
  });
}

describe('everything a client can make the server hold is bounded', () => {
  it.each(['/publish', '/echo'])(
    'a 200 KB POST %s is answered 413, sized or chunked',
    async (path) => {
      const port = await start({});
      const body = JSON.stringify({ data: 'x'.repeat(200_000), id: 1 });
      const sized = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(sized.status).toBe(413);
      expect(await sized.json()).toMatchObject({ error: 'body_too_large' });
      const chunked = await postChunked(port, path, body);
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body)).toMatchObject({ error: 'body_too_large' });
      expect(server!.publisher.ring.last).toBe(0);
      await expectAlive(port);
    },
  );

  it('request headers over 16 KiB are answered 431', async () => {
    const port = await start({});
    const client = await rawClient(
      port,
      plainGet('/health', `X-Padding: ${'p'.repeat(20_000)}\r\n`),
    );
    expect(client.text()).toMatch(/^HTTP\/1\.1 431 /);
    await expectAlive(port);
  });

  it.each([
    ['a frame over 64 KiB', 1009, JSON.stringify({ type: 'echo', data: 'x'.repeat(70_000) })],
    ['an unknown type', 1003, JSON.stringify({ type: 'subscribe', data: 'x' })],
    ['a frame that is not an object', 1007, '[1,2]'],
    ['a frame without a string data', 1007, JSON.stringify({ type: 'echo', data: 5 })],
  ])(
    'a WebSocket sending %s is closed with %i, and a client beside it is unharmed',
    async (_what, code, frame) => {
      const port = await start({});
      const normal = await normalClient(port);
      const bad = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      bad.on('error', () => {});
      const closedWith = await new Promise<number>((resolve) => {
        bad.once('open', () => bad.send(frame));
        bad.once('close', resolve);
      });
      expect(closedWith).toBe(code);
      server!.publisher.publishNow('after');
      await expect.poll(() => normal.seqs).toEqual([1]);
      normal.ws.close();
      await expectAlive(port);
    },
  );
});
