import type { Socket } from 'node:net';

/** Bytes a client's sockets read and wrote (TCP payload: HTTP headers and framing included, TCP/IP headers not). */
export interface WireTotals {
  down: number;
  up: number;
}

/**
 * Counts the bytes of every socket a client opens, including those already closed, so a
 * snapshot at any moment gives the client's total so far (a client that opens a connection
 * per poll has many sockets over a window).
 */
export class WireCounter {
  #closedDown = 0;
  #closedUp = 0;
  readonly #live = new Set<Socket>();

  /** Starts counting a socket; its bytes move to the closed totals when it closes. */
  track(socket: Socket): void {
    this.#live.add(socket);
    socket.once('close', () => {
      this.#closedDown += socket.bytesRead;
      this.#closedUp += socket.bytesWritten;
      this.#live.delete(socket);
    });
  }

  /** Totals so far over all sockets, live and closed. */
  totals(): WireTotals {
    let down = this.#closedDown;
    let up = this.#closedUp;
    for (const socket of this.#live) {
      down += socket.bytesRead;
      up += socket.bytesWritten;
    }
    return { down, up };
  }
}
