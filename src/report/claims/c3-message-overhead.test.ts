import { describe, expect, it } from 'vitest';
import { okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { c3MessageOverhead } from './c3-message-overhead.ts';

const judge = (wsOverhead: number, pollOverhead: number) =>
  c3MessageOverhead.judge(reportOf([
    okCell({ transport: 'websocket', ws_compression: false }, { wire: { overhead_bytes_per_update: wsOverhead } }),
    okCell({ transport: 'short-poll', poll_interval_ms: 250, poll_mode: 'fixed-period', keep_alive: true }, { wire: { overhead_bytes_per_update: pollOverhead } }),
    okCell({ transport: 'long-poll', keep_alive: true, long_poll_timeout_ms: 30_000 }, { wire: { overhead_bytes_per_update: pollOverhead + 20 } }),
  ]));

describe('C3, minimal overhead in sending and receiving messages', () => {
  it('is supported when WebSocket framing stays within 14 bytes and under a quarter of polling\'s', () => {
    const j = judge(6, 130);
    expect(j.verdict).toBe('supported');
    expect(j.because).toContain('6.0 B beyond its JSON');
  });

  it('has a condition when WebSocket is cheaper, but not by much', () => {
    expect(judge(20, 30).verdict).toBe('supported-with-condition');
  });

  it('is not supported when WebSocket overhead is not below polling\'s', () => {
    expect(judge(200, 130).verdict).toBe('not-supported');
  });
});
