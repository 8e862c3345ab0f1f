import { describe, expect, it } from 'vitest';
import { okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { c1FullDuplex } from './c1-full-duplex.ts';

const judge = (pollRequests: number, emptyShare: number, pushRequests = 0) =>
  c1FullDuplex.judge(reportOf([
    okCell({ transport: 'websocket' }, { wire: { requests_per_update: pushRequests } }),
    okCell({ transport: 'sse' }, { wire: { requests_per_update: 0 } }),
    okCell({ transport: 'short-poll', poll_interval_ms: 250, poll_mode: 'fixed-period', keep_alive: true }, { wire: { requests_per_update: pollRequests, empty_poll_share: emptyShare } }),
  ]));

describe('C1, full duplex: no polling required', () => {
  it('is supported when push makes no request and polls come back empty', () => {
    const j = judge(1.2, 0.4);
    expect(j.verdict).toBe('supported');
    expect(j.because).toContain('short polling made 1.20 requests per update, 40% of them answered with nothing');
  });

  it('has a condition when polling wasted no request (updates faster than polls)', () => {
    expect(judge(0.5, 0).verdict).toBe('supported-with-condition');
  });

  it('is not supported when push clients still make requests', () => {
    expect(judge(1.2, 0.4, 0.2).verdict).toBe('not-supported');
  });

  it('is not measured without both polling and push cells', () => {
    expect(c1FullDuplex.judge(reportOf([okCell({ transport: 'websocket' })])).verdict).toBe('not-measured');
  });
});
