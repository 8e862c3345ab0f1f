import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTaskset } from '../process/children.ts';
import { isInstalled } from '../process/external-program.ts';

/** What a load tool did: requests answered, over how long, and the CPU its processes used. */
export interface ToolRun {
  readonly requests: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** CPU of a `times` line (`0m1.234s 0m0.567s`: user, system), seconds. */
function cpuOfTimesLine(line: string | undefined): number {
  const parts = [...(line ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(
    (m) => Number(m[1]) * 60 + Number(m[2]),
  );
  return parts.reduce((a, b) => a + b, 0);
}

/**
 * Runs a command to its end, pinned to `cores`, and returns its output and the CPU it and its
 * children used, from bash's `times` (the children's line): the kernel's own accounting, the same
 * for every tool.
 */
async function runMeasured(
  command: string[],
  cores: readonly number[] | undefined,
): Promise<{ output: string; cpuSeconds: number }> {
  const out = join(mkdtempSync(join(tmpdir(), 'feedbench-tool-')), 'out');
  const pinned =
    hasTaskset && cores && cores.length > 0
      ? ['taskset', '-c', cores.join(','), ...command]
      : command;
  const child = spawn('bash', ['-c', '"$@" > "$OUT" 2>&1; times', 'bash', ...pinned], {
    env: { ...process.env, OUT: out },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let times = '';
  child.stdout.on('data', (d: Buffer) => (times += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return {
    output: readFileSync(out, 'utf8'),
    cpuSeconds: cpuOfTimesLine(times.trim().split('\n')[1]),
  };
}

/** autocannon (npm), `connections` keep-alive connections for `seconds` against `url`. */
export async function autocannonRun(
  url: string,
  connections: number,
  seconds: number,
  cores: readonly number[] | undefined,
): Promise<ToolRun> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const { output, cpuSeconds } = await runMeasured(
    [process.execPath, bin, '-c', String(connections), '-d', String(seconds), '-j', url],
    cores,
  );
  const result = JSON.parse(output.slice(output.indexOf('{'))) as {
    requests: { total: number };
    duration: number;
    non2xx: number;
    errors: number;
  };
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`autocannon saw ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return { requests: result.requests.total, seconds: result.duration, cpuSeconds };
}

/**
 * wrk (Debian's `wrk`), one thread, `connections` connections for `seconds`; null when it is not
 * installed.
 */
export async function wrkRun(
  url: string,
  connections: number,
  seconds: number,
  cores: readonly number[] | undefined,
): Promise<ToolRun | null> {
  if (!isInstalled('wrk')) return null;
  const { output, cpuSeconds } = await runMeasured(
    ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, url],
    cores,
  );
  const match = /(\d+) requests in ([\d.]+)s/.exec(output);
  if (!match) throw new Error(`wrk said: ${output.slice(0, 300)}`);
  if (/Non-2xx or 3xx responses/.test(output))
    throw new Error(`wrk saw non-2xx answers: ${output.slice(0, 300)}`);
  return { requests: Number(match[1]), seconds: Number(match[2]), cpuSeconds };
}

/**
 * h2load (Debian's `nghttp2-client`, the reference HTTP/2 load tool), `connections` connections
 * with one stream in flight each, for `seconds`; HTTP/2 (h2c with prior knowledge) unless `h1`;
 * null when it is not installed.
 */
export async function h2loadRun(
  url: string,
  connections: number,
  seconds: number,
  cores: readonly number[] | undefined,
  { h1 = false } = {},
): Promise<ToolRun | null> {
  if (!isInstalled('h2load')) return null;
  const { output, cpuSeconds } = await runMeasured(
    [
      'h2load',
      '-D',
      String(seconds),
      '-c',
      String(connections),
      '-m',
      '1',
      ...(h1 ? ['--h1'] : []),
      url,
    ],
    cores,
  );
  const done =
    /requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(
      output,
    );
  if (!done) throw new Error(`h2load said: ${output.slice(0, 300)}`);
  if (Number(done[3]) > 0 || Number(done[4]) > 0)
    throw new Error(
      `h2load saw ${done[3]} failed and ${done[4]} errored requests: ${output.slice(0, 300)}`,
    );
  return { requests: Number(done[2]), seconds, cpuSeconds };
}
