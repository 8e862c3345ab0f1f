/**
 * One Server-Sent Event: its `event` type ("message" when unnamed), `id` and joined `data` lines.
 */
export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/** True when `line`'s field name (its text up to `nameEnd`) is `name`. */
const isField = (line: string, name: string, nameEnd: number): boolean =>
  nameEnd === name.length && line.startsWith(name);

/**
 * An incremental text/event-stream parser (WHATWG HTML "event stream interpretation"):
 * lines end in LF or CRLF, a blank line dispatches, `:` starts a comment, several `data:`
 * lines join with LF, and an event with no data is not dispatched.
 */
export class SseParser {
  #partial = '';
  #event = '';
  /** The block's data lines so far, joined with LF; undefined before its first. */
  #data: string | undefined;
  #id: string | undefined;
  /**
   * The id of the last event block completed (a blank line), data or not, as EventSource keeps
   * it: what a reconnect sends as Last-Event-ID. An id whose block was cut off does not count.
   */
  lastEventId: string | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Feeds decoded text as it arrives, split anywhere. */
  push(text: string): void {
    const all = this.#partial === '' ? text : this.#partial + text;
    let start = 0;
    for (let nl = all.indexOf('\n', start); nl >= 0; nl = all.indexOf('\n', start)) {
      const end = nl > start && all.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.#line(all.slice(start, end));
      start = nl + 1;
    }
    this.#partial = all.slice(start);
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#id !== undefined) this.lastEventId = this.#id;
      if (this.#data !== undefined)
        this.onEvent({ event: this.#event || 'message', id: this.#id, data: this.#data });
      this.#event = '';
      this.#data = undefined;
      this.#id = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    // The field's name is compared in place, not cut out: one line per event field is a hot path.
    const colon = line.indexOf(':');
    const nameEnd = colon < 0 ? line.length : colon;
    const valueAt =
      colon < 0 ? line.length : line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
    if (isField(line, 'data', nameEnd)) {
      const value = line.slice(valueAt);
      this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
    } else if (isField(line, 'event', nameEnd)) this.#event = line.slice(valueAt);
    else if (isField(line, 'id', nameEnd)) {
      const value = line.slice(valueAt);
      if (!value.includes('\0')) this.#id = value;
    }
  }
}
