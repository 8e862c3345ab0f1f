import { createServer } from 'node:http';
import { Server } from 'socket.io';

/** A Socket.IO application of the kind `--target-kind socket.io` measures, served from a test. */
export interface SocketIoApp {
  readonly url: string;
  /** How many updates it emitted. */
  readonly emitted: number;
  /** Every `feed` event's settings, in order. */
  readonly feeds: readonly { rate: number; payloadBytes: number }[];
  close(): Promise<void>;
}

/** The wall clock in µs: a target's own clock, unlike the driver's monotonic one. */
const realtimeUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/**
 * Starts a Socket.IO 4 server on a free loopback port, written as a reader of docs/servers.md
 * would: each update emitted to every client as `update` with {seq, ts, data}, ts on the wall
 * clock in µs; `clock` acknowledged with {now, clock: "realtime"} and `feed` with its settings
 * applied, each only when asked for (`answers`).
 */
export async function startSocketIoApp(
  answers: { clock: boolean; feed: boolean } = { clock: true, feed: true },
): Promise<SocketIoApp> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  let seq = 0;
  const feeds: { rate: number; payloadBytes: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const feed = (rate: number, payloadBytes: number) => {
    clearInterval(timer);
    timer = undefined;
    if (rate <= 0) return;
    const data = 'x'.repeat(payloadBytes);
    timer = setInterval(
      () => io.emit('update', { seq: ++seq, ts: realtimeUs(), data }),
      1000 / rate,
    );
  };
  // Without a `feed` handler, the application publishes as it likes: 20 updates/s of 64 B.
  if (!answers.feed) feed(20, 64);
  io.on('connection', (socket) => {
    if (answers.clock)
      socket.on('clock', (ack: (reading: object) => void) =>
        ack({ now: realtimeUs(), clock: 'realtime' }),
      );
    if (answers.feed)
      socket.on(
        'feed',
        (settings: { rate: number; payloadBytes: number }, ack: (reply: object) => void) => {
          feeds.push({ rate: settings.rate, payloadBytes: settings.payloadBytes });
          feed(settings.rate, settings.payloadBytes);
          ack({ ok: true });
        },
      );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get emitted() {
      return seq;
    },
    feeds,
    close: async () => {
      clearInterval(timer);
      await io.close();
    },
  };
}
