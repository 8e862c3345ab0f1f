import { Duplex } from 'node:stream';
import { H2FrameMeter } from './h2-frame-meter.ts';

/**
 * A duplex that an HTTP/2 session talks through, in place of its socket, and that meters every
 * frame both ways on the way to and from the real socket (TCP, or TLS: then the frames are the
 * decrypted ones and the TCP socket under it still counts the wire). node:http2 reads a plain
 * socket natively, out of JavaScript's sight; handing it this duplex is what lets the frames be
 * seen. fairness: the tap costs the driver some CPU per chunk; the server is untouched.
 */
export class H2FrameTap extends Duplex {
  /** What the client wrote: the preface, its SETTINGS, requests and bodies. */
  readonly up = new H2FrameMeter(true);
  /** What the server sent. */
  readonly down = new H2FrameMeter(false);
  readonly #socket: Duplex;

  constructor(socket: Duplex) {
    super({ allowHalfOpen: false });
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.down.push(chunk);
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.up.push(chunk);
    this.#socket.write(chunk, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    for (const { chunk } of chunks) this.up.push(chunk);
    this.#socket.write(Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy();
    callback(error);
  }
}
