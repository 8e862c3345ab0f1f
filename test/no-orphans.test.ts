import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, childPids, descendantPids, startFeedbench, waitFor } from './helpers/cli.ts';

function longScenario(extra: Record<string, unknown> = {}): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-orphans-'));
  const path = join(dir, 'long.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'long',
      transports: ['websocket', 'sse'],
      clients: 5,
      ratePerSec: 10,
      payloadBytes: 16,
      warmupMs: 500,
      durationMs: 60_000,
      ...extra,
    }),
  );
  return { dir, path };
}

/** Starts a long run and waits until both its server and driver processes exist. */
async function startRunWithChildren(): Promise<{
  pid: number;
  children: number[];
  exited: Promise<number | null>;
}> {
  const { dir, path } = longScenario();
  const cli = startFeedbench([
    'run',
    path,
    '--out',
    dir,
    '--report',
    join(dir, 'index.html'),
    '--progress',
    'plain',
  ]);
  const exited = new Promise<number | null>((resolve) =>
    cli.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  let output = '';
  cli.stdout!.on('data', (d) => (output += d));
  // The driver is started second: two live node children means both are up.
  let children: number[] = [];
  await waitFor(
    () => {
      children = childPids(cli.pid!).filter(alive);
      return children.length >= 2 && output.includes('[1/2]');
    },
    20_000,
    'server and driver processes',
  );
  await new Promise((r) => setTimeout(r, 500));
  return { pid: cli.pid!, children: childPids(cli.pid!).filter(alive), exited };
}

describe('no child process outlives feedbench', () => {
  it('after Ctrl-C (SIGINT)', async () => {
    const run = await startRunWithChildren();
    expect(run.children.length).toBeGreaterThanOrEqual(2);
    process.kill(run.pid, 'SIGINT');
    expect(await run.exited).toBe(130);
    await waitFor(() => run.children.every((pid) => !alive(pid)), 5_000, 'children to exit');
  });

  it('after the orchestrator is killed outright (SIGKILL, as in a crash)', async () => {
    const run = await startRunWithChildren();
    process.kill(run.pid, 'SIGKILL');
    await run.exited;
    // Nothing in the parent ran: each child notices its IPC channel closing and exits itself.
    await waitFor(
      () => run.children.every((pid) => !alive(pid)),
      5_000,
      'orphaned children to exit',
    );
  });

  it('after a cell times out: the cell is errored with the reason, the run goes on, nothing is left', async () => {
    const { dir, path } = longScenario({ durationMs: 4_000, cellTimeoutMs: 2_000 });
    const cli = startFeedbench([
      'run',
      path,
      '--out',
      dir,
      '--report',
      join(dir, 'index.html'),
      '--progress',
      'plain',
    ]);
    let output = '';
    let errors = '';
    cli.stdout!.on('data', (d) => (output += d));
    cli.stderr!.on('data', (d) => (errors += d));
    // Only this run's own process tree is watched: every descendant seen while it ran.
    const seen = new Set<number>();
    const watch = setInterval(() => descendantPids(cli.pid!).forEach((pid) => seen.add(pid)), 100);
    const status = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    clearInterval(watch);
    expect(status, errors).toBe(3);
    expect(output).toContain(
      '[1/2] websocket 5c 10/s 16B: ERRORED: cell did not finish within 2000 ms',
    );
    expect(output).toContain('[2/2] sse 5c 10/s 16B: ERRORED');
    expect(seen.size).toBeGreaterThanOrEqual(2);
    await waitFor(
      () => [...seen].every((pid) => !alive(pid)),
      5_000,
      "the run's descendants to exit",
    );
  });
});
