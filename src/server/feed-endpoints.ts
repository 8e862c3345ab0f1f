import type { IncomingHttpHeaders } from 'node:http';
import { arrivedSecure, originAllowed, originRefusal } from '../protocol/origins.ts';
import type { Publisher } from '../feed/publisher.ts';
import {
  MAX_BODY_BYTES,
  PATHS,
  PROTOCOL_REVISION,
  PROTOCOL_VERSION,
  ProtocolError,
} from '../protocol/feed-protocol.ts';
import { nowUs } from '../metrics/clock.ts';
import { sendJson } from '../transports/shared/json-response.ts';
import type { FeedRoutes, ProtocolServers, ServerTransport } from '../transports/transport.ts';

/**
 * The feed protocol's own endpoints, free of any framework: each front (Express's Router, the bare
 * node:http dispatcher) routes requests to these and writes what they return, so the two fronts
 * differ in routing and body parsing alone.
 */
export interface FeedEndpoints {
  /** GET endpoints answered with a JSON body: health and clock. */
  readonly get: Readonly<Record<string, () => string>>;
  /** POST endpoints: the parsed JSON body in, the JSON answer out (or a thrown ProtocolError). */
  readonly post: Readonly<Record<string, (body: unknown) => string | Promise<string>>>;
}

function readFeedSettings(body: unknown): { rate: number; payloadBytes: number } {
  const b = (body ?? {}) as { rate?: unknown; payloadBytes?: unknown };
  const rate = b.rate;
  if (typeof rate !== 'number' || !(rate >= 0) || !Number.isFinite(rate) || rate > 1_000_000) {
    throw new ProtocolError(
      400,
      'bad_rate',
      `rate must be a number of updates per second from 0 to 1000000, got ${JSON.stringify(rate)}`,
    );
  }
  const payloadBytes = b.payloadBytes ?? 0;
  if (
    typeof payloadBytes !== 'number' ||
    !Number.isInteger(payloadBytes) ||
    payloadBytes < 0 ||
    payloadBytes > MAX_BODY_BYTES
  ) {
    throw new ProtocolError(
      400,
      'bad_payload_bytes',
      `payloadBytes must be an integer from 0 to ${MAX_BODY_BYTES}, got ${JSON.stringify(payloadBytes)}`,
    );
  }
  return { rate, payloadBytes };
}

function readMessage(body: unknown): { data: string; id: unknown } {
  const b = body as { data?: unknown; id?: unknown } | undefined;
  if (!b || typeof b !== 'object' || typeof b.data !== 'string') {
    throw new ProtocolError(
      400,
      'bad_body',
      'body must be a JSON object with a string "data" (Content-Type: application/json)',
    );
  }
  return { data: b.data, id: b.id };
}

/** The endpoints of a feed server whose transports are `transportNames`. */
export function feedEndpoints(
  publisher: Publisher,
  transportNames: readonly string[],
): FeedEndpoints {
  const health = JSON.stringify({
    protocol: PROTOCOL_VERSION,
    version: PROTOCOL_REVISION,
    transports: transportNames,
  });
  return {
    get: {
      [PATHS.health]: () => health,
      [PATHS.clock]: () => JSON.stringify({ now: nowUs(), clock: 'monotonic' }),
    },
    post: {
      [PATHS.publish]: async (body) => {
        const { data, id } = readMessage(body);
        const seq = await publisher.publishForClient(data);
        return JSON.stringify({ seq, id });
      },
      [PATHS.echo]: (body) => {
        readMessage(body);
        return JSON.stringify(body);
      },
      [PATHS.feed]: (body) => {
        const settings = readFeedSettings(body);
        publisher.configure(settings);
        return JSON.stringify(settings);
      },
    },
  };
}

/**
 * Registers every GET endpoint on a front's routes: the protocol's own (health, clock), then each
 * transport's (WebSocket also takes the protocol servers' upgrade and CONNECT events).
 */
export function mountGetEndpoints(
  routes: FeedRoutes,
  endpoints: FeedEndpoints,
  transports: readonly ServerTransport[],
  servers: ProtocolServers,
  publisher: Publisher,
): void {
  for (const [path, answer] of Object.entries(endpoints.get))
    routes.get(path, (_req, res) => sendJson(res, 200, answer()));
  for (const transport of transports) transport.mount(routes, servers, publisher);
}

/**
 * Checks a request against an allowed-origins list (docs/protocol.md "Origins"): the refusal to
 * answer, or the CORS headers an allowed page of another origin needs (none without an Origin).
 */
export function originDecision(
  headers: IncomingHttpHeaders,
  socket: unknown,
  allowedOrigins: readonly string[],
): ProtocolError | Record<string, string> {
  const origin = headers.origin;
  if (!originAllowed(headers, allowedOrigins, arrivedSecure(headers, socket)))
    return originRefusal(origin);
  if (origin === undefined) return {};
  // A listed origin is trusted with credentials too: a page's credentialed requests (cookies, and
  // the connection pool a browser's WebSocket shares) may then read the answers.
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  };
}

/** The protocol's answer to a request no endpoint took: 405 on a known path, else 404. */
export function unrouted(method: string | undefined, path: string): ProtocolError {
  return KNOWN_PATHS.has(path)
    ? new ProtocolError(405, 'method_not_allowed', `${method} is not allowed on ${path}`)
    : new ProtocolError(404, 'not_found', `no endpoint at ${path}`);
}

const KNOWN_PATHS = new Set<string>(Object.values(PATHS));
