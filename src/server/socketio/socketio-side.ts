/** Options of the Socket.IO server process (argv[2], JSON). */
export interface SocketIoProcessOptions {
  /** The publisher's history, for the window's seq range. */
  readonly historySize: number;
  readonly historyBytes: number;
}

/** The module the Socket.IO server process runs. */
export const SOCKETIO_PROCESS_MODULE = new URL('./socketio-process.ts', import.meta.url);
