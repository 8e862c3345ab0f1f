import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readResults, type ResultsFile } from '../../results/index.ts';
import { assessClaims } from './index.ts';
import { reportCells } from '../report-cells.ts';
import { binaryMbps, lubbersRows } from '../sections/lubbers-table.ts';

const fixture = (): ResultsFile => readResults(fileURLToPath(new URL('../../../test/fixtures/default-run.json', import.meta.url)));
const verdicts = (run: ResultsFile) => Object.fromEntries(assessClaims(reportCells([run])).map((c) => [c.id, c.verdict]));
const cellOf = (run: ResultsFile, transport: string) => run.cells.find((c) => c.params.transport === transport)!;
/** Applies a change to every cell of a transport (claims are judged on medians over them). */
const everyCell = (run: ResultsFile, transport: string, change: (m: NonNullable<ResultsFile['cells'][number]['metrics']>) => void) => {
  for (const c of run.cells.filter((c) => c.params.transport === transport)) change(c.metrics!);
};

describe('claim verdicts are computed from the data', () => {
  it('judges the recorded default run', () => {
    expect(verdicts(fixture())).toEqual({
      C1: 'supported', C2: 'supported', C3: 'supported', C4: 'supported',
      C5: 'not-measured', C6: 'not-measured', C7: 'not-measured', C8: 'not-measured',
    });
  });

  it('judges on feedbench\'s own clients: browser cells (a page takes seconds to open) do not move a verdict', () => {
    const run = fixture();
    const before = verdicts(run);
    // Browser twins of every cell, with page-load set-up times and slow deliveries.
    run.cells.push(...run.cells.map((c) => ({ ...structuredClone(c), id: `${c.id}b`, params: { ...c.params, client_kind: 'browser' as const }, metrics: c.metrics && { ...structuredClone(c.metrics), connect_us: c.metrics.connect_us && { ...c.metrics.connect_us, p50: 5_000_000 }, latency_us: c.metrics.latency_us && { ...c.metrics.latency_us, p50: 9_000_000 } } })) as typeof run.cells);
    expect(verdicts(run)).toEqual(before);
  });

  it('C4 turns to not supported when WebSocket is slower than polling', () => {
    const run = fixture();
    everyCell(run, 'websocket', (m) => (m.latency_us!.p50 = 500_000));
    expect(verdicts(run).C4).toBe('not-supported');
  });

  it('C4 gets a condition when long polling comes within 25% of WebSocket', () => {
    const run = fixture();
    const ws = cellOf(run, 'websocket').metrics!.latency_us!.p50;
    everyCell(run, 'websocket', (m) => (m.latency_us!.p50 = ws));
    everyCell(run, 'long-poll', (m) => (m.latency_us!.p50 = ws * 1.1));
    expect(verdicts(run).C4).toBe('supported-with-condition');
  });

  it('C3 turns to not supported when WebSocket overhead is not below polling', () => {
    const run = fixture();
    everyCell(run, 'websocket', (m) => (m.wire.overhead_bytes_per_update = 5_000));
    expect(verdicts(run).C3).toBe('not-supported');
  });

  it('C1 gets a condition when no poll came back empty', () => {
    const run = fixture();
    for (const c of run.cells.filter((c) => c.params.transport === 'short-poll')) {
      c.metrics!.wire.empty_poll_share = 0;
      c.metrics!.wire.requests_per_update = 0.5;
    }
    expect(verdicts(run).C1).toBe('supported-with-condition');
  });

  it('C2 follows the set-up ratio', () => {
    const run = fixture();
    const http = 400;
    everyCell(run, 'short-poll', (m) => (m.connect_us!.p50 = http));
    everyCell(run, 'websocket', (m) => (m.connect_us!.p50 = http * 2));
    expect(verdicts(run).C2).toBe('supported-with-condition');
    everyCell(run, 'websocket', (m) => (m.connect_us!.p50 = http * 5));
    expect(verdicts(run).C2).toBe('not-supported');
  });

  it('leaves out saturated and errored cells, and says not measured when nothing is left', () => {
    const run = fixture();
    everyCell(run, 'websocket', (m) => (m.driver.saturated = true));
    expect(verdicts(run).C4).toBe('not-measured');
    const errored = fixture();
    for (const c of errored.cells.filter((c) => c.params.transport === 'websocket')) Object.assign(c, { state: 'errored', reason: 'boom', metrics: null, histograms: null });
    expect(verdicts(errored).C3).toBe('not-measured');
  });
});

