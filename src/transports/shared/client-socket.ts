import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ReadGate } from './read-gate.ts';
import { ANSWER_TIMEOUT_MS, withDeadline } from './answer-deadline.ts';

/** Where a client socket goes, and whether over TLS trusting exactly `ca`. */
export interface SocketTarget {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  /**
   * PEM certificate to trust; present means TLS (empty: the system's CAs, as for an https target).
   */
  readonly tlsCa?: string;
  /** Makes this a slow consumer: the TCP socket reads as the gate lets it. */
  readonly readGate?: ReadGate;
}

/**
 * ALPN offers by HTTP version: HTTP/2 asks for `h2` only, so a server without it is found out at
 * once.
 */
const ALPN = { '1.1': ['http/1.1'], '2': ['h2'] } as const;

/**
 * Opens a TCP socket with Nagle off and, when `tlsCa` is set, TLS on top of it. Wire bytes are
 * counted on the TCP socket under the TLS one, so they are the encrypted bytes that cross the
 * network, handshake records included.
 */
export function openClientSocket(
  target: SocketTarget,
  http: '1.1' | '2' = '1.1',
): { socket: Socket; raw: Socket; ready: Promise<void> } {
  // `socket` is what to talk on, `raw` (the TCP socket) where wire bytes are counted.
  const raw = netConnect({
    host: target.host,
    port: target.port,
    localAddress: target.localAddress,
    noDelay: true,
  });
  target.readGate?.attach(raw);
  if (target.tlsCa === undefined) {
    const connected = new Promise<void>((resolve, reject) => {
      raw.once('connect', () => resolve());
      raw.once('error', reject);
    });
    const answered = withDeadline(connected, ANSWER_TIMEOUT_MS, 'TCP connect', () => raw.destroy());
    answered.catch(() => {}); // as below
    return { socket: raw, raw, ready: answered };
  }
  const socket = tlsConnect({
    socket: raw,
    ...(target.tlsCa ? { ca: target.tlsCa } : {}),
    servername: isIP(target.host) ? undefined : target.host,
    ALPNProtocols: [...ALPN[http]],
  });
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => {
      if (http === '2' && socket.alpnProtocol !== 'h2') {
        socket.destroy();
        reject(
          new Error(
            `${target.host}:${target.port} does not offer HTTP/2 over TLS (ALPN chose ${JSON.stringify(socket.alpnProtocol)}, not "h2")`,
          ),
        );
      } else resolve();
    });
    socket.once('error', reject);
    raw.once('error', reject);
  });
  // A TLS handshake that never finishes is a hung connection (see ANSWER_TIMEOUT_MS).
  const answered = withDeadline(ready, ANSWER_TIMEOUT_MS, 'TLS handshake', () => socket.destroy());
  // A caller that hands the socket to a library (ws) hears of failures from it, not from `ready`.
  answered.catch(() => {});
  return { socket, raw, ready: answered };
}
