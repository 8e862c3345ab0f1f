/** Receives the parts of each HTTP/1.1 response as the parser finds them. */
export interface ResponseEvents {
  /** Status line and headers (names lower-cased) are complete. */
  onHead(status: number, headers: Map<string, string>): void;
  /** A piece of the body, with chunked framing already removed. */
  onBody(piece: Buffer): void;
  /** The body is complete; the connection may carry the next response. */
  onEnd(): void;
}

/** A response the parser could not make sense of. */
export class HttpParseError extends Error {}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 64 * 1024;

/** Index of the first CRLF in `buffer`, or -1. */
function crlfAt(buffer: Buffer): number {
  for (let i = 0; i + 1 < buffer.length; i++)
    if (buffer[i] === 13 && buffer[i + 1] === 10) return i;
  return -1;
}

/** Value of a hex digit's code, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The size on a chunk-size line (`buffer` up to `eol`): hex digits, blanks around them, and any
 * `;extension` after; -1 when the line is not one.
 */
function chunkSize(buffer: Buffer, eol: number): number {
  let i = 0;
  while (i < eol && (buffer[i] === 32 || buffer[i] === 9)) i++;
  const first = i;
  let size = 0;
  for (let d = hexValue(buffer[i] ?? 0); i < eol && d >= 0; d = hexValue(buffer[++i] ?? 0))
    size = size * 16 + d;
  if (i === first || i - first > 12) return -1;
  while (i < eol && (buffer[i] === 32 || buffer[i] === 9)) i++;
  return i === eol || buffer[i] === 59 /* ; */ ? size : -1;
}

type BodyMode =
  | { kind: 'none' }
  | { kind: 'length'; left: number }
  | { kind: 'chunked' }
  | { kind: 'until-close' };

/**
 * An incremental parser for HTTP/1.1 responses on one connection: feed it whatever the socket
 * reads, split anywhere, and it reports heads, de-chunked body pieces and ends. Handles
 * Content-Length, chunked and close-delimited bodies, and responses back to back (keep-alive).
 */
export class ResponseParser {
  #buffer: Buffer = Buffer.alloc(0);
  #mode: BodyMode | undefined; // undefined: waiting for a head
  #chunkLeft = -1; // chunked: bytes left in the current chunk; -1 reading a size line; -2 reading its CRLF; -3 trailers

  constructor(private readonly events: ResponseEvents) {}

  /** Feeds bytes as they arrive. Throws HttpParseError on a malformed response. */
  push(data: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    while (this.#buffer.length > 0) {
      if (this.#mode === undefined) {
        if (!this.#readHead()) return;
      } else if (!this.#readBody(this.#mode)) {
        return;
      }
    }
  }

  /**
   * The connection closed: ends a close-delimited body; returns false if a response was cut short.
   */
  close(): boolean {
    if (this.#mode?.kind === 'until-close') {
      this.#finish();
      return true;
    }
    return this.#mode === undefined && this.#buffer.length === 0;
  }

  #readHead(): boolean {
    const end = this.#buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (this.#buffer.length > MAX_HEAD_BYTES)
        throw new HttpParseError('response head over 64 KiB');
      return false;
    }
    const lines = this.#buffer.toString('latin1', 0, end).split('\r\n');
    this.#buffer = this.#buffer.subarray(end + 4);
    const statusMatch = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!statusMatch)
      throw new HttpParseError(
        `not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`,
      );
    const status = Number(statusMatch[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0)
        throw new HttpParseError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    this.#mode = this.#bodyMode(status, headers);
    this.events.onHead(status, headers);
    if (this.#mode.kind === 'none' || (this.#mode.kind === 'length' && this.#mode.left === 0))
      this.#finish();
    return true;
  }

  #bodyMode(status: number, headers: Map<string, string>): BodyMode {
    // feedbench sends only GETs, so a body's presence follows from the status and headers alone.
    if (status < 200 || status === 204 || status === 304) return { kind: 'none' };
    if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      this.#chunkLeft = -1;
      return { kind: 'chunked' };
    }
    const length = headers.get('content-length');
    if (length !== undefined) {
      if (!/^\d+$/.test(length))
        throw new HttpParseError(`bad Content-Length: ${JSON.stringify(length)}`);
      return { kind: 'length', left: Number(length) };
    }
    return { kind: 'until-close' };
  }

  #readBody(mode: BodyMode): boolean {
    if (mode.kind === 'until-close') {
      this.events.onBody(this.#take(this.#buffer.length));
      return true;
    }
    if (mode.kind === 'length') {
      const n = Math.min(mode.left, this.#buffer.length);
      mode.left -= n;
      this.events.onBody(this.#take(n));
      if (mode.left === 0) this.#finish();
      return true;
    }
    return this.#readChunked();
  }

  #readChunked(): boolean {
    if (this.#chunkLeft > 0) {
      const n = Math.min(this.#chunkLeft, this.#buffer.length);
      this.#chunkLeft -= n;
      this.events.onBody(this.#take(n));
      if (this.#chunkLeft === 0) this.#chunkLeft = -2;
      return true;
    }
    // Framing is read byte by byte, in place: an event stream has a size line and a CRLF around
    // every event, and strings made of them were a fifth of the driver's SSE time (docs/driver.md).
    const buffer = this.#buffer;
    if (this.#chunkLeft === -2) {
      if (buffer.length < 2) return false;
      if (buffer[0] !== 13 || buffer[1] !== 10)
        throw new HttpParseError('chunk data not followed by CRLF');
      this.#buffer = buffer.subarray(2);
      this.#chunkLeft = -1;
      return true;
    }
    const eol = crlfAt(buffer);
    if (eol < 0) return false;
    if (this.#chunkLeft === -3) {
      this.#buffer = buffer.subarray(eol + 2);
      if (eol === 0) this.#finish(); // end of (usually empty) trailers
      return true;
    }
    const size = chunkSize(buffer, eol);
    if (size < 0)
      throw new HttpParseError(
        `bad chunk size line: ${JSON.stringify(buffer.toString('latin1', 0, Math.min(eol, 40)))}`,
      );
    this.#buffer = buffer.subarray(eol + 2);
    this.#chunkLeft = size === 0 ? -3 : size;
    return true;
  }

  #take(n: number): Buffer {
    const piece = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return piece;
  }

  #finish(): void {
    this.#mode = undefined;
    this.events.onEnd();
  }
}
