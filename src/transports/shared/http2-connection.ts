import {
  connect as h2Connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type OutgoingHttpHeaders,
} from 'node:http2';
import type { Socket } from 'node:net';
import { openClientSocket, type SocketTarget } from './client-socket.ts';
import { H2FrameTap } from '../../metrics/h2-frame-tap.ts';
import type { ResponseHandler } from './response-handler.ts';
import { ANSWER_TIMEOUT_MS, withDeadline } from './answer-deadline.ts';

/**
 * One HTTP/2 client connection (h2 over TLS by ALPN, or h2c with prior knowledge), as a browser
 * holds one per origin: every request is a stream on it. When tapped, its frames pass through a
 * tap, so the bytes are split into header blocks, data and framing; `raw` is the TCP socket under
 * it all. Untapped, node:http2 reads the socket natively: the tap makes node:http2 read through
 * JavaScript (a JSStreamSocket), and that cost 18% of the driver's CPU per request (docs/driver.md).
 */
export class Http2Connection {
  readonly session: ClientHttp2Session;
  readonly raw: Socket;
  readonly tap: H2FrameTap | undefined;
  #closed = false;

  /**
   * The server's SETTINGS: resolved when they arrived, rejected with a sentence when the server
   * does not speak HTTP/2.
   */
  readonly #settings: Promise<void>;

  private constructor(
    session: ClientHttp2Session,
    raw: Socket,
    tap: H2FrameTap | undefined,
    settings: Promise<void>,
  ) {
    this.session = session;
    this.raw = raw;
    this.tap = tap;
    this.#settings = settings;
    session.on('error', () => {});
    session.once('close', () => (this.#closed = true));
    session.once('goaway', () => (this.#closed = true));
  }

  /**
   * Connects and resolves once the socket is open (TCP, and TLS with ALPN). Requests go out right
   * behind the connection preface, as a browser sends them, without waiting for the server's
   * SETTINGS: waiting would add a round trip to every HTTP/2 set-up that Chromium does not pay.
   * What depends on those SETTINGS (WebSocket's extended CONNECT) awaits `settled()`.
   */
  static async open(target: SocketTarget, { split = true } = {}): Promise<Http2Connection> {
    const { socket, raw, ready } = openClientSocket(target, '2');
    await ready;
    const tap = split ? new H2FrameTap(socket) : undefined;
    const scheme = target.tlsCa !== undefined ? 'https' : 'http';
    // fairness: no server push, as browsers have it off (Chromium removed it in 2022).
    const session = h2Connect(`${scheme}://${target.host}:${target.port}`, {
      createConnection: () => tap ?? socket,
      settings: { enablePush: false },
    });
    const settings = new Promise<void>((resolve, reject) => {
      const fail = (error: Error) =>
        reject(
          new Error(
            `${target.host}:${target.port} did not answer as HTTP/2 (${target.tlsCa !== undefined ? 'h2' : 'h2c with prior knowledge'}): ${error.message}`,
          ),
        );
      session.once('remoteSettings', () => {
        session.off('error', fail);
        resolve();
      });
      session.once('error', fail);
      session.once('close', () => fail(new Error('the connection closed before its SETTINGS')));
    });
    settings.catch(() => {}); // a client that never awaits it learns the reason from its streams
    return new Http2Connection(session, raw, tap, settings);
  }

  /**
   * Resolves once the server's SETTINGS have arrived; rejects with a sentence when the server does
   * not speak HTTP/2.
   */
  settled(): Promise<void> {
    return withDeadline(this.#settings, ANSWER_TIMEOUT_MS, 'HTTP/2 SETTINGS', () => this.close());
  }

  /**
   * Opens a connection and waits for the server's SETTINGS, for checks of what a server offers;
   * closed again when they never come.
   */
  static async openSettled(target: SocketTarget): Promise<Http2Connection> {
    const connection = await Http2Connection.open(target);
    try {
      await connection.settled();
      return connection;
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  /** True once the connection has closed or been told to go away. */
  get closed(): boolean {
    return this.#closed || this.session.closed || this.session.destroyed;
  }

  /**
   * Whether the server offers WebSocket over HTTP/2 (SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 8441).
   */
  get offersExtendedConnect(): boolean {
    return this.session.remoteSettings.enableConnectProtocol === true;
  }

  /** Opens a stream with `headers` (and a body) and reports its answer to `handler`. */
  request(
    headers: OutgoingHttpHeaders,
    body: string | undefined,
    handler: ResponseHandler,
  ): ClientHttp2Stream {
    const stream = this.session.request(headers, { endStream: body === undefined });
    let ended = false;
    stream.on('response', (h) =>
      handler.onHead?.(Number(h[':status']), (name) => {
        const value = h[name];
        return Array.isArray(value) ? value.join(', ') : value;
      }),
    );
    stream.on('data', (piece: Buffer) => handler.onBody?.(piece));
    stream.once('end', () => {
      ended = true;
      handler.onEnd();
    });
    stream.once('close', () => {
      if (ended) return;
      const closed = new Error(
        `the stream closed before its answer ended (${stream.rstCode === constants.NGHTTP2_NO_ERROR ? 'no error' : `RST_STREAM ${stream.rstCode}`})`,
      );
      // A stream can close before its connection says why: a server that never spoke HTTP/2 is the
      // reason to give.
      this.#settings.then(
        () => handler.onError(closed),
        (refusal: Error) => handler.onError(refusal),
      );
    });
    stream.on('error', () => {});
    if (body !== undefined) stream.end(body);
    return stream;
  }

  /** Closes the connection at once. */
  close(): void {
    this.#closed = true;
    this.session.destroy();
  }
}
