import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createFeedServer, DEFAULT_SERVER_OPTIONS, type FeedServer } from '../feed-server.ts';
import type { TlsMaterial } from '../tls-certificate.ts';
import { browserBundle } from '../../process/browser-bundle.ts';
import { demoHtml } from './demo-html.ts';
import type { DemoConfig, LaneConfig } from './page/demo-page.ts';

/** Options of `feedbench demo`. */
export interface DemoOptions {
  readonly host: string;
  /** The page's port (0 picks a free one); every lane gets a free port of its own. */
  readonly port: number;
  /**
   * TLS for the page and every lane (HTTP/2 lanes need it: browsers speak HTTP/2 only over TLS);
   * none: HTTP/1.1 lanes only.
   */
  readonly tls: TlsMaterial | undefined;
  /** Short polling's interval, ms. */
  readonly pollIntervalMs: number;
  /** How often the page asks on every lane while "repeat" is ticked, ms. */
  readonly repeatMs: number;
}

/** A running demo. */
export interface Demo {
  /** The page to open. */
  readonly url: string;
  readonly lanes: readonly LaneConfig[];
  /**
   * Ends every lane's TCP connections at once, as a change of network does (Chromium then drops
   * its HTTP/2 connections): the page's lanes open theirs again.
   */
  dropLaneConnections(): void;
  /** Ends every server and connection. */
  close(): Promise<void>;
}

const TRANSPORTS = ['short-poll', 'long-poll', 'sse', 'websocket'] as const;

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

/**
 * One lane's feed server: one transport's page talks to it alone, so its sockets' bytes are that
 * lane's.
 */
async function startLane(
  options: DemoOptions,
  http: '1.1' | '2',
  transport: LaneConfig['transport'],
  pageOrigins: string[],
): Promise<{
  lane: Omit<LaneConfig, 'origin'> & { port: number };
  server: FeedServer;
  protocols: Set<string>;
  sockets: Set<Socket>;
}> {
  const server = createFeedServer({
    ...DEFAULT_SERVER_OPTIONS,
    // ALPN offers this lane's version alone, so the browser cannot pick the other one.
    ...(options.tls ? { tls: options.tls, alpn: http === '2' ? ['h2'] : ['http/1.1'] } : {}),
    // The page is of another origin (another port): listing it is what lets it read the lane's
    // answers (CORS).
    allowedOrigins: pageOrigins,
  });
  const port = await server.listen(0, options.host);
  // What the browser and this lane agreed, as the server saw it (ALPN; no TLS: HTTP/1.1, as
  // browsers never speak h2c).
  const protocols = new Set<string>(options.tls ? [] : ['http/1.1']);
  server.listener.on('secureConnection', (socket: TLSSocket) =>
    protocols.add(socket.alpnProtocol || 'http/1.1'),
  );
  const sockets = new Set<Socket>();
  server.listener.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const lane = { id: `${transport}-h${http}`, transport, http, port };
  return { lane, server, protocols, sockets };
}

/**
 * The article's "How are you?" page, live: a page server and one feed server per lane (each
 * transport over HTTP/1.1, and over HTTP/2 when there is TLS), all in this process. The page asks
 * on every lane and shows each round trip and the bytes each lane's sockets carried.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const scheme = options.tls ? 'https' : 'http';
  const sockets = new Set<Socket>();
  let bytesOf: () => Record<string, unknown> = () => ({});
  let pageFor: (hostname: string) => Promise<string> = () => Promise.resolve('');
  const handle = (req: AnyRequest, res: AnyResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/bytes') return send(200, 'application/json', JSON.stringify(bytesOf()));
    if (path !== '/') return send(404, 'text/plain', 'the demo has / and /bytes');
    const hostname = new URL(
      `${scheme}://${String(req.headers.host ?? req.headers[':authority'] ?? options.host)}`,
    ).hostname;
    pageFor(hostname).then(
      (html) => send(200, 'text/html; charset=utf-8', html),
      (error: Error) => send(500, 'text/plain', error.message),
    );
  };
  const { pageServer, port } = await listenPageServer(options, handle, sockets);
  const pageOrigins = [...new Set([options.host, '127.0.0.1', 'localhost'])].map(
    (h) => `${scheme}://${h}:${port}`,
  );
  const versions: ('1.1' | '2')[] = options.tls ? ['1.1', '2'] : ['1.1'];
  const started = await Promise.all(
    versions.flatMap((http) => TRANSPORTS.map((t) => startLane(options, http, t, pageOrigins))),
  );
  const lanes = started.map(({ lane }) => ({
    id: lane.id,
    transport: lane.transport,
    http: lane.http,
    origin: `${scheme}://${options.host}:${lane.port}`,
  }));
  bytesOf = () =>
    Object.fromEntries(
      started.map(({ lane, server, protocols }) => [
        lane.id,
        { ...server.wireBytes(), connections: server.openConnections(), protocols: [...protocols] },
      ]),
    );
  pageFor = async (hostname) => {
    // The lanes are named by the host the page was opened with, so the browser sends them the
    // origin it expects.
    const config: DemoConfig = {
      lanes: started.map(({ lane }) => ({
        id: lane.id,
        transport: lane.transport,
        http: lane.http,
        origin: `${scheme}://${hostname}:${lane.port}`,
      })),
      pollIntervalMs: options.pollIntervalMs,
      repeatMs: options.repeatMs,
    };
    return demoHtml(config, await browserBundle(new URL('./page/demo-page.ts', import.meta.url)));
  };
  return {
    url: `${scheme}://${options.host}:${port}/`,
    lanes,
    dropLaneConnections() {
      for (const { sockets: laneSockets } of started)
        for (const socket of laneSockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        ...started.map(({ server }) => server.close()),
        new Promise((resolve) => pageServer.close(resolve)),
      ]);
    },
  };
}

/** The page's server, listening; its sockets are kept in `sockets` so that close ends them. */
async function listenPageServer(
  options: DemoOptions,
  handle: (req: AnyRequest, res: AnyResponse) => void,
  sockets: Set<Socket>,
): Promise<{ pageServer: Server; port: number }> {
  const pageServer: Server = options.tls
    ? createSecureServer({ key: options.tls.key, cert: options.tls.cert, allowHTTP1: true }, handle)
    : createHttpServer(handle);
  pageServer.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    pageServer.once('error', reject);
    pageServer.listen(options.port, options.host, () =>
      resolve((pageServer.address() as AddressInfo).port),
    );
  });
  return { pageServer, port };
}
