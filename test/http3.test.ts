import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readResults } from '../src/results/index.ts';
import { caddyMissing } from '../src/netem/caddy-front.ts';
import { chromiumMissing } from '../src/driver/browser/chromium.ts';
import { runArgs, runFeedbenchAsync } from './helpers/cli.ts';

/** caddy processes running a configuration feedbench wrote. */
const feedbenchCaddies = () =>
  spawnSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((args) => args.includes('caddy run --config') && args.includes('feedbench-caddy-'));

const missing = caddyMissing() ?? chromiumMissing();

describe('HTTP/3 pages through caddy', () => {
  it(
    missing
      ? `are not applicable where they cannot run (${missing})`
      : 'get h3 (and the HTTP/2 pages h2) through the same caddy, every update delivered, caddy gone afterwards',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'feedbench-http3-'));
      const path = join(dir, 'http3.json');
      writeFileSync(
        path,
        JSON.stringify({
          name: 'http3',
          transports: ['sse', 'websocket'],
          clients: 2,
          ratePerSec: 10,
          payloadBytes: 64,
          clientKind: 'browser',
          tls: true,
          http: ['2', '3'],
          frontProxy: 'caddy',
          warmupMs: 500,
          durationMs: 2000,
        }),
      );
      const run = await runFeedbenchAsync(runArgs(path, dir));
      expect(run.status).toBe(0);
      const file = readdirSync(dir).find((f) => f.startsWith('http3-') && f.endsWith('.json'));
      const cells = readResults(join(dir, file!)).cells;
      const [sse2, sse3, ws2, ws3] = cells;
      expect(ws2?.state).toBe('not-applicable');
      expect(ws2?.reason).toMatch(/no RFC 8441/);
      expect(ws3?.reason).toMatch(/^Chromium does not open WebSocket over HTTP\/3 \(RFC 9220\)/);
      if (missing) {
        expect(cells.map((c) => c.state)).toEqual(Array(4).fill('not-applicable'));
        expect(sse3?.reason).toBe(missing);
        return;
      }
      for (const [cell, protocol] of [
        [sse2, 'h2'],
        [sse3, 'h3'],
      ] as const) {
        if (cell?.state !== 'ok') throw new Error(`${cell?.id}: ${cell?.reason}`);
        expect(cell.params.front_proxy).toBe('caddy');
        expect(cell.metrics.next_hop_protocols).toEqual({ [protocol]: 2 });
        expect(cell.metrics.delivery.delivered).toBe(cell.metrics.delivery.published);
        expect(cell.metrics.delivery.published).toBe(2 * 20);
      }
      expect(feedbenchCaddies()).toEqual([]);
    },
  );
});
