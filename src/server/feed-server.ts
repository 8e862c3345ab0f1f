import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import type { TlsMaterial } from './tls-certificate.ts';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type Response,
  type Router,
} from 'express';
import { frontDoor } from './front-door.ts';
import { arrivedSecure, originAllowed, originRefusal } from '../protocol/origins.ts';
import { expressOverHttp2 } from './express-over-http2.ts';
import { Publisher } from '../feed/publisher.ts';
import { UpdateRing } from '../feed/ring-buffer.ts';
import { PreciseWaker, TimerWaker } from '../feed/precise-waker.ts';
import {
  DEFAULT_SLOW_CONSUMER_LIMITS,
  MAX_BODY_BYTES,
  MAX_H2_STREAMS_PER_CONNECTION,
  MAX_HELD_LONG_POLLS,
  PATHS,
  PROTOCOL_REVISION,
  PROTOCOL_VERSION,
  ProtocolError,
} from '../protocol/feed-protocol.ts';
import { transportsUnderTest } from '../transports/registry.ts';
import { sendJson, sendProtocolError } from '../transports/shared/json-response.ts';
import type {
  ProtocolServers,
  ServerTransport,
  ServerTransportOptions,
} from '../transports/transport.ts';
import {
  sumSlowConsumerCounts,
  type SlowConsumerCounts,
} from '../transports/shared/push-cursor.ts';
import { nowUs } from '../metrics/clock.ts';
import { WireCounter } from '../metrics/wire-counter.ts';
import { createHistogram, recordValue, type Histogram } from '../metrics/histogram.ts';

/** Options of one feed server. */
export interface FeedServerOptions extends ServerTransportOptions {
  /** Updates retained for cursors (docs/protocol.md "Gaps"). */
  readonly historySize: number;
  /**
   * Encoded bytes of updates retained for cursors: large payloads are bounded in memory, not only
   * in count.
   */
  readonly historyBytes: number;
  /**
   * Idle keep-alive connections are closed after this many ms (node's default, 5 s, would cut slow
   * pollers).
   */
  readonly keepAliveTimeoutMs: number;
  /** Serve over TLS (https, wss) with this key and certificate. */
  readonly tls?: TlsMaterial;
  /**
   * TLS: the protocols offered by ALPN, preferred first (default h2, then http/1.1). An HTTP/1.1
   * cell offers http/1.1 alone, as an HTTP/1.1-only deployment would: a browser takes h2 whenever
   * it is offered.
   */
  readonly alpn?: readonly ('h2' | 'http/1.1')[];
  /**
   * Deliberate regressions, to show that `feedbench gate` catches them (never set in a real run):
   * delay every fan-out by `delayMs`, pad every HTTP answer with `headerBytes` of header.
   */
  readonly inject?: { readonly delayMs?: number; readonly headerBytes?: number };
}

/** Defaults for a server started without options. */
export const DEFAULT_SERVER_OPTIONS: FeedServerOptions = {
  historySize: 100_000,
  historyBytes: 16 * 1024 * 1024,
  keepAliveTimeoutMs: 130_000,
  wsCompression: false,
  sseHeartbeatMs: 0,
  slowConsumers: DEFAULT_SLOW_CONSUMER_LIMITS,
  maxHeldLongPolls: MAX_HELD_LONG_POLLS,
};

