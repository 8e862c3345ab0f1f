/**
 * The Socket.IO server process: a Socket.IO 4 server (npm `socket.io`, Engine.IO protocol 4) on a
 * bare node:http server (h2c on node:http2 for HTTP/2 cells), and the feed's publisher in the same process, emitting each update to
 * every client as one `update` event with `{seq, ts, data}`. It answers the orchestrator as
 * feedbench's own server process does: CPU and memory are the process's (the publisher's
 * included, as in feedbench's own server), bytes are counted on every accepted socket. Options as
 * JSON in argv[2] (SocketIoProcessOptions).
 */
import { createServer } from 'node:http';
import { createServer as createH2cServer } from 'node:http2';
import type { Server as NetServer, Socket } from 'node:net';
import { Server } from 'socket.io';
import { serveIpc } from '../../process/ipc.ts';
import { exitWithParent } from '../../process/exit-with-parent.ts';
import { noSlowConsumerCounts } from '../../transports/shared/push-cursor.ts';
import type { ServerProtocol, ServerReadyInfo } from '../server-messages.ts';
import { createTimedPublisher } from '../timed-publisher.ts';
import { nodeProcessSample, publisherHandlers } from '../server-answers.ts';
import type { SocketIoProcessOptions } from './socketio-side.ts';
import {
  SOCKETIO_PATH,
  SOCKETIO_UPDATE_EVENT,
} from '../../transports/shared/socketio/socketio-names.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as SocketIoProcessOptions;

/** Bytes read and written by every socket the server accepted, open or closed. */
function countBytes(server: NetServer): () => { read: number; written: number } {
  const open = new Set<Socket>();
  const closed = { read: 0, written: 0 };
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      closed.read += socket.bytesRead;
      closed.written += socket.bytesWritten;
    });
  });
  return () => {
    const total = { ...closed };
    for (const s of open) {
      total.read += s.bytesRead;
      total.written += s.bytesWritten;
    }
    return total;
  };
}

// Engine.IO serves its polling on any server with node:http's request API, node:http2's
// compatibility API included; socket.io types only node:http's and https' servers.
const http =
  options.http === '2'
    ? (createH2cServer() as unknown as ReturnType<typeof createServer>)
    : createServer();
const wireBytes = countBytes(http);
const io = new Server(http, {
  path: SOCKETIO_PATH,
  serveClient: false,
  // Socket.IO's defaults but one: its polling answers are not compressed, since feedbench's
  // clients compare bytes as sent (permessage-deflate is already off by default).
  httpCompression: false,
});
const timed = createTimedPublisher(options.historySize, options.historyBytes);
const { publisher } = timed;
// One broadcast per update: Socket.IO encodes the packet once for every client.
publisher.onPublish(({ seq, ts, data }) => io.emit(SOCKETIO_UPDATE_EVENT, { seq, ts, data }));
exitWithParent(() => {
  publisher.stop();
  void io.close();
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as { port: number };

serveIpc<ServerProtocol>(
  {
    ...publisherHandlers(timed),
    sample: (request) => ({
      ...nodeProcessSample(request?.gc),
      connections: io.engine.clientsCount,
      wireBytes: wireBytes(),
      spinUs: publisher.spinUs,
      // Socket.IO buffers per client without a policy of feedbench's.
      slowConsumers: noSlowConsumerCounts(),
    }),
  },
  { port, ownPorts: {}, pid: process.pid } satisfies ServerReadyInfo,
);
