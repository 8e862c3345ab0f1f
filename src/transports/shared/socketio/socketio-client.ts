import { WebSocket } from 'ws';
import { decodePacket, encodePacket, type Packet } from 'engine.io-parser';
import { EnginePolling } from './engine-polling.ts';
import { ENGINE_PATH } from './socketio-names.ts';
import { CONNECT_PACKET, SocketIoReader } from './socketio-reader.ts';
import { openFeedWebSocket } from '../open-websocket.ts';
import { ANSWER_TIMEOUT_MS, withDeadline } from '../answer-deadline.ts';
import { WireCounter } from '../../../metrics/wire-counter.ts';
import { nowUs } from '../../../metrics/clock.ts';
import type { ClientOptions, ClientRecorder, FeedClient } from '../../transport.ts';

/**
 * How a Socket.IO client reaches the server: HTTP long polling only, WebSocket only, or long
 * polling first and then the upgrade to WebSocket (Socket.IO's default).
 */
export type SocketIoMode = 'polling' | 'websocket' | 'upgrade';

/** What the open packet says (Engine.IO 4). */
interface Handshake {
  readonly sid: string;
  readonly pingInterval: number;
  readonly pingTimeout: number;
}

/** An Engine.IO packet as text (feedbench sends no binary). */
function encoded(packet: Packet): string {
  let text = '';
  encodePacket(packet, false, (data) => (text = String(data)));
  return text;
}

/**
 * A Socket.IO 4 client (Engine.IO protocol 4, Socket.IO protocol 5) of the feed: it joins the main
 * namespace (`40`), answers the server's pings, and records each `update` event. In `upgrade`
 * mode it long-polls, probes WebSocket (`2probe`/`3probe`), pauses polling once its GET in flight
 * is answered, and sends `5`: its set-up time is the time to upgrade, its handshake bytes those of
 * the polling handshake and the upgrade together.
 */
class SocketIoClient implements FeedClient {
  readonly wire = new WireCounter();
  readonly #reader: SocketIoReader;
  #polling: EnginePolling | undefined;
  #ws: WebSocket | undefined;
  #closed = false;
  #joined: Promise<void>;
  #join!: { resolve(): void; reject(error: Error): void };

