import { PATHS } from '../../protocol/feed-protocol.ts';
import type { HeaderReader } from './response-handler.ts';
import type { PollCursor, PollForm, PolledUpdate, PollReading } from './poll-cursor.ts';
import { multipartBodies } from './multipart.ts';
import { readUpdateHead } from './update-head.ts';

/** nchan's answers: a message (200), nothing newer (304), a held poll's time-out (408). */
const NOTHING_NEW = new Set([304, 408]);

/**
 * nchan's subscriber cursor: the `Last-Modified` and `Etag` of the last message received, sent
 * back as `If-Modified-Since` and `If-None-Match`. Each message is the update's JSON as published.
 * An interval poll answers one message, so after a message the client asks again at once until
 * nchan says nothing is newer; a long poll with multipart answers on gives every message since
 * the cursor. A first poll goes to the interval location (a long poll without a cursor would be
 * held): on an empty channel it answers 304 without a cursor, and the client stays without one
 * until its first message, which is the channel's oldest.
 */
export class NchanPollCursor implements PollCursor {
  #lastModified: string | undefined;
  #etag: string | undefined;
  #status = 0;
  #boundary: string | undefined;

  request(
    form: PollForm,
    initial: boolean,
  ): { path: string; headers?: Readonly<Record<string, string>> } {
    const path = initial || form === 'poll' ? PATHS.poll : PATHS.longPoll;
    if (this.#lastModified === undefined || this.#etag === undefined) return { path };
    return {
      path,
      headers: { 'if-modified-since': this.#lastModified, 'if-none-match': this.#etag },
    };
  }

  head(status: number, header: HeaderReader): void {
    this.#status = status;
    this.#boundary = undefined;
    if (status !== 200) return;
    const lastModified = header('last-modified');
    const etag = header('etag');
    if (lastModified !== undefined && etag !== undefined) {
      this.#lastModified = lastModified;
      this.#etag = etag;
    }
    const type = header('content-type') ?? '';
    this.#boundary = type.startsWith('multipart/')
      ? /boundary="?([^";]+)"?/.exec(type)?.[1]
      : undefined;
  }

  read(body: Buffer, initial: boolean): PollReading {
    if (NOTHING_NEW.has(this.#status)) return { updates: [], more: false };
    if (this.#status !== 200)
      throw new Error(`nchan answered ${this.#status}: ${body.toString().slice(0, 200)}`);
    // A first message only places the cursor (it is the channel's oldest: the client reads on
    // from there).
    if (initial) return { updates: [], more: false };
    const text = body.toString('utf8');
    const messages = this.#boundary ? multipartBodies(text, this.#boundary) : [text];
    // An interval poll gives one message at a time: one more may wait.
    return { updates: messages.map(update), more: this.#boundary === undefined };
  }
}

/** An nchan message read as the update it carries. */
function update(message: string): PolledUpdate {
  const head = readUpdateHead(message);
  const { seq, ts } = head ?? (JSON.parse(message) as { seq: number; ts: number });
  return { seq, ts, data: message, bytes: Buffer.byteLength(message) };
}
