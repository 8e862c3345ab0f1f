/** Where Socket.IO's Engine.IO requests go (its default path), for the server and its clients. */
export const SOCKETIO_PATH = '/socket.io/';

/** The event every update is emitted as, with `{seq, ts, data}` as its one argument. */
export const SOCKETIO_UPDATE_EVENT = 'update';
