import { afterEach, describe, expect, it, vi } from 'vitest';
import { Publisher } from './publisher.ts';
import { UpdateRing } from './ring-buffer.ts';

describe('Publisher', () => {
  afterEach(() => vi.useRealTimers());

  it('stamps each update with its scheduled time and catches up when late', () => {
    vi.useFakeTimers();
    let clock = 5_000_000;
    const lags: number[] = [];
    const publisher = new Publisher(
      new UpdateRing(100),
      () => clock,
      (lag) => lags.push(lag),
    );
    const seen: { seq: number; ts: number }[] = [];
    publisher.onPublish((u) => seen.push({ seq: u.seq, ts: u.ts }));
    publisher.configure({ rate: 1000, payloadBytes: 8 });
    expect(seen).toEqual([{ seq: 1, ts: 5_000_000 }]);
    clock += 3_500; // the timer fires 2.5 ms late: updates 2, 3 and 4 are overdue
    vi.advanceTimersByTime(1);
    expect(seen.map((u) => u.ts)).toEqual([5_000_000, 5_001_000, 5_002_000, 5_003_000]);
    expect(lags).toEqual([0, 2_500, 1_500, 500]);
    publisher.stop();
  });

  it('publishes out-of-schedule messages with the next seq and stops on rate 0', () => {
    const publisher = new Publisher(new UpdateRing(10), () => 42);
    expect(publisher.publishNow('hi')).toMatchObject({ seq: 1, ts: 42, data: 'hi' });
    publisher.configure({ rate: 0, payloadBytes: 0 });
    expect(publisher.settings.rate).toBe(0);
    expect(publisher.ring.last).toBe(1);
  });
});
