import { describe, expect, it } from 'vitest';
import { H2FrameMeter } from './h2-frame-meter.ts';
import { h2Frame as frame } from '../../test/helpers/raw-h2.ts';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const SETTINGS = frame(0x4, 0, 0, Buffer.alloc(12));
// HEADERS with PRIORITY (5 bytes) and PADDED (pad length 3): block of 20 bytes, not ended
// (CONTINUATION follows).
const HEADERS = frame(
  0x1,
  0x8 | 0x20,
  1,
  Buffer.concat([Buffer.from([3]), Buffer.alloc(5), Buffer.alloc(20, 1), Buffer.alloc(3)]),
);
const CONTINUATION = frame(0x9, 0x4, 1, Buffer.alloc(7, 2));
const DATA = frame(0x0, 0x1, 1, Buffer.alloc(100, 3));
const WINDOW_UPDATE = frame(0x8, 0, 0, Buffer.alloc(4));
const SECOND_HEADERS = frame(0x1, 0x4 | 0x1, 3, Buffer.alloc(4, 4));
const STREAM = Buffer.concat([
  PREFACE,
  SETTINGS,
  HEADERS,
  CONTINUATION,
  DATA,
  WINDOW_UPDATE,
  SECOND_HEADERS,
]);

describe('H2FrameMeter', () => {
  it.each([1, 2, 5, 9, 10, 64, STREAM.length])(
    'splits a client stream into header blocks, data and framing, in chunks of %i bytes',
    (size) => {
      const meter = new H2FrameMeter(true);
      for (let at = 0; at < STREAM.length; at += size) meter.push(STREAM.subarray(at, at + size));
      expect(meter.bytes).toEqual({
        headerBlock: 20 + 7 + 4,
        data: 100,
        framing: STREAM.length - 31 - 100,
      });
      // The first block spans HEADERS and its CONTINUATION; the second is a block of its own.
      expect(meter.firstHeaderBlock).toBe(27);
      expect(meter.headerBlocks).toBe(2);
    },
  );

  it('reads a server stream without a preface', () => {
    const meter = new H2FrameMeter(false);
    meter.push(Buffer.concat([SETTINGS, DATA]));
    expect(meter.bytes).toEqual({ headerBlock: 0, data: 100, framing: SETTINGS.length + 9 });
    expect(meter.firstHeaderBlock).toBeUndefined();
  });

  it('counts padding of a DATA frame as framing', () => {
    const meter = new H2FrameMeter(false);
    meter.push(
      frame(0x0, 0x8, 1, Buffer.concat([Buffer.from([10]), Buffer.alloc(50), Buffer.alloc(10)])),
    );
    expect(meter.bytes).toEqual({ headerBlock: 0, data: 50, framing: 9 + 1 + 10 });
  });
});
