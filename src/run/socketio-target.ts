import { decodePayload } from 'engine.io-parser';
import { io, type Socket } from 'socket.io-client';
import type { ClockEstimate } from '../results/index.ts';
import { ENGINE_PATH, SOCKETIO_PATH } from '../transports/shared/socketio/socketio-names.ts';
import {
  clockFromExchanges,
  clockReading,
  excerpt,
  TargetError,
  type FeedControl,
} from './external-target.ts';
import { requestTarget, type TargetAddress } from './target-http.ts';

/** How long the target may take to acknowledge an event, ms. */
const ACK_TIMEOUT_MS = 2_000;

/** How a Socket.IO target's clock event is answered, for the error that says how to add it. */
const CLOCK_HANDLER =
  "socket.on('clock', (ack) => ack({ now: Date.now() * 1000, clock: 'realtime' }))";

/**
 * Checks that a target is a Socket.IO 4 server: Engine.IO protocol 4's handshake by long polling
 * (`GET /socket.io/?EIO=4&transport=polling`) answers 200 with an `open` packet holding a sid,
 * saying what came back when it does not.
 */
export async function probeSocketIoTarget(target: TargetAddress): Promise<void> {
  const path = `${ENGINE_PATH}polling`;
  const expected = `expected GET ${path} to answer 200 with Engine.IO 4's open packet (0{"sid":...})`;
  const { status, body } = await requestTarget(target, path).catch((error: Error) => {
    throw new TargetError(`cannot reach ${target.url.origin}${path}: ${error.message}`);
  });
  const [open] = status === 200 ? decodePayload(body) : [];
  let sid: unknown;
  try {
    sid = open?.type === 'open' ? (JSON.parse(String(open.data)) as { sid?: unknown }).sid : null;
  } catch {
    sid = null;
  }
  if (typeof sid !== 'string')
    throw new TargetError(
      `${target.url.origin} is not a Socket.IO 4 server: ${expected}, got ${status} ${excerpt(body)}`,
    );
}

/** A control connection to a Socket.IO target: its clock and its feed, by acknowledged events. */
export interface SocketIoControl {
  /** The target's clock against ours, from `samples` `clock` events. */
  clock(samples?: number): Promise<ClockEstimate>;
  /** The `feed` event, when the target acknowledges it; once unanswered, not asked again. */
  readonly feed: FeedControl;
  close(): void;
}

/**
 * Opens a control connection to a Socket.IO target with Socket.IO's own client (npm
 * `socket.io-client`, WebSocket only, no reconnection): the measured clients are feedbench's own,
 * this one only asks the clock and sets the feed.
 */
export async function openSocketIoControl(target: TargetAddress): Promise<SocketIoControl> {
  const socket: Socket = io(target.url.origin, {
    path: SOCKETIO_PATH,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: ACK_TIMEOUT_MS * 2,
    ...(target.ca ? { ca: target.ca } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) => {
      socket.close();
      reject(
        new TargetError(
          `${target.url.origin}: Socket.IO's main namespace did not connect over WebSocket: ${error.message}`,
        ),
      );
    });
  });
  let feedOffered = true;
  return {
    clock: (samples = 8) =>
      clockFromExchanges(samples, async () => {
        const answer: unknown = await socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('clock')
          .catch(() => {
            throw new TargetError(
              `${target.url.origin} did not acknowledge the \`clock\` event within ${ACK_TIMEOUT_MS} ms: a Socket.IO target tells its clock, for latency across clocks: ${CLOCK_HANDLER}`,
            );
          });
        const reading = clockReading(answer);
        if (!reading)
          throw new TargetError(
            `${target.url.origin}: expected the \`clock\` event's acknowledgement to be {"now": <µs>, "clock": "monotonic" | "realtime"}, got ${excerpt(JSON.stringify(answer) ?? 'nothing')}`,
          );
        return reading;
      }),
    async feed(settings) {
      if (!feedOffered) return false;
      feedOffered = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('feed', { rate: settings.rate, payloadBytes: settings.payloadBytes })
        .then(
          () => true,
          () => false,
        );
      return feedOffered;
    },
    close: () => socket.close(),
  };
}

/**
 * Before any cell: the target is a Socket.IO 4 server (its handshake), and it tells its clock (one
 * acknowledged `clock` event over a control connection, closed again). Throws a TargetError that
 * says what is missing.
 */
export async function checkSocketIoTarget(target: TargetAddress): Promise<void> {
  await probeSocketIoTarget(target);
  const control = await openSocketIoControl(target);
  try {
    await control.clock(1);
  } finally {
    control.close();
  }
}
