import { describe, expect, it } from 'vitest';
import {
  BISECTION_PRECISION,
  bisectCapacity,
  capacityLadders,
  capacityOf,
  judgeStep,
} from './capacity.ts';
import type { CapacityStep } from '../results/index.ts';
import { expandCells } from './cells.ts';
import { parseScenario } from './scenario.ts';
import type { CellMetrics, CellResult } from '../results/index.ts';

const scenario = parseScenario(
  {
    name: 'g',
    transports: ['sse', 'websocket'],
    clients: [400, 100, 200],
    ratePerSec: 30,
    payloadBytes: 64,
    capacity: { p99TargetMs: 50 },
  },
  'g',
);

function result(
  clients: number,
  p99Ms: number,
  extra: { lost?: number; saturated?: boolean; errored?: boolean } = {},
): CellResult {
  const cell = expandCells(scenario).find(
    (c) => c.params.clients === clients && c.params.transport === 'websocket',
  )!;
  const base = {
    id: cell.id,
    params: cell.params,
    started_at: '',
    duration_ms: 1,
    cores: { server: null, driver: null },
    model: null,
  };
  if (extra.errored)
    return { ...base, state: 'errored', reason: 'server crashed', metrics: null, histograms: null };
  const metrics = {
    latency_us: { p99: p99Ms * 1000 },
    delivery: { lost: extra.lost ?? 0 },
    driver: { saturated: extra.saturated ?? false, reason: extra.saturated ? 'driver CPU' : null },
  } as unknown as CellMetrics;
  return {
    ...base,
    state: 'ok',
    reason: null,
    metrics,
    histograms: { latency_us: '', connect_us: '' },
  };
}

describe('capacity ladders', () => {
  it('groups cells by everything but the client count, steps ascending', () => {
    const ladders = capacityLadders(expandCells(scenario));
    expect(ladders.map((l) => l.map((c) => `${c.params.transport} ${c.params.clients}`))).toEqual([
      ['sse 100', 'sse 200', 'sse 400'],
      ['websocket 100', 'websocket 200', 'websocket 400'],
    ]);
  });

  it('passes a step only when it ran, kept its driver, lost nothing and stayed under the target', () => {
    expect(judgeStep(result(100, 49), 50)).toMatchObject({ passed: true, reason: null });
    expect(judgeStep(result(100, 51), 50).reason).toBe('p99 51.0 ms over the 50 ms target');
    expect(judgeStep(result(100, 10, { lost: 3 }), 50).reason).toBe('3 updates lost');
    expect(judgeStep(result(100, 10, { saturated: true }), 50).reason).toMatch(
      /^the driver saturated/,
    );
    expect(judgeStep(result(100, 10, { errored: true }), 50).reason).toBe(
      'errored: server crashed',
    );
  });

  it('is the last passing step before the first failure; a lower bound when the driver or the ladder was the limit', () => {
    const params = result(100, 1).params;
    const steps = (spec: [number, number, boolean?][]): CapacityStep[] =>
      spec.map(([clients, p99, saturated]) => judgeStep(result(clients, p99, { saturated }), 50));
    expect(
      capacityOf(
        params,
        steps([
          [100, 10],
          [200, 20],
          [400, 80],
        ]),
        50,
        400,
      ),
    ).toMatchObject({
      capacity_clients: 200,
      lower_bound: false,
      limit: 'at 400 clients: p99 80.0 ms over the 50 ms target',
    });
    expect(capacityOf(params, steps([[100, 60]]), 50, 400)).toMatchObject({
      capacity_clients: 0,
      lower_bound: false,
    });
    expect(
      capacityOf(
        params,
        steps([
          [100, 10],
          [200, 10, true],
        ]),
        50,
        400,
      ),
    ).toMatchObject({ capacity_clients: 100, lower_bound: true });
    expect(
      capacityOf(
        params,
        steps([
          [100, 10],
          [200, 10],
          [400, 10],
        ]),
        50,
        400,
      ),
    ).toMatchObject({ capacity_clients: 400, lower_bound: true, label: 'websocket 30/s 64B' });
  });

  it('bisects between the last passing and the first failing step until they are within 10%, and reports the interval', async () => {
    // A server that holds exactly 1,234 clients under the target.
    const asked: number[] = [];
    const runStep = async (clients: number): Promise<CapacityStep> => {
      asked.push(clients);
      const passed = clients <= 1_234;
      return {
        clients,
        cell_id: `b${clients}`,
        p99_us: passed ? 10_000 : 90_000,
        lost: 0,
        saturated: false,
        passed,
        reason: passed ? null : 'p99 over',
        bisection: true,
      };
    };
    const ladder = [
      { ...(await runStep(800)), bisection: false },
      { ...(await runStep(1_600)), bisection: false },
    ];
    asked.length = 0;
    const bisection = await bisectCapacity(800, 1_600, runStep);
    expect(asked).toEqual([1_200, 1_400, 1_300]);
    const c = capacityOf(result(100, 1).params, [...ladder, ...bisection], 50, 3_200);
    expect(c).toMatchObject({
      capacity_clients: 1_200,
      interval: [1_200, 1_300],
      limit: 'at 1300 clients: p99 over',
    });
    expect((c.interval![1] - c.interval![0]) / c.interval![0]).toBeLessThanOrEqual(
      BISECTION_PRECISION,
    );
  });

  it('does not bisect below a ladder whose first step failed, nor past a step the driver could not drive', async () => {
    const never = async (): Promise<CapacityStep> => {
      throw new Error('no step expected');
    };
    expect(await bisectCapacity(0, 100, never)).toEqual([]);
    const saturated = async (clients: number): Promise<CapacityStep> => ({
      clients,
      cell_id: 'x',
      p99_us: null,
      lost: 0,
      saturated: true,
      passed: false,
      reason: 'the driver saturated',
      bisection: true,
    });
    expect(await bisectCapacity(800, 1_600, saturated)).toHaveLength(1);
  });
});
