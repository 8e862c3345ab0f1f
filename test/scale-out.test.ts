import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../src/results/index.ts';
import { isInstalled } from '../src/process/external-program.ts';
import { alive, descendantPids, startFeedbench, waitFor } from './helpers/cli.ts';

/**
 * A failover run of 4 cells: a cell takes about 6 s, and where a client reconnected onto a
 * connection Node's cluster handed to the killed worker, up to its 10 s answer deadline and the
 * drain's 15 s wait for late clients more.
 */
const FAILOVER_RUN_MS = 180_000;

const needsRedis = isInstalled('redis-server') ? describe : describe.skip;

/** Runs feedbench, noting every descendant process seen while it ran. */
async function runWatchingProcesses(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; seen: Map<number, string> }> {
  const cli = startFeedbench(args);
  let stdout = '';
  let stderr = '';
  cli.stdout!.on('data', (d) => (stdout += d));
  cli.stderr!.on('data', (d) => (stderr += d));
  const seen = new Map<number, string>();
  const watch = setInterval(() => {
    for (const pid of descendantPids(cli.pid!)) if (!seen.has(pid)) seen.set(pid, '');
  }, 100);
  const code = await new Promise<number | null>((resolve) => cli.once('exit', (c) => resolve(c)));
  clearInterval(watch);
  return { code, stdout, stderr, seen };
}

function scenario(
  dir: string,
  balancer: string,
  transports: string[],
  backplane = 'redis',
): string {
  const path = join(dir, 'failover.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'failover',
      transports,
      clients: 20,
      ratePerSec: 20,
      payloadBytes: 64,
      warmupMs: 500,
      durationMs: 2500,
      shortPoll: { intervalMs: 100 },
      scaleOut: { instances: 2, balancer, backplane, failover: { killAtMs: 1000 } },
    }),
  );
  return path;
}

describe('scale-out on one host without Redis (the local backplane): one of 2 instances killed mid-window', () => {
  it(
    'loses and duplicates nothing, any instance answering any cursor, and leaves no process or socket behind',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'feedbench-scaleout-local-'));
      const transports = ['short-poll', 'long-poll', 'sse', 'websocket'];
      // The default backplane: a scale-out cell on one host needs no external service.
      const path = scenario(dir, 'cluster', transports, 'auto');
      const socketFolders = () =>
        readdirSync(tmpdir()).filter((f) => f.startsWith('feedbench-feed-'));
      const before = socketFolders();
      const run = await runWatchingProcesses([
        'run',
        path,
        '--out',
        dir,
        '--no-report',
        '--progress',
        'none',
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const results = readResults(
        join(
          dir,
          readdirSync(dir).find((f) => f.startsWith('failover-'))!,
        ),
      );
      for (const cell of results.cells) {
        expect(cell.state, cell.reason ?? '').toBe('ok');
        // Every update reached every client; one that came back after the grace counts as late, not
        // lost.
        expect(cell.metrics!.delivery).toMatchObject({
          published: 50 * 20,
          delivered: 50 * 20,
          lost: 0,
          duplicated: 0,
          reordered: 0,
          receiving_clients: 20,
        });
        expect(cell.metrics!.delivery.late).toBeLessThanOrEqual(cell.metrics!.delivery.delivered);
        expect(cell.scale_out).toMatchObject({
          instances: 2,
          balancer: 'cluster',
          backplane: 'local',
          redis_cpu_ms_per_1k_updates: null,
          killed: { instance: 0 },
        });
        expect(cell.scale_out!.failover!.recovered_clients).toBe(
          cell.scale_out!.failover!.affected_clients,
        );
      }
      await waitFor(
        () => [...run.seen.keys()].every((pid) => !alive(pid)),
        5_000,
        'every process feedbench started to be gone',
      );
      // Each cell's socket lived in a folder of its own, removed with the cell.
      expect(socketFolders().filter((f) => !before.includes(f))).toEqual([]);
    },
    FAILOVER_RUN_MS,
  );
});

