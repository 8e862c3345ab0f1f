import { openHttpConnection, type HttpConnection } from './http-connection.ts';
import type {
  ClientFactory,
  ClientOptions,
  ClientRecorder,
  FeedClient,
  UpstreamKind,
} from '../transport.ts';
import { WireCounter } from '../../metrics/wire-counter.ts';
import { nowUs } from '../../metrics/clock.ts';
import { PATHS } from '../../protocol/feed-protocol.ts';

interface Pending {
  readonly body: string;
  readonly path: string;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Client-to-server messages over HTTP: `POST /publish` and `POST /echo` (docs/protocol.md). Over
 * HTTP/1.1 on a connection of their own, as a browser's fetch() would open beside a held poll or
 * event stream; over HTTP/2 as streams of the connection given (the client's feed connection,
 * as a browser multiplexes them). One request at a time; later sends queue behind it. The
 * connection is kept alive, or opened per request when the client's `keepAlive` is false.
 */
export class HttpUpstream {
  readonly #queue: Pending[] = [];
  #connection: HttpConnection | undefined;
  #inFlight = false;
  #closed = false;

  /** @param feedConnection HTTP/2: the feed's own connection, to send on as further streams. */
  constructor(
    private readonly options: ClientOptions,
    private readonly wire: WireCounter,
    private readonly feedConnection?: () => HttpConnection | undefined,
  ) {}

  /** Opens the connection ahead of the first send. */
  async open(): Promise<void> {
    await this.#connect();
  }

  /**
   * POSTs `{"data", "id"}` to /publish or /echo; resolves when the answer (ack or echo) has
   * arrived.
   */
  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the client is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({
        body: JSON.stringify({ data, id }),
        path: kind === 'publish' ? PATHS.publish : PATHS.echo,
        resolve,
        reject,
      });
      this.#next();
    });
  }

  /** Closes the connection; queued sends are rejected. */
  close(): void {
    this.#closed = true;
    this.#connection?.close();
    for (const pending of this.#queue.splice(0)) pending.reject(new Error('the client is closed'));
  }

  async #connect(): Promise<HttpConnection> {
    // Without keep-alive the feed's connection ends with each answer: the upstream keeps to its
    // own.
    const shared =
      this.options.http === '2' && this.options.keepAlive ? this.feedConnection?.() : undefined;
    if (shared && !shared.closed) return shared;
    if (this.#connection && !this.#connection.closed) return this.#connection;
    const connection = await openHttpConnection(this.options, this.wire);
    this.#connection = connection;
    return connection;
  }

  #next(): void {
    if (this.#inFlight || this.#closed) return;
    const pending = this.#queue.shift();
    if (!pending) return;
    this.#inFlight = true;
    const done = (error?: Error) => {
      this.#inFlight = false;
      if (error) pending.reject(error);
      else pending.resolve();
      this.#next();
    };
    this.#connect().then(
      (connection) => {
        let status = 0;
        connection.request(
          { api: 'fetch', path: pending.path, jsonBody: pending.body },
          {
            onHead: (s) => (status = s),
            onEnd: () => {
              // Without keep-alive the server closes after answering: do not race it with the next
              // request.
              if (!this.options.keepAlive && connection === this.#connection) {
                connection.close();
                this.#connection = undefined;
              }
              done(status === 200 ? undefined : new Error(`${pending.path} answered ${status}`));
            },
            onError: (error) => done(error),
          },
        );
      },
      (error: Error) => done(error),
    );
  }
}

/**
 * A client that only talks upstream over HTTP (the echo workload's HTTP side): no feed, just the
 * POST connection, so a round trip is timed without polls sharing the socket.
 */
class UpstreamOnlyClient implements FeedClient {
  readonly wire = new WireCounter();
  readonly #upstream: HttpUpstream;

  constructor(
    private readonly recorder: ClientRecorder,
    options: ClientOptions,
  ) {
    this.#upstream = new HttpUpstream(options, this.wire);
  }

  async connect(): Promise<void> {
    const startUs = nowUs();
    await this.#upstream.open();
    this.recorder.connected(nowUs() - startUs, 0);
  }

  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    return this.#upstream.send(kind, data, id);
  }

  close(): void {
    this.#upstream.close();
  }
}

/** Makes an HTTP client that sends upstream messages and subscribes to nothing. */
export const createUpstreamOnlyClient: ClientFactory = (options, recorder) =>
  new UpstreamOnlyClient(recorder, options);
