import { WebSocket } from 'ws';
import { openFeedWebSocket } from '../shared/open-websocket.ts';
import { createSocketIoClient } from '../shared/socketio/socketio-client.ts';
import { PATHS } from '../../protocol/feed-protocol.ts';
import { Reconnector } from '../shared/reconnect-policy.ts';
import { readUpdateHead } from '../shared/update-head.ts';
import type {
  ClientFactory,
  ClientOptions,
  ClientRecorder,
  FeedClient,
  UpstreamKind,
} from '../transport.ts';
import { WireCounter } from '../../metrics/wire-counter.ts';
import { nowUs } from '../../metrics/clock.ts';

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

  constructor(
    private readonly options: ClientOptions,
    private readonly recorder: ClientRecorder,
  ) {
    this.#reconnector = new Reconnector(options.reconnect, {
      isClosed: () => this.#closed,
      reopen: () => this.#open(false),
      report: (m) => recorder.error(m),
    });
  }

  /**
   * Sends a publish or echo frame on the feed's own connection (full duplex: no second connection).
   */
  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new Error('the WebSocket is not open'));
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

  /**
   * After a drop: what awaited an answer fails; then reopen from the last seq received, as the
   * policy says.
   */
  #dropped(message: string): void {
    for (const waiter of this.#awaiting.values()) waiter.reject(new Error(message));
    this.#awaiting.clear();
    this.#reconnector.dropped(message);
  }

  async #open(first: boolean): Promise<void> {
    const startUs = nowUs();
    // A reconnect resumes after the last seq received, as a client library with a cursor does.
    const query = this.#cursor === undefined ? '' : `?since=${this.#cursor}`;
    const ws = await openFeedWebSocket(this.options, `${PATHS.websocket}${query}`, this.wire);
    if (this.#closed) {
      ws.terminate();
      return;
    }
    this.#ws = ws;
    ws.on('message', (data: Buffer) => this.#received(data));
    let up = false;
    ws.once('close', (code, reason) => {
      if (up) this.#dropped(`the server closed the WebSocket (${code} ${reason.toString()})`);
    });
    await new Promise<void>((resolve, reject) => {
      if (ws.readyState === WebSocket.OPEN) resolve();
      ws.once('open', () => resolve());
      // Before the socket was open, the opener hears of it (connect rejects, a reconnect retries).
      ws.on('error', (error) => {
        if (!up) reject(error);
      });
    });
    up = true;
    this.#reconnector.connected();
    const { down, up: sent } = this.wire.totals();
    if (first) this.recorder.connected(nowUs() - startUs, down + sent);
  }

  #received(data: Buffer): void {
    const recvUs = nowUs();
    const head = readUpdateHead(data);
    if (head) {
      this.#cursor = head.seq;
      this.recorder.update(head.seq, head.ts, data.length, recvUs, data);
      return;
    }
    // A `gap` frame needs no record: lost updates are counted from sequence numbers when the cell
    // ends.
    const message = JSON.parse(data.toString()) as {
      seq: number;
      ts: number;
      type?: string;
      id?: unknown;
    };
    if (message.type === 'ack' || message.type === 'echo') this.#answered(message.id);
    else if (message.type === undefined) {
      this.#cursor = message.seq;
      this.recorder.update(message.seq, message.ts, data.length, recvUs, data);
    }
  }

  close(): void {
    this.#closed = true;
    this.#ws?.terminate();
    for (const waiter of this.#awaiting.values()) waiter.reject(new Error('the client is closed'));
    this.#awaiting.clear();
  }
}

/** Makes a WebSocket virtual client. */
export const createWebSocketClient: ClientFactory = (options, recorder) =>
  options.dialect === 'socket.io'
    ? createSocketIoClient(options, recorder, options.upgradeFromPolling ? 'upgrade' : 'websocket')
    : new WebSocketClient(options, recorder);
