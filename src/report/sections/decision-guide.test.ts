import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { guideCosts, type CurveCost, type TransportCost } from './decision-guide.ts';
import { curveCost, guideRows } from './guide-rows.ts';

const cost = (transport: string, over: Partial<TransportCost>): TransportCost => ({
  transport, http: '1.1', updateJsonB: 170, overheadPerRequestB: null, overheadPerUpdateB: null, cpuMsPerRequest: null, cpuMsPerUpdate: null, memoryPerConnB: 10_240, p50Ms: null, p99Ms: null, load: 'test', curve: null, ...over,
});
const COSTS = [
  cost('short-poll', { overheadPerRequestB: 300, cpuMsPerRequest: 0.1 }),
  cost('long-poll', { overheadPerUpdateB: 250, cpuMsPerUpdate: 0.2, p50Ms: 5, p99Ms: 20 }),
  cost('websocket', { overheadPerUpdateB: 10, cpuMsPerUpdate: 0.05, p50Ms: 2, p99Ms: 6 }),
];
const INPUTS = { clients: 1000, updatesPerSec: 2, payloadBytes: 100, acceptedDelayMs: 1002 };

/** A curve measured at 1,000 to 4,000 events/s, its knee at 4,000: concave, as Node's are. */
const CURVE: CurveCost = {
  label: 'sse',
  steps: [
    { events: 1_000, cpuMsPerSec: 200, p50Ms: 2, p99Ms: 5, connections: 100 },
    { events: 2_000, cpuMsPerSec: 300, p50Ms: 3, p99Ms: 8, connections: 200 },
    { events: 4_000, cpuMsPerSec: 500, p50Ms: 9, p99Ms: 30, connections: 400 },
  ],
  fixedMsPerSec: 110,
  marginalMsPerEvent: 0.1,
  kneeEvents: 4_000,
  kneeLowerBound: false,
};

describe('the decision guide from a cost curve', () => {
  it('interpolates between the measured steps inside the range', () => {
    const at = curveCost(CURVE, 2_500, 300);
    expect(at.processes).toBe(1);
    expect(at.cores).toBeCloseTo(0.35); // a quarter of the way from 300 to 500 ms/s
    expect(at.notes).toEqual([]);
    // Latency from the step nearest the load, by ratio: 2,000 (x1.25) over 4,000 (x1.6).
    expect(at).toMatchObject({ p50Ms: 3, p99Ms: 8 });
  });

  it('splits a load past the knee over processes, each with its fixed cost', () => {
    const at = curveCost(CURVE, 10_000, 300);
    // 10,000 / 4,000 = 2.5: three processes of 3,333 events/s, each at 433 ms/s interpolated.
    expect(at.processes).toBe(3);
    expect(at.cores).toBeCloseTo((3 * (300 + (200 * 1_333.33) / 2_000)) / 1000, 3);
    expect(at).toMatchObject({ p50Ms: 9, p99Ms: 30 });
  });

  it('marks what lies outside the measured range, with the range', () => {
    const light = curveCost(CURVE, 500, 10_000);
    expect(light.cores).toBeCloseTo((110 + 0.1 * 500) / 1000); // the fitted line
    expect(light.notes).toEqual([
      '500 events/s per process is outside the measured 1,000-4,000',
      '10,000 connections per process, beyond the 400 measured',
    ]);
    const unknownKnee = curveCost({ ...CURVE, kneeLowerBound: true }, 8_000, 400);
    expect(unknownKnee.notes).toContain(
      'the knee was not reached (4,000 events/s per process passed): fewer processes may do',
    );
  });

  it('takes the server figures of a transport with a curve from it, and says so', () => {
    const rows = guideRows([cost('sse', { overheadPerUpdateB: 8, p50Ms: 1, p99Ms: 2, cpuMsPerUpdate: 1, curve: CURVE })], { ...INPUTS, clients: 250, updatesPerSec: 10 });
    expect(rows[0]).toMatchObject({ basis: 'curve', serverProcesses: 1, typicalMs: 3, worstMs: 8, extrapolated: null });
    expect(rows[0]!.serverCores).toBeCloseTo(0.35);
    expect(guideRows(COSTS, INPUTS).every((r) => r.basis === 'light load' && r.serverProcesses === null)).toBe(true);
  });
});

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

  it('runs in the page as it runs here: the functions are self-contained', () => {
    const costs = [...COSTS, cost('sse', { overheadPerUpdateB: 8, p50Ms: 2, p99Ms: 6, curve: CURVE })];
    const page = `var __name = function (f) { return f; }; var curveCost = ${curveCost.toString()}; (${guideRows.toString()})(costs, inputs)`;
    const inPage = runInNewContext(page, { costs, inputs: INPUTS });
    expect(JSON.parse(JSON.stringify(inPage))).toEqual(guideRows(costs, INPUTS));
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
