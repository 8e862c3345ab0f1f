import type { Socket } from 'node:net';
import { openClientSocket, type SocketTarget } from './client-socket.ts';
import { ResponseParser } from './http1-response-parser.ts';
import type { ResponseHandler } from './response-handler.ts';

/**
 * One HTTP/1.1 client connection on a raw socket: writes a prepared request head and parses the
 * answer. feedbench writes requests itself, rather than through `node:http`, so that the exact
 * header bytes of a profile go on the wire and the socket's byte counts mean what they say.
 * One request at a time (no pipelining, as browsers do).
 */
export class Http1Connection {
  readonly socket: Socket;
  /** The TCP socket under `socket` (the same one without TLS): count wire bytes here. */
  readonly raw: Socket;
  #handler: ResponseHandler | undefined;
  #closed = false;
  readonly #onClose: (error: Error | undefined) => void;

  private constructor(socket: Socket, raw: Socket, onClose: (error: Error | undefined) => void) {
    this.socket = socket;
    this.raw = raw;
    this.#onClose = onClose;
    // One reader for the connection: it reads the head being reported, with no allocation per answer.
    let head: Map<string, string> | undefined;
    const header = (name: string) => head?.get(name);
    const parser = new ResponseParser({
      onHead: (status, headers) => {
        head = headers;
        this.#handler?.onHead?.(status, header);
        head = undefined;
      },
      onBody: (piece) => this.#handler?.onBody?.(piece),
      onEnd: () => {
        const handler = this.#handler;
        this.#handler = undefined;
        handler?.onEnd();
      },
    });
    socket.on('data', (data: Buffer) => {
      try {
        parser.push(data);
      } catch (error) {
        this.#fail(error as Error);
      }
    });
    socket.on('end', () => {
      if (!parser.close()) this.#fail(new Error('connection closed in the middle of a response'));
    });
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(undefined));
  }

  /**
   * Opens a connection (TLS when the target has a CA) with Nagle off (docs/metrics.md, fairness
   * rules).
   * @param onClose called once when the connection ends; with an error if it failed or was cut
   * mid-response.
   */
  static async open(
    target: SocketTarget,
    onClose: (error: Error | undefined) => void,
  ): Promise<Http1Connection> {
    const { socket, raw, ready } = openClientSocket(target);
    await ready;
    return new Http1Connection(socket, raw, onClose);
  }

  /** True while a response is awaited. */
  get busy(): boolean {
    return this.#handler !== undefined;
  }

  /** True once the socket has closed or failed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes a request head (from `requestHead`) and reports its response to `handler`. */
  send(head: string, handler: ResponseHandler): void {
    if (this.#handler) throw new Error('a request is already in flight on this connection');
    this.#handler = handler;
    this.socket.write(head, 'latin1');
  }

  /** Closes the socket; `onClose` is called without an error. */
  close(): void {
    this.#handler = undefined;
    this.socket.destroy();
  }

  #fail(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    const handler = this.#handler;
    this.#handler = undefined;
    this.socket.destroy();
    const reported =
      error ?? (handler ? new Error('connection closed before the response ended') : undefined);
    if (handler && reported) handler.onError(reported);
    this.#onClose(reported);
  }
}
