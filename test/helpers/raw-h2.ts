import { connect, type Socket } from 'node:net';

/** A frame as read off the wire. */
export interface RawFrame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

/** One HTTP/2 frame: the 9-byte header (length, type, flags, stream id) and its payload. */
export function h2Frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

/**
 * A GET's header block in HPACK without Huffman: `:method GET`, `:scheme http` indexed, `:path` as
 * a literal with an indexed name (RFC 7541 appendix C.2.2), enough for a test of the server's
 * limits.
 */
function getHeaderBlock(path: string): Buffer {
  if (path.length > 126) throw new Error('path too long for a one-byte length');
  return Buffer.concat([Buffer.from([0x82, 0x86, 0x04, path.length]), Buffer.from(path, 'latin1')]);
}

/**
 * An HTTP/2 client that writes frames itself and so obeys none of the rules a real client keeps
 * (stream limits): for tests of what the server does when they are broken.
 */
export class RawH2Client {
  readonly frames: RawFrame[] = [];
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 9) {
        const length = this.#buffer.readUIntBE(0, 3);
        if (this.#buffer.length < 9 + length) break;
        this.frames.push({
          type: this.#buffer[3]!,
          flags: this.#buffer[4]!,
          streamId: this.#buffer.readUInt32BE(5) & 0x7fffffff,
          payload: this.#buffer.subarray(9, 9 + length),
        });
        this.#buffer = this.#buffer.subarray(9 + length);
      }
    });
    socket.on('error', () => {});
  }

  /** Connects with prior knowledge: the preface and an empty SETTINGS. */
  static async open(port: number): Promise<RawH2Client> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      Buffer.concat([
        Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
        h2Frame(0x4, 0, 0, Buffer.alloc(0)),
      ]),
    );
    return new RawH2Client(socket);
  }

  /** Opens `count` GET streams for `path` at once (ids 1, 3, 5, ...), ignoring any limit. */
  openStreams(count: number, path: string, firstId = 1): void {
    const block = getHeaderBlock(path);
    const frames: Buffer[] = [];
    for (let i = 0; i < count; i++) frames.push(h2Frame(0x1, 0x5, firstId + 2 * i, block)); // END_STREAM | END_HEADERS
    this.#socket.write(Buffer.concat(frames));
  }

  close(): void {
    this.#socket.destroy();
  }
}
