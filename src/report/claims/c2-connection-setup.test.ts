import { describe, expect, it } from 'vitest';
import { latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { c2ConnectionSetup } from './c2-connection-setup.ts';

const judge = (wsP50Us: number, httpP50Us: number, handshakeBytes = 300) =>
  c2ConnectionSetup.judge(reportOf([
    okCell({ transport: 'websocket' }, { connect_us: latency(wsP50Us), wire: { handshake_bytes: handshakeBytes } }),
    okCell({ transport: 'short-poll', poll_interval_ms: 250, poll_mode: 'fixed-period', keep_alive: true }, { connect_us: latency(httpP50Us) }),
  ]));

describe('C2, moderate overhead in establishing the connection', () => {
  it('is supported when a WebSocket opens within 1.5x a plain request, under 1 KiB of handshake', () => {
    const j = judge(600, 500);
    expect(j.verdict).toBe('supported');
    expect(j.numbers).toContainEqual(['WebSocket / HTTP set-up', '1.20x']);
  });

  it('has a condition between 1.5x and 3x', () => {
    expect(judge(1_000, 500).verdict).toBe('supported-with-condition');
  });

  it('is not supported above 3x', () => {
    expect(judge(2_000, 500).verdict).toBe('not-supported');
  });
});
