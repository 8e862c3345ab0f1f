import { describe, expect, it } from 'vitest';
import { UpdateRing } from '../../feed/ring-buffer.ts';
import { encodeUpdate } from '../../feed/update.ts';
import type { SlowConsumerPolicy } from '../../protocol/feed-protocol.ts';
import { PushCursor, noSlowConsumerCounts, type PushSink } from './push-cursor.ts';

/** A socket that takes `room` frames before it is full, and drains when told to. */
class FakeSink implements PushSink {
  readonly written: string[] = [];
  queued = 0;
  disconnected: string | undefined;
  #drained: (() => void) | undefined;
  constructor(private room: number) {}
  write(update: { seq: number; json: string }): void {
    this.written.push(String(update.seq));
    this.queued += update.json.length;
  }
  writeGap(from: number, to: number): void {
    this.written.push(`gap ${from}-${to}`);
  }
  queuedBytes = () => this.queued;
  full = () => this.written.length >= this.room;
  onceDrained(callback: () => void): void {
    this.#drained = callback;
  }
  disconnect(reason: string): void {
    this.disconnected = reason;
  }
  /** The client read everything: `more` frames fit before the socket is full again. */
  drain(more: number): void {
    this.room = this.written.length + more;
    this.queued = 0;
    const callback = this.#drained;
    this.#drained = undefined;
    callback?.();
  }
}

function setUp(policy: SlowConsumerPolicy, room: number, maxQueuedBytes = 100, since = 0) {
  const ring = new UpdateRing(1_000);
  const sink = new FakeSink(room);
  const counts = noSlowConsumerCounts();
  const publish = (n: number) => {
    for (let i = 0; i < n; i++) {
      const update = encodeUpdate({ seq: ring.last + 1, ts: 0, data: 'x' }); // 26 bytes encoded
      ring.push(update);
      cursor?.published(update);
    }
  };
  // Assigned once, after publish() has run without a cursor: publish reads it through the closure.
  // eslint-disable-next-line prefer-const
  let cursor: PushCursor | undefined;
  publish(3);
  cursor = new PushCursor(ring, sink, { maxQueuedBytes, policy }, counts, since);
  return { ring, sink, counts, publish };
}

describe('a push connection as a cursor into the history', () => {
  it('writes the backlog and new updates while the socket takes them, the rest after it drains', () => {
    const { sink, publish, counts } = setUp('disconnect', 2, 1_000);
    expect(sink.written).toEqual(['1', '2']);
    publish(1); // seq 4: outstanding = 2 frames queued + 2 not written (104 bytes), under the limit
    expect(sink.written).toEqual(['1', '2']);
    sink.drain(10);
    expect(sink.written).toEqual(['1', '2', '3', '4']);
    publish(1);
    expect(sink.written).toEqual(['1', '2', '3', '4', '5']);
    expect(counts.disconnects).toBe(0);
  });

  it('disconnects once past the limit, counted, and writes nothing more', () => {
    const { sink, publish, counts } = setUp('disconnect', 1, 100);
    publish(5);
    expect(sink.disconnected).toMatch(
      /^slow consumer: \d+ bytes outstanding, over the limit of 100$/,
    );
    expect(counts.disconnects).toBe(1);
    expect(counts.peakQueuedBytes).toBeGreaterThan(100);
    sink.drain(10);
    publish(1);
    expect(sink.written).toEqual(['1']);
  });

  it('skips to the newest update with a gap message when the socket drains, counted', () => {
    const { sink, publish, counts } = setUp('skip-to-latest', 1, 100);
    publish(7); // seqs 4..10 while only seq 1 is on the socket
    expect(sink.written).toEqual(['1']);
    sink.drain(10);
    expect(sink.written).toEqual(['1', 'gap 2-9', '10']);
    expect([counts.skips, counts.skippedUpdates, counts.disconnects]).toEqual([1, 8, 0]);
    publish(1);
    expect(sink.written.at(-1)).toBe('11');
  });

  it('gives a cursor older than the history a gap, and one newer than it nothing', () => {
    const ring = new UpdateRing(2);
    for (let seq = 1; seq <= 5; seq++) ring.push(encodeUpdate({ seq, ts: 0, data: '' }));
    const old = new FakeSink(10);
    new PushCursor(
      ring,
      old,
      { maxQueuedBytes: 1e6, policy: 'disconnect' },
      noSlowConsumerCounts(),
      0,
    );
    expect(old.written).toEqual(['gap 1-3', '4', '5']);
    const ahead = new FakeSink(10);
    new PushCursor(
      ring,
      ahead,
      { maxQueuedBytes: 1e6, policy: 'disconnect' },
      noSlowConsumerCounts(),
      99,
    );
    expect(ahead.written).toEqual([]);
  });
});
