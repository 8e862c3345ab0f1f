import { describe, expect, it } from 'vitest';
import { latencyModel } from './latency-models.ts';

const base = { rttUs: 40_000, pollIntervalMs: 1000, pollMode: 'fixed-period' as const, keepAlive: true };

describe('latencyModel', () => {
  it('push is one transit', () => {
    expect(latencyModel({ ...base, transport: 'websocket' })).toMatchObject({ meanUs: 20_000, maxUs: 20_000 });
  });

  it('long polling is one transit, three at worst (RFC 6202)', () => {
    expect(latencyModel({ ...base, transport: 'long-poll' })).toMatchObject({ meanUs: 20_000, maxUs: 60_000 });
  });

  it('fixed-period short polling is T/2 + d on average, T + d at worst', () => {
    expect(latencyModel({ ...base, transport: 'short-poll' })).toMatchObject({ meanUs: 520_000, maxUs: 1_020_000 });
  });

  it('sleeping after each answer is about T/2 + RTT', () => {
    expect(latencyModel({ ...base, transport: 'short-poll', pollMode: 'sleep-after-response' }).meanUs).toBe(540_000);
  });

  it('long polling makes the later updates of a burst wait for the next request', () => {
    const m = latencyModel({ ...base, transport: 'long-poll', burst: { size: 2, gapMs: 5 } });
    expect(m.meanUs).toBe((20_000 + (60_000 - 5_000)) / 2);
    expect(m.maxUs).toBe(55_000);
    expect(latencyModel({ ...base, transport: 'websocket', burst: { size: 2, gapMs: 5 } }).meanUs).toBe(20_000);
  });

  it('a new connection per poll shifts fixed-period polls but lengthens a sleeping client\'s cycle', () => {
    expect(latencyModel({ ...base, transport: 'short-poll', keepAlive: false }).meanUs).toBe(520_000);
    expect(latencyModel({ ...base, transport: 'short-poll', keepAlive: false, pollMode: 'sleep-after-response' }).meanUs).toBe(560_000);
    expect(latencyModel({ ...base, transport: 'long-poll', keepAlive: false })).toMatchObject({ meanUs: 20_000, maxUs: 100_000 });
  });
});
