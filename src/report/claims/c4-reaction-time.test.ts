import { describe, expect, it } from 'vitest';
import { latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { c4ReactionTime } from './c4-reaction-time.ts';

const judge = (wsUs: number, longUs: number, shortUs = 500_000) =>
  c4ReactionTime.judge(reportOf([
    okCell({ transport: 'websocket' }, { latency_us: latency(wsUs) }),
    okCell({ transport: 'sse' }, { latency_us: latency(wsUs * 1.1) }),
    okCell({ transport: 'long-poll', keep_alive: true, long_poll_timeout_ms: 30_000 }, { latency_us: latency(longUs) }),
    okCell({ transport: 'short-poll', poll_interval_ms: 1000, poll_mode: 'fixed-period', keep_alive: true }, { latency_us: latency(shortUs) }),
  ]));

describe('C4, fast reaction time', () => {
  it('is supported when WebSocket delivers well ahead of both pollings', () => {
    const j = judge(1_000, 5_000);
    expect(j.verdict).toBe('supported');
    expect(j.because).toBe('WebSocket delivered at 1.00 ms (p50), against 5.00 ms for long polling and 500.0 ms for short polling.');
    expect(j.notes.join(' ')).toContain('SSE was as fast');
  });

  it('has a condition when long polling comes within 25%', () => {
    expect(judge(1_000, 1_100).verdict).toBe('supported-with-condition');
  });

  it('is not supported when a polling transport is faster', () => {
    expect(judge(10_000, 5_000).verdict).toBe('not-supported');
  });

  it('notes a long-polling tail of twice WebSocket\'s or more, which the medians do not show', () => {
    const cells = (longP99Us: number) => reportOf([
      okCell({ transport: 'websocket' }, { latency_us: { ...latency(21_000), p99: 79_000 } }),
      okCell({ transport: 'long-poll', keep_alive: true, long_poll_timeout_ms: 30_000 }, { latency_us: { ...latency(28_000), p99: longP99Us } }),
    ]);
    const lossy = c4ReactionTime.judge(cells(375_000));
    expect(lossy.verdict).toBe('supported');
    expect(lossy.notes).toContain("At the tail, long polling's p99 (375.0 ms) was 4.7x WebSocket's (79.0 ms): the medians the verdict reads do not show it.");
    expect(c4ReactionTime.judge(cells(150_000)).notes.join(' ')).not.toContain('At the tail');
  });
});
