import type { ResponseHandler } from './response-handler.ts';

/**
 * How long a client waits for an answer the feed protocol says comes at once (a TCP or TLS
 * handshake, HTTP/2 SETTINGS, a poll's or an SSE stream's response head, a WebSocket upgrade),
 * ms. A long poll waits this much past the hold it asked for. Past it the connection is given
 * up as hung and the client goes on as after any failure (a poll client asks again, a push
 * client reconnects with its cursor), as client libraries do with their connect time-outs.
 *
 * Why a driver needs one: a connection can be accepted and then never answered nor closed.
 * Node's cluster primary, for one, can hand a new connection to a worker that has just died
 * (its round-robin hand-off waits for a reply that never comes, and keeps the socket open);
 * a client without a deadline then waits forever and every later update counts as lost.
 */
export const ANSWER_TIMEOUT_MS = 10_000;

/** An Error that says what did not answer in time. */
export function noAnswerError(what: string, ms: number): Error {
  return new Error(`${what}: no answer within ${ms} ms (given up as hung)`);
}

/**
 * Wraps `handler` so that a response head not seen within `ms` fails the request: `giveUp` is
 * called (to close the hung connection or stream) and then `onError`. The timer stops at the head.
 */
export function withHeadDeadline(
  handler: ResponseHandler,
  ms: number,
  what: string,
  giveUp: () => void,
): ResponseHandler {
  // waiting for the head; answered (the body may still fail); over (ended, failed or timed out).
  let state: 'waiting' | 'answered' | 'over' = 'waiting';
  const timer = setTimeout(() => {
    if (state !== 'waiting') return;
    state = 'over';
    giveUp();
    handler.onError(noAnswerError(what, ms));
  }, ms);
  timer.unref();
  const answered = () => {
    state = 'answered';
    clearTimeout(timer);
  };
  return {
    // Over HTTP/2 a stream's first DATA can reach its handler before the 'response' event:
    // either counts as the answer, and both always pass through.
    onHead: (status, header) => {
      if (state === 'over') return;
      answered();
      handler.onHead?.(status, header);
    },
    onBody: (piece) => {
      if (state === 'over') return;
      answered();
      handler.onBody?.(piece);
    },
    onEnd: () => {
      if (state === 'over') return;
      state = 'over';
      clearTimeout(timer);
      handler.onEnd();
    },
    onError: (error) => {
      if (state === 'over') return;
      state = 'over';
      clearTimeout(timer);
      handler.onError(error);
    },
  };
}

/**
 * Rejects with `noAnswerError` when `promise` has not settled within `ms`, after calling `giveUp`.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  giveUp: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      giveUp();
      reject(noAnswerError(what, ms));
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
