import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  createFeedServer,
  DEFAULT_SERVER_OPTIONS,
  type FeedServer,
} from '../src/server/feed-server.ts';

// Both fronts (Express, and bare node:http for the node-http server) answer every bad request alike.
describe.each(['express', 'none'] as const)('framework: %s', (framework) => {
  let server: FeedServer;
  let base: string;
  let port: number;

  beforeAll(async () => {
    server = createFeedServer({ ...DEFAULT_SERVER_OPTIONS, framework });
    port = await server.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => server.close());

  async function expectError(path: string, init: RequestInit, status: number, code: string) {
    const res = await fetch(base + path, init);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: code });
  }

  describe('bad requests get a 4xx with an error body, and the server carries on', () => {
    it.each([
      ['/poll?since=-1', 'bad_cursor'],
      ['/poll?since=abc', 'bad_cursor'],
      ['/poll?since=1&since=2', 'bad_cursor'],
      ['/long-poll?since=0&timeout=x', 'bad_timeout'],
      ['/long-poll?since=0&timeout=999999', 'bad_timeout'],
      ['/sse?since=1.5', 'bad_cursor'],
    ])('GET %s is a 400 %s', (path, code) => expectError(path, {}, 400, code));

    it('a bad Last-Event-ID is a 400', () =>
      expectError('/sse', { headers: { 'Last-Event-ID': 'nope' } }, 400, 'bad_cursor'));
    it('an unknown path is a 404', () => expectError('/nothing', {}, 404, 'not_found'));
    it('a wrong method is a 405', () =>
      expectError('/poll', { method: 'DELETE' }, 405, 'method_not_allowed'));
    it('a body over 64 KiB is a 413', () =>
      expectError(
        '/publish',
        {
          method: 'POST',
          body: JSON.stringify({ data: 'x'.repeat(70_000) }),
          headers: { 'content-type': 'application/json' },
        },
        413,
        'body_too_large',
      ));
    it('a publish body that is not JSON is a 400', () =>
      expectError('/publish', { method: 'POST', body: '{oops' }, 400, 'bad_request'));
    it('a publish body without a string data is a 400', () =>
      expectError('/publish', { method: 'POST', body: '{"data":5}' }, 400, 'bad_body'));
    it('a bad feed rate is a 400', () =>
      expectError('/feed', { method: 'POST', body: '{"rate":-3}' }, 400, 'bad_rate'));

    it('a WebSocket upgrade with a bad cursor is refused with a 400', async () => {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?since=zz`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => {});
      });
      expect(status).toBe(400);
    });

    it('a WebSocket frame that is not JSON closes that socket with 1007, and only that one', async () => {
      const bystander = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      await new Promise((r) => bystander.once('open', r));
      const code = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
        ws.once('open', () => ws.send('not json'));
        ws.once('close', (c) => resolve(c));
      });
      expect(code).toBe(1007);
      const echoed = await new Promise<string>((resolve) => {
        bystander.once('message', (d) => resolve(d.toString()));
        bystander.send(JSON.stringify({ type: 'echo', data: 'How are you?', id: 'a' }));
      });
      expect(JSON.parse(echoed)).toEqual({ type: 'echo', data: 'How are you?', id: 'a' });
      bystander.close();
    });

    it('answers health, clock, publish, echo and feed as the protocol says', async () => {
      expect(await (await fetch(`${base}/health`)).json()).toEqual({
        protocol: 1,
        version: '1.1',
        transports: ['short-poll', 'long-poll', 'sse', 'websocket'],
      });
      expect(await (await fetch(`${base}/clock`)).json()).toMatchObject({ clock: 'monotonic' });
      const ack = (await (
        await fetch(`${base}/publish`, { method: 'POST', body: '{"data":"hi","id":"c1"}' })
      ).json()) as { seq: number };
      expect(ack).toMatchObject({ id: 'c1' });
      expect(
        await (
          await fetch(`${base}/echo`, { method: 'POST', body: '{"data":"How are you?","id":7}' })
        ).json(),
      ).toEqual({ data: 'How are you?', id: 7 });
      expect(
        await (
          await fetch(`${base}/feed`, { method: 'POST', body: '{"rate":0,"payloadBytes":16}' })
        ).json(),
      ).toEqual({ rate: 0, payloadBytes: 16 });
      const poll = (await (await fetch(`${base}/poll?since=0`)).json()) as {
        updates: { seq: number }[];
      };
      expect(poll.updates.at(-1)).toMatchObject({ seq: ack.seq, data: 'hi' });
    });
  });
});
