import type { ServerProtocol } from '../../server/server-messages.ts';
import { singleServer, type ServerSide } from '../../server/server-side.ts';
import {
  SOCKETIO_PROCESS_MODULE,
  type SocketIoProcessOptions,
} from '../../server/socketio/socketio-side.ts';
import { startChild } from '../../process/children.ts';
import type { ServerProcessOptions } from '../../server/server-messages.ts';
import type { Teardown } from './teardown.ts';

/**
 * A Socket.IO server for the cell, new for each cell, on the server's cores (its publisher in the
 * same process, as in feedbench's own server).
 */
export async function startSocketIoServer(
  options: ServerProcessOptions,
  http: '1.1' | '2',
  cores: number[] | undefined,
  teardown: Teardown,
  readyTimeoutMs: number,
): Promise<ServerSide> {
  const socketIo: SocketIoProcessOptions = {
    historySize: options.historySize,
    historyBytes: options.historyBytes,
    http,
  };
  const child = teardown.child(
    await startChild<ServerProtocol>(
      'socket.io',
      SOCKETIO_PROCESS_MODULE,
      [JSON.stringify(socketIo)],
      { cores, readyTimeoutMs, nodeOptions: ['--expose-gc'] },
    ),
  );
  return singleServer(child);
}
