import { describe, expect, it } from 'vitest';
import { UpdateRing, seqRangeInWindow } from './ring-buffer.ts';
import { encodeUpdate } from './update.ts';

function ringWith(capacity: number, count: number): UpdateRing {
  const ring = new UpdateRing(capacity);
  for (let seq = 1; seq <= count; seq++) ring.push(encodeUpdate({ seq, ts: seq * 1000, data: `d${seq}` }));
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
    expect(ringWith(10, 5).since(99)).toEqual({ updates: [], last: 5 });
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
    expect(() => ring.push(encodeUpdate({ seq: 4, ts: 0, data: '' }))).toThrow('expected seq 3, got 4');
  });

  it('finds the seq range of a time window', () => {
    const ring = ringWith(100, 20); // ts = seq * 1000
    expect(seqRangeInWindow(ring, 5000, 9000)).toEqual({ first: 5, last: 8 });
    expect(seqRangeInWindow(ring, 50_000, 60_000)).toBeUndefined();
  });
});

describe('encodeUpdate', () => {
  it('encodes the fields in a fixed order, identical for every transport', () => {
    expect(encodeUpdate({ seq: 7, ts: 123, data: 'a"b' }).json).toBe('{"seq":7,"ts":123,"data":"a\\"b"}');
  });
});
