import { describe, expect, it } from 'vitest';
import { longPollModel, pushModel, shortPollModel } from './latency-models.ts';

const RTT = 40_000;

describe('latency models (docs/claims.md)', () => {
  it('push takes d = RTT/2', () => {
    expect(pushModel(RTT)).toMatchObject({ meanUs: 20_000, maxUs: 20_000, formula: 'd' });
  });
  it('long polling takes d, worst 3d', () => {
    expect(longPollModel(RTT, true)).toMatchObject({ meanUs: 20_000, maxUs: 60_000 });
  });
  it('short polling on a fixed period takes T/2 + d, worst T + d', () => {
    expect(shortPollModel(RTT, 1000, 'fixed-period', true)).toMatchObject({
      meanUs: 520_000,
      maxUs: 1_020_000,
    });
  });
  it('short polling that sleeps after each answer takes T/2 + RTT', () => {
    expect(shortPollModel(RTT, 1000, 'sleep-after-response', true).meanUs).toBe(540_000);
  });
  it('long polling in bursts: first d, then 3d - j x gap', () => {
    const m = longPollModel(RTT, true, { size: 2, gapMs: 5 });
    expect(m.meanUs).toBe((20_000 + 55_000) / 2);
    expect(m.maxUs).toBe(55_000);
  });
  it('a new connection per poll adds one RTT where it lengthens the cycle', () => {
    expect(shortPollModel(RTT, 1000, 'fixed-period', false).meanUs).toBe(520_000);
    expect(shortPollModel(RTT, 1000, 'sleep-after-response', false).meanUs).toBe(560_000);
    expect(longPollModel(RTT, false)).toMatchObject({ meanUs: 20_000, maxUs: 100_000 });
  });
});
