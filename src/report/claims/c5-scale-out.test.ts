import { describe, expect, it } from 'vitest';
import { okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { c5ScaleOut } from './c5-scale-out.ts';
import type { CellParams } from '../../results/index.ts';

const failoverCell = (transport: string, lost: number, recoveryMaxMs: number, params: Partial<CellParams> = {}) =>
  okCell({ transport, instances: 2, balancer: 'haproxy', failover_at_ms: 2_000, ...params }, { delivery: { lost } }, {
    scale_out: {
      instances: 2, balancer: 'haproxy', backplane: 'redis', redis_cpu_ms_per_1k_updates: 5,
      killed: { instance: 0, at_ms: 2_000 },
      failover: { affected_clients: 50, recovered_clients: 50, recovery_ms: { p50: recoveryMaxMs / 2, max: recoveryMaxMs }, latency_after_failure_us: null },
      timeline_per_100ms: null,
    },
  });

const judge = (wsLost: number, wsRecoveryMs: number, pollRecoveryMs: number) =>
  c5ScaleOut.judge(reportOf([
    failoverCell('websocket', wsLost, wsRecoveryMs),
    failoverCell('long-poll', 0, pollRecoveryMs, { keep_alive: true, long_poll_timeout_ms: 30_000 }),
  ]));

describe('C5, stateful so hard to scale horizontally', () => {
  it('is supported when WebSocket lost updates as an instance died', () => {
    const j = judge(5, 300, 300);
    expect(j.verdict).toBe('supported');
    expect(j.because).toContain('lost or duplicated 5 updates');
  });

  it('has a condition when nothing was lost but WebSocket clients took far longer to come back', () => {
    expect(judge(0, 2_000, 300).verdict).toBe('supported-with-condition');
  });

  it('is not supported when WebSocket came through like the stateless transports', () => {
    expect(judge(0, 200, 300).verdict).toBe('not-supported');
  });

  it('is not measured without a failover run', () => {
    expect(c5ScaleOut.judge(reportOf([okCell({ transport: 'websocket' })])).verdict).toBe('not-measured');
  });
});
