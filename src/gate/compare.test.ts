import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readResults, type ResultsFile } from '../results/index.ts';
import { IncomparableError, compareRuns } from './compare.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

const run = (): ResultsFile =>
  readResults(fileURLToPath(new URL('../../test/fixtures/ci-run.json', import.meta.url)));
const regressed = (rows: ReturnType<typeof compareRuns>) =>
  rows.filter((r) => r.verdict === 'regressed').map((r) => `${r.cell} | ${r.metric}`);
const cellsOf = (r: ResultsFile, transport: string) =>
  r.cells.filter((c) => c.params.transport === transport);

describe('compareRuns', () => {
  it('finds nothing when a run is compared with itself', () => {
    const rows = compareRuns(run(), run(), DEFAULT_THRESHOLDS);
    expect(regressed(rows)).toEqual([]);
    expect(rows.some((r) => r.metric === 'p50 latency - raw TCP p50' && r.verdict === 'ok')).toBe(
      true,
    );
  });

  it("catches a cell's own latency that grew by 2 ms in every repetition, past the in-run reference", () => {
    const current = run();
    for (const c of cellsOf(current, 'websocket')) c.metrics!.latency_us!.p50 += 2_000;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([
      'websocket 30c 20/s 128B | p50 latency - raw TCP p50',
    ]);
  });

  it('catches a tripled p50 both past the reference and in absolute terms', () => {
    const current = run();
    for (const c of cellsOf(current, 'websocket')) c.metrics!.latency_us!.p50 *= 3;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([
      'websocket 30c 20/s 128B | p50 latency - raw TCP p50',
      'websocket 30c 20/s 128B | p50 latency (absolute)',
    ]);
  });

  it('does not call a regression when the machine adds 1 ms to every cell, the reference too', () => {
    // The gate runs of 2026-12-06 moved every p50 by 0.4-0.9 ms together (docs/gate.md): as a
    // ratio to the reference that read as SSE 1.15x to 2.16x; as added time it is nothing.
    const current = run();
    for (const c of current.cells) if (c.metrics?.latency_us) c.metrics.latency_us.p50 += 1_000;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([]);
  });

  it('does not call a regression when the whole machine slowed down by half (reference slowed alike)', () => {
    const current = run();
    for (const c of current.cells) if (c.metrics?.latency_us) c.metrics.latency_us.p50 *= 1.5;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([]);
  });

  it('allows a slow cell half its own p50, so a gate on a heavier scenario is not held to 1.5 ms', () => {
    const at20ms = () => {
      const r = run();
      for (const c of cellsOf(r, 'long-poll')) c.metrics!.latency_us!.p50 += 18_000;
      return r;
    };
    const grown = (us: number) => {
      const current = at20ms();
      for (const c of cellsOf(current, 'long-poll')) c.metrics!.latency_us!.p50 += us;
      return regressed(compareRuns(at20ms(), current, DEFAULT_THRESHOLDS));
    };
    expect(grown(8_000)).toEqual([]);
    expect(grown(12_000)).toEqual(['long-poll 30c 20/s 128B | p50 latency - raw TCP p50']);
  });

  it('catches a large slowdown of the path the reference shares, in absolute terms', () => {
    const current = run();
    for (const c of current.cells) if (c.metrics?.latency_us) c.metrics.latency_us.p50 += 5_000;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([
      'long-poll 30c 20/s 128B | p50 latency (absolute)',
      'sse 30c 20/s 128B | p50 latency (absolute)',
      'websocket 30c 20/s 128B | p50 latency (absolute)',
    ]);
  });

  it("widens the absolute allowance by the rise of the publisher's timer lateness, the machine's alone", () => {
    const slowerBy = (lagRiseUs: number) => {
      const current = run();
      for (const c of current.cells) {
        if (c.metrics?.latency_us) c.metrics.latency_us.p50 += 4_000;
        if (c.metrics?.publisher?.lag_us) c.metrics.publisher.lag_us.p50 += lagRiseUs;
      }
      return regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS));
    };
    // A shared path 4 ms slower on a machine that woke as before: caught on every transport.
    expect(slowerBy(0)).toHaveLength(3);
    // The same 4 ms when the publisher's timers fired 0.5 ms later at the median: the machine's.
    expect(slowerBy(500)).toEqual([]);
  });

  it("widens the own part's allowance by the reference's rise", () => {
    const withRise = (referenceRiseUs: number) => {
      const current = run();
      for (const c of cellsOf(current, 'raw-tcp')) c.metrics!.latency_us!.p50 += referenceRiseUs;
      for (const c of cellsOf(current, 'long-poll'))
        c.metrics!.latency_us!.p50 += referenceRiseUs + 2_000;
      return regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS));
    };
    expect(withRise(0)).toEqual(['long-poll 30c 20/s 128B | p50 latency - raw TCP p50']);
    expect(withRise(1_000)).toEqual([]);
  });

  it("lets polling's server CPU move 1.6x against the reference, as it does between machines", () => {
    const current = run();
    for (const c of cellsOf(current, 'short-poll')) c.metrics!.server.cpu_ms_per_1k_updates! *= 1.6;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([]);
  });

  it('catches server CPU per update that grew past 2x in every repetition', () => {
    const current = run();
    for (const c of cellsOf(current, 'long-poll')) c.metrics!.server.cpu_ms_per_1k_updates! *= 2.5;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([
      'long-poll 30c 20/s 128B | server CPU per update / raw TCP',
    ]);
  });

  it('does not call a regression on one noisy repetition (large but not significant)', () => {
    const current = run();
    cellsOf(current, 'sse')[0]!.metrics!.latency_us!.p50 *= 4;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([]);
  });

  it('catches deterministic figures exactly or within tight tolerances', () => {
    const current = run();
    for (const c of cellsOf(current, 'short-poll')) c.metrics!.wire.bytes_per_update! *= 1.1;
    cellsOf(current, 'long-poll')[1]!.metrics!.delivery.lost = 1;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([
      'short-poll 30c 20/s 128B every 100ms | wire bytes per update',
      'long-poll 30c 20/s 128B | updates lost',
    ]);
  });

  it('judges model-bound latency by its deviation from the model', () => {
    const current = run();
    for (const c of cellsOf(current, 'short-poll'))
      c.model!.deviation = (c.model!.deviation ?? 0) + 0.2;
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toEqual([
      'short-poll 30c 20/s 128B every 100ms | mean latency vs model (T/2 + d, worst T + d)',
    ]);
  });

  it("widens the model's allowance by the machine's delay that the reference measured", () => {
    // The gate runs of 2026-12-06: the reference's p50 rose 1.4-1.6 ms and short polling's mean
    // deviation 9.5-10.8 points with it (docs/gate.md); the same growth with a steady reference is
    // polling's own.
    const slower = (referenceRiseUs: number) => {
      const current = run();
      for (const c of cellsOf(current, 'short-poll'))
        c.model!.deviation = (c.model!.deviation ?? 0) + 0.12;
      for (const c of cellsOf(current, 'raw-tcp')) c.metrics!.latency_us!.p50 += referenceRiseUs;
      return regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS));
    };
    expect(slower(1_500)).toEqual([]);
    expect(slower(0)).toEqual([
      'short-poll 30c 20/s 128B every 100ms | mean latency vs model (T/2 + d, worst T + d)',
    ]);
  });

  it('treats an errored cell as a regression', () => {
    const current = run();
    Object.assign(cellsOf(current, 'websocket')[2]!, {
      state: 'errored',
      reason: 'crashed',
      metrics: null,
    });
    expect(regressed(compareRuns(run(), current, DEFAULT_THRESHOLDS))).toContain(
      'websocket 30c 20/s 128B | cells errored',
    );
  });

  it('refuses runs of different scenarios', () => {
    const other = run();
    other.scenario.name = 'default';
    expect(() => compareRuns(run(), other, DEFAULT_THRESHOLDS)).toThrow(IncomparableError);
  });

  it('refuses runs that share no cell, rather than pass on nothing compared', () => {
    const other = run();
    for (const cell of other.cells) cell.params.clients += 1;
    expect(() => compareRuns(run(), other, DEFAULT_THRESHOLDS)).toThrow(
      /no cell of the current run is in the baseline/,
    );
  });
});
