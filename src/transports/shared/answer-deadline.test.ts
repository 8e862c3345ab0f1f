import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withDeadline, withHeadDeadline } from './answer-deadline.ts';
import type { ResponseHandler } from './response-handler.ts';

function recordingHandler(): ResponseHandler & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    onHead: (status) => events.push(`head ${status}`),
    onBody: (piece) => events.push(`body ${piece.toString()}`),
    onEnd: () => events.push('end'),
    onError: (error) => events.push(`error ${error.message}`),
  };
}

describe('a response head that never comes (a hung connection)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is given up after its deadline: the connection is closed, then the request fails with a sentence', () => {
    const handler = recordingHandler();
    const giveUp = vi.fn(() => handler.events.push('closed'));
    const wrapped = withHeadDeadline(handler, 500, '/poll?since=3', giveUp);
    vi.advanceTimersByTime(499);
    expect(handler.events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(handler.events).toEqual([
      'closed',
      'error /poll?since=3: no answer within 500 ms (given up as hung)',
    ]);
    // What the closed connection reports afterwards is not a second failure.
    wrapped.onError(new Error('socket closed'));
    wrapped.onEnd();
    expect(giveUp).toHaveBeenCalledTimes(1);
    expect(handler.events).toHaveLength(2);
  });

  it('does not fire once the head has come, however long the body takes (an SSE stream)', () => {
    const handler = recordingHandler();
    const giveUp = vi.fn();
    const wrapped = withHeadDeadline(handler, 500, '/sse', giveUp);
    wrapped.onHead?.(200, () => undefined);
    vi.advanceTimersByTime(10_000);
    wrapped.onBody?.(Buffer.from('id: 1'));
    wrapped.onError(new Error('connection closed in the middle of a response'));
    expect(giveUp).not.toHaveBeenCalled();
    expect(handler.events).toEqual([
      'head 200',
      'body id: 1',
      'error connection closed in the middle of a response',
    ]);
  });

  it('passes a body that comes before its head through, and both count as the answer (HTTP/2 can order them so)', () => {
    const handler = recordingHandler();
    const giveUp = vi.fn();
    const wrapped = withHeadDeadline(handler, 500, '/poll', giveUp);
    wrapped.onBody?.(Buffer.from('{}'));
    wrapped.onHead?.(200, () => undefined);
    wrapped.onEnd();
    vi.advanceTimersByTime(1_000);
    expect(giveUp).not.toHaveBeenCalled();
    expect(handler.events).toEqual(['body {}', 'head 200', 'end']);
  });

  it('passes an early failure through once and stops its timer', () => {
    const handler = recordingHandler();
    const giveUp = vi.fn();
    const wrapped = withHeadDeadline(handler, 500, '/poll', giveUp);
    wrapped.onError(new Error('ECONNRESET'));
    vi.advanceTimersByTime(1_000);
    expect(giveUp).not.toHaveBeenCalled();
    expect(handler.events).toEqual(['error ECONNRESET']);
  });
});

describe('a promise with a deadline (a handshake, HTTP/2 SETTINGS)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rejects with a sentence and gives the connection up when the promise does not settle in time', async () => {
    const giveUp = vi.fn();
    const outcome = withDeadline(new Promise<void>(() => {}), 200, 'TLS handshake', giveUp);
    const caught = outcome.catch((error: Error) => error.message);
    vi.advanceTimersByTime(200);
    expect(await caught).toBe('TLS handshake: no answer within 200 ms (given up as hung)');
    expect(giveUp).toHaveBeenCalledOnce();
  });

  it('resolves as the promise does when it is in time', async () => {
    const giveUp = vi.fn();
    const outcome = withDeadline(Promise.resolve(7), 200, 'TCP connect', giveUp);
    expect(await outcome).toBe(7);
    vi.advanceTimersByTime(1_000);
    expect(giveUp).not.toHaveBeenCalled();
  });
});
