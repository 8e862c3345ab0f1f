import { StringDecoder } from 'node:string_decoder';
import { PATHS } from '../../protocol/feed-protocol.ts';
import { openHttpConnection, type HttpConnection } from '../shared/http-connection.ts';
import { HttpUpstream } from '../shared/http-upstream.ts';
import { Reconnector } from '../shared/reconnect-policy.ts';
import { SseParser } from './sse-parser.ts';
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

/** Server-Sent Events, client side: one stream, parsed as the WHATWG EventSource does. */
class SseClient implements FeedClient {
  readonly wire = new WireCounter();
  #connection: HttpConnection | undefined;
  #upstream: HttpUpstream | undefined;
  #closed = false;
  /** The last stream's parser: its last event id is where a reconnect resumes (`Last-Event-ID`). */
  #parser: SseParser | undefined;
  readonly #reconnector: Reconnector;

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

  /** SSE is one-way: upstream goes as a POST on a second connection, opened at the first send. */
  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    this.#upstream ??= new HttpUpstream(this.options, this.wire, () => this.#connection);
    return this.#upstream.send(kind, data, id);
  }

  connect(): Promise<void> {
    return this.#open(true);
  }

  async #open(first: boolean): Promise<void> {
    const startUs = nowUs();
    let up = false;
    let down = false;
    // A failure before the stream was up is the caller's (connect rejects, or the reconnect
    // retries); after, the stream's end (HTTP/2: the connection stays) or its connection's is one
    // drop.
    const dropped = (message: string) => {
      if (!up || down) return;
      down = true;
      this.#reconnector.dropped(message);
    };
    const connection = await openHttpConnection(this.options, this.wire, (error) =>
      dropped(error?.message ?? 'the server closed the event stream'),
    );
    if (this.#closed) {
      connection.close();
      return;
    }
    this.#connection = connection;
    const decoder = new StringDecoder('utf8');
    const parser = new SseParser((event) => {
      const recvUs = nowUs();
      // A `gap` event needs no record: lost updates are counted from sequence numbers when the cell
      // ends.
      if (event.event === 'message') {
        // seq and ts from the update's fixed head, the whole JSON only when it has another shape.
        const update =
          readUpdateHead(event.data) ?? (JSON.parse(event.data) as { seq: number; ts: number });
        this.recorder.update(
          update.seq,
          update.ts,
          Buffer.byteLength(event.data),
          recvUs,
          event.data,
        );
      }
    });
    // As EventSource does on a reconnect: resume after the last event received (the new stream
    // carries the id on, so a reconnect that fails before any event resumes from it too).
    const resumeAfter = this.#parser?.lastEventId;
    parser.lastEventId = resumeAfter;
    this.#parser = parser;
    await new Promise<void>((resolve, reject) => {
      const request = {
        api: 'EventSource',
        path: PATHS.sse,
        ...(resumeAfter === undefined ? {} : { lastEventId: resumeAfter }),
      } as const;
      connection.request(request, {
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
        onEnd: () => {
          dropped('the server ended the event stream');
          connection.close();
        },
        onError: (error) => {
          reject(error);
          dropped(error.message);
        },
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
export const createSseClient: ClientFactory = (options, recorder) =>
  new SseClient(options, recorder);
