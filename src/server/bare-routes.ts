import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { parse as parseQuery } from 'node:querystring';
import type { Publisher } from '../feed/publisher.ts';
import { MAX_BODY_BYTES, ProtocolError } from '../protocol/feed-protocol.ts';
import { sendJson, sendProtocolError } from '../transports/shared/json-response.ts';
import type {
  FeedHandler,
  FeedRequest,
  ProtocolServers,
  ServerTransport,
} from '../transports/transport.ts';
import { feedEndpoints, mountGetEndpoints, originDecision, unrouted } from './feed-endpoints.ts';

/** A request of either HTTP version, as node:http and node:http2's compatibility API give it. */
type AnyRequest = IncomingMessage | Http2ServerRequest;
/** The response of either HTTP version. */
type AnyResponse = ServerResponse | Http2ServerResponse;

const NO_QUERY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The feed protocol on bare node:http and node:http2, without a framework: a path lookup in a Map,
 * node's own query-string parser (Express 5's default), and a bounded body reader. The transports'
 * handlers are the same ones Express runs, so the cost between the two servers is the framework's.
 * Paths match exactly (Express also takes a trailing slash or other letter case).
 */
export function bareRequestHandler(
  publisher: Publisher,
  transports: readonly ServerTransport[],
  servers: ProtocolServers,
  injectHeaderBytes: number,
  allowedOrigins: readonly string[] | undefined,
): (req: AnyRequest, res: AnyResponse) => void {
  const gets = new Map<string, FeedHandler>();
  const endpoints = feedEndpoints(
    publisher,
    transports.map((t) => t.name),
  );
  const routes = { get: (path: string, handler: FeedHandler) => void gets.set(path, handler) };
  mountGetEndpoints(routes, endpoints, transports, servers, publisher);
  const posts = new Map(Object.entries(endpoints.post));
  const injected = injectHeaderBytes > 0 ? 'x'.repeat(injectHeaderBytes) : undefined;
  return (req, anyRes) => {
    // Both versions' responses take the calls the handlers make; HTTP/1.1's type names them.
    const res = anyRes as ServerResponse;
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    if (allowedOrigins) {
      const decision = originDecision(req.headers, req.socket, allowedOrigins);
      if (decision instanceof ProtocolError) return sendProtocolError(res, decision);
      for (const [name, value] of Object.entries(decision)) res.setHeader(name, value);
    }
    if (injected) res.setHeader('X-Injected-Regression', injected);
    const get = req.method === 'GET' || req.method === 'HEAD' ? gets.get(path) : undefined;
    if (get) {
      const query = mark < 0 ? NO_QUERY : parseQuery(url.slice(mark + 1));
      try {
        return get({ headers: req.headers, query } satisfies FeedRequest, res);
      } catch (error) {
        // As Express does with a handler that throws: a 500, and the server carries on.
        return sendProtocolError(res, asProtocolError(error));
      }
    }
    const post = req.method === 'POST' ? posts.get(path) : undefined;
    if (!post) return sendProtocolError(res, unrouted(req.method, path));
    readJsonBody(req)
      .then(post)
      .then(
        (body) => sendJson(res, 200, body),
        (error: unknown) => sendProtocolError(res, asProtocolError(error)),
      );
  };
}

function asProtocolError(error: unknown): ProtocolError {
  return error instanceof ProtocolError
    ? error
    : new ProtocolError(500, 'internal', String((error as Error).message ?? error));
}

/**
 * A request's JSON body (undefined when empty), at most MAX_BODY_BYTES: past that a 413, and the
 * rest is read and dropped so the connection stays usable.
 */
function readJsonBody(req: AnyRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const tooLarge = () =>
      new ProtocolError(413, 'body_too_large', `body is over ${MAX_BODY_BYTES} bytes`);
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      req.resume();
      return reject(tooLarge());
    }
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (bytes > MAX_BODY_BYTES) return reject(tooLarge());
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.length === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ProtocolError(400, 'bad_request', 'the body is not JSON'));
      }
    });
  });
}
