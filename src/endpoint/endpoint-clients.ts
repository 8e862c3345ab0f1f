import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import WebSocket from 'ws';
import { WireCounter } from '../metrics/wire-counter.ts';
import { nowUs } from '../metrics/clock.ts';
import { SseParser } from '../transports/sse/sse-parser.ts';

/** What an endpoint client reports, as it happens. */
export interface EndpointRecorder {
  /** A connection became usable after `us`. */
  connected(us: number): void;
  /**
   * A message arrived; `sentAtRealMs` is the timestamp it carried (real-time clock, ms), if any.
   */
  message(bytes: number, sentAtRealMs: number | null): void;
  /** An echo's message left (its bytes go up now; its answer may come after the window). */
  sent(): void;
  /** An echo came back `us` after it was sent. */
  echoed(us: number): void;
  error(message: string): void;
}

/** Where the endpoint is, and what to trust over TLS. */
export interface EndpointAddress {
  readonly url: URL;
  readonly ca?: string;
}

/** The number at a dotted JSON path (`data.ts`) of a message, or null when it is not there. */
export function numberAt(text: string, path: string): number | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  for (const key of path.split('.'))
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Opens a WebSocket to the endpoint, its socket's bytes counted. */
function openWebSocket(address: EndpointAddress, wire: WireCounter): WebSocket {
  const ws = new WebSocket(address.url, {
    ...(address.ca ? { ca: address.ca } : {}),
    handshakeTimeout: 10_000,
    perMessageDeflate: false,
  });
  ws.once('upgrade', (response: IncomingMessage) => wire.track(response.socket));
  ws.on('error', () => {});
  return ws;
}

/**
 * A WebSocket echo client, as the article's page is: connect, send "How are you?" (padded to
 * `payloadBytes`), time the answer; after `perConnection` answers, close and connect again
 * (1: a connection per message, as the article's server, which answers one message and ends).
 * Runs until `stop()`; `intervalMs` apart per client.
 */
export function webSocketEchoClient(
  address: EndpointAddress,
  recorder: EndpointRecorder,
  wire: WireCounter,
  o: { perConnection: number; intervalMs: number; payloadBytes: number },
): { stop(): void } {
  let stopped = false;
  let current: WebSocket | undefined;
  const message = 'How are you?'.padEnd(o.payloadBytes, '.');
  const session = (): Promise<void> =>
    new Promise((resolve) => {
      const startUs = nowUs();
      const ws = openWebSocket(address, wire);
      current = ws;
      let answered = 0;
      let sentUs = 0;
      const send = () => {
        if (stopped) return ws.close();
        sentUs = nowUs();
        recorder.sent();
        ws.send(message);
      };
      ws.once('open', () => {
        recorder.connected(nowUs() - startUs);
        send();
      });
      ws.on('message', (data: Buffer) => {
        recorder.echoed(nowUs() - sentUs);
        recorder.message(data.length, null);
        if (++answered >= o.perConnection) ws.close();
        else setTimeout(send, o.intervalMs);
      });
      ws.once('unexpected-response', (_req, res) =>
        recorder.error(`the upgrade was answered ${res.statusCode}`),
      );
      ws.once('close', () => resolve());
    });
  void (async () => {
    while (!stopped) {
      await session();
      if (!stopped) await new Promise((r) => setTimeout(r, o.intervalMs));
    }
  })();
  return {
    stop: () => {
      stopped = true;
      current?.terminate();
    },
  };
}

/** A plain WebSocket stream: every message counted, and timed when it carries a timestamp. */
export function webSocketStreamClient(
  address: EndpointAddress,
  recorder: EndpointRecorder,
  wire: WireCounter,
  stamp: (text: string) => number | null,
): { stop(): void } {
  const startUs = nowUs();
  const ws = openWebSocket(address, wire);
  ws.once('open', () => recorder.connected(nowUs() - startUs));
  ws.on('message', (data: Buffer) => recorder.message(data.length, stamp(data.toString())));
  ws.once('unexpected-response', (_req, res) =>
    recorder.error(`the upgrade was answered ${res.statusCode}`),
  );
  ws.once(
    'close',
    (code) => code !== 1000 && code !== 1005 && recorder.error(`the WebSocket closed (${code})`),
  );
  return { stop: () => ws.terminate() };
}

/** A plain SSE stream: every event's data counted, and timed when it carries a timestamp. */
export function sseStreamClient(
  address: EndpointAddress,
  recorder: EndpointRecorder,
  wire: WireCounter,
  stamp: (text: string) => number | null,
): { stop(): void } {
  const startUs = nowUs();
  const request = address.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = request(
    address.url,
    {
      headers: { accept: 'text/event-stream' },
      agent: false,
      ...(address.ca ? { ca: address.ca } : {}),
    },
    (res) => {
      if (res.statusCode !== 200)
        recorder.error(`GET ${address.url.pathname} answered ${res.statusCode}`);
      recorder.connected(nowUs() - startUs);
      res.setEncoding('utf8');
      const parser = new SseParser((event) =>
        recorder.message(Buffer.byteLength(event.data), stamp(event.data)),
      );
      res.on('data', (piece: string) => parser.push(piece));
      res.on('error', () => {});
    },
  );
  req.on('socket', (socket) => wire.track(socket));
  req.on('error', (error) => recorder.error(error.message));
  req.end();
  return { stop: () => req.destroy() };
}