  constructor(
    private readonly options: ClientOptions,
    private readonly recorder: ClientRecorder,
    private readonly mode: SocketIoMode,
  ) {
    this.#joined = new Promise((resolve, reject) => (this.#join = { resolve, reject }));
    this.#joined.catch(() => {}); // awaited in connect; a failure after it is the recorder's
    this.#reader = new SocketIoReader({
      connected: () => this.#join.resolve(),
      update: (seq, ts, bytes, data) => this.recorder.update(seq, ts, bytes, nowUs(), data),
      failed: (message) => this.#fail(new Error(message)),
    });
  }

  async connect(): Promise<void> {
    const startUs = nowUs();
    if (this.mode === 'websocket') await this.#openWebSocket();
    else await this.#openPolling();
    await withDeadline(this.#joined, ANSWER_TIMEOUT_MS, "Socket.IO's namespace connect", () =>
      this.close(),
    );
    const { down, up } = this.wire.totals();
    this.recorder.connected(nowUs() - startUs, down + up);
  }

  /** Socket.IO cells receive the feed; upstream is not measured on them. */
  send(): Promise<void> {
    return Promise.reject(new Error('feedbench sends nothing upstream over Socket.IO'));
  }

  close(): void {
    this.#closed = true;
    this.#polling?.close();
    this.#ws?.terminate();
  }

  /** WebSocket only: the open packet comes first on the socket; then the namespace is joined. */
  async #openWebSocket(): Promise<void> {
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const ws = await this.#socket(`${ENGINE_PATH}websocket`, (packet) => {
      if (packet.type === 'open') opened();
      else this.#onPackets([packet]);
    });
    this.#useWebSocket(ws);
    await withDeadline(open, ANSWER_TIMEOUT_MS, "Engine.IO's open packet", () => ws.terminate());
    this.#sendMessage(CONNECT_PACKET);
  }

  /** Long polling: the handshake, the namespace's connect, and for `upgrade` the upgrade. */
  async #openPolling(): Promise<void> {
    let holdMs = ANSWER_TIMEOUT_MS;
    const polling = new EnginePolling(
      this.options,
      this.wire,
      `${ENGINE_PATH}polling`,
      (packets) => this.#onPackets(packets),
      (error) => this.#fail(error),
      // A GET is answered within a ping interval: the server pings on it.
      () => holdMs,
    );
    this.#polling = polling;
    const handshake = JSON.parse(await polling.handshake()) as Handshake;
    holdMs = handshake.pingInterval + handshake.pingTimeout;
    polling.send({ type: 'message', data: CONNECT_PACKET });
    polling.start();
    if (this.mode === 'upgrade') await this.#upgrade(handshake.sid);
  }

  /** Engine.IO's upgrade: probe the WebSocket, pause polling, then switch. */
  async #upgrade(sid: string): Promise<void> {
    let probed!: { resolve(): void; reject(error: Error): void };
    const probe = new Promise<void>((resolve, reject) => (probed = { resolve, reject }));
    let upgraded = false;
    const ws = await this.#socket(
      `${ENGINE_PATH}websocket&sid=${encodeURIComponent(sid)}`,
      (packet) => {
        if (upgraded) this.#onPackets([packet]);
        else if (packet.type === 'pong' && packet.data === 'probe') probed.resolve();
        else probed.reject(new Error(`Engine.IO answered the probe with a ${packet.type} packet`));
      },
    );
    ws.send(encoded({ type: 'ping', data: 'probe' }));
    await withDeadline(probe, ANSWER_TIMEOUT_MS, "Engine.IO's probe", () => ws.terminate());
    // The server answers the GET in flight (a noop) once probed; nothing is lost between.
    await this.#polling?.pause();
    this.#polling?.close();
    this.#polling = undefined;
    upgraded = true;
    this.#useWebSocket(ws);
    ws.send(encoded({ type: 'upgrade' }));
  }

  /**
   * Opens a WebSocket to Engine.IO at `path`, its packets to `onPacket` from the first frame (the
   * server may send one in the same read as its 101), and resolves once it is open.
   */
  async #socket(path: string, onPacket: (packet: Packet) => void): Promise<WebSocket> {
    const ws = await openFeedWebSocket(this.options, path, this.wire);
    ws.on('message', (frame: Buffer) => onPacket(decodePacket(frame.toString('utf8'))));
    if (ws.readyState === WebSocket.OPEN) return ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return ws;
  }

  /** From now on, packets go out on `ws`, and its close or failure ends the client. */
  #useWebSocket(ws: WebSocket): void {
    this.#ws = ws;
    ws.once('close', (code) => this.#fail(new Error(`the server closed the WebSocket (${code})`)));
    ws.on('error', (error) => this.#fail(error));
  }

  #onPackets(packets: Packet[]): void {
    const recvUs = nowUs();
    let updates = 0;
    for (const packet of packets) {
      if (packet.type === 'message' && typeof packet.data === 'string') {
        if (this.#reader.read(packet.data)) updates++;
      } else if (packet.type === 'ping') this.#sendPacket({ type: 'pong' });
      else if (packet.type === 'close') this.#fail(new Error('the server closed the session'));
    }
    // A long poll's answer counts as a poll (a pong or a noop carries no update).
    if (this.#polling && !this.#ws) this.recorder.pollCompleted(updates, recvUs);
  }

  #sendMessage(data: string): void {
    this.#sendPacket({ type: 'message', data });
  }

  #sendPacket(packet: Packet): void {
    if (this.#ws) this.#ws.send(encoded(packet));
    else this.#polling?.send(packet);
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#join.reject(error);
    this.recorder.error(error.message);
    this.close();
  }
}

/** Makes a Socket.IO client of the feed in `mode`. */
export function createSocketIoClient(
  options: ClientOptions,
  recorder: ClientRecorder,
  mode: SocketIoMode,
): FeedClient {
  return new SocketIoClient(options, recorder, mode);
}
