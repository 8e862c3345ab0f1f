import type { Socket } from 'node:net';
import type { H2FrameTap } from './h2-frame-tap.ts';

/**
 * Bytes a client's sockets read and wrote (TCP payload: HTTP headers, framing and TLS records
 * included, TCP/IP headers not); over HTTP/2 also what those bytes carried, frame by frame.
 */
export interface WireTotals {
  down: number;
  up: number;
  /**
   * HTTP/2 only (0 otherwise): header blocks (HPACK), DATA payload and the rest of the framing,
   * each way.
   */
  h2HeaderDown: number;
  h2HeaderUp: number;
  h2DataDown: number;
  h2DataUp: number;
  h2FramingDown: number;
  h2FramingUp: number;
  /**
   * HTTP/2: the TCP bytes of the connections whose frames were split (tapped), each way. The split
   * above covers those connections only; it stands for all of them in proportion to these.
   */
  h2TappedDown: number;
  h2TappedUp: number;
}

/** A connection's first request and answer header blocks (HPACK's dynamic table still empty). */
export interface FirstHeaderBlocks {
  connections: number;
  requestBytes: number;
  responseBytes: number;
}

/** All-zero totals. */
export const noWire = (): WireTotals => ({
  down: 0,
  up: 0,
  h2HeaderDown: 0,
  h2HeaderUp: 0,
  h2DataDown: 0,
  h2DataUp: 0,
  h2FramingDown: 0,
  h2FramingUp: 0,
  h2TappedDown: 0,
  h2TappedUp: 0,
});

function addTap(totals: WireTotals, tap: H2FrameTap, raw: Socket): void {
  totals.h2TappedDown += raw.bytesRead;
  totals.h2TappedUp += raw.bytesWritten;
  totals.h2HeaderDown += tap.down.bytes.headerBlock;
  totals.h2HeaderUp += tap.up.bytes.headerBlock;
  totals.h2DataDown += tap.down.bytes.data;
  totals.h2DataUp += tap.up.bytes.data;
  totals.h2FramingDown += tap.down.bytes.framing;
  totals.h2FramingUp += tap.up.bytes.framing;
}

/** Adds a connection's first request and answer header blocks, once both have been seen. */
function addFirst(first: FirstHeaderBlocks, tap: H2FrameTap): void {
  if (tap.up.firstHeaderBlock === undefined || tap.down.firstHeaderBlock === undefined) return;
  first.connections++;
  first.requestBytes += tap.up.firstHeaderBlock;
  first.responseBytes += tap.down.firstHeaderBlock;
}

/**
 * Counts the bytes of every socket a client opens, including those already closed, so a
 * snapshot at any moment gives the client's total so far (a client that opens a connection
 * per poll has many sockets over a window).
 */
export class WireCounter {
  readonly #closed = noWire();
  readonly #live = new Set<Socket>();
  readonly #taps = new Map<H2FrameTap, Socket>();
  readonly #first: FirstHeaderBlocks = { connections: 0, requestBytes: 0, responseBytes: 0 };

  /** Starts counting a socket; its bytes move to the closed totals when it closes. */
  track(socket: Socket): void {
    this.#live.add(socket);
    socket.once('close', () => {
      this.#closed.down += socket.bytesRead;
      this.#closed.up += socket.bytesWritten;
      this.#live.delete(socket);
    });
  }

  /**
   * Starts splitting an HTTP/2 connection's bytes by frame (its TCP socket `raw` is also tracked,
   * apart).
   */
  trackH2(tap: H2FrameTap, raw: Socket): void {
    this.#taps.set(tap, raw);
    tap.once('close', () => {
      addTap(this.#closed, tap, raw);
      addFirst(this.#first, tap);
      this.#taps.delete(tap);
    });
  }

  /** Totals so far over all sockets, live and closed. */
  totals(): WireTotals {
    const totals = { ...this.#closed };
    for (const socket of this.#live) {
      totals.down += socket.bytesRead;
      totals.up += socket.bytesWritten;
    }
    for (const [tap, raw] of this.#taps) addTap(totals, tap, raw);
    return totals;
  }

  /**
   * The first request's and answer's header blocks, summed over this client's HTTP/2 connections so
   * far.
   */
  firstHeaderBlocks(): FirstHeaderBlocks {
    const first = { ...this.#first };
    for (const tap of this.#taps.keys()) addFirst(first, tap);
    return first;
  }
}