needsRedis('scale-out with Redis: one of 2 instances killed mid-window', () => {
  const balancers = [
    { balancer: 'cluster', transports: ['short-poll', 'long-poll', 'sse', 'websocket'] },
  ];
  if (isInstalled('haproxy'))
    balancers.push({ balancer: 'haproxy', transports: ['sse', 'websocket'] });

  it.each(balancers)(
    'loses and duplicates nothing for transports that resume with a cursor, and leaves no process behind ($balancer)',
    async ({ balancer, transports }) => {
      const dir = mkdtempSync(join(tmpdir(), 'feedbench-scaleout-'));
      const run = await runWatchingProcesses([
        'run',
        scenario(dir, balancer, transports),
        '--out',
        dir,
        '--no-report',
        '--progress',
        'none',
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const results = readResults(
        join(
          dir,
          readdirSync(dir).find((f) => f.startsWith('failover-'))!,
        ),
      );
      expect(results.cells.map((c) => c.params.transport)).toEqual(transports);
      for (const cell of results.cells) {
        expect(cell.state, cell.reason ?? '').toBe('ok');
        const m = cell.metrics!;
        // 20 updates/s over a 2.5 s window to 20 clients: every one delivered once, through the
        // kill.
        expect(m.delivery).toMatchObject({
          published: 50 * 20,
          delivered: 50 * 20,
          lost: 0,
          duplicated: 0,
          reordered: 0,
          receiving_clients: 20,
        });
        expect(m.delivery.late).toBeLessThanOrEqual(m.delivery.delivered);
        const scaleOut = cell.scale_out!;
        expect(scaleOut).toMatchObject({
          instances: 2,
          balancer,
          backplane: 'redis',
          killed: { instance: 0 },
        });
        expect(scaleOut.killed!.at_ms).toBeGreaterThanOrEqual(990); // timers round to the millisecond
        const failover = scaleOut.failover!;
        expect(failover.recovered_clients).toBe(failover.affected_clients);
        // Round-robin put half the push clients on the killed instance: each lost its connection.
        if (cell.params.transport === 'sse' || cell.params.transport === 'websocket')
          expect(failover.affected_clients).toBe(10);
        expect(scaleOut.timeline_per_100ms!.reduce((a, b) => a + b, 0)).toBe(1000);
      }
      // Instances, the balancer, Redis, the publisher and their keepers: all gone.
      expect(run.seen.size).toBeGreaterThanOrEqual(5);
      await waitFor(
        () => [...run.seen.keys()].every((pid) => !alive(pid)),
        5_000,
        'every process feedbench started to be gone',
      );
    },
    FAILOVER_RUN_MS,
  );

  it('leaves no process behind when feedbench itself is killed (SIGKILL) mid-cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-scaleout-kill-'));
    const path = join(dir, 'long.json');
    writeFileSync(
      path,
      JSON.stringify({
        name: 'long',
        transports: ['websocket'],
        clients: 5,
        ratePerSec: 10,
        payloadBytes: 16,
        warmupMs: 500,
        durationMs: 60_000,
        scaleOut: { instances: 2, balancer: isInstalled('haproxy') ? 'haproxy' : 'cluster' },
      }),
    );
    const cli = startFeedbench(['run', path, '--out', dir, '--no-report', '--progress', 'plain']);
    let output = '';
    cli.stdout!.on('data', (d) => (output += d));
    let tree: number[] = [];
    await waitFor(
      () => {
        tree = descendantPids(cli.pid!).filter(alive);
        // keeper + redis, publisher, 2 instances (or primary + 2 workers), balancer, driver
        return output.includes('[1/1]') && tree.length >= 6;
      },
      30_000,
      'the scale-out processes',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    tree = descendantPids(cli.pid!).filter(alive);
    process.kill(cli.pid!, 'SIGKILL');
    await waitFor(
      () => tree.every((pid) => !alive(pid)),
      10_000,
      'every descendant to exit after the orchestrator was killed',
    );
  });
});
