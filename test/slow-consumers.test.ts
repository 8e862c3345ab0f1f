import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../src/results/index.ts';
import { runFeedbench } from './helpers/cli.ts';

describe('feedbench run with slow consumers', () => {
  it('runs the slow clients on a driver of their own and reports them apart from the normal ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-slow-'));
    const scenario = join(dir, 'slow.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'slow',
        transports: ['short-poll', 'websocket'],
        clients: 5,
        ratePerSec: 50,
        payloadBytes: 64,
        warmupMs: 500,
        durationMs: 2000,
        shortPoll: { intervalMs: 100 },
        slowConsumers: {
          clients: 2,
          pause: { afterMs: 300, forMs: 700 },
          policy: 'skip-to-latest',
          maxQueuedBytes: 65536,
        },
      }),
    );
    const run = runFeedbench([
      'run',
      scenario,
      '--out',
      dir,
      '--report',
      join(dir, 'index.html'),
      '--progress',
      'plain',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('websocket 5c 50/s 64B +2 slow (skip-to-latest)');
    expect(run.stdout).toContain('short-poll 5c 50/s 64B every 100ms +2 slow');
    const results = readResults(
      join(
        dir,
        readdirSync(dir).find((f) => f.startsWith('slow-') && f.endsWith('.json'))!,
      ),
    );
    for (const cell of results.cells) {
      expect(cell.state, cell.reason ?? '').toBe('ok');
      const m = cell.metrics!;
      // The normal clients' figures count the 5 normal clients only: 100 window updates each.
      expect(m.delivery.published).toBe(100 * 5);
      expect(m.delivery.lost).toBe(0);
      const slow = m.slow_clients!;
      expect(slow.clients).toBe(2);
      expect(slow.delivery.published).toBe(100 * 2);
      // After their pause the slow clients caught up: each got an update published after it.
      expect(slow.catch_up).toMatchObject({ clients: 2, caught_up: 2 });
      expect(slow.catch_up!.ms!.p50).toBeGreaterThanOrEqual(0);
      expect(m.server.slow_consumers).not.toBeNull();
      expect(m.server.peak_rss_bytes).toBeGreaterThanOrEqual(m.server.rss_bytes!);
    }
    expect(results.cells.map((c) => c.params.slow_consumers?.policy)).toEqual([
      null,
      'skip-to-latest',
    ]);
  });
});
