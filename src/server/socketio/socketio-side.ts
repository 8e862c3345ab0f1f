/** Options of the Socket.IO server process (argv[2], JSON). */
export interface SocketIoProcessOptions {
  /** The publisher's history, for the window's seq range. */
  readonly historySize: number;
  readonly historyBytes: number;
  /**
   * `2`: the server listens as h2c (HTTP/2 with prior knowledge, node:http2's compatibility API),
   * on which Engine.IO long-polls; its WebSocket is an HTTP/1.1 upgrade, so not over HTTP/2.
   */
  readonly http: '1.1' | '2';
}

/** The module the Socket.IO server process runs. */
export const SOCKETIO_PROCESS_MODULE = new URL('./socketio-process.ts', import.meta.url);
