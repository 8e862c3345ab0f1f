/** Callbacks run per turn of the event loop, at most; the rest wait for the next turn. */
const PER_TURN = 10;

const waiting: (() => void)[] = [];
let head = 0;
let scheduled = false;

function runSome(): void {
  scheduled = false;
  const end = Math.min(waiting.length, head + PER_TURN);
  while (head < end) {
    const next = waiting[head];
    waiting[head++] = noop;
    next?.();
  }
  if (head === waiting.length) {
    waiting.length = 0;
    head = 0;
  } else schedule();
}

function noop(): void {}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(runSome);
}

/**
 * Runs `work` soon, after what has already arrived, a few callbacks per event-loop turn. A driver
 * with many clients answered at once (one update wakes every long poll) would otherwise read an
 * answer, send that client's next request, read the next answer, and so on, in one turn: the last
 * answer is then read (and timed) after every request before it was sent, and the loop's timers
 * wait for all of it. Queued here, each turn reads what arrived first and sends a few requests; the
 * requests go out in the order their answers came, as soon as the answers before them were read.
 */
export function afterArrivals(work: () => void): void {
  waiting.push(work);
  schedule();
}
