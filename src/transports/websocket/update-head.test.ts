import { describe, expect, it } from 'vitest';
import { readUpdateHead } from './update-head.ts';
import { encodeUpdate } from '../../feed/update.ts';

const b = (s: string) => Buffer.from(s);

describe('readUpdateHead', () => {
  it("reads seq and ts of feedbench's own encoding, as JSON.parse would", () => {
    const u = encodeUpdate({ seq: 9_876_543, ts: 1_732_460_000_123_456, data: 'x"y' });
    expect(readUpdateHead(b(u.json))).toEqual({ seq: 9_876_543, ts: 1_732_460_000_123_456 });
  });

  it('declines anything else, for the caller to parse as JSON', () => {
    expect(readUpdateHead(b('{"ts":1,"seq":2,"data":""}'))).toBeUndefined();
    expect(readUpdateHead(b('{"type":"gap","from":1,"to":2}'))).toBeUndefined();
    expect(readUpdateHead(b('{"seq":1.5,"ts":2,"data":""}'))).toBeUndefined();
    expect(readUpdateHead(b('{"seq":1,"ts":2x'))).toBeUndefined();
    expect(readUpdateHead(b('{"seq":'))).toBeUndefined();
  });

  it('accepts an update with no data field', () => {
    expect(readUpdateHead(b('{"seq":1,"ts":22}'))).toEqual({ seq: 1, ts: 22 });
  });
});
