import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, constants, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import {
  createFeedServer,
  DEFAULT_SERVER_OPTIONS,
  type FeedServer,
} from '../src/server/feed-server.ts';
import { MAX_H2_STREAMS_PER_CONNECTION } from '../src/protocol/feed-protocol.ts';
import { waitFor } from './helpers/cli.ts';
import { RawH2Client } from './helpers/raw-h2.ts';

let server: FeedServer;
let origin: string;
let port: number;

beforeAll(async () => {
  server = createFeedServer(DEFAULT_SERVER_OPTIONS);
  port = await server.listen(0, '127.0.0.1');
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => server.close());

/** An h2c session with prior knowledge, its SETTINGS received. */
async function session(): Promise<ClientHttp2Session> {
  const s = connect(origin);
  s.on('error', () => {});
  await new Promise((r) => s.once('remoteSettings', r));
  return s;
}

/** One request's status and body over HTTP/2. */
function exchange(
  s: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = s.request(headers, { endStream: body === undefined });
    let status = 0;
    let text = '';
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (text += d));
    stream.on('end', () => resolve({ status, body: text }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

describe('bad requests over HTTP/2 get what they get over HTTP/1.1', () => {
  let s: ClientHttp2Session;
  beforeAll(async () => (s = await session()));
  afterAll(() => s.close());

  it.each([
    [{ ':path': '/poll?since=-1' }, undefined, 400, 'bad_cursor'],
    [{ ':path': '/long-poll?since=0&timeout=999999' }, undefined, 400, 'bad_timeout'],
    [{ ':path': '/sse', 'last-event-id': 'nope' }, undefined, 400, 'bad_cursor'],
    [{ ':path': '/nothing' }, undefined, 404, 'not_found'],
    [{ ':path': '/poll', ':method': 'DELETE' }, undefined, 405, 'method_not_allowed'],
    [
      { ':path': '/publish', ':method': 'POST' },
      JSON.stringify({ data: 'x'.repeat(70_000) }),
      413,
      'body_too_large',
    ],
    [{ ':path': '/publish', ':method': 'POST' }, '{oops', 400, 'bad_request'],
    [{ ':path': '/publish', ':method': 'POST' }, '{"data":5}', 400, 'bad_body'],
    [
      { ':path': '/feed', ':method': 'POST', 'content-length': '12' },
      '{"rate":-3}\n',
      400,
      'bad_rate',
    ],
  ])('%o is a %i', async (headers, body, status, code) => {
    const answer = await exchange(s, headers, body);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({ error: code });
  });

  it('a body without content-length (HTTP/2 needs none) is read', async () => {
    const answer = await exchange(
      s,
      { ':path': '/echo', ':method': 'POST' },
      '{"data":"hi","id":"1"}',
    );
    expect(answer).toEqual({ status: 200, body: '{"data":"hi","id":"1"}' });
  });
});

describe('extended CONNECT (RFC 8441) takes only WebSocket, to /ws, version 13', () => {
  let s: ClientHttp2Session;
  beforeAll(async () => (s = await session()));
  afterAll(() => s.close());

  it('the server announces SETTINGS_ENABLE_CONNECT_PROTOCOL', () =>
    expect(s.remoteSettings.enableConnectProtocol).toBe(true));
  it.each([
    [{ ':protocol': 'not-websocket', ':path': '/ws' }, 400, 'bad_protocol'],
    [{ ':protocol': 'websocket', ':path': '/nowhere' }, 404, 'not_found'],
    [
      { ':protocol': 'websocket', ':path': '/ws', 'sec-websocket-version': '8' },
      400,
      'bad_websocket_version',
    ],
    [
      { ':protocol': 'websocket', ':path': '/ws?since=zz', 'sec-websocket-version': '13' },
      400,
      'bad_cursor',
    ],
  ])('%o is a %i', async (headers, status, code) => {
    const answer = await exchange(
      s,
      { ':method': 'CONNECT', ':scheme': 'http', 'sec-websocket-version': '13', ...headers },
      '',
    );
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({ error: code });
  });

  it('a CONNECT without :protocol (a tunnel) is a 405', async () => {
    const answer = await exchange(s, { ':method': 'CONNECT', ':authority': 'elsewhere:443' }, '');
    expect(answer.status).toBe(405);
  });
});

describe('abuse of one HTTP/2 connection harms neither the server nor other connections', () => {
  it('a flood of streams reset at once, past the stream limit, and a stream reset mid-answer', async () => {
    const bystander = await session();
    const sse = bystander.request({ ':path': '/sse' });
    const seen: string[] = [];
    sse.setEncoding('utf8');
    sse.on('data', (d: string) => seen.push(d));
    await new Promise((r) => sse.once('response', r));

    // Rapid reset: many streams opened and cancelled at once (CVE-2023-44487's pattern).
    const flood = await session();
    for (let i = 0; i < 3_000; i++) {
      const st = flood.request({ ':path': `/long-poll?since=${1e9}` });
      st.on('error', () => {});
      st.close(constants.NGHTTP2_CANCEL);
    }
    // More held long polls than the connection may hold (node's own client would queue them; this
    // one does not): past the limit, streams are refused or the connection is told to go away.
    const greedy = await RawH2Client.open(port);
    greedy.openStreams(MAX_H2_STREAMS_PER_CONNECTION + 50, `/long-poll?since=${1e9}&timeout=5000`);
    const RST_STREAM = 0x3;
    const GOAWAY = 0x7;
    await waitFor(
      () =>
        greedy.frames.filter((f) => f.type === RST_STREAM).length >= 50 ||
        greedy.frames.some((f) => f.type === GOAWAY),
      5_000,
      'the server to refuse streams past its limit',
    );
    greedy.close();

    // A stream reset while its answer is flowing.
    const cut = await session();
    const cutStream = cut.request({ ':path': '/sse?since=0' });
    cutStream.on('error', () => {});
    await new Promise((r) => cutStream.once('response', r));
    server.publisher.publishNow('while cutting');
    cutStream.close(constants.NGHTTP2_CANCEL);

    // The server answers, and the bystander's stream still carries updates.
    server.publisher.publishNow('after the abuse');
    await waitFor(
      () => seen.join('').includes('after the abuse'),
      5_000,
      'the bystander to receive an update published after the abuse',
    );
    const fresh = await session();
    expect((await exchange(fresh, { ':path': '/health' })).status).toBe(200);
    for (const s of [bystander, flood, cut, fresh]) s.destroy();
  });
});
