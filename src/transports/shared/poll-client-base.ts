import { openHttpConnection, type HttpConnection } from './http-connection.ts';
import type { ClientOptions, ClientRecorder, UpstreamKind } from '../transport.ts';
import { HttpUpstream } from './http-upstream.ts';
import { ANSWER_TIMEOUT_MS } from './answer-deadline.ts';
import { WireCounter } from '../../metrics/wire-counter.ts';
import { nowUs } from '../../metrics/clock.ts';

/** The JSON answer of `/poll` and `/long-poll`. */
interface PollAnswer {
  updates: { seq: number; ts: number; data: string }[];
  last: number;
  gap?: { from: number; to: number };
  /** The server bounded this answer: more updates follow the last one given. */
  more?: boolean;
}

/**
 * What short and long polling clients share: a cursor, one request at a time, a connection that
 * is kept alive or opened per request, and the parsing of poll answers into recorder calls.
 */
export class PollingClient {
  readonly wire = new WireCounter();
  /** The newest seq received; the next request asks for what comes after it. */
  protected cursor = 0;
  protected closed = false;
  #connection: HttpConnection | undefined;
  #upstream: HttpUpstream | undefined;
  #polling = false;

  constructor(
    protected readonly options: ClientOptions,
    protected readonly recorder: ClientRecorder,
  ) {}

  /** True while a poll is in flight. */
  protected get polling(): boolean {
    return this.#polling;
  }

  /**
   * Sends one GET for `path` (query included) and resolves when its answer is parsed; records
   * connection set-up when it had to connect. Rejects on a failed connection or a non-200 answer.
   */
  protected async poll(path: string, initial: boolean): Promise<void> {
    this.#polling = true;
    try {
      await this.#pollOnce(path, initial);
    } finally {
      this.#polling = false;
    }
  }

  async #pollOnce(path: string, initial: boolean): Promise<void> {
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
    const body = await new Promise<Buffer>((resolve, reject) => {
      const pieces: Buffer[] = [];
      let status = 0;
      connection.request(
        { api: 'fetch', path, headTimeoutMs: this.answerTimeoutMs(initial) },
        {
          onHead: (s) => {
            status = s;
            if (connectedNow) this.recorder.connected(nowUs() - startUs, 0);
          },
          onBody: (piece) => pieces.push(piece),
          onEnd: () =>
            status === 200
              ? resolve(Buffer.concat(pieces))
              : reject(
                  new Error(
                    `${path} answered ${status}: ${Buffer.concat(pieces).toString().slice(0, 200)}`,
                  ),
                ),
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
    const answer = JSON.parse(body.toString('utf8')) as PollAnswer;
    this.#consume(answer, recvUs, initial);
    // A bounded answer: ask again at once for what follows, as the protocol says (the same path
    // with the new cursor), before the poll counts as done.
    if (answer.more && !initial && !this.closed)
      await this.#pollOnce(path.replace(/since=\d+/, `since=${this.cursor}`), false);
  }

  /**
   * How long a poll's answer may take, ms: at once by the protocol (a held long poll overrides
   * this).
   */
  protected answerTimeoutMs(_initial: boolean): number {
    return ANSWER_TIMEOUT_MS;
  }

  #consume(answer: PollAnswer, recvUs: number, initial: boolean): void {
    if (initial) {
      // A poll without a cursor answers only `last`: a new client starts from there.
      this.cursor = answer.last;
      return;
    }
    // A gap needs no record: lost updates are counted from sequence numbers when the cell ends.
    if (answer.gap) this.cursor = Math.max(this.cursor, answer.gap.to);
    for (const update of answer.updates) {
      // The update's JSON size, for the payload / overhead split of wire bytes.
      this.recorder.update(
        update.seq,
        update.ts,
        Buffer.byteLength(JSON.stringify(update)),
        recvUs,
        update.data,
      );
      if (update.seq > this.cursor) this.cursor = update.seq;
    }
    this.recorder.pollCompleted(answer.updates.length, recvUs);
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
