import { describe, expect, it } from 'vitest';
import { TimedByteLog } from './timed-byte-log.ts';

describe('TimedByteLog', () => {
  it('sums the bytes counted in a span, by when they moved, not when they were reported', () => {
    const log = new TimedByteLog();
    log.add(300, 10, 0);
    log.add(100, 5, 2);
    log.add(200, 7, 1);
    log.add(400, 100, 100);
    expect(log.between(100, 400)).toEqual({ down: 22, up: 3 });
    expect(log.between(0, 100)).toEqual({ down: 0, up: 0 });
  });
});
