import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import type { TlsMaterial } from './tls-certificate.ts';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import express, { type Express, type Router } from 'express';
import { frontDoor } from './front-door.ts';
import { buildRoutes } from './feed-routes.ts';
import { bareRequestHandler } from './bare-routes.ts';
import { expressOverHttp2 } from './express-over-http2.ts';
import type { Publisher } from '../feed/publisher.ts';
import { createTimedPublisher } from './timed-publisher.ts';
import {
  DEFAULT_SLOW_CONSUMER_LIMITS,
  MAX_H2_STREAMS_PER_CONNECTION,
  MAX_HELD_LONG_POLLS,
} from '../protocol/feed-protocol.ts';
import { transportsUnderTest } from '../transports/registry.ts';
import type { ProtocolServers, ServerTransportOptions } from '../transports/transport.ts';
import {
  sumSlowConsumerCounts,
  type SlowConsumerCounts,
} from '../transports/shared/push-cursor.ts';
import { WireCounter } from '../metrics/wire-counter.ts';
import type { Histogram } from '../metrics/histogram.ts';

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
  /**
   * What routes requests to the transports: `express` (feedbench's server) or `none`, the bare
   * node:http dispatcher (the `node-http` server); absent, Express.
   */
  readonly framework?: 'express' | 'none';
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
  const { publisher, publishLagUs } = createTimedPublisher(
    options.historySize,
    options.historyBytes,
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
  const routeArgs = [
    publisher,
    transports,
    servers,
    options.inject?.headerBytes ?? 0,
    options.allowedOrigins,
  ] as const;
  if (options.framework === 'none') {
    const handle = bareRequestHandler(...routeArgs);
    servers.http1.on('request', handle);
    servers.http2.on('request', handle);
  } else {
    const routes = buildRoutes(...routeArgs);
    servers.http1.on('request', appFor(express(), routes));
    servers.http2.on('request', appFor(expressOverHttp2(), routes));
  }
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
