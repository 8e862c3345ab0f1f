import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The one line that registers a transport kept outside src/: every process of the run loads it.
process.env.FEEDBENCH_TRANSPORTS = fileURLToPath(
  new URL('./fixtures/transports/ndjson-stream/descriptor.ts', import.meta.url),
);
const { runScenario } = await import('../src/run/run-scenario.ts');
const { parseScenario } = await import('../src/run/scenario.ts');
const { readResults } = await import('../src/results/index.ts');
const { cellLabel } = await import('../src/transports/cell-label.ts');

describe('a transport added by one folder', () => {
  it('is accepted by scenarios, served, driven, measured and labelled like a built-in one', async () => {
    const scenario = parseScenario(
      {
        name: 'ndjson',
        transports: ['ndjson-stream', 'sse'],
        clients: 5,
        ratePerSec: 20,
        payloadBytes: 64,
        warmupMs: 300,
        durationMs: 1_000,
      },
      'ndjson',
    );
    const out = mkdtempSync(join(tmpdir(), 'feedbench-ndjson-'));
    const { path } = await runScenario(scenario, out, {
      cellStarted() {},
      cellPhase() {},
      cellFinished() {},
    });
    const results = readResults(path);
    const cell = results.cells.find((c) => c.params.transport === 'ndjson-stream')!;
    expect(cell.state, cell.reason ?? '').toBe('ok');
    if (cell.state !== 'ok') return;
    // 20 updates/s for 1 s to each of 5 clients, none lost; one connection each, no requests after
    // it.
    expect(cell.metrics.delivery).toMatchObject({
      published: 100,
      delivered: 100,
      lost: 0,
      duplicated: 0,
    });
    expect(cell.metrics.wire.requests).toBe(0);
    expect(cell.metrics.wire.payload_bytes_per_update).toBeGreaterThan(64);
    expect(cell.model).toMatchObject({ formula: 'd' });
    expect(cellLabel(cell.params)).toBe('ndjson-stream 5c 20/s 64B');
  });

  it('is refused by name when it is not registered, with the known names', () => {
    expect(() =>
      parseScenario(
        { name: 'x', transports: ['carrier-pigeon'], clients: 1, ratePerSec: 1, payloadBytes: 1 },
        'x',
      ),
    ).toThrow(/transports\.0: .*ndjson-stream/);
  });
});
