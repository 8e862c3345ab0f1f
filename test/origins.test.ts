import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:http2';
import { WebSocket } from 'ws';
import {
  createFeedServer,
  DEFAULT_SERVER_OPTIONS,
  type FeedServer,
} from '../src/server/feed-server.ts';
import { SELF_ORIGIN } from '../src/protocol/origins.ts';

let server: FeedServer;
let own: string;

beforeAll(async () => {
  server = createFeedServer({
    ...DEFAULT_SERVER_OPTIONS,
    allowedOrigins: [SELF_ORIGIN, 'http://friend.example'],
  });
  own = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
afterAll(() => server.close());

/** The status a WebSocket upgrade from `origin` gets: 101 when it opens. */
function upgradeStatus(origin: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${own.replace('http', 'ws')}/ws`, { origin });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

describe('an allowed-origins list (docs/protocol.md "Origins")', () => {
  it('lets requests without Origin in (not a browser, or a same-origin GET)', async () => {
    const res = await fetch(`${own}/poll`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("lets the server's own origin and a listed one in, and lets a listed page of another origin read the answer (CORS)", async () => {
    expect((await fetch(`${own}/poll`, { headers: { origin: own } })).status).toBe(200);
    const friend = await fetch(`${own}/poll`, { headers: { origin: 'http://friend.example' } });
    expect(friend.status).toBe(200);
    expect(friend.headers.get('access-control-allow-origin')).toBe('http://friend.example');
  });

  it('refuses any other origin with 403 origin_not_allowed, on polls, SSE and WebSocket, over HTTP/1.1 and HTTP/2', async () => {
    for (const path of ['/poll', '/long-poll', '/sse']) {
      const res = await fetch(`${own}${path}`, { headers: { origin: 'http://evil.example' } });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'origin_not_allowed' });
    }
    expect(await upgradeStatus('http://evil.example')).toBe(403);
    expect(await upgradeStatus(own)).toBe(101);
    const session = connect(own);
    const status = await new Promise<number>((resolve) => {
      const stream = session.request({
        ':method': 'CONNECT',
        ':protocol': 'websocket',
        ':scheme': 'http',
        ':path': '/ws',
        'sec-websocket-version': '13',
        origin: 'http://evil.example',
      });
      stream.on('response', (h) => resolve(Number(h[':status'])));
      stream.on('error', () => resolve(0));
    });
    session.destroy();
    expect(status).toBe(403);
  });
});
