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

describe("readUpdateHead on text (an SSE event's data)", () => {
  it('reads the same head from a string as from its bytes, and declines the same inputs', () => {
    const inputs = [
      encodeUpdate({ seq: 42, ts: 1_732_460_000_123_456, data: 'é"\\n' }).json,
      '{"seq":1,"ts":22}',
      '{"ts":1,"seq":2,"data":""}',
      '{"seq":1.5,"ts":2,"data":""}',
      '{"seq":1,"ts":2x',
      '{"seq":',
      '{"seq":12345678901234567,"ts":1}',
      '',
    ];
    for (const input of inputs) expect(readUpdateHead(input)).toEqual(readUpdateHead(b(input)));
    expect(readUpdateHead(inputs[0] ?? '')).toEqual({ seq: 42, ts: 1_732_460_000_123_456 });
  });

  it('agrees with JSON.parse on every update it accepts', () => {
    for (let seq = 0; seq < 2_000; seq += 7) {
      const json = encodeUpdate({
        seq,
        ts: 1_000_000 + seq * 1_013,
        data: 'x'.repeat(seq % 50),
      }).json;
      const parsed = JSON.parse(json) as { seq: number; ts: number };
      expect(readUpdateHead(json)).toEqual({ seq: parsed.seq, ts: parsed.ts });
    }
  });
});
