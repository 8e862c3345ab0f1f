import {
  excerpt,
  expectThat,
  lastSeq,
  marker,
  publish,
  type CaseContext,
  type ConformCase,
} from './case-kit.ts';
import { withSocket } from './case-socket.ts';

/** How long a case waits for something that should come promptly. */
const PROMPTLY_MS = 3_000;

/** A bad frame must close the socket with 1003 (unsupported data) or 1007 (invalid payload). */
async function expectBadFrameClose(ctx: CaseContext, frame: string): Promise<void> {
  await withSocket(ctx, '/ws', async (socket, request) => {
    socket.ws.send(frame);
    const closed = await socket.until(() => socket.closed !== null, PROMPTLY_MS);
    const code = socket.closed?.code;
    expectThat(
      closed && (code === 1003 || code === 1007),
      'a close with code 1003 or 1007 and a reason',
      () =>
        socket.closed ? `close ${socket.closed.code} ${excerpt(socket.closed.reason)}` : 'no close',
      `${request}, then the frame ${excerpt(frame)}`,
    );
  });
}

/** WebSocket: the upgrade, update frames, cursors, echo and publish frames, bad frames. */
export const WEBSOCKET_CASES: readonly ConformCase[] = [
  {
    id: '5.1',
    title: 'GET /ws upgrades at once, even when nothing is published',
    transport: 'websocket',
    quick: true,
    async run(ctx) {
      await withSocket(ctx, '/ws', async () => {});
    },
  },
  {
    id: '5.2',
    title:
      'An update published after the socket opens arrives as one text frame {"seq", "ts", "data"}',
    transport: 'websocket',
    quick: true,
    async run(ctx) {
      const data = marker('5.2');
      await withSocket(ctx, '/ws', async (socket, request) => {
        const seq = await publish(ctx, data);
        const arrived = await socket.until(
          () => socket.frames.some((f) => f.includes(data)),
          PROMPTLY_MS,
        );
        const frame = socket.frames.find((f) => f.includes(data));
        const update =
          frame === undefined
            ? undefined
            : (JSON.parse(frame) as {
                seq?: unknown;
                ts?: unknown;
                data?: unknown;
                type?: unknown;
              });
        expectThat(
          arrived &&
            update?.seq === seq &&
            Number.isInteger(update.ts) &&
            update.data === data &&
            update.type === undefined,
          `a frame {"seq": ${seq}, "ts", "data": "${data}"} with no "type"`,
          () => excerpt(socket.frames.join(' | ')),
          request,
        );
      });
    },
  },
  {
    id: '5.3',
    title: 'GET /ws?since=N sends the updates after N first',
    transport: 'websocket',
    async run(ctx) {
      const data = marker('5.3');
      const seq = await publish(ctx, data);
      await withSocket(ctx, `/ws?since=${seq - 1}`, async (socket, request) => {
        const arrived = await socket.until(
          () => socket.frames.some((f) => f.includes(data)),
          PROMPTLY_MS,
        );
        expectThat(arrived, `the update ${seq}`, () => excerpt(socket.frames.join(' | ')), request);
      });
    },
  },
  {
    id: '5.4',
    title: 'A frame {"type": "echo", "data", "id"} is answered with the same frame',
    transport: 'websocket',
    async run(ctx) {
      const frame = JSON.stringify({ type: 'echo', data: marker('5.4'), id: 54 });
      await withSocket(ctx, '/ws', async (socket, request) => {
        socket.ws.send(frame);
        const echoed = await socket.until(
          () => socket.frames.some((f) => f.includes('"echo"')),
          PROMPTLY_MS,
        );
        const got = socket.frames.find((f) => f.includes('"echo"'));
        expectThat(
          echoed && got !== undefined && JSON.stringify(JSON.parse(got)) === frame,
          frame,
          () => excerpt(socket.frames.join(' | ')),
          `${request}, then the frame ${frame}`,
        );
      });
    },
  },
  {
    id: '5.5',
    title:
      'A frame {"type": "publish", "data", "id"} is acknowledged {"type": "ack", "id", "seq"} and published',
    transport: 'websocket',
    async run(ctx) {
      const data = marker('5.5');
      const before = await lastSeq(ctx);
      await withSocket(ctx, '/ws', async (socket, request) => {
        socket.ws.send(JSON.stringify({ type: 'publish', data, id: 'c-5.5' }));
        const done = await socket.until(
          () =>
            socket.frames.some((f) => f.includes('"ack"')) &&
            socket.frames.some((f) => f.includes(data)),
          PROMPTLY_MS,
        );
        const ack = socket.frames
          .map((f) => JSON.parse(f) as { type?: unknown; id?: unknown; seq?: unknown })
          .find((m) => m.type === 'ack');
        expectThat(
          done && ack?.id === 'c-5.5' && Number.isInteger(ack.seq) && (ack.seq as number) > before,
          `{"type": "ack", "id": "c-5.5", "seq": <above ${before}>}, and the update itself`,
          () => excerpt(socket.frames.join(' | ')),
          `${request}, then a publish frame`,
        );
      });
    },
  },
  {
    id: '5.6',
    title: 'A frame that is not JSON closes the socket with 1003 or 1007',
    transport: 'websocket',
    run: (ctx) => expectBadFrameClose(ctx, 'not json'),
  },
  {
    id: '5.7',
    title: 'A frame with an unknown "type" closes the socket with 1003 or 1007',
    transport: 'websocket',
    run: (ctx) => expectBadFrameClose(ctx, '{"type": "no-such-type"}'),
  },
];
