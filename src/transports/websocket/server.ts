import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  MAX_BODY_BYTES,
  PATHS,
  ProtocolError,
  gapMessage,
  parseNonNegativeInt,
} from '../../protocol/feed-protocol.ts';
import type { Publisher } from '../../feed/publisher.ts';
import {
  DISCONNECT_GRACE_MS,
  PushCursor,
  noSlowConsumerCounts,
  type PushSink,
} from '../shared/push-cursor.ts';
import { sendProtocolError } from '../shared/json-response.ts';
import { acceptExtendedConnect, checkExtendedConnect } from '../shared/extended-connect.ts';
import { arrivedSecure, originAllowed, originRefusal } from '../../protocol/origins.ts';
import type { ServerTransport, ServerTransportOptions } from '../transport.ts';
import { rawDataText } from './raw-data-text.ts';

/** Answers a refused upgrade with a plain HTTP error on the raw socket, then closes it. */
function refuseUpgrade(socket: Duplex, error: ProtocolError): void {
  const body = JSON.stringify(error.toBody());
  const reason =
    error.status === 404 ? 'Not Found' : error.status === 403 ? 'Forbidden' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${error.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Closes a socket that broke the server's bound with 1008 (policy violation) and the reason; one
 * that cannot even take the close frame is cut.
 */
function closeAsSlowConsumer(ws: WebSocket, reason: string): void {
  ws.close(1008, reason.slice(0, 120));
  setTimeout(() => ws.terminate(), DISCONNECT_GRACE_MS).unref();
}

/**
 * Handles one client frame: `publish` and `echo` (docs/protocol.md); anything else closes with
 * 1003/1007. A client that sends while leaving the answers unread is closed with 1008 once they
 * pass `maxQueuedBytes`: what a client can make the server hold is bounded here too.
 */
function onClientFrame(
  ws: WebSocket,
  publisher: Publisher,
  data: RawData,
  isBinary: boolean,
  maxQueuedBytes: number,
): void {
  if (ws.bufferedAmount > maxQueuedBytes) {
    closeAsSlowConsumer(
      ws,
      `slow consumer: ${ws.bufferedAmount} bytes of answers unread, over the limit of ${maxQueuedBytes}`,
    );
    return;
  }
  if (isBinary) {
    ws.close(1003, 'binary frames are not part of the feed protocol');
    return;
  }
  let message: { type?: unknown; data?: unknown; id?: unknown };
  try {
    message = JSON.parse(rawDataText(data)) as typeof message;
  } catch {
    ws.close(1007, 'frame is not JSON');
    return;
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    ws.close(1007, 'frame must be a JSON object');
    return;
  }
  if (message.type !== 'echo' && message.type !== 'publish') {
    ws.close(1003, `unknown frame type ${JSON.stringify(message.type)}`.slice(0, 120));
    return;
  }
  if (typeof message.data !== 'string') {
    ws.close(1007, 'frame must have a string data');
    return;
  }
  if (message.type === 'echo') {
    ws.send(JSON.stringify(message));
  } else {
    const id = message.id;
    publisher.publishForClient(message.data).then(
      (seq) => ws.send(JSON.stringify({ type: 'ack', id, seq })),
      (error: Error) => ws.close(1011, `could not publish: ${error.message}`.slice(0, 120)),
    );
  }
}

/** A WebSocket as a push cursor writes to it; `socket` is the connection under it. */
function socketSink(ws: WebSocket, socket: Duplex): PushSink {
  return {
    write: (update, frame) => ws.send(frame ?? Buffer.from(update.json), { binary: false }),
    writeGap: (from, to) => ws.send(gapMessage(from, to)),
    queuedBytes: () => ws.bufferedAmount,
    full: () => socket.writableNeedDrain,
    onceDrained: (callback) => socket.once('drain', callback),
    disconnect: (reason) => closeAsSlowConsumer(ws, reason),
  };
}

/**
 * WebSocket, server side (`ws`): `GET /ws?since=N` upgrades over HTTP/1.1, an extended CONNECT to
 * `/ws?since=N` opens one over HTTP/2 (RFC 8441); the server sends every update after the cursor,
 * then one text frame per published update. Compression off unless configured (HTTP/1.1 only).
 */
export function webSocketServer({
  wsCompression: compression,
  slowConsumers,
  allowedOrigins,
}: ServerTransportOptions): ServerTransport {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: compression,
    maxPayload: MAX_BODY_BYTES,
  });
  const cursors = new Map<WebSocket, PushCursor>();
  const counts = noSlowConsumerCounts();
  /**
   * Feeds an open WebSocket from `since` on and answers its frames; `socket` is what it runs on.
   */
  const serve = (ws: WebSocket, socket: Duplex, since: number, publisher: Publisher): void => {
    // The backlog goes out as the socket takes it (see PushCursor).
    cursors.set(
      ws,
      new PushCursor(publisher.ring, socketSink(ws, socket), slowConsumers, counts, since),
    );
    ws.once('close', () => {
      cursors.get(ws)?.end();
      cursors.delete(ws);
    });
    ws.on('message', (data, isBinary) =>
      onClientFrame(ws, publisher, data, isBinary, slowConsumers.maxQueuedBytes),
    );
    ws.on('error', () => ws.terminate());
  };
  const cursorOf = (query: URLSearchParams, publisher: Publisher): number =>
    parseNonNegativeInt(query.get('since') ?? undefined, 'since', 'bad_cursor') ??
    publisher.ring.last;
  return {
    name: 'websocket',
    mount(_routes, servers, publisher) {
      const feed: FeedOpener = {
        allowedOrigins,
        cursor: (query) => cursorOf(query, publisher),
        serve: (ws, socket, since) => serve(ws, socket, since, publisher),
      };
      servers.http1.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
        upgradeHttp1(wss, feed, req, socket, head),
      );
      servers.http2.on('connect', (req: Http2ServerRequest, res: Http2ServerResponse) =>
        connectHttp2(feed, req, res),
      );
      publisher.onPublish((update) => {
        // fairness: the payload is made into bytes once per update, as SSE does with its frame;
        // `ws` then frames it per connection (it must when compression is on).
        if (cursors.size === 0) return;
        const payload = Buffer.from(update.json);
        for (const [ws, cursor] of cursors)
          if (ws.readyState === WebSocket.OPEN) cursor.published(update, payload);
      });
    },
    heldConnections: () => cursors.size,
    slowConsumerCounts: () => counts,
    close() {
      for (const ws of cursors.keys()) ws.terminate();
      wss.close();
    },
  };
}