describe('Lubbers & Greco table', () => {
  it('uses binary megabits, as the 2010 paper did', () => {
    expect(binaryMbps(871, 1_000)).toBeCloseTo(6.645, 3);
    expect(binaryMbps(2, 100_000)).toBeCloseTo(1.526, 3);
  });

  it('puts measured rows beside the published ones', () => {
    const rows = lubbersRows(reportCells([fixture()]));
    expect(rows.map((r) => r.source)).toEqual(['measured here', 'measured here', 'Lubbers & Greco 2010', 'measured here', 'Lubbers & Greco 2010']);
    // Chromium's headers make a poll several times as heavy as Node's.
    expect(rows[1]!.bytesPerMessage).toBeGreaterThan(2 * rows[0]!.bytesPerMessage);
    const wsRow = rows[3]!;
    expect(wsRow.bytesPerMessage).toBe(4); // 164 B updates take RFC 6455's 4-byte header
    expect(rows.every((r) => r.processes === null)).toBe(true); // no cost curve in the run
  });

  it("says how many server processes the clients need by a measured curve's knee", () => {
    const knee = (at: number) => ({ interval: null, at_least: at, unit: 'events/s per server core' as const, reason: '', lower_bound: true });
    const curve = (transport: string, at: number) => ({ label: transport, transport, http: '1.1' as const, server: 'feedbench' as const, event: 'update' as const, p99_target_ms: 50, busy_share: 0.9, steps: [], fixed_cpu_ms_per_sec: null, marginal_cpu_us_per_event: null, memory_per_conn_bytes: null, fit: null, knee: knee(at) });
    const rows = lubbersRows(reportCells([{ ...fixture(), cost_curves: [curve('short-poll', 6_000), curve('websocket', 30_000)] }]));
    expect(rows[0]!.processes).toEqual([1, 2, 17]); // polls once a second: 100,000 / 6,000
    expect(rows[3]!.processes).toEqual([1, 1, 4]);
    expect(rows[2]!.processes).toBeNull(); // the 2010 row
  });
});

describe('C6 from the update-interval sweep', () => {
  const sweep = (): ResultsFile => readResults(fileURLToPath(new URL('../../../test/fixtures/update-interval-run.json', import.meta.url)));
  const c6 = (run: ResultsFile) => assessClaims(reportCells([run])).find((c) => c.id === 'C6')!;

  it('is supported with a condition: push is cheaper at a second, hourly polling only pays with an hour of delay', () => {
    const claim = c6(sweep());
    expect(claim.verdict).toBe('supported-with-condition');
    expect(claim.because).toContain('per client-hour whatever the update rate');
    expect(claim.numbers.find(([k]) => k.startsWith('one update an hour (extrapolated)'))).toBeDefined();
  });

  it('is not supported when push costs more than polling at one update a second', () => {
    const run = sweep();
    for (const c of run.cells) if (c.params.transport !== 'short-poll' && c.params.rate_per_s >= 1) c.metrics!.wire.bytes_per_update = 10_000;
    expect(c6(run).verdict).toBe('not-supported');
  });

  it('needs at least two update rates', () => {
    const run = sweep();
    run.cells = run.cells.filter((c) => c.params.rate_per_s === 1);
    expect(c6(run).verdict).toBe('not-measured');
  });
});
