/**
 * What Socket.IO's heartbeats cost on the wire, in each of feedbench's three client modes. A
 * Socket.IO server in this process pings every `--ping-ms` and publishes nothing, so every byte
 * after the set-up is a heartbeat: the server's ping and the client's pong, over long polling (a
 * held GET answered with the ping, a new GET, and a POST with the pong) or over WebSocket (two
 * frames). Printed per mode: the set-up (time and bytes: for `upgrade`, the polling handshake and
 * the upgrade together), bytes per heartbeat each way, and what that makes per client-hour at
 * Socket.IO's default interval (25 s).
 *
 *   npm run bench:socketio-heartbeat [-- --seconds 5 --ping-ms 200]
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from 'socket.io';
import {
  createSocketIoClient,
  type SocketIoMode,
} from '../transports/shared/socketio/socketio-client.ts';
import { SOCKETIO_PATH } from '../transports/shared/socketio/socketio-names.ts';
import type { ClientRecorder } from '../transports/transport.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'ping-ms': { type: 'string', default: '200' },
  },
});
const SECONDS = Number(args.seconds);
const PING_MS = Number(args['ping-ms']);
/** Socket.IO's default ping interval, ms: what a client-hour is reckoned at. */
const DEFAULT_PING_MS = 25_000;

const http = createServer();
const io = new Server(http, {
  path: SOCKETIO_PATH,
  serveClient: false,
  httpCompression: false,
  pingInterval: PING_MS,
  pingTimeout: 5_000,
});
let heartbeats = 0;
io.engine.on('connection', (socket: { on(event: 'heartbeat', listener: () => void): void }) =>
  socket.on('heartbeat', () => heartbeats++),
);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as { port: number };

/** One client of `mode`: its set-up, then an idle window of heartbeats only. */
async function measure(mode: SocketIoMode): Promise<string> {
  let setup = { us: 0, bytes: 0 };
  const errors: string[] = [];
  const recorder: ClientRecorder = {
    update: () => {},
    pollCompleted: () => {},
    connected: (us, bytes) => (setup = { us, bytes }),
    error: (message) => void errors.push(message),
  };
  const client = createSocketIoClient(
    {
      host: '127.0.0.1',
      port,
      http: '1.1',
      headerProfile: 'minimal',
      pollIntervalMs: 1_000,
      pollMode: 'fixed-period',
      keepAlive: true,
      longPollTimeoutMs: 30_000,
      wsCompression: false,
    },
    recorder,
    mode,
  );
  await client.connect();
  // The first heartbeat after the set-up starts the window: none is counted half-way.
  const first = heartbeats;
  while (heartbeats === first) await sleep(5);
  const before = client.wire.totals();
  const counted = heartbeats;
  await sleep(SECONDS * 1000);
  const after = client.wire.totals();
  const beats = heartbeats - counted;
  client.close();
  if (errors.length > 0) return `${mode}: failed: ${errors[0]}`;
  const down = (after.down - before.down) / beats;
  const up = (after.up - before.up) / beats;
  const perHourKiB = ((down + up) * (3_600_000 / DEFAULT_PING_MS)) / 1024;
  return `${mode.padEnd(9)}  set-up ${(setup.us / 1000).toFixed(1).padStart(5)} ms, ${String(setup.bytes).padStart(5)} B   heartbeat ${down.toFixed(0).padStart(4)} B down + ${up.toFixed(0).padStart(4)} B up (${beats} of them)   ${perHourKiB.toFixed(1).padStart(6)} KiB per client-hour at 25 s`;
}

console.log(
  `Socket.IO's heartbeats: one client per mode, pinged every ${PING_MS} ms for ${SECONDS} s, no updates`,
);
for (const mode of ['polling', 'websocket', 'upgrade'] as const) console.log(await measure(mode));
await io.close();
