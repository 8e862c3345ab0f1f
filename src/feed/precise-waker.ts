import { Worker } from 'node:worker_threads';

/** Calls a callback at a scheduled time on the monotonic µs clock; one wake pending at a time. */
export interface Waker {
  /** Calls `callback` at `dueUs` (at once if it has passed), replacing any pending wake. */
  at(dueUs: number, callback: () => void): void;
  /** Drops the pending wake. */
  cancel(): void;
  /** µs this waker has spent spinning on the clock so far (CPU, reported beside the server's). */
  readonly spinUs: number;
}

/**
 * Node's own timers (`setTimeout`): millisecond granularity, up to about a millisecond late.
 * For tests on fake timers, and for anything that needs no precision.
 */
export class TimerWaker implements Waker {
  #timer: NodeJS.Timeout | undefined;
  readonly spinUs = 0;

  constructor(private readonly clock: () => number) {}

  at(dueUs: number, callback: () => void): void {
    this.cancel();
    this.#timer = setTimeout(callback, Math.max(0, (dueUs - this.clock()) / 1000));
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * The worker's body: sleep on a futex until the time asked (sub-millisecond, no CPU), then say so.
 */
const SLEEPER = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
parentPort.on('message', ({ wakeUs, token }) => {
  const waitMs = (wakeUs - nowUs()) / 1000;
  if (waitMs > 0) Atomics.wait(cell, 0, 0, waitMs);
  parentPort.postMessage(token);
});`;

/**
 * Waits longer than this go to the worker and end in a spin; shorter ones (rates above about
 * 1,000/s) to Node's timer.
 */
const PRECISE_FROM_US = 1_000;

/**
 * A waker precise to a few µs at the median. Node's timers are rounded to the millisecond and put
 * about 0.6 ms of lag under every latency feedbench measured. Here a worker thread sleeps on a
 * futex (not rounded, but 100-450 µs late on this VM) until `leadUs` before the due time, and the
 * main thread spins on the clock for the rest: at most `leadUs` of blocked event loop per wake,
 * counted in `spinUs` so that the server's CPU is reported without it. Waits shorter than
 * PRECISE_FROM_US use Node's timer: at high rates a spin per update would cost most of a core.
 */
export class PreciseWaker implements Waker {
  #worker: Worker | undefined;
  #online = false;
  #pending: { dueUs: number; callback: () => void; token: number } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #token = 0;
  #spinUs = 0;

  /**
   * @param clock monotonic µs, the same clock as the worker's (process.hrtime).
   * @param leadUs how long before the due time the worker wakes the main thread: about the
   *   futex's and the message's own lateness here, so that the median wake needs little spin.
   */
  constructor(
    private readonly clock: () => number,
    private readonly leadUs = 400,
  ) {
    // Started now, so that it is up long before the first scheduled update.
    this.#sleeper();
  }

  get spinUs(): number {
    return this.#spinUs;
  }

  at(dueUs: number, callback: () => void): void {
    this.cancel();
    const token = ++this.#token;
    this.#pending = { dueUs, callback, token };
    const remainingUs = dueUs - this.clock();
    if (remainingUs >= PRECISE_FROM_US && this.#online)
      this.#sleeper().postMessage({ wakeUs: dueUs - this.leadUs, token });
    // A short wait, or a worker still starting (it takes tens of ms): Node's timer, as before.
    else this.#timer = setTimeout(() => this.#fire(token), Math.max(0, remainingUs / 1000));
  }

  cancel(): void {
    this.#pending = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #sleeper(): Worker {
    if (!this.#worker) {
      this.#worker = new Worker(SLEEPER, { eval: true });
      this.#worker.once('online', () => (this.#online = true));
      this.#worker.on('message', (token: number) => this.#fire(token));
      // The publisher's wakes must not keep a process alive that has nothing else to do.
      this.#worker.unref();
    }
    return this.#worker;
  }

  #fire(token: number): void {
    const pending = this.#pending;
    if (!pending || pending.token !== token) return;
    this.#pending = undefined;
    // The worker wakes `leadUs` early on purpose; Node's timer may too, by up to a millisecond (it
    // counts from the event loop's cached time, which can be stale): either way, never fire early.
    const start = this.clock();
    let now = start;
    while (now < pending.dueUs) now = this.clock();
    this.#spinUs += now - start;
    pending.callback();
  }
}
