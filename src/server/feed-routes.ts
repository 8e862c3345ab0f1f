import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { Publisher } from '../feed/publisher.ts';
import { MAX_BODY_BYTES, ProtocolError } from '../protocol/feed-protocol.ts';
import { sendJson, sendProtocolError } from '../transports/shared/json-response.ts';
import type { FeedHandler, ProtocolServers, ServerTransport } from '../transports/transport.ts';
import { feedEndpoints, mountGetEndpoints, originDecision, unrouted } from './feed-endpoints.ts';

/**
 * Every endpoint, on one Express Router that both HTTP versions' apps use: the same handlers answer
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
  const endpoints = feedEndpoints(
    publisher,
    transports.map((t) => t.name),
  );
  const routes = { get: (path: string, handler: FeedHandler) => void app.get(path, handler) };
  mountGetEndpoints(routes, endpoints, transports, servers, publisher);
  const json = express.json({ limit: MAX_BODY_BYTES, type: () => true });
  for (const [path, answer] of Object.entries(endpoints.post))
    app.post(path, json, (req, res, next) => {
      Promise.resolve()
        .then(() => answer(req.body))
        .then((body) => sendJson(res, 200, body), next);
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
    const decision = originDecision(req.headers, req.socket, allowedOrigins);
    if (decision instanceof ProtocolError) return sendProtocolError(res, decision);
    for (const [name, value] of Object.entries(decision)) res.setHeader(name, value);
    next();
  };
}

/** The protocol's answers to what no route took: 405 on a known path, 404 elsewhere, and errors. */
function answerErrors(app: Router): void {
  app.use((req, res) => sendProtocolError(res, unrouted(req.method, req.path)));
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
