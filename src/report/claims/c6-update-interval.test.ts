import { describe, expect, it } from 'vitest';
import { okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { c6UpdateInterval } from './c6-update-interval.ts';

const poll = { transport: 'short-poll', poll_interval_ms: 1000, poll_mode: 'fixed-period' as const, keep_alive: true };
/**
 * One poll a second by 100 clients over a 10 s window: bytesDown over the window sets the polling
 * cost per client-hour.
 */
const sweep = (at: (rate: number) => { pollBytes: number; pushBytes: number; pollWindowBytes: number }, cpu: { poll: number | null; push: number | null } = { poll: 100, push: 40 }) =>
  reportOf([10, 1, 0.2].flatMap((rate) => {
    const f = at(rate);
    return [
      okCell({ ...poll, rate_per_s: rate }, { wire: { bytes_per_update: f.pollBytes, bytes_down: f.pollWindowBytes, bytes_up: 0 }, server: { cpu_ms_per_1k_updates: cpu.poll } }),
      okCell({ transport: 'websocket', ws_compression: false, rate_per_s: rate }, { wire: { bytes_per_update: f.pushBytes }, server: { cpu_ms_per_1k_updates: cpu.push } }),
    ];
  }));

describe('C6, hourly updates: HTTP; every second: WebSocket', () => {
  it('is supported when push is cheaper at a second and polling cheaper at the slowest rate', () => {
    // 1,000 bytes per 100 clients over 10 s: 3.6 KB per client-hour, below one push update of 5 KB.
    const j = c6UpdateInterval.judge(sweep((rate) => ({ pollBytes: 300, pushBytes: rate >= 1 ? 50 : 5_000, pollWindowBytes: 1_000 })));
    expect(j.verdict).toBe('supported');
  });

  it('has a condition when hourly polling costs more than an hourly push update', () => {
    const j = c6UpdateInterval.judge(sweep(() => ({ pollBytes: 300, pushBytes: 50, pollWindowBytes: 200_000 })));
    expect(j.verdict).toBe('supported-with-condition');
    expect(j.because).toContain('polling every 1 s costs 703 KiB per client-hour');
  });

  it('is not supported when push costs more per update at one a second or faster', () => {
    expect(c6UpdateInterval.judge(sweep(() => ({ pollBytes: 300, pushBytes: 500, pollWindowBytes: 1_000 }))).verdict).toBe('not-supported');
  });

  it('judges a target, whose server CPU is not measured, on the bytes alone and says so', () => {
    const j = c6UpdateInterval.judge(sweep(() => ({ pollBytes: 300, pushBytes: 50, pollWindowBytes: 200_000 }), { poll: null, push: null }));
    expect(j.verdict).toBe('supported-with-condition');
    expect(j.because).toContain('in bytes (server CPU not measured)');
    expect(j.numbers).toContainEqual(['one update a second: server CPU per 1k updates, polling / push', 'not measured (a target)']);
    expect(j.notes[0]).toMatch(/not measured .*the bytes alone/);
  });

  it('is not measured without a sweep of at least two rates', () => {
    expect(c6UpdateInterval.judge(reportOf([okCell(poll), okCell({ transport: 'websocket' })])).verdict).toBe('not-measured');
  });
});
