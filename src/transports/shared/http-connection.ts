import { constants } from 'node:http2';
import { Http1Connection } from './http1-connection.ts';
import type { ResponseHandler } from './response-handler.ts';
import { Http2Connection } from './http2-connection.ts';
import { requestHead, requestHeaders2 } from './header-profiles.ts';
import { ANSWER_TIMEOUT_MS, withHeadDeadline } from './answer-deadline.ts';
import type { WireCounter } from '../../metrics/wire-counter.ts';
import type { ClientOptions } from '../transport.ts';

/** One request as the feed's clients make them. */
export interface FeedRequest {
  /** Whose captured headers the `browser` profile sends. */
  readonly api: 'fetch' | 'EventSource';
  /** Path with its query. */
  readonly path: string;
  /** POST this JSON; absent: GET. */
  readonly jsonBody?: string;
  /** Request headers beyond the profile's, by lower-case name (nchan's cursor). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `Last-Event-ID`, as EventSource does on a reconnect. */
  readonly lastEventId?: string;
  /**
   * How long the answer's head may take, ms (a held long poll: its hold and more); default
   * `ANSWER_TIMEOUT_MS`.
   */
  readonly headTimeoutMs?: number;
}

/** A connection a feed client makes its requests on, over HTTP/1.1 or HTTP/2. */
export interface HttpConnection {
  /** True once it can take no more requests. */
  readonly closed: boolean;
  /**
   * The HTTP/2 connection under it (for streams other than requests: RFC 8441 CONNECT); absent over
   * HTTP/1.1.
   */
  readonly http2?: Http2Connection;
  /**
   * Sends a request and reports its answer; `cancel` abandons it (over HTTP/1.1 that closes the
   * connection).
   */
  request(request: FeedRequest, handler: ResponseHandler): { cancel(): void };
  /**
   * Lets the connection go (an HTTP/2 connection shared by several clients closes with its last
   * user).
   */
  close(): void;
}

class OverHttp1 implements HttpConnection {
  readonly #authority: string;
  constructor(
    private readonly connection: Http1Connection,
    private readonly options: ClientOptions,
  ) {
    this.#authority = `${options.host}:${options.port}`;
  }
  get closed(): boolean {
    return this.connection.closed;
  }
  request(r: FeedRequest, handler: ResponseHandler): { cancel(): void } {
    let head = requestHead(
      this.options.headerProfile,
      r.api,
      r.path,
      this.#authority,
      this.options.keepAlive,
      r.jsonBody,
    );
    if (r.lastEventId !== undefined)
      head = `${head.slice(0, -2)}Last-Event-ID: ${r.lastEventId}\r\n\r\n`;
    if (r.headers) {
      const extra = Object.entries(r.headers).map(([name, value]) => `${name}: ${value}\r\n`);
      head = `${head.slice(0, -2)}${extra.join('')}\r\n`;
    }
    const cancel = () => this.connection.close();
    this.connection.send(
      head,
      withHeadDeadline(handler, r.headTimeoutMs ?? ANSWER_TIMEOUT_MS, r.path, cancel),
    );
    return { cancel };
  }
  close(): void {
    this.connection.close();
  }
}

class OverHttp2 implements HttpConnection {
  readonly #authority: string;
  readonly #scheme: 'http' | 'https';
  constructor(
    readonly http2: Http2Connection,
    private readonly options: ClientOptions,
    private readonly release: () => void,
  ) {
    this.#authority = `${options.host}:${options.port}`;
    this.#scheme = options.tlsCa !== undefined ? 'https' : 'http';
  }
  get closed(): boolean {
    return this.http2.closed;
  }
  request(r: FeedRequest, handler: ResponseHandler): { cancel(): void } {
    const headers = requestHeaders2(
      this.options.headerProfile,
      r.api,
      r.path,
      this.#authority,
      this.#scheme,
      r.jsonBody,
    );
    if (r.lastEventId !== undefined) headers['last-event-id'] = String(r.lastEventId);
    if (r.headers) Object.assign(headers, r.headers);
    // A stream without an answer in time: the whole connection is taken as hung (its other streams
    // fail too, and their clients reconnect), since the next stream would wait on it as well.
    const deadline = withHeadDeadline(handler, r.headTimeoutMs ?? ANSWER_TIMEOUT_MS, r.path, () =>
      this.http2.close(),
    );
    const stream = this.http2.request(headers, r.jsonBody, deadline);
    return { cancel: () => stream.close(constants.NGHTTP2_CANCEL) };
  }
  close(): void {
    this.release();
  }
}

/**
 * Opens (or, for an HTTP/2 connection shared by several clients, joins) a connection for one
 * client over the HTTP version its options name, and starts counting its bytes in `wire`.
 * @param onClose called when the connection ends (with an error if it failed mid-answer).
 */
export async function openHttpConnection(
  options: ClientOptions,
  wire: WireCounter,
  onClose: (error: Error | undefined) => void = () => {},
): Promise<HttpConnection> {
  if (options.http !== '2') {
    const connection = await Http1Connection.open(options, onClose);
    wire.track(connection.raw);
    return new OverHttp1(connection, options);
  }
  const open = async () => {
    const connection = await Http2Connection.open(options, { split: options.h2FrameSplit ?? true });
    wire.track(connection.raw);
    if (connection.tap) wire.trackH2(connection.tap, connection.raw);
    return connection;
  };
  const share = options.sharedHttp2;
  // Only the client that opened a shared connection counts its bytes: the sum over clients stays
  // right.
  const connection = share ? await share.acquire(open) : await open();
  // Every client sharing the session listens for its close: as many listeners as clients per
  // connection (h2ClientsPerConnection, at most 400), not a leak.
  if (share) connection.session.setMaxListeners(0);
  let released = false;
  const onSessionClose = () => {
    if (!released) onClose(undefined);
  };
  connection.session.once('close', onSessionClose);
  return new OverHttp2(connection, options, () => {
    if (released) return;
    released = true;
    connection.session.off('close', onSessionClose);
    if (share) share.release();
    else connection.close();
  });
}