/** A running feed server: the publisher, the HTTP server and what it hosts. */
export interface FeedServer {
  readonly publisher: Publisher;
  /** The one listening socket: HTTP/1.1 and HTTP/2 (h2 by ALPN, h2c by prior knowledge). */
  readonly listener: NetServer;
  /** Publisher lag (actual minus scheduled publish time), µs. */
  readonly publishLagUs: Histogram;
  /** Open TCP connections (any transport). */
  openConnections(): number;
  /**
   * Bytes read and written by every TCP socket accepted so far, closed ones included (under TLS:
   * the encrypted bytes).
   */
  wireBytes(): { read: number; written: number };
  /** What the slow-consumer policy did so far, over every push transport. */
  slowConsumerCounts(): SlowConsumerCounts;
  /** Listens on host:port (0 picks a free port) and resolves with the port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops publishing, ends every connection and closes the listener. */
  close(): Promise<void>;
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

/**
 * Every endpoint, on one Router that both HTTP versions' apps use: the same handlers answer
 * HTTP/1.1 and HTTP/2 requests (an Express app, unlike a Router, is tied to one version's objects).
 */
function buildRoutes(
  publisher: Publisher,
  transports: readonly ServerTransport[],
  servers: ProtocolServers,
  injectHeaderBytes: number,
  allowedOrigins: readonly string[] | undefined,
): Router {
  const app = express.Router();
  if (allowedOrigins) {
    app.use((req, res, next) => {
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
    });
  }
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
  return app;
}

/** An app for one HTTP version around the shared routes. */
function appFor(app: Express, routes: Router): Express {
  // fairness: no X-Powered-By or ETag on any answer; every transport gets the same lean headers.
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(routes);
  return app;
}

/** The HTTP/1.1 and HTTP/2 servers behind the front door, neither listening itself. */
function protocolServers(options: FeedServerOptions): ProtocolServers {
  const http1 = createServer({ noDelay: true });
  http1.keepAliveTimeout = options.keepAliveTimeoutMs;
  http1.headersTimeout = 60_000;
  http1.requestTimeout = 0; // long polls and streams are held on purpose
  http1.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Request headers over node's bound (16 KiB) are a 431, as RFC 6585 names it; anything else
    // unparsable a 400.
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
    if (socket.writable)
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  // enableConnectProtocol: SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, WebSocket over HTTP/2 (RFC 8441).
  // maxConcurrentStreams bounds what one connection may hold open; node refuses streams past it.
  const http2 = createHttp2Server({
    settings: { enableConnectProtocol: true, maxConcurrentStreams: MAX_H2_STREAMS_PER_CONNECTION },
  });
  return { http1, http2 };
}

/** Creates a feed server with every transport on one HTTP server and one port. */
export function createFeedServer(options: FeedServerOptions = DEFAULT_SERVER_OPTIONS): FeedServer {
  const publishLagUs = createHistogram();
  // FEEDBENCH_TIMER=node keeps the schedule on Node's timers, as before the precise waker: for
  // comparisons.
  const waker =
    process.env.FEEDBENCH_TIMER === 'node' ? new TimerWaker(nowUs) : new PreciseWaker(nowUs);
  const publisher = new Publisher(
    new UpdateRing(options.historySize, options.historyBytes),
    nowUs,
    (lag) => recordValue(publishLagUs, lag),
    waker,
  );
  // Every registered transport's server half, on this one HTTP server and port.
  const transports = transportsUnderTest().flatMap((t) => (t.server ? [t.server(options)] : []));
  const delayMs = options.inject?.delayMs ?? 0;
  if (delayMs > 0) {
    const subscribe = publisher.onPublish.bind(publisher);
    publisher.onPublish = (listener) =>
      subscribe((update) => setTimeout(() => listener(update), delayMs));
  }
  const servers = protocolServers(options);
  const routes = buildRoutes(
    publisher,
    transports,
    servers,
    options.inject?.headerBytes ?? 0,
    options.allowedOrigins,
  );
  servers.http1.on('request', appFor(express(), routes));
  servers.http2.on('request', appFor(expressOverHttp2(), routes));
  const sockets = new Set<Socket>();
  const wire = new WireCounter();
  // noDelay: Nagle off on every accepted socket (docs/metrics.md, fairness rules); TCP sockets are
  // counted, under TLS.
  const listener = frontDoor(
    servers,
    options.tls && { ...options.tls, alpn: options.alpn ?? ['h2', 'http/1.1'] },
    (socket) => {
      sockets.add(socket);
      wire.track(socket);
      socket.once('close', () => sockets.delete(socket));
    },
  );
  return {
    publisher,
    listener,
    publishLagUs,
    openConnections: () => sockets.size,
    wireBytes: () => {
      // The counter is a client's: what it calls down the server read, up it wrote.
      const { down, up } = wire.totals();
      return { read: down, written: up };
    },
    slowConsumerCounts: () =>
      sumSlowConsumerCounts(
        transports.flatMap((t) => (t.slowConsumerCounts ? [t.slowConsumerCounts()] : [])),
      ),
    listen(port, host) {
      return new Promise((resolve, reject) => {
        listener.once('error', reject);
        listener.listen({ port, host, backlog: 4096 }, () =>
          resolve((listener.address() as AddressInfo).port),
        );
      });
    },
    close() {
      publisher.stop();
      for (const transport of transports) transport.close();
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => listener.close(() => resolve()));
    },
  };
}
