import { describe, expect, it } from 'vitest';
import { UpdateRing, seqRangeInWindow } from './ring-buffer.ts';
import { encodeUpdate } from './update.ts';

function ringWith(capacity: number, count: number): UpdateRing {
  const ring = new UpdateRing(capacity);
  for (let seq = 1; seq <= count; seq++)
    ring.push(encodeUpdate({ seq, ts: seq * 1000, data: `d${seq}` }));
  return ring;
}

describe('UpdateRing', () => {
  it('answers everything after a cursor, in order', () => {
    const result = ringWith(10, 5).since(2);
    expect(result.updates.map((u) => u.seq)).toEqual([3, 4, 5]);
    expect(result.last).toBe(5);
    expect(result.gap).toBeUndefined();
  });

  it('answers nothing for a cursor at or past the newest update', () => {
    expect(ringWith(10, 5).since(5).updates).toEqual([]);
    expect(ringWith(10, 5).since(99)).toEqual({ updates: [], last: 5, more: false });
  });

  it('reports a gap when the cursor is older than the history', () => {
    const result = ringWith(4, 10).since(2);
    expect(result.updates.map((u) => u.seq)).toEqual([7, 8, 9, 10]);
    expect(result.gap).toEqual({ from: 3, to: 6 });
  });

  it('has no gap when the cursor is exactly one before the oldest retained', () => {
    const result = ringWith(4, 10).since(6);
    expect(result.updates.map((u) => u.seq)).toEqual([7, 8, 9, 10]);
    expect(result.gap).toBeUndefined();
  });

  it('rejects a seq that is not the next one', () => {
    const ring = ringWith(4, 2);
    expect(() => ring.push(encodeUpdate({ seq: 4, ts: 0, data: '' }))).toThrow(
      'expected seq 3, got 4',
    );
  });

  it('keeps no more encoded bytes than its bound, dropping the oldest, and always the newest', () => {
    const ring = new UpdateRing(1_000, 100);
    const push = (seq: number, bytes: number) =>
      ring.push({ seq, ts: seq, data: '', json: 'x'.repeat(bytes) });
    for (let seq = 1; seq <= 10; seq++) push(seq, 30);
    expect([ring.first, ring.last, ring.retainedBytes]).toEqual([8, 10, 90]);
    expect(ring.since(0).gap).toEqual({ from: 1, to: 7 });
    push(11, 500); // larger than the bound alone: kept, everything older goes
    expect([ring.first, ring.retainedBytes]).toEqual([11, 500]);
  });

  it('gives at most the bounded updates and bytes per read, saying more follow', () => {
    const ring = ringWith(100, 50);
    const byCount = ring.since(10, { maxUpdates: 5, maxBytes: Infinity });
    expect(byCount.updates.map((u) => u.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(byCount.more).toBe(true);
    const size = ring.get(46)!.json.length; // 46 and 47 encode to the same length
    const byBytes = ring.since(45, { maxUpdates: 1_000, maxBytes: size * 2 + 1 });
    expect(byBytes.updates.map((u) => u.seq)).toEqual([46, 47]);
    expect(ring.since(48, { maxUpdates: 1_000, maxBytes: 1 })).toMatchObject({
      more: true,
      updates: [{ seq: 49 }],
    });
    expect(ring.since(48, { maxUpdates: 2, maxBytes: Infinity }).more).toBe(false);
  });

  it('counts the bytes a cursor has yet to get, in O(1)', () => {
    const ring = new UpdateRing(4);
    for (let seq = 1; seq <= 6; seq++) ring.push({ seq, ts: seq, data: '', json: 'x'.repeat(seq) });
    expect(ring.first).toBe(3);
    expect(ring.bytesAfter(4)).toBe(5 + 6);
    expect(ring.bytesAfter(6)).toBe(0);
    expect(ring.bytesAfter(1)).toBe(3 + 4 + 5 + 6); // older than the history: what it still holds
  });

  it('finds the seq range of a time window', () => {
    const ring = ringWith(100, 20); // ts = seq * 1000
    expect(seqRangeInWindow(ring, 5000, 9000)).toEqual({ first: 5, last: 8 });
    expect(seqRangeInWindow(ring, 50_000, 60_000)).toBeUndefined();
  });
});

describe('encodeUpdate', () => {
  it('encodes the fields in a fixed order, identical for every transport', () => {
    expect(encodeUpdate({ seq: 7, ts: 123, data: 'a"b' }).json).toBe(
      '{"seq":7,"ts":123,"data":"a\\"b"}',
    );
  });
});
