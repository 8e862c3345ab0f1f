import { describe, expect, it } from 'vitest';
import { runCell } from '../src/run/run-cell.ts';
import { parseScenario } from '../src/run/scenario.ts';
import { SINGLE_CLIENT_CELL } from '../src/run/alternating-rounds.ts';
import { newResults } from '../src/results/index.ts';
import { summaryTable } from '../src/run/summary-table.ts';
import { cellFlags, reportCells } from '../src/report/report-cells.ts';

// The driver's own CPU is really measured; the limit is set low (30% of a core) so that a heavy
// load crosses it on any machine and a light one never does, and the test cannot flake on a
// faster or busier host. SSE at 100 clients x 1,500 updates/s costs this machine's driver about
// 70% of a core (its server about 57%); 5 clients at 20/s about 1%.
const saturation = { cpuShare: 0.3, eventLoopP99Ms: 20 };

async function sseCell(clients: number, rate: number) {
  const scenario = parseScenario({ name: 'saturate', transports: ['sse'], clients, ratePerSec: rate, payloadBytes: 16, warmupMs: 500, durationMs: 1_500, saturation }, 'saturate');
  return runCell({ id: 's', params: { ...SINGLE_CLIENT_CELL, transport: 'sse', clients, rate_per_s: rate, payload_bytes: 16, repetition: 1 } }, scenario);
}

describe('a driver that is the bottleneck is flagged, not trusted', () => {
  it('flags a cell whose driver CPU crossed the limit, and says why', async () => {
    const cell = await sseCell(100, 1500);
    expect(cell.state, cell.reason ?? '').toBe('ok');
    expect(cell.metrics!.driver.cpu_share).toBeGreaterThan(0.3);
    expect(cell.metrics!.driver.saturated).toBe(true);
    expect(cell.metrics!.driver.reason).toMatch(/^driver CPU at \d+% of a core \(limit 30%\)/);
    // ...and the flag reaches the summary table and the report.
    const run = { ...newResults(parseScenario({ name: 'saturate', transports: ['sse'], clients: 100, ratePerSec: 1500, payloadBytes: 16 }, 's')), cells: [cell] };
    expect(summaryTable(run)).toContain(`SATURATED sse 100c 1500/s 16B: ${cell.metrics!.driver.reason}`);
    expect(cellFlags(reportCells([run])[0]!)).toEqual([`driver saturated: ${cell.metrics!.driver.reason}`]);
  });

  it('does not flag a light load', async () => {
    const cell = await sseCell(5, 20);
    expect(cell.metrics!.driver).toMatchObject({ saturated: false, reason: null });
  });

});
