import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { guideCosts, guideRows, type TransportCost } from './decision-guide.ts';

const cost = (transport: string, over: Partial<TransportCost>): TransportCost => ({
  transport, http: '1.1', updateJsonB: 170, overheadPerRequestB: null, overheadPerUpdateB: null, cpuMsPerRequest: null, cpuMsPerUpdate: null, memoryPerConnB: 10_240, p50Ms: null, p99Ms: null, load: 'test', ...over,
});
const COSTS = [
  cost('short-poll', { overheadPerRequestB: 300, cpuMsPerRequest: 0.1 }),
  cost('long-poll', { overheadPerUpdateB: 250, cpuMsPerUpdate: 0.2, p50Ms: 5, p99Ms: 20 }),
  cost('websocket', { overheadPerUpdateB: 10, cpuMsPerUpdate: 0.05, p50Ms: 2, p99Ms: 6 }),
];
const INPUTS = { clients: 1000, updatesPerSec: 2, payloadBytes: 100, acceptedDelayMs: 1002 };

describe('the decision guide', () => {
  it('polls often enough to keep within the accepted delay, and costs what the measured figures add up to', () => {
    const [poll, long, ws] = guideRows(COSTS, INPUTS);
    // A poll's own time is the fastest p50 (2 ms): polls every 1,000 ms keep every update within
    // 1,002 ms.
    expect(poll).toMatchObject({ typicalMs: 502, worstMs: 1002, meetsDelay: true, requestsPerSec: 1000, connections: 1000 });
    expect(poll!.megabitsPerSec).toBeCloseTo(((1000 * 300 + 1000 * 2 * 100) * 8) / 1e6);
    expect(poll!.serverCores).toBeCloseTo(0.1);
    expect(poll!.serverMiB).toBeCloseTo(1000 * 10_240 / 2 ** 20);
    expect(long).toMatchObject({ typicalMs: 5, worstMs: 20, requestsPerSec: 2000 });
    expect(long!.serverCores).toBeCloseTo(0.4);
    expect(ws).toMatchObject({ requestsPerSec: 0, typicalMs: 2, worstMs: 6 });
    expect(ws!.megabitsPerSec).toBeCloseTo((1000 * 2 * 110 * 8) / 1e6);
  });

  it('says when a transport misses the delay, and polls faster as the delay shrinks', () => {
    const rows = guideRows(COSTS, { ...INPUTS, acceptedDelayMs: 10 });
    expect(rows[0]!.requestsPerSec).toBe(125_000); // every 8 ms
    expect(rows[1]!.meetsDelay).toBe(false); // long polling's p99 of 20 ms
    expect(rows[2]!.meetsDelay).toBe(true);
  });

  it('runs in the page as it runs here: the function is self-contained', () => {
    const inPage = runInNewContext(`var __name = function (f) { return f; }; (${guideRows.toString()})(costs, inputs)`, { costs: COSTS, inputs: INPUTS });
    expect(JSON.parse(JSON.stringify(inPage))).toEqual(guideRows(COSTS, INPUTS));
  });

  it('takes its figures from one load of feedbench\'s own clients: per request for polling, per update for push', () => {
    const costs = guideCosts(reportOf([
      okCell({ transport: 'short-poll', poll_interval_ms: 250, poll_mode: 'fixed-period', keep_alive: true }, { wire: { overhead_bytes_per_update: 600, requests_per_update: 2 }, server: { cpu_ms_per_1k_updates: 400 } }),
      okCell({ transport: 'websocket' }, { latency_us: latency(3_000), wire: { overhead_bytes_per_update: 40 }, server: { cpu_ms_per_1k_updates: 50 } }),
      okCell({ transport: 'websocket', client_kind: 'browser' }, { latency_us: latency(9_000) }),
    ]));
    expect(costs.map((c) => c.transport)).toEqual(['short-poll', 'websocket']);
    expect(costs[0]).toMatchObject({ overheadPerRequestB: 300, cpuMsPerRequest: 0.2 });
    expect(costs[1]).toMatchObject({ overheadPerUpdateB: 40, cpuMsPerUpdate: 0.05, p50Ms: 3 });
  });
});
