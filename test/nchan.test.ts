import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../src/results/index.ts';
import { nchanMissing } from '../src/server/nchan/nchan-side.ts';
import { alive, descendantPids, runArgs, startFeedbench, waitFor } from './helpers/cli.ts';

/** A scenario file of nchan cells, in a folder of its own. */
function nchanScenario(fields: object): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-nchan-test-'));
  const path = join(dir, 'nchan.json');
  writeFileSync(
    path,
    JSON.stringify({ name: 'nchan', server: 'nchan', payloadBytes: 64, ...fields }),
  );
  return { dir, path };
}

/** Starts a run, watching its own process tree: every descendant seen, with its command name. */
function watchedRun(dir: string, path: string) {
  const cli = startFeedbench(runArgs(path, dir));
  let output = '';
  cli.stdout!.on('data', (d) => (output += d));
  cli.stderr!.on('data', (d) => (output += d));
  const seen = new Map<number, string>();
  const watch = setInterval(() => {
    for (const pid of descendantPids(cli.pid!))
      if (!seen.has(pid))
        seen.set(
          pid,
          spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim(),
        );
  }, 100);
  const exited = new Promise<number | null>((resolve) =>
    cli.once('exit', (code, signal) => {
      clearInterval(watch);
      resolve(code ?? (signal ? -1 : null));
    }),
  );
  return { cli, seen, exited, output: () => output };
}

(nchanMissing() ? describe.skip : describe)('the transports on nginx with nchan', () => {
  it('delivers every update once over all four of its subscriber forms, HTTP/1.1 and HTTP/2, and leaves no nginx behind', async () => {
    const { dir, path } = nchanScenario({
      transports: ['short-poll', 'long-poll', 'sse', 'websocket'],
      http: ['1.1', '2'],
      clients: 10,
      ratePerSec: 20,
      warmupMs: 500,
      durationMs: 1500,
      shortPoll: { intervalMs: 100 },
    });
    const run = watchedRun(dir, path);
    expect(await run.exited, run.output()).toBe(0);
    const file = readdirSync(dir).find((f) => f.startsWith('nchan-') && f.endsWith('.json'))!;
    const cells = readResults(join(dir, file)).cells;
    const state = (c: (typeof cells)[number]) =>
      `${c.params.transport} ${c.params.http} ${c.params.server}: ${c.state}`;
    expect(cells.map(state)).toEqual(
      ['short-poll', 'long-poll', 'sse', 'websocket'].flatMap((t) => [
        `${t} 1.1 nchan: ok`,
        `${t} 2 nchan: ${t === 'websocket' ? 'not-applicable' : 'ok'}`,
      ]),
    );
    for (const cell of cells.filter((c) => c.state === 'ok')) {
      const m = cell.metrics;
      // 20 updates/s over a 1.5 s window, to each of 10 clients.
      expect(m.delivery.published, state(cell)).toBe(30 * 10);
      expect(m.delivery, state(cell)).toMatchObject({ delivered: 300, lost: 0, duplicated: 0 });
      // nginx's own CPU, memory and connections, read from /proc.
      expect(m.server.cpu_ms_per_1k_updates, state(cell)).toBeGreaterThan(0);
      expect(m.server.rss_bytes, state(cell)).toBeGreaterThan(0);
      expect(m.server.connections, state(cell)).toBe(10);
      const requests = m.wire.requests_per_update;
      if (cell.params.transport === 'long-poll') expect(requests, state(cell)).toBeLessThan(1.3);
      // Every poll, and one more after each message nchan gives (it gives one at a time).
      if (cell.params.transport === 'short-poll')
        expect(requests, state(cell)).toBeGreaterThan(1.4);
    }
    expect([...run.seen.values()]).toContain('nginx');
    await waitFor(() => [...run.seen.keys()].every((pid) => !alive(pid)), 5_000, 'nginx to exit');
  });

  it('leaves no nginx behind when feedbench is killed outright mid-cell', async () => {
    const { dir, path } = nchanScenario({
      transports: ['sse'],
      clients: 5,
      ratePerSec: 10,
      warmupMs: 500,
      durationMs: 60_000,
    });
    const run = watchedRun(dir, path);
    await waitFor(
      () => [...run.seen.values()].includes('nginx') && run.output().includes('[1/1]'),
      20_000,
      'nginx to start',
    );
    process.kill(run.cli.pid!, 'SIGKILL');
    await run.exited;
    await waitFor(
      () => [...run.seen.keys()].every((pid) => !alive(pid)),
      5_000,
      'nginx and the other children to exit',
    );
  });
});
