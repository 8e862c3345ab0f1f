import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { arrivedSecure, originAllowed, originRefusal } from '../protocol/origins.ts';
import type { Publisher } from '../feed/publisher.ts';
import {
  MAX_BODY_BYTES,
  PATHS,
  PROTOCOL_REVISION,
  PROTOCOL_VERSION,
  ProtocolError,
} from '../protocol/feed-protocol.ts';
import { sendJson, sendProtocolError } from '../transports/shared/json-response.ts';
import type { ProtocolServers, ServerTransport } from '../transports/transport.ts';
import { nowUs } from '../metrics/clock.ts';

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

/**
 * Every endpoint, on one Router that both HTTP versions' apps use: the same handlers answer
 * HTTP/1.1 and HTTP/2 requests (an Express app, unlike a Router, is tied to one version's objects).
 */
export function buildRoutes(
  publisher: Publisher,
  transports: readonly ServerTransport[],
  servers: ProtocolServers,
  injectHeaderBytes: number,
  allowedOrigins: readonly string[] | undefined,
): Router {
  const app = express.Router();
  if (allowedOrigins) app.use(originGuard(allowedOrigins));
  if (injectHeaderBytes > 0) {
    app.use((_req, res, next) => {
      res.setHeader('X-Injected-Regression', 'x'.repeat(injectHeaderBytes));
      next();
    });
  }
  const names = transports.map((t) => t.name);
  app.get(PATHS.health, (_req, res) =>
    sendJson(
      res,
      200,
      JSON.stringify({ protocol: PROTOCOL_VERSION, version: PROTOCOL_REVISION, transports: names }),
    ),
  );
  app.get(PATHS.clock, (_req, res) =>
    sendJson(res, 200, JSON.stringify({ now: nowUs(), clock: 'monotonic' })),
  );
  for (const transport of transports) transport.mount(app, servers, publisher);
  const json = express.json({ limit: MAX_BODY_BYTES, type: () => true });
  app.post(PATHS.publish, json, (req, res, next) => {
    const { data, id } = readMessage(req.body);
    publisher
      .publishForClient(data)
      .then((seq) => sendJson(res, 200, JSON.stringify({ seq, id })), next);
  });
  app.post(PATHS.echo, json, (req, res) => {
    const message = readMessage(req.body);
    sendJson(res, 200, JSON.stringify(req.body ?? message));
  });
  app.post(PATHS.feed, json, (req, res) => {
    const settings = readFeedSettings(req.body);
    publisher.configure(settings);
    sendJson(res, 200, JSON.stringify(settings));
  });
  answerErrors(app);
  return app;
}

/**
 * Refuses a request whose `Origin` is not on the list (403), and lets an allowed page of another
 * origin read the answers (CORS).
 */
function originGuard(allowedOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!originAllowed(req.headers, allowedOrigins, arrivedSecure(req.headers, req.socket)))
      return sendProtocolError(res, originRefusal(origin));
    // An allowed page of another origin may read the answers (CORS); without a list no page of
    // another origin can.
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      // A listed origin is trusted with credentials too: a page's credentialed requests (cookies,
      // and the connection pool a browser's WebSocket shares) may then read the answers.
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    next();
  };
}

/** The protocol's answers to what no route took: 405 on a known path, 404 elsewhere, and errors. */
function answerErrors(app: Router): void {
  const knownPaths = new Set<string>(Object.values(PATHS));
  app.use((req, res) => {
    if (knownPaths.has(req.path))
      sendProtocolError(
        res,
        new ProtocolError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}`),
      );
    else sendProtocolError(res, new ProtocolError(404, 'not_found', `no endpoint at ${req.path}`));
  });
  // Express's error handler signature needs all four parameters.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ProtocolError) return sendProtocolError(res, error);
    const e = error as { status?: number; type?: string; message?: string };
    if (e.type === 'entity.too.large')
      return sendProtocolError(
        res,
        new ProtocolError(413, 'body_too_large', `body is over ${MAX_BODY_BYTES} bytes`),
      );
    if (e.status && e.status >= 400 && e.status < 500)
      return sendProtocolError(
        res,
        new ProtocolError(e.status, 'bad_request', e.message ?? 'bad request'),
      );
    sendProtocolError(res, new ProtocolError(500, 'internal', String(e.message ?? error)));
  });
}
