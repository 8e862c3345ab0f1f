import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { measureEndpoint, type EndpointPlan } from '../src/endpoint/measure-endpoint.ts';
import { EndpointFileSchema } from '../src/results/index.ts';
import { startFeedbench } from './helpers/cli.ts';

const PLAN: EndpointPlan = {
  kind: 'ws-echo',
  clients: 2,
  warmupMs: 200,
  durationMs: 1_200,
  perConnection: 1,
  intervalMs: 30,
  payloadBytes: 12,
  timestampUnit: 'ms',
};

const listening = async (server: Server): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

/**
 * The article's server, in Node: answers the first message of each connection, then the connection
 * ends.
 */
function articleServer(): Server {
  const http = createServer();
  new WebSocketServer({ server: http }).on('connection', (ws) => {
    ws.once('message', (data) => {
      ws.send(`Client:${data.toString()}\nServer:I am fine, thanks!`);
      ws.close();
    });
  });
  return http;
}

describe('adapters for endpoints that do not speak the feed protocol', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections?.();
      s.close();
    }
  });

  it("times the article's one-message-per-connection WebSocket echo: a connection per round trip", async () => {
    const server = articleServer();
    servers.push(server);
    const port = await listening(server);
    const result = await measureEndpoint({ url: new URL(`ws://127.0.0.1:${port}/`) }, PLAN);
    expect(EndpointFileSchema.parse(result)).toEqual(result);
    expect(result.round_trip_us!.count).toBe(result.messages);
    expect(result.messages).toBeGreaterThan(10);
    // One answer per connection: as many connections as answers (and the warm-up's).
    expect(result.connections).toBeGreaterThanOrEqual(result.messages);
    // "Client:How are you?\nServer:I am fine, thanks!" is 45 bytes; each message also pays its
    // connection's handshake.
    expect(result.payload_bytes_per_message).toBe(45);
    expect(result.bytes_down_per_message!).toBeGreaterThan(45 + 100);
    expect(result.latency_us).toBeNull();
    expect(result.latency_not_measured).toMatch(/round trip/);
    expect(result.errors.count).toBe(0);
  });

  it('keeps one connection for many messages when asked, so a message pays no handshake', async () => {
    const http = createServer();
    new WebSocketServer({ server: http }).on('connection', (ws) =>
      ws.on('message', (data) => ws.send(data.toString())),
    );
    servers.push(http);
    const port = await listening(http);
    const result = await measureEndpoint(
      { url: new URL(`ws://127.0.0.1:${port}/`) },
      { ...PLAN, perConnection: 1_000_000 },
    );
    expect(result.connections).toBe(2);
    expect(result.bytes_down_per_message).toBe(14); // 12 bytes of payload and a 2-byte frame header
    expect(result.bytes_up_per_message).toBe(18); // a client's frame is masked: 4 bytes more
  });

  it('times a plain WebSocket stream by the timestamp each message carries, and says when there is none', async () => {
    const http = createServer();
    new WebSocketServer({ server: http }).on('connection', (ws) => {
      const timer = setInterval(() => ws.send(JSON.stringify({ price: 1, ts: Date.now() })), 20);
      ws.on('close', () => clearInterval(timer));
    });
    servers.push(http);
    const port = await listening(http);
    const timed = await measureEndpoint(
      { url: new URL(`ws://127.0.0.1:${port}/`) },
      { ...PLAN, kind: 'ws-stream', timestampPath: 'ts' },
    );
    expect(timed.messages_per_s).toBeGreaterThan(40);
    expect(timed.latency_us!.count).toBe(timed.messages);
    expect(timed.latency_us!.p50).toBeLessThan(200_000);
    const untimed = await measureEndpoint(
      { url: new URL(`ws://127.0.0.1:${port}/`) },
      { ...PLAN, kind: 'ws-stream' },
    );
    expect(untimed.latency_us).toBeNull();
    expect(untimed.latency_not_measured).toBe(
      'the messages carry no timestamp feedbench was told of (--timestamp-path)',
    );
  });

  it('reads a plain SSE stream, a timestamp at a nested path in µs, from the command line', async () => {
    const http = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(
        () =>
          res.write(
            `data: ${JSON.stringify({ quote: { at: Math.round((performance.timeOrigin + performance.now()) * 1000) } })}\n\n`,
          ),
        25,
      );
      res.on('close', () => clearInterval(timer));
    });
    servers.push(http);
    const port = await listening(http);
    const out = join(mkdtempSync(join(tmpdir(), 'feedbench-endpoint-')), 'sse.json');
    // Asynchronous: the endpoint answers from this process.
    const child = startFeedbench([
      'measure',
      `http://127.0.0.1:${port}/stream`,
      '--kind',
      'sse-stream',
      '--timestamp-path',
      'quote.at',
      '--timestamp-unit',
      'us',
      '--duration-ms',
      '1000',
      '--out',
      out,
    ]);
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
    expect(stdout).toMatch(/latency \(timestamp to receipt\): p50 \d+\.\d\d ms/);
    const result = EndpointFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(result.messages).toBeGreaterThan(20);
    expect(result.latency_us!.count).toBe(result.messages);
  });
});