/** What opening the feed's WebSocket needs, whichever HTTP version it arrives over. */
interface FeedOpener {
  readonly allowedOrigins: ServerTransportOptions['allowedOrigins'];
  /** The cursor a request asks for (a ProtocolError when it is bad). */
  cursor(query: URLSearchParams): number;
  /** Feeds an open WebSocket from `since` on. */
  serve(ws: WebSocket, socket: Duplex, since: number): void;
}

/** Upgrades an HTTP/1.1 request to the feed's WebSocket, or refuses it with the protocol's answer. */
function upgradeHttp1(
  wss: WebSocketServer,
  feed: FeedOpener,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  socket.on('error', () => socket.destroy());
  const url = new URL(req.url ?? '/', 'http://feed');
  try {
    if (url.pathname !== PATHS.websocket)
      throw new ProtocolError(404, 'not_found', `no WebSocket endpoint at ${url.pathname}`);
    // Browsers do not guard WebSocket with CORS: a server that means to limit who connects checks
    // Origin itself.
    if (!originAllowed(req.headers, feed.allowedOrigins, arrivedSecure(req.headers, req.socket)))
      throw originRefusal(req.headers.origin);
    const since = feed.cursor(url.searchParams);
    wss.handleUpgrade(req, socket, head, (ws) => feed.serve(ws, socket, since));
  } catch (error) {
    if (error instanceof ProtocolError) refuseUpgrade(socket, error);
    else socket.destroy();
  }
}

/** Accepts an extended CONNECT (RFC 8441) as the feed's WebSocket, or refuses it. */
function connectHttp2(feed: FeedOpener, req: Http2ServerRequest, res: Http2ServerResponse): void {
  req.stream.on('error', () => req.stream.destroy());
  try {
    const query = checkExtendedConnect(req);
    if (!originAllowed(req.headers, feed.allowedOrigins, arrivedSecure(req.headers, undefined)))
      throw originRefusal(req.headers.origin);
    const since = feed.cursor(query);
    feed.serve(acceptExtendedConnect(req), req.stream, since);
  } catch (error) {
    if (error instanceof ProtocolError) sendProtocolError(res, error);
    else req.stream.destroy();
  }
}
