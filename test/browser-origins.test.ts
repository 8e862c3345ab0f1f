import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFeedbench } from './helpers/cli.ts';
import { BROWSER_SCENARIO, canRunChromium } from './helpers/chromium.ts';
import { cellsIn } from './helpers/results-in.ts';

describe.runIf(canRunChromium)('browser pages of another origin', () => {
  it('are refused the feed by CORS over fetch, not over WebSocket unless the server checks Origin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-browser-origins-'));
    const scenario = join(dir, 'origins.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'origins',
        transports: ['short-poll', 'websocket'],
        clients: 1,
        ...BROWSER_SCENARIO,
        pageOrigin: 'other',
        originCheck: [false, true],
      }),
    );
    const run = runFeedbench(
      ['run', scenario, '--out', dir, '--no-report', '--progress', 'none'],
      240_000,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const cells = cellsIn(dir, 'origins');
    const received = (transport: string, check: boolean) =>
      cells.find((c) => c.params.transport === transport && c.params.origin_check === check)!
        .metrics!.delivery.receiving_clients;
    expect([
      received('short-poll', false),
      received('short-poll', true),
      received('websocket', false),
      received('websocket', true),
    ]).toEqual([0, 0, 1, 0]);
  }, 300_000);
});
