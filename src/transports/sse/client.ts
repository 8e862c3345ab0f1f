import { StringDecoder } from 'node:string_decoder';
import { PATHS } from '../../protocol/feed-protocol.ts';
import { Http1Connection } from '../shared/http1-connection.ts';
import { requestHead } from '../shared/header-profiles.ts';
import { HttpUpstream } from '../shared/http-upstream.ts';
import { Reconnector } from '../shared/reconnect-policy.ts';
import { SseParser } from './sse-parser.ts';
import type { ClientFactory, ClientOptions, ClientRecorder, FeedClient, UpstreamKind } from '../transport.ts';
import { WireCounter } from '../../metrics/wire-counter.ts';
import { nowUs } from '../../metrics/clock.ts';

/** Server-Sent Events, client side: one stream, parsed as the WHATWG EventSource does. */
class SseClient implements FeedClient {
  readonly wire = new WireCounter();
  #connection: Http1Connection | undefined;
  #upstream: HttpUpstream | undefined;
  #closed = false;
  /** The last event id received: a reconnect resumes after it (`Last-Event-ID`). */
  #lastEventId: number | undefined;
  readonly #reconnector: Reconnector;

  constructor(private readonly options: ClientOptions, private readonly recorder: ClientRecorder) {
    this.#reconnector = new Reconnector(options.reconnect, { isClosed: () => this.#closed, reopen: () => this.#open(false), report: (m) => recorder.error(m) });
  }

  /** SSE is one-way: upstream goes as a POST on a second connection, opened at the first send. */
  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    this.#upstream ??= new HttpUpstream(this.options, this.wire);
    return this.#upstream.send(kind, data, id);
  }

  connect(): Promise<void> {
    return this.#open(true);
  }

  async #open(first: boolean): Promise<void> {
    const { host, port, headerProfile } = this.options;
    const startUs = nowUs();
    let up = false;
    const connection = await Http1Connection.open(this.options, (error) => {
      // A failure before the stream was up is the caller's (connect rejects, or the reconnect retries).
      if (up) this.#reconnector.dropped(error?.message ?? 'the server closed the event stream');
    });
    if (this.#closed) {
      connection.close();
      return;
    }
    this.#connection = connection;
    this.wire.track(connection.raw);
    const decoder = new StringDecoder('utf8');
    const parser = new SseParser((event) => {
      const recvUs = nowUs();
      // A `gap` event needs no record: lost updates are counted from sequence numbers when the cell ends.
      if (event.event === 'message') {
        const update = JSON.parse(event.data) as { seq: number; ts: number };
        this.#lastEventId = update.seq;
        this.recorder.update(update.seq, update.ts, Buffer.byteLength(event.data), recvUs, event.data);
      }
    });
    await new Promise<void>((resolve, reject) => {
      let head = requestHead(headerProfile, 'EventSource', PATHS.sse, `${host}:${port}`, true);
      // As EventSource does on a reconnect: resume after the last event received.
      if (this.#lastEventId !== undefined) head = `${head.slice(0, -2)}Last-Event-ID: ${this.#lastEventId}\r\n\r\n`;
      connection.send(head, {
        onHead: (status) => {
          if (status !== 200) {
            reject(new Error(`${PATHS.sse} answered ${status}`));
            connection.close();
            return;
          }
          up = true;
          this.#reconnector.connected();
          const { down, up: sent } = this.wire.totals();
          if (first) this.recorder.connected(nowUs() - startUs, down + sent);
          resolve();
        },
        onBody: (piece) => parser.push(decoder.write(piece)),
        onEnd: () => {},
        onError: reject,
      });
    });
  }

  close(): void {
    this.#closed = true;
    this.#connection?.close();
    this.#upstream?.close();
  }
}

/** Makes an SSE virtual client. */
export const createSseClient: ClientFactory = (options, recorder) => new SseClient(options, recorder);
