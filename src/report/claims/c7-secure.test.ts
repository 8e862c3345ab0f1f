import { describe, expect, it } from 'vitest';
import { erroredCell, latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { c7Secure } from './c7-secure.ts';

const ws = (tls: boolean, lost = 0) => okCell({ transport: 'websocket', tls }, { delivery: { lost }, connect_us: latency(tls ? 2_000 : 500), wire: { bytes_per_update: tls ? 230 : 200 } });
const https = okCell({ transport: 'short-poll', poll_interval_ms: 250, poll_mode: 'fixed-period', keep_alive: true, tls: true });

describe('C7, secure', () => {
  it('is supported when wss delivers everything and no HTTPS transport was measured beside it', () => {
    const j = c7Secure.judge(reportOf([ws(false), ws(true)]));
    expect(j.verdict).toBe('supported');
    expect(j.because).toContain('TLS made set-up 4.0x slower and each update 30 B larger');
  });

  it('has a condition when HTTPS protected the other transports just as well', () => {
    expect(c7Secure.judge(reportOf([ws(false), ws(true), https])).verdict).toBe('supported-with-condition');
  });

  it('is not supported when wss lost updates or failed', () => {
    expect(c7Secure.judge(reportOf([ws(false), ws(true, 3)])).verdict).toBe('not-supported');
    expect(c7Secure.judge(reportOf([ws(false), ws(true), erroredCell({ transport: 'websocket', tls: true })])).verdict).toBe('not-supported');
  });
});
