import { openHttpConnection, type HttpConnection } from './http-connection.ts';
import type { ClientOptions, ClientRecorder, UpstreamKind } from '../transport.ts';
import { HttpUpstream } from './http-upstream.ts';
import { ANSWER_TIMEOUT_MS } from './answer-deadline.ts';
import { WireCounter } from '../../metrics/wire-counter.ts';
import { nowUs } from '../../metrics/clock.ts';
import { FeedPollCursor, type PollCursor, type PollForm } from './poll-cursor.ts';
import { NchanPollCursor } from './nchan-poll-cursor.ts';

/**
 * What short and long polling clients share: a cursor, one request at a time, a connection that
 * is kept alive or opened per request, and the parsing of poll answers into recorder calls.
 */
export class PollingClient {
  readonly wire = new WireCounter();
  /** The client's place in the feed, in its server's dialect. */
  readonly #cursor: PollCursor;
  protected closed = false;
  #connection: HttpConnection | undefined;
  #upstream: HttpUpstream | undefined;
  #polling = false;

  constructor(
    protected readonly options: ClientOptions,
    protected readonly recorder: ClientRecorder,
  ) {
    this.#cursor = options.dialect === 'nchan' ? new NchanPollCursor() : new FeedPollCursor();
  }

  /** True while a poll is in flight. */
  protected get polling(): boolean {
    return this.#polling;
  }

  /**
   * Sends one poll of `form` and resolves when its answer is read (and the answers it said were
   * waiting); records connection set-up when it had to connect. Rejects on a failed connection or
   * an answer that is a failure.
   */
  protected async poll(form: PollForm, initial: boolean): Promise<void> {
    this.#polling = true;
    try {
      await this.#pollOnce(form, initial);
    } finally {
      this.#polling = false;
    }
  }

  async #pollOnce(form: PollForm, initial: boolean): Promise<void> {
    const startUs = nowUs();
    let connection = this.#connection;
    let connectedNow = false;
    if (!connection || connection.closed) {
      connection = await openHttpConnection(this.options, this.wire);
      this.#connection = connection;
      connectedNow = true;
    }
    if (this.closed) {
      connection.close();
      return;
    }
    const { path, headers } = this.#cursor.request(form, initial, this.options.longPollTimeoutMs);
    const body = await new Promise<Buffer>((resolve, reject) => {
      const pieces: Buffer[] = [];
      connection.request(
        { api: 'fetch', path, headTimeoutMs: this.answerTimeoutMs(initial), headers },
        {
          onHead: (status, header) => {
            this.#cursor.head(status, header);
            if (connectedNow) this.recorder.connected(nowUs() - startUs, 0);
          },
          onBody: (piece) => pieces.push(piece),
          onEnd: () => resolve(Buffer.concat(pieces)),
          onError: reject,
        },
      );
    });
    const recvUs = nowUs();
    // Without keep-alive the server closes after answering; drop the connection now rather than
    // race its close with the next request (long polling asks again at once).
    if (!this.options.keepAlive) {
      connection.close();
      this.#connection = undefined;
    }
    const reading = this.#cursor.read(body, initial);
    if (initial) return;
    for (const u of reading.updates) this.recorder.update(u.seq, u.ts, u.bytes, recvUs, u.data);
    this.recorder.pollCompleted(reading.updates.length, recvUs);
    // More waiting (a bounded answer, or nchan's one message at a time): ask again at once for
    // what follows, before the poll counts as done.
    if (reading.more && !this.closed) await this.#pollOnce(form, false);
  }

  /**
   * How long a poll's answer may take, ms: at once by the protocol (a held long poll overrides
   * this).
   */
  protected answerTimeoutMs(_initial: boolean): number {
    return ANSWER_TIMEOUT_MS;
  }

  /** Publishes or echoes with a POST on a second connection, opened at the first send. */
  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    this.#upstream ??= new HttpUpstream(this.options, this.wire, () => this.#connection);
    return this.#upstream.send(kind, data, id);
  }

  /** Stops and closes the connections. */
  close(): void {
    this.closed = true;
    this.#connection?.close();
    this.#upstream?.close();
  }
}
