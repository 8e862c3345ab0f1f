import { describe, expect, it } from 'vitest';
import { runCell } from '../src/run/cell/run-cell.ts';
import { parseScenario } from '../src/run/scenario.ts';
import { SINGLE_CLIENT_CELL } from '../src/run/alternating-rounds.ts';
import { newResults } from '../src/results/index.ts';
import { summaryTable } from '../src/cli/summary-table.ts';
import { cellFlags, reportCells } from '../src/report/report-cells.ts';

// The driver's own CPU is really measured, and the limit is what the test sets: one no load
// can stay under (0.01% of a core) and one no load can reach (64 cores, a 10 s event-loop
// delay), so the flag's path from driver to report is checked without depending on how busy
// the machine is. Where a real load crosses a real limit is the driver benchmark's to show.
const ALWAYS = { cpuShare: 0.0001, eventLoopP99Ms: 10_000 };
const NEVER = { cpuShare: 64, eventLoopP99Ms: 10_000 };

async function sseCell(clients: number, rate: number, saturation: typeof ALWAYS) {
  const scenario = parseScenario(
    {
      name: 'saturate',
      transports: ['sse'],
      clients,
      ratePerSec: rate,
      payloadBytes: 16,
      warmupMs: 500,
      durationMs: 1_500,
      saturation,
    },
    'saturate',
  );
  return runCell(
    {
      id: 's',
      params: {
        ...SINGLE_CLIENT_CELL,
        transport: 'sse',
        clients,
        rate_per_s: rate,
        payload_bytes: 16,
        repetition: 1,
      },
    },
    scenario,
  );
}

describe('a driver that is the bottleneck is flagged, not trusted', () => {
  it('flags a cell whose driver CPU crossed the limit, and says why', async () => {
    const cell = await sseCell(20, 200, ALWAYS);
    expect(cell.state, cell.reason ?? '').toBe('ok');
    if (cell.state !== 'ok') return;
    expect(cell.metrics.driver.cpu_share).toBeGreaterThan(0);
    expect(cell.metrics.driver.saturated).toBe(true);
    expect(cell.metrics.driver.reason).toMatch(/^driver CPU at \d+% of a core \(limit 0%\)/);
    // ...and the flag reaches the summary table and the report.
    const run = {
      ...newResults(
        parseScenario(
          {
            name: 'saturate',
            transports: ['sse'],
            clients: 100,
            ratePerSec: 1500,
            payloadBytes: 16,
          },
          's',
        ),
      ),
      cells: [cell],
    };
    expect(summaryTable(run)).toContain(
      `SATURATED sse 20c 200/s 16B: ${cell.metrics.driver.reason}`,
    );
    expect(cellFlags(reportCells([run])[0]!)).toEqual([
      `driver saturated: ${cell.metrics.driver.reason}`,
    ]);
  });

  it('does not flag a light load', async () => {
    const cell = await sseCell(5, 20, NEVER);
    expect(cell.state === 'ok' && cell.metrics.driver).toMatchObject({
      saturated: false,
      reason: null,
    });
  });
});
