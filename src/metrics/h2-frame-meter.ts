/** The bytes of one direction of an HTTP/2 connection, by what they carry (RFC 9113 section 4). */
export interface H2ByteSplit {
  /**
   * Header block fragments (HEADERS, CONTINUATION, PUSH_PROMISE): what HPACK made of the headers.
   */
  headerBlock: number;
  /** DATA frames' payload without padding: the bodies. */
  data: number;
  /**
   * Everything else: the 9-byte frame headers, padding and priority fields, SETTINGS,
   * WINDOW_UPDATE, PING, RST_STREAM, GOAWAY, the client preface.
   */
  framing: number;
}

/** An empty split. */
export const noH2Bytes = (): H2ByteSplit => ({ headerBlock: 0, data: 0, framing: 0 });

const FRAME_HEADER_BYTES = 9;
const CLIENT_PREFACE_BYTES = 24;
const TYPE = { data: 0x0, headers: 0x1, pushPromise: 0x5, continuation: 0x9 } as const;
const FLAG = { endHeaders: 0x4, padded: 0x8, priority: 0x20 } as const;

/**
 * Splits one direction of an HTTP/2 byte stream into header blocks, body data and framing, as
 * the bytes go by (chunks may cut anywhere). It also keeps the size of the first header block,
 * so a connection's first request (HPACK's dynamic table empty) can be told apart from later
 * ones (table warm: a repeated header costs a byte or so, RFC 7541 appendix C.3).
 */
export class H2FrameMeter {
  readonly bytes = noH2Bytes();
  /** Size of the first complete header block seen, or undefined before one has ended. */
  firstHeaderBlock: number | undefined;
  /** Complete header blocks seen. */
  headerBlocks = 0;
  #prefaceLeft: number;
  readonly #head = Buffer.alloc(FRAME_HEADER_BYTES);
  #headFill = 0;
  #payloadLeft = 0;
  /**
   * Bytes at the start of the current payload that are framing (pad length, priority), still to
   * come.
   */
  #framingLeft = 0;
  /** Padding at the end of the current payload. */
  #padding = 0;
  #readPadLength = false;
  #kind: 'headerBlock' | 'data' | 'framing' = 'framing';
  #endsBlock = false;
  #blockBytes = 0;

  /**
   * @param clientSide true for what a client writes: it opens with the 24-byte connection preface.
   */
  constructor(clientSide: boolean) {
    this.#prefaceLeft = clientSide ? CLIENT_PREFACE_BYTES : 0;
  }

  /** Counts a chunk of the stream. */
  push(chunk: Uint8Array): void {
    let at = 0;
    if (this.#prefaceLeft > 0) {
      const n = Math.min(this.#prefaceLeft, chunk.length);
      this.#prefaceLeft -= n;
      this.bytes.framing += n;
      at = n;
    }
    while (at < chunk.length) {
      if (this.#payloadLeft === 0 && this.#headFill < FRAME_HEADER_BYTES) {
        const n = Math.min(FRAME_HEADER_BYTES - this.#headFill, chunk.length - at);
        this.#head.set(chunk.subarray(at, at + n), this.#headFill);
        this.#headFill += n;
        this.bytes.framing += n;
        at += n;
        if (this.#headFill === FRAME_HEADER_BYTES) this.#startPayload();
        continue;
      }
      at = this.#payload(chunk, at);
    }
  }

  #startPayload(): void {
    const length = this.#head.readUIntBE(0, 3);
    const type = this.#head.readUInt8(3);
    const flags = this.#head.readUInt8(4);
    const carriesBlock =
      type === TYPE.headers || type === TYPE.continuation || type === TYPE.pushPromise;
    this.#kind = type === TYPE.data ? 'data' : carriesBlock ? 'headerBlock' : 'framing';
    const paddable = type === TYPE.data || type === TYPE.headers || type === TYPE.pushPromise;
    this.#readPadLength = paddable && (flags & FLAG.padded) !== 0;
    this.#framingLeft =
      (type === TYPE.headers && (flags & FLAG.priority) !== 0 ? 5 : 0) +
      (type === TYPE.pushPromise ? 4 : 0);
    this.#padding = 0;
    this.#endsBlock = carriesBlock && (flags & FLAG.endHeaders) !== 0;
    this.#payloadLeft = length;
    if (length === 0) this.#endPayload();
  }

  /** Counts payload bytes from `at`; returns where it stopped. */
  #payload(chunk: Uint8Array, at: number): number {
    if (this.#readPadLength) {
      this.#readPadLength = false;
      this.#padding = chunk[at] ?? 0;
      this.#count('framing', 1);
      return at + 1;
    }
    if (this.#framingLeft > 0) {
      const n = Math.min(this.#framingLeft, this.#payloadLeft, chunk.length - at);
      this.#framingLeft -= n;
      this.#count('framing', n);
      return at + n;
    }
    const body = Math.max(0, this.#payloadLeft - this.#padding);
    if (body > 0) {
      const n = Math.min(body, chunk.length - at);
      if (this.#kind === 'headerBlock') this.#blockBytes += n;
      this.#count(this.#kind, n);
      return at + n;
    }
    const n = Math.min(this.#payloadLeft, chunk.length - at);
    this.#count('framing', n);
    return at + n;
  }

  #count(kind: keyof H2ByteSplit, n: number): void {
    this.bytes[kind] += n;
    this.#payloadLeft -= n;
    if (this.#payloadLeft === 0) this.#endPayload();
  }

  #endPayload(): void {
    this.#headFill = 0;
    if (!this.#endsBlock) return;
    this.headerBlocks++;
    this.firstHeaderBlock ??= this.#blockBytes;
    this.#blockBytes = 0;
  }
}
