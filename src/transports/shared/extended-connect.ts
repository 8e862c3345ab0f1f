import type { Http2ServerRequest } from 'node:http2';
import { WebSocket } from 'ws';
import { MAX_BODY_BYTES, PATHS, ProtocolError } from '../../protocol/feed-protocol.ts';

/** `ws`'s own client default for the largest message, as the HTTP/1.1 client has it. */
const CLIENT_MAX_PAYLOAD_BYTES = 100 * 1024 * 1024;

/**
 * `ws` builds a WebSocket for a socket it did not open when given no address (its types do not say
 * so).
 */
const NO_ADDRESS = null as unknown as string;

/**
 * `ws`'s way of running a WebSocket over any duplex stream (public in its code, not in its types).
 */
interface SocketSetter {
  setSocket(
    socket: NodeJS.ReadWriteStream,
    head: Buffer,
    options: { maxPayload: number; skipUTF8Validation: boolean; allowSynchronousEvents: boolean },
  ): void;
}

/**
 * Checks an RFC 8441 extended CONNECT (`:method CONNECT`, `:protocol websocket`, `:path /ws...`,
 * `sec-websocket-version: 13`) and returns its path's query; throws the ProtocolError to answer
 * otherwise. A CONNECT without `:protocol` is a tunnel request, which the feed does not offer.
 */
export function checkExtendedConnect(req: Http2ServerRequest): URLSearchParams {
  const protocol = req.headers[':protocol'];
  if (protocol === undefined)
    throw new ProtocolError(
      405,
      'method_not_allowed',
      'CONNECT without :protocol (a tunnel) is not offered; WebSocket over HTTP/2 sends :protocol websocket (RFC 8441)',
    );
  if (protocol !== 'websocket')
    throw new ProtocolError(
      400,
      'bad_protocol',
      `:protocol ${JSON.stringify(protocol)} is not offered; only websocket is`.slice(0, 200),
    );
  const url = new URL(req.url || '/', 'http://feed');
  if (url.pathname !== PATHS.websocket)
    throw new ProtocolError(404, 'not_found', `no WebSocket endpoint at ${url.pathname}`);
  if (req.headers['sec-websocket-version'] !== '13')
    throw new ProtocolError(
      400,
      'bad_websocket_version',
      'sec-websocket-version must be 13 (RFC 6455)',
    );
  return url.searchParams;
}

/**
 * Answers an accepted extended CONNECT with 200 and runs a server-side `ws` WebSocket on its
 * stream: RFC 6455 frames, with no Sec-WebSocket-Key/Accept (RFC 8441 section 5). fairness: no
 * permessage-deflate over HTTP/2 (`ws` negotiates it only inside its own HTTP/1.1 handshake), so a
 * compression cell over HTTP/2 is not applicable rather than silently uncompressed.
 */
export function acceptExtendedConnect(req: Http2ServerRequest): WebSocket {
  req.stream.respond({ ':status': 200 });
  const ws = new WebSocket(NO_ADDRESS, undefined, { autoPong: true });
  (ws as unknown as SocketSetter).setSocket(req.stream, Buffer.alloc(0), {
    maxPayload: MAX_BODY_BYTES,
    skipUTF8Validation: false,
    allowSynchronousEvents: true,
  });
  return ws;
}

/**
 * Runs a client-side `ws` WebSocket on the stream of an extended CONNECT its server answered 200:
 * `ws` opens client sockets only over HTTP/1.1, so the stream is handed to it as its socket, in
 * the client role (frames masked, RFC 6455 section 5.3).
 */
export function clientWebSocketOnStream(stream: NodeJS.ReadWriteStream): WebSocket {
  const ws = new WebSocket(NO_ADDRESS, undefined, { autoPong: true });
  // ws decides the role from the address given to its constructor; a stream it did not open must be
  // told.
  (ws as unknown as { _isServer: boolean })._isServer = false;
  (ws as unknown as SocketSetter).setSocket(stream, Buffer.alloc(0), {
    maxPayload: CLIENT_MAX_PAYLOAD_BYTES,
    skipUTF8Validation: true,
    allowSynchronousEvents: true,
  });
  return ws;
}
