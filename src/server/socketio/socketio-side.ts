/** Options of the Socket.IO server process (argv[2], JSON). */
export interface SocketIoProcessOptions {
  /** The publisher's history, for the window's seq range. */
  readonly historySize: number;
  readonly historyBytes: number;
}

/** The module the Socket.IO server process runs. */
export const SOCKETIO_PROCESS_MODULE = new URL('./socketio-process.ts', import.meta.url);

/** Where Socket.IO's Engine.IO requests go (its default path). */
export const SOCKETIO_PATH = '/socket.io/';

/** The event every update is emitted as, with `{seq, ts, data}` as its one argument. */
export const SOCKETIO_UPDATE_EVENT = 'update';
