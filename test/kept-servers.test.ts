import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../src/run/run-scenario.ts';
import { parseScenario } from '../src/run/scenario.ts';
import type { CellResult } from '../src/results/index.ts';

const out = mkdtempSync(join(tmpdir(), 'feedbench-kept-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const quiet = { cellStarted() {}, cellPhase() {}, cellFinished() {} };

const run = (fields: Record<string, unknown>) =>
  runScenario(
    parseScenario(
      {
        name: 'kept',
        clients: [20, 40],
        ratePerSec: 10,
        payloadBytes: 32,
        warmupMs: 100,
        durationMs: 600,
        settleMs: 1_500,
        ...fields,
      },
      'kept',
    ),
    out,
    quiet,
  );

const ok = (c: CellResult) => {
  expect(c.state, c.reason ?? '').toBe('ok');
  return c as Extract<CellResult, { state: 'ok' }>;
};

describe('a cost curve on one kept server', () => {
  it('settles the server on the first step only, keeps it, and fits the curve to the steps', async () => {
    const { results } = await run({ transports: ['websocket'], costCurve: { p99TargetMs: 1_000 } });
    const [first, second] = results.cells.map(ok);
    // The first step settles a fresh server (at least two 500 ms slices), the second starts warm
    // on the same server.
    expect(first!.server_reused).toBe(false);
    expect(first!.warmup_ms).toBeGreaterThanOrEqual(100 + 1_000);
    expect(second!.server_reused).toBe(true);
    expect(second!.warmup_ms).toBe(100);
    // Each step counted its own updates: the kept server's earlier cell is not in them.
    for (const [c, clients] of [
      [first!, 20],
      [second!, 40],
    ] as const) {
      expect(c.metrics.delivery).toMatchObject({
        published: 6 * clients,
        delivered: 6 * clients,
        lost: 0,
      });
      expect(c.metrics.wire.byte_check?.difference_share ?? 1).toBeLessThan(0.01);
      expect(c.metrics.server.rss_bytes_per_conn).toBeNull(); // under 100 clients, and kept
    }
    const [curve] = results.cost_curves ?? [];
    expect(curve).toMatchObject({
      transport: 'websocket',
      http: '1.1',
      server: 'feedbench',
      event: 'update',
    });
    expect(curve!.steps.map((s) => [s.clients, s.events_per_sec])).toEqual([
      [20, 200],
      [40, 400],
    ]);
    expect(curve!.steps.every((s) => s.passed && s.server_cpu_ms_per_sec! > 0)).toBe(true);
    expect(curve!.fit?.steps).toBe(2);
    expect(curve!.knee).toMatchObject({ interval: null, at_least: 400, lower_bound: true });
  });

  it('starts a fresh server for every cell when reuseServers is false', async () => {
    const { results } = await run({
      transports: ['sse'],
      clients: 20,
      reuseServers: false,
      repetitions: 2,
    });
    expect(results.cells.map((c) => ok(c).server_reused)).toEqual([false, false]);
    // Both settle: each is a new server.
    for (const c of results.cells) expect(ok(c).warmup_ms).toBeGreaterThan(100);
  });
});
