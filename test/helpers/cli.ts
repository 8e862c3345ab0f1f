import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the feedbench executable in this checkout. */
export const FEEDBENCH = fileURLToPath(new URL('../../bin/feedbench.js', import.meta.url));

/**
 * `feedbench run` of a scenario file with its results and report in `dir` and plain progress
 * lines: the arguments a test's run takes.
 */
export function runArgs(scenario: string, dir: string): string[] {
  return [
    'run',
    scenario,
    '--out',
    dir,
    '--report',
    join(dir, 'index.html'),
    '--progress',
    'plain',
  ];
}

/** Runs feedbench to completion; returns its exit code and output. */
export function runFeedbench(
  args: string[],
  timeoutMs = 120_000,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [FEEDBENCH, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs feedbench to completion without blocking this process (a target served from here must go
 * on answering); resolves with its exit code and output.
 */
export function runFeedbenchAsync(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = startFeedbench(args);
    let [stdout, stderr] = ['', ''];
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Starts feedbench in the background. */
export function startFeedbench(args: string[]): ChildProcess {
  return spawn(process.execPath, [FEEDBENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** PIDs of a process's direct children (Linux `ps`). */
export function childPids(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}

/** True while a process exists and is not a zombie. */
export function alive(pid: number): boolean {
  const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], {
    encoding: 'utf8',
  }).stdout.trim();
  return state !== '' && !state.startsWith('Z');
}

/** Waits until `condition` holds, polling every 50 ms; throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** PIDs of every descendant of a process, children first (Linux `ps`). */
export function descendantPids(pid: number): number[] {
  const children = childPids(pid);
  return [...children, ...children.flatMap(descendantPids)];
}
