import { describe, expect, it } from 'vitest';
import { NchanPollCursor } from './nchan-poll-cursor.ts';
import type { PollCursor } from './poll-cursor.ts';

/** A header reader over a plain object, as the connections give one. */
const headers =
  (h: Record<string, string>) =>
  (name: string): string | undefined =>
    h[name];

const update = (seq: number) => `{"seq":${seq},"ts":${1000 + seq},"data":"x"}`;

describe("NchanPollCursor (nchan's subscriber cursor)", () => {
  it('asks without a cursor until a message gives one, then sends its Last-Modified and Etag back', () => {
    const cursor: PollCursor = new NchanPollCursor();
    expect(cursor.request('poll', true, 30_000)).toEqual({ path: '/poll' });
    // An empty channel: 304 without a cursor; the client stays without one.
    cursor.head(304, headers({}));
    expect(cursor.read(Buffer.alloc(0), true)).toEqual({ updates: [], more: false });
    expect(cursor.request('poll', false, 30_000)).toEqual({ path: '/poll' });
    cursor.head(200, headers({ 'last-modified': 'Sat, 05 Dec 2026 13:02:54 GMT', etag: '0' }));
    const first = cursor.read(Buffer.from(update(1)), false);
    expect(first.updates).toEqual([{ seq: 1, ts: 1001, data: update(1), bytes: update(1).length }]);
    // An interval poll gives one message per answer: another may wait.
    expect(first.more).toBe(true);
    expect(cursor.request('poll', false, 30_000)).toEqual({
      path: '/poll',
      headers: { 'if-modified-since': 'Sat, 05 Dec 2026 13:02:54 GMT', 'if-none-match': '0' },
    });
  });

  it("reads a long poll's multipart answer as all its messages, and a 408 or 304 as none", () => {
    const cursor: PollCursor = new NchanPollCursor();
    cursor.head(200, headers({ 'last-modified': 'T', etag: '1' }));
    cursor.read(Buffer.from(update(1)), true);
    // The first poll goes to the interval location even for a long-polling client.
    expect(cursor.request('long-poll', true, 30_000).path).toBe('/poll');
    expect(cursor.request('long-poll', false, 30_000).path).toBe('/long-poll');
    cursor.head(
      200,
      headers({ 'last-modified': 'T', etag: '3', 'content-type': 'multipart/mixed; boundary=Zq' }),
    );
    const parts = `--Zq\r\n\r\n${update(2)}\r\n--Zq\r\n\r\n${update(3)}\r\n--Zq--`;
    const reading = cursor.read(Buffer.from(parts), false);
    expect(reading.updates.map((u) => u.seq)).toEqual([2, 3]);
    expect(reading.more).toBe(false);
    // A held poll's time-out keeps the cursor.
    cursor.head(408, headers({ etag: '3' }));
    expect(cursor.read(Buffer.alloc(0), false)).toEqual({ updates: [], more: false });
    expect(cursor.request('long-poll', false, 30_000).headers).toEqual({
      'if-modified-since': 'T',
      'if-none-match': '3',
    });
  });

  it('gives a first message no record (it only places the cursor) and fails on an error status', () => {
    const cursor: PollCursor = new NchanPollCursor();
    cursor.head(200, headers({ 'last-modified': 'T', etag: '0' }));
    expect(cursor.read(Buffer.from(update(7)), true).updates).toEqual([]);
    cursor.head(403, headers({}));
    expect(() => cursor.read(Buffer.from('Forbidden'), false)).toThrow(/nchan answered 403/);
  });
});
