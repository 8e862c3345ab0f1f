/**
 * The feed protocol, version 1.1: paths, limits and message shapes shared by feedbench's
 * server and its driver. README ("The feed protocol") is the user-facing definition.
 */

/** The protocol's major version, `protocol` in `GET /health`: a client checks this one. */
export const PROTOCOL_VERSION = 1;

/**
 * The protocol's full version, `version` in `GET /health`: 1.1 adds the edges (a stopped feed,
 * bounded answers, slow consumers, HTTP/2, origins, an SSE stream's opening id). A version-1
 * server says no `version`; a client of either works with both.
 */
export const PROTOCOL_REVISION = '1.1';

/** The four transports, by the names used in scenarios, results and `/health`. */
export const TRANSPORTS = ['short-poll', 'long-poll', 'sse', 'websocket'] as const;

/** One of the four transports. */
export type TransportName = (typeof TRANSPORTS)[number];

/** Paths of every endpoint. */
export const PATHS = {
  health: '/health',
  clock: '/clock',
  poll: '/poll',
  longPoll: '/long-poll',
  sse: '/sse',
  websocket: '/ws',
  publish: '/publish',
  echo: '/echo',
  feed: '/feed',
} as const;

/** Largest request body a server accepts (larger gets 413). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The most one `/poll` or `/long-poll` answer carries: a client told `"more": true` asks again at
 * once.
 */
export const POLL_ANSWER_BOUNDS = { maxUpdates: 1_000, maxBytes: 1024 * 1024 } as const;

/** What a push connection that falls too far behind gets (README "Slow consumers"). */
export type SlowConsumerPolicy = 'disconnect' | 'skip-to-latest';

/** The slow-consumer policies, as scenarios name them. */
export const SLOW_CONSUMER_POLICIES = [
  'disconnect',
  'skip-to-latest',
] as const satisfies readonly SlowConsumerPolicy[];

/** How far behind a push connection may fall, and what happens past that. */
export interface SlowConsumerLimits {
  /**
   * Bytes a connection may have outstanding: queued on its socket plus not yet written from the
   * history.
   */
  readonly maxQueuedBytes: number;
  readonly policy: SlowConsumerPolicy;
}

/** feedbench's server unless a scenario says otherwise: 4 MiB outstanding, then disconnect. */
export const DEFAULT_SLOW_CONSUMER_LIMITS: SlowConsumerLimits = {
  maxQueuedBytes: 4 * 1024 * 1024,
  policy: 'disconnect',
};

/**
 * Streams one HTTP/2 connection may hold open at once (SETTINGS_MAX_CONCURRENT_STREAMS); more are
 * refused.
 */
export const MAX_H2_STREAMS_PER_CONNECTION = 1_000;

/**
 * Long polls one server holds at once unless told otherwise; past that a long poll is answered `503
 * busy`.
 */
export const MAX_HELD_LONG_POLLS = 50_000;

/** Long-poll hold time when the client names none, and the most it may ask for, in ms. */
export const LONG_POLL_TIMEOUT_MS = { default: 30_000, max: 120_000 } as const;

/** Body of every 4xx/5xx answer. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

/** A bad request, carrying the HTTP status and the protocol's error code. */
export class ProtocolError extends Error {
  /**
   * @param status HTTP status (4xx).
   * @param code machine-readable code, e.g. `bad_cursor`.
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The protocol's JSON error body. */
  toBody(): ErrorBody {
    return { error: this.code, message: this.message };
  }
}

/**
 * Parses an optional non-negative integer query parameter (a cursor, a timeout).
 * Absent gives undefined; anything else that is not digits throws a 400 with `code`.
 */
export function parseNonNegativeInt(raw: unknown, name: string, code: string): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
    throw new ProtocolError(
      400,
      code,
      `${name} must be a non-negative integer, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/** The body of `/poll` and `/long-poll` answers, built from pre-encoded update JSON. */
export function pollBody(
  updateJsons: readonly string[],
  last: number,
  gap?: { from: number; to: number },
  more = false,
): string {
  const gapPart = gap ? `,"gap":{"from":${gap.from},"to":${gap.to}}` : '';
  return `{"updates":[${updateJsons.join(',')}],"last":${last}${gapPart}${more ? ',"more":true' : ''}}`;
}

/** A gap control message (SSE `data:` and WebSocket frame). */
export function gapMessage(from: number, to: number): string {
  return `{"type":"gap","from":${from},"to":${to}}`;
}
