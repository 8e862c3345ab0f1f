import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ReadGate } from './read-gate.ts';

/** Where a client socket goes, and whether over TLS trusting exactly `ca`. */
export interface SocketTarget {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  /** PEM certificate to trust; present means TLS. */
  readonly tlsCa?: string;
  /** Makes this a slow consumer: the TCP socket reads as the gate lets it. */
  readonly readGate?: ReadGate;
}

/**
 * Opens a TCP socket with Nagle off and, when `tlsCa` is set, TLS on top of it. Wire bytes are
 * counted on the TCP socket under the TLS one, so they are the encrypted bytes that cross the
 * network, handshake records included.
 */
export function openClientSocket(target: SocketTarget): { socket: Socket; raw: Socket; ready: Promise<void> } {
  // `socket` is what to talk on, `raw` (the TCP socket) where wire bytes are counted.
  const raw = netConnect({ host: target.host, port: target.port, localAddress: target.localAddress, noDelay: true });
  target.readGate?.attach(raw);
  if (!target.tlsCa) {
    return { socket: raw, raw, ready: new Promise((resolve, reject) => { raw.once('connect', () => resolve()); raw.once('error', reject); }) };
  }
  const socket = tlsConnect({ socket: raw, ca: target.tlsCa, servername: target.host === '127.0.0.1' ? undefined : target.host });
  return { socket, raw, ready: new Promise((resolve, reject) => { socket.once('secureConnect', () => resolve()); socket.once('error', reject); raw.once('error', reject); }) };
}
