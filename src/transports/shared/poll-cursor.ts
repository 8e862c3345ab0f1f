import { PATHS } from '../../protocol/feed-protocol.ts';
import type { HeaderReader } from './response-handler.ts';

/** The two polling forms: a poll answered at once, or one the server holds until news. */
export type PollForm = 'poll' | 'long-poll';

/** One update as a poll answer carries it. */
export interface PolledUpdate {
  readonly seq: number;
  readonly ts: number;
  readonly data: string;
  /** The update's encoded size, for the payload / overhead split of wire bytes. */
  readonly bytes: number;
}

/** What one answer gave. */
export interface PollReading {
  readonly updates: readonly PolledUpdate[];
  /** More wait on the server: ask again at once, before the poll counts as done. */
  readonly more: boolean;
}

/**
 * How a polling client asks and reads what it is told: one per client, since it holds the
 * client's place in the feed. The feed protocol's (`?since=`, JSON answers) and nchan's
 * (`Last-Modified`/`Etag`, one raw message per answer) differ in every step.
 */
export interface PollCursor {
  /** The next request: its path (query included) and any headers beyond the profile's. */
  request(
    form: PollForm,
    initial: boolean,
    longPollTimeoutMs: number,
  ): { path: string; headers?: Readonly<Record<string, string>> };
  /** The answer's head; throws for a status that is a failure. Headers are read only here. */
  head(status: number, header: HeaderReader): void;
  /**
   * The answer's body, read; a first poll (`initial`) only places the cursor and gives no
   * updates. Throws for an answer it cannot read.
   */
  read(body: Buffer, initial: boolean): PollReading;
}

/** The JSON answer of `/poll` and `/long-poll`. */
interface PollAnswer {
  updates: { seq: number; ts: number; data: string }[];
  last: number;
  gap?: { from: number; to: number };
  /** The server bounded this answer: more updates follow the last one given. */
  more?: boolean;
}

/** The feed protocol's cursor: the newest seq received, sent as `?since=`. */
export class FeedPollCursor implements PollCursor {
  #seq = 0;
  #status = 0;

  request(form: PollForm, initial: boolean, longPollTimeoutMs: number): { path: string } {
    const path = form === 'poll' ? PATHS.poll : PATHS.longPoll;
    if (initial) return { path };
    const hold = form === 'long-poll' ? `&timeout=${longPollTimeoutMs}` : '';
    return { path: `${path}?since=${this.#seq}${hold}` };
  }

  head(status: number): void {
    this.#status = status;
  }

  read(body: Buffer, initial: boolean): PollReading {
    if (this.#status !== 200)
      throw new Error(`poll answered ${this.#status}: ${body.toString().slice(0, 200)}`);
    const answer = JSON.parse(body.toString('utf8')) as PollAnswer;
    if (initial) {
      // A poll without a cursor answers only `last`: a new client starts from there.
      this.#seq = answer.last;
      return { updates: [], more: false };
    }
    // A gap needs no record: lost updates are counted from sequence numbers when the cell ends.
    if (answer.gap) this.#seq = Math.max(this.#seq, answer.gap.to);
    const updates = answer.updates.map((u) => ({
      ...u,
      bytes: Buffer.byteLength(JSON.stringify(u)),
    }));
    for (const u of updates) if (u.seq > this.#seq) this.#seq = u.seq;
    return { updates, more: answer.more === true };
  }
}
