import type { IncomingHttpHeaders } from 'node:http';
import { openTargetRequest, type TargetAddress, type TargetRequest } from '../run/target-http.ts';
import { Waiters } from './waiters.ts';

/** How much of a stream a reader keeps: a case reads a few events, never a whole feed. */
const MAX_TEXT = 256 * 1024;

/**
 * An answer read as it arrives (an event stream, a held long poll): its head, then its text so far.
 */
export class StreamReader {
  status = 0;
  headers: IncomingHttpHeaders = {};
  /** ms from the request to the head, or null before it. */
  headMs: number | null = null;
  /** ms from the request to the end of the body, or null while it goes on. */
  endMs: number | null = null;
  error: string | null = null;
  text = '';
  readonly #request: { destroy(): void };
  readonly #waiters = new Waiters();

  constructor(target: TargetAddress, path: string, req: TargetRequest = {}) {
    const startMs = performance.now();
    this.#request = openTargetRequest(
      target,
      path,
      { timeoutMs: 60_000, ...req },
      (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        this.headMs = performance.now() - startMs;
        res.setEncoding('utf8');
        res.on('data', (piece: string) => {
          if (this.text.length < MAX_TEXT) this.text += piece;
          this.#wake();
        });
        res.on('end', () => {
          this.endMs = performance.now() - startMs;
          this.#wake();
        });
        res.on('error', () => {});
        this.#wake();
      },
      (error) => {
        this.error = error.message;
        this.#wake();
      },
    );
  }

  /** Resolves true once `ready` holds, false after `timeoutMs` (or when the request failed). */
  until(ready: (reader: this) => boolean, timeoutMs: number): Promise<boolean> {
    return this.#waiters.until(
      () => ready(this),
      timeoutMs,
      () => this.error !== null,
    );
  }

  /** Ends the request (and its connection). */
  close(): void {
    this.#request.destroy();
  }

  #wake(): void {
    this.#waiters.wake();
  }
}
