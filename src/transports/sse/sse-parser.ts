/**
 * One Server-Sent Event: its `event` type ("message" when unnamed), `id` and joined `data` lines.
 */
export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * An incremental text/event-stream parser (WHATWG HTML "event stream interpretation"):
 * lines end in LF or CRLF, a blank line dispatches, `:` starts a comment, several `data:`
 * lines join with LF, and an event with no data is not dispatched.
 */
export class SseParser {
  #partial = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  /**
   * The id of the last event block completed (a blank line), data or not, as EventSource keeps
   * it: what a reconnect sends as Last-Event-ID. An id whose block was cut off does not count.
   */
  lastEventId: string | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Feeds decoded text as it arrives, split anywhere. */
  push(text: string): void {
    const all = this.#partial + text;
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
      if (this.#data.length > 0)
        this.onEvent({
          event: this.#event || 'message',
          id: this.#id,
          data: this.#data.join('\n'),
        });
      this.#event = '';
      this.#data = [];
      this.#id = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
  }
}
