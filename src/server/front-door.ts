import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { TlsMaterial } from './tls-certificate.ts';
import type { ProtocolServers } from '../transports/transport.ts';

/** The client connection preface of HTTP/2 with prior knowledge (RFC 9113 section 3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * How long a plain connection may stay silent before its protocol is known (HTTP/1.1's header
 * time-out).
 */
const FIRST_BYTES_TIMEOUT_MS = 60_000;

/** Bytes that tell the preface ("PRI ") from every HTTP/1.1 method. */
const DECIDING_BYTES = 4;

/** Whether the first bytes of a plain connection are (the start of) the HTTP/2 preface. */
export function startsWithH2Preface(firstBytes: Buffer): boolean {
  const n = Math.min(firstBytes.length, H2_PREFACE.length);
  return n > 0 && firstBytes.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
}

/**
 * One listening port for both HTTP versions. Over TLS, ALPN picks (`h2`, else `http/1.1`); on
 * plain TCP, a connection that opens with the HTTP/2 preface is h2c with prior knowledge, any
 * other is HTTP/1.1. The chosen server gets the connection as if it had accepted it, so its
 * parser, timeouts and upgrade handling are the stock ones. `onSocket` sees every TCP socket.
 */
export function frontDoor(
  servers: ProtocolServers,
  tls: (TlsMaterial & { alpn: readonly string[] }) | undefined,
  onSocket: (socket: Socket) => void,
): NetServer {
  if (tls) {
    // fairness: both versions get the same certificate and the same TLS settings; ALPN alone
    // decides.
    const server = createTlsServer(
      { key: tls.key, cert: tls.cert, ALPNProtocols: [...tls.alpn] },
      (socket: TLSSocket) => {
        (socket.alpnProtocol === 'h2' ? servers.http2 : servers.http1).emit('connection', socket);
      },
    );
    server.on('connection', (socket: Socket) => {
      socket.setNoDelay(true);
      onSocket(socket);
    });
    // A failed handshake is the client's problem, not the server's: the socket is dropped.
    server.on('tlsClientError', (_error, socket) => socket.destroy());
    return server;
  }
  return createNetServer({ noDelay: true }, (socket) => {
    onSocket(socket);
    socket.on('error', () => socket.destroy());
    // A connection that says nothing is dropped as HTTP/1.1's header time-out would drop it.
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    let first = Buffer.alloc(0);
    const sniff = () => {
      const chunk = socket.read() as Buffer | null;
      if (chunk === null) return;
      first = Buffer.concat([first, chunk]);
      // "P" could still be "POST" or "PRI": wait until the bytes tell them apart.
      if (first.length < DECIDING_BYTES && startsWithH2Preface(first)) return;
      socket.off('readable', sniff);
      socket.setTimeout(0);
      // Put the bytes back: the chosen server reads them as its own.
      socket.unshift(first);
      (startsWithH2Preface(first) ? servers.http2 : servers.http1).emit('connection', socket);
    };
    socket.on('readable', sniff);
  });
}
