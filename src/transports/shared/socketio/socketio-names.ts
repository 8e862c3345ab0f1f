/** Where Socket.IO's Engine.IO requests go (its default path), for the server and its clients. */
export const SOCKETIO_PATH = '/socket.io/';

/** Engine.IO protocol 4's path and query, up to the transport's name (`polling`, `websocket`). */
export const ENGINE_PATH = `${SOCKETIO_PATH}?EIO=4&transport=`;

/** The event every update is emitted as, with `{seq, ts, data}` as its one argument. */
export const SOCKETIO_UPDATE_EVENT = 'update';
