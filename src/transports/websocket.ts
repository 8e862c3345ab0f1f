import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { MAX_BODY_BYTES, PATHS, ProtocolError, gapMessage, parseNonNegativeInt } from '../protocol/feed-protocol.ts';
import type { Publisher } from '../feed/publisher.ts';
import { webSocketHeaders } from './header-profiles.ts';
import { openClientSocket } from './client-socket.ts';
import { Reconnector } from './reconnect-policy.ts';
import { readUpdateHead } from './update-head.ts';
import type { ClientFactory, ClientOptions, ClientRecorder, FeedClient, ServerTransport, UpstreamKind } from './transport.ts';
import { WireCounter } from '../metrics/wire-counter.ts';
import { nowUs } from '../metrics/clock.ts';

/** Answers a refused upgrade with a plain HTTP error on the raw socket, then closes it. */
function refuseUpgrade(socket: Duplex, error: ProtocolError): void {
  const body = JSON.stringify(error.toBody());
  const reason = error.status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(`HTTP/1.1 ${error.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Handles one client frame: `publish` and `echo` (PROTOCOL.md); anything else closes with 1003/1007. */
function onClientFrame(ws: WebSocket, publisher: Publisher, data: RawData, isBinary: boolean): void {
  if (isBinary) {
    ws.close(1003, 'binary frames are not part of the feed protocol');
    return;
  }
  let message: { type?: unknown; data?: unknown; id?: unknown };
  try {
    message = JSON.parse(data.toString()) as typeof message;
  } catch {
    ws.close(1007, 'frame is not JSON');
    return;
  }
  if (message === null || typeof message !== 'object' || typeof message.data !== 'string') {
    ws.close(1007, 'frame must be a JSON object with a string data');
    return;
  }
  if (message.type === 'echo') {
    ws.send(JSON.stringify(message));
  } else if (message.type === 'publish') {
    const id = message.id;
    publisher.publishForClient(message.data).then(
      (seq) => ws.send(JSON.stringify({ type: 'ack', id, seq })),
      (error: Error) => ws.close(1011, `could not publish: ${error.message}`.slice(0, 120)),
    );
  } else {
    ws.close(1003, `unknown frame type ${JSON.stringify(message.type)}`);
  }
}

/**
 * WebSocket, server side (`ws`): `GET /ws?since=N` upgrades; the server sends every update after
 * the cursor, then one text frame per published update. Compression off unless configured.
 */
export function webSocketServer(compression: boolean): ServerTransport {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: compression, maxPayload: MAX_BODY_BYTES });
  return {
    name: 'websocket',
    mount(_app, httpServer, publisher) {
      httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        socket.on('error', () => socket.destroy());
        const url = new URL(req.url ?? '/', 'http://feed');
        try {
          if (url.pathname !== PATHS.websocket) throw new ProtocolError(404, 'not_found', `no WebSocket endpoint at ${url.pathname}`);
          const since = parseNonNegativeInt(url.searchParams.get('since') ?? undefined, 'since', 'bad_cursor') ?? publisher.ring.last;
          wss.handleUpgrade(req, socket, head, (ws) => {
            const backlog = publisher.ring.since(since);
            if (backlog.gap) ws.send(gapMessage(backlog.gap.from, backlog.gap.to));
            for (const update of backlog.updates) ws.send(update.json);
            ws.on('message', (data, isBinary) => onClientFrame(ws, publisher, data, isBinary));
            ws.on('error', () => ws.terminate());
            wss.emit('connection', ws, req);
          });
        } catch (error) {
          if (error instanceof ProtocolError) refuseUpgrade(socket, error);
          else socket.destroy();
        }
      });
      publisher.onPublish((update) => {
        // fairness: the payload is made into bytes once per update, as SSE does with its frame;
        // `ws` then frames it per connection (it must when compression is on).
        const payload = Buffer.from(update.json);
        for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(payload, { binary: false });
      });
    },
    heldConnections: () => wss.clients.size,
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

/** WebSocket, client side (`ws`): one connection, one update per text frame. */
class WebSocketClient implements FeedClient {
  readonly wire = new WireCounter();
  #ws: WebSocket | undefined;
  #closed = false;
  /** The last seq received: a reconnect asks for what follows it. */
  #cursor: number | undefined;
  readonly #reconnector: Reconnector;
  /** Upstream messages awaiting their ack or echo, by id. */
  readonly #awaiting = new Map<string, { resolve(): void; reject(error: Error): void }>();

  constructor(private readonly options: ClientOptions, private readonly recorder: ClientRecorder) {
    this.#reconnector = new Reconnector(options.reconnect, { isClosed: () => this.#closed, reopen: () => this.#open(false), report: (m) => recorder.error(m) });
  }

  /** Sends a publish or echo frame on the feed's own connection (full duplex: no second connection). */
  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the WebSocket is not open'));
    return new Promise((resolve, reject) => {
      this.#awaiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ type: kind, data, id }), (error) => {
        if (error) {
          this.#awaiting.delete(id);
          reject(error);
        }
      });
    });
  }

  #answered(id: unknown): void {
    const waiter = this.#awaiting.get(String(id));
    this.#awaiting.delete(String(id));
    waiter?.resolve();
  }

  connect(): Promise<void> {
    return this.#open(true);
  }

  /** After a drop: what awaited an answer fails; then reopen from the last seq received, as the policy says. */
  #dropped(message: string): void {
    for (const waiter of this.#awaiting.values()) waiter.reject(new Error(message));
    this.#awaiting.clear();
    this.#reconnector.dropped(message);
  }

  #open(first: boolean): Promise<void> {
    const { host, port, headerProfile, wsCompression, tlsCa } = this.options;
    const startUs = nowUs();
    // A reconnect resumes after the last seq received, as a client library with a cursor does.
    const query = this.#cursor === undefined ? '' : `?since=${this.#cursor}`;
    return new Promise((resolve, reject) => {
      let up = false;
      const ws = new WebSocket(`${tlsCa ? 'wss' : 'ws'}://${host}:${port}${PATHS.websocket}${query}`, {
        perMessageDeflate: wsCompression,
        // The driver reads only seq and ts; validating every payload's UTF-8 is work a measuring
        // client need not do (the server side still validates what it receives).
        skipUTF8Validation: true,
        headers: webSocketHeaders(headerProfile, `${host}:${port}`),
        // feedbench opens the socket itself, so that wire bytes are counted on the TCP socket
        // (under TLS, when there is TLS) from the first byte of the upgrade.
        createConnection: () => {
          const { socket, raw } = openClientSocket(this.options);
          this.wire.track(raw);
          return socket;
        },
      });
      this.#ws = ws;
      ws.once('open', () => {
        up = true;
        this.#reconnector.connected();
        const { down, up: sent } = this.wire.totals();
        if (first) this.recorder.connected(nowUs() - startUs, down + sent);
        resolve();
      });
      ws.on('message', (data: Buffer) => {
        const recvUs = nowUs();
        const head = readUpdateHead(data);
        if (head) {
          this.#cursor = head.seq;
          this.recorder.update(head.seq, head.ts, data.length, recvUs, data);
          return;
        }
        const message = JSON.parse(data.toString()) as { seq: number; ts: number; type?: string; from?: number; to?: number; id?: unknown };
        if (message.type === 'gap') this.recorder.gap(message.from!, message.to!);
        else if (message.type === 'ack' || message.type === 'echo') this.#answered(message.id);
        else if (message.type === undefined) {
          this.#cursor = message.seq;
          this.recorder.update(message.seq, message.ts, data.length, recvUs, data);
        }
      });
      ws.once('error', (error) => {
        // Before the upgrade completed, the opener hears of it (connect rejects, a reconnect retries).
        if (!up) reject(error);
      });
      ws.once('close', (code, reason) => {
        if (up) this.#dropped(`the server closed the WebSocket (${code} ${reason.toString()})`);
      });
    });
  }

  close(): void {
    this.#closed = true;
    this.#ws?.terminate();
    for (const waiter of this.#awaiting.values()) waiter.reject(new Error('the client is closed'));
    this.#awaiting.clear();
  }
}

/** Makes a WebSocket virtual client. */
export const createWebSocketClient: ClientFactory = (options, recorder) => new WebSocketClient(options, recorder);
