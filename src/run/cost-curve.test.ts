import { describe, expect, it } from 'vitest';
import { latency, okCell } from '../../test/helpers/synthetic-results.ts';
import type { CapacityStep, CellResult } from '../results/index.ts';
import { costCurveOf, judgeCurveStep } from './cost-curve.ts';

const target = { p99TargetMs: 50, busyShare: 0.9 };
const WINDOW_MS = 2_000;

/**
 * A short-polling step: `clients` polling every 100 ms (10 requests/s each) for the 2 s window,
 * costing 20 ms/s plus 0.2 ms per request, or `cpuShare` when given.
 */
function pollStep(clients: number, extra: { cpuShare?: number; p99Us?: number } = {}): CellResult {
  const requestsPerSec = clients * 10;
  const cpuShare = extra.cpuShare ?? (20 + 0.2 * requestsPerSec) / 1000;
  const cell = okCell(
    { transport: 'short-poll', poll_interval_ms: 100, clients },
    {
      wire: { requests: requestsPerSec * 2 },
      delivery: { delivered: clients * 2, lost: 0 },
      server: { cpu_share: cpuShare, live_bytes_per_conn: 4_000 + clients, connections: clients },
      latency_us: { ...latency(60_000), p99: extra.p99Us ?? 120_000 },
    },
  );
  return { ...cell, id: `c${clients}` };
}

const judged = (cells: CellResult[]): CapacityStep[] =>
  cells.map((c) => ({ ...judgeCurveStep(c, target), bisection: false }));

/** The curve of these steps, each judged, over the 2 s window. */
const curveOf = (cells: CellResult[]) =>
  costCurveOf(
    cells[0]!.params,
    judged(cells),
    new Map(cells.map((c) => [c.id, c])),
    target,
    WINDOW_MS,
  );

describe("a cost curve's steps", () => {
  it("judge short polling's p99 beyond its poll interval", () => {
    // 120 ms p99 at a 100 ms interval is 20 ms of queueing: under the 50 ms target.
    expect(judgeCurveStep(pollStep(100), target).passed).toBe(true);
    const late = judgeCurveStep(pollStep(100, { p99Us: 160_000 }), target);
    expect(late.passed).toBe(false);
    expect(late.reason).toMatch(/p99 160\.0 ms over the 150 ms target/);
  });

  it('fail a step whose server core is over the busy share, even with latency in bounds', () => {
    const busy = judgeCurveStep(pollStep(400, { cpuShare: 0.95 }), target);
    expect(busy.passed).toBe(false);
    expect(busy.reason).toBe("the server's core was 95% busy (over 90%)");
  });
});

describe('a cost curve', () => {
  it('fits fixed and marginal CPU to the steps below the knee and puts the knee between steps', () => {
    const curve = curveOf([
      pollStep(50),
      pollStep(100),
      pollStep(200),
      pollStep(400, { cpuShare: 0.95 }),
    ]);
    expect(curve.event).toBe('request');
    expect(curve.steps.map((s) => s.events_per_sec)).toEqual([500, 1000, 2000, 4000]);
    expect(curve.steps.map((s) => s.server_cpu_ms_per_sec)).toEqual([120, 220, 420, 950]);
    // The busy step is past the knee: the line is fitted to the three below it, exactly.
    expect(curve.fixed_cpu_ms_per_sec).toBeCloseTo(20, 6);
    expect(curve.marginal_cpu_us_per_event).toBeCloseTo(200, 6);
    expect(curve.fit).toEqual({ r2: 1, worst_error: 0, steps: 3 });
    expect(curve.knee).toMatchObject({
      interval: [2000, 4000],
      at_least: 2000,
      unit: 'events/s per server core',
      lower_bound: false,
    });
    expect(curve.knee.reason).toMatch(/^at 400 clients \(4000 events\/s\): the server's core/);
    expect(curve.memory_per_conn_bytes).toBe(4_100);
  });

  it('has no knee, only a lower bound, when every step passed', () => {
    const curve = curveOf([pollStep(50), pollStep(100)]);
    expect(curve.knee).toMatchObject({ interval: null, at_least: 1000, lower_bound: true });
    expect(curve.fit?.steps).toBe(2);
  });

  it('counts delivered updates as the events of push', () => {
    const ws = okCell(
      { transport: 'websocket', clients: 100, rate_per_s: 20 },
      {
        delivery: { delivered: 4_000, lost: 0 },
        wire: { requests: 0 },
        server: { cpu_share: 0.1 },
      },
    );
    const curve = costCurveOf(ws.params, judged([ws]), new Map([[ws.id, ws]]), target, WINDOW_MS);
    expect(curve.event).toBe('update');
    expect(curve.steps[0]).toMatchObject({ events_per_sec: 2000, requests_per_sec: 0 });
    // One step: no line to fit.
    expect(curve.fit).toBeNull();
    expect(curve.marginal_cpu_us_per_event).toBeNull();
  });
});
