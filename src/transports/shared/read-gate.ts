/**
 * How a slow consumer reads (scenario `slowConsumers`): at a set rate, or not at all for a while.
 */
export interface SlowRead {
  /** Reads at most this many bytes a second, averaged over each chunk read. */
  readonly bytesPerSec?: number;
  /**
   * Stops reading `afterMs` after the window opens, for `forMs`, then reads again at full speed (or
   * the rate above).
   */
  readonly pause?: { readonly afterMs: number; readonly forMs: number };
}

/** What a gate needs of a socket: the stream calls of `net.Socket`. */
export interface GatedSocket {
  pause(): unknown;
  resume(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/** The clock and timer a gate runs on; injected in tests. */
export interface GateClock {
  nowMs(): number;
  after(ms: number, callback: () => void): void;
}

const realClock: GateClock = {
  // CLOCK_MONOTONIC, as the recorders' receive times are (metrics/clock.ts).
  nowMs: () => Number(process.hrtime.bigint() / 1000n) / 1000,
  after: (ms, callback) => void setTimeout(callback, ms).unref(),
};

/**
 * Makes the sockets of a driver's slow clients read slowly, below the client code: a paused TCP
 * socket stops taking bytes from the kernel, the kernel's buffers fill, and the server sees what
 * a slow mobile client shows it (its socket's queue grows). A rate is kept per socket as a
 * virtual clock: each chunk read moves the socket's next free time on by its size over the rate,
 * and a socket ahead of it is paused until then. A pause holds every socket of the gate, those
 * opened while it lasts included (a reconnect reads nothing either).
 */
export class ReadGate {
  /** Open sockets, each with whether it is waiting out its rate. */
  readonly #sockets = new Map<GatedSocket, { waiting: boolean }>();
  #paused = false;

  constructor(
    readonly spec: SlowRead,
    private readonly clock: GateClock = realClock,
  ) {}

  /** Gates a socket for as long as it is open. */
  attach(socket: GatedSocket): void {
    const state = { waiting: false };
    this.#sockets.set(socket, state);
    socket.once('close', () => this.#sockets.delete(socket));
    if (this.#paused) socket.pause();
    const rate = this.spec.bytesPerSec;
    if (rate === undefined) return;
    let nextFreeMs = this.clock.nowMs();
    socket.on('data', (chunk) => {
      const now = this.clock.nowMs();
      nextFreeMs = Math.max(nextFreeMs, now) + (chunk.length * 1000) / rate;
      if (nextFreeMs <= now || state.waiting) return;
      state.waiting = true;
      socket.pause();
      this.clock.after(nextFreeMs - now, () => {
        state.waiting = false;
        if (!this.#paused) socket.resume();
      });
    });
  }

  /** Stops every socket reading now, for `forMs`. */
  pauseFor(forMs: number): void {
    this.#paused = true;
    for (const socket of this.#sockets.keys()) socket.pause();
    this.clock.after(forMs, () => {
      this.#paused = false;
      for (const [socket, state] of this.#sockets) if (!state.waiting) socket.resume();
    });
  }
}
