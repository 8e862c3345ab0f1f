/**
 * HTTP/2 beside HTTP/1.1, where it costs: measured in one run on this machine.
 *  1. Polls answered per second of one server core: h2load (Debian's `nghttp2-client`, on the
 *     driver's core) polling feedbench's server (on the server's core) over HTTP/1.1 (`--h1`) and
 *     over h2c, and, for scale, the smallest `node:http` and `node:http2` servers; the server's
 *     CPU from the kernel's accounting (/proc/<pid>/stat).
 *  2. The driver's cost per HTTP/2 request where the server is not the limit (nginx answering
 *     every poll over h2c on the server's core): feedbench's polling client beside h2load.
 *
 *   npm run bench:http2
 */
import { DEFAULT_SERVER_OPTIONS } from '../server/feed-server.ts';
import { startChild, stopChild } from '../process/children.ts';
import { defaultCores } from '../run/cell/cell-rig.ts';
import { h2loadRun, type ToolRun } from './load-tools.ts';
import { startNginxPollTarget } from './nginx-poll-target.ts';
import { feedbenchPollRun } from './feedbench-poll-run.ts';
import { cpuUsOf } from '../metrics/process-tree.ts';
import { required } from '../metrics/required.ts';

const CONNECTIONS = 50;
const SECONDS = 5;
const cores = defaultCores();
/** CPU seconds a process has used so far (user + system), from /proc. */
const cpuSecondsOf = (pid: number): number => cpuUsOf(pid) / 1e6;

/** h2load against `url` while the server process `pid` is measured: polls per second of its CPU. */
async function pollsPerServerCore(
  url: string,
  pid: number,
  h1: boolean,
): Promise<{ run: ToolRun; serverCpuSeconds: number } | null> {
  const before = cpuSecondsOf(pid);
  const run = await h2loadRun(url, CONNECTIONS, SECONDS, cores?.driver, { h1 });
  return run && { run, serverCpuSeconds: cpuSecondsOf(pid) - before };
}

const line = (name: string, result: { run: ToolRun; serverCpuSeconds: number }) =>
  `  ${name.padEnd(34)} ${String(Math.round(result.run.requests / result.run.seconds)).padStart(7)} polls/s, server at ${((100 * result.serverCpuSeconds) / result.run.seconds).toFixed(0).padStart(3)}% of a core: ${String(Math.round(result.run.requests / result.serverCpuSeconds)).padStart(7)} polls per server core-second`;
const costLine = (name: string, run: ToolRun) =>
  `  ${name.padEnd(28)} ${String(Math.round(run.requests / run.seconds)).padStart(7)} req/s at ${((100 * run.cpuSeconds) / run.seconds).toFixed(0).padStart(3)}% of a core: ${((1e6 * run.cpuSeconds) / run.requests).toFixed(1)} ms CPU per 1,000 requests, ${Math.round(run.requests / run.cpuSeconds)} requests per driver core-second`;

async function serverSide(): Promise<void> {
  console.log(
    `1. polls answered per server core: h2load, ${CONNECTIONS} connections, 1 stream each, ${SECONDS} s, empty answers; server core(s) ${cores?.server.join(',') ?? 'unpinned'}, h2load on ${cores?.driver.join(',') ?? 'unpinned'}`,
  );
  const feed = await startChild(
    'server',
    new URL('../server/server-process.ts', import.meta.url),
    [JSON.stringify({ ...DEFAULT_SERVER_OPTIONS, host: '127.0.0.1', port: 0 })],
    { ...(cores ? { cores: cores.server } : {}), readyTimeoutMs: 20_000 },
  );
  const minimal = await startChild(
    'minimal',
    new URL('./minimal-endpoints.ts', import.meta.url),
    [],
    { ...(cores ? { cores: cores.server } : {}), readyTimeoutMs: 20_000 },
  );
  try {
    const feedUrl = `http://127.0.0.1:${feed.info.port as number}/poll?since=0`;
    for (const [name, url, pid, h1] of [
      [
        "feedbench's server, HTTP/1.1",
        feedUrl,
        required(feed.process.pid, "the feed server's pid"),
        true,
      ],
      [
        "feedbench's server, HTTP/2 (h2c)",
        feedUrl,
        required(feed.process.pid, "the feed server's pid"),
        false,
      ],
      [
        'minimal node:http',
        `http://127.0.0.1:${minimal.info.http1 as number}/poll`,
        required(minimal.process.pid, "the minimal server's pid"),
        true,
      ],
      [
        'minimal node:http2 (h2c)',
        `http://127.0.0.1:${minimal.info.http2 as number}/poll`,
        required(minimal.process.pid, "the minimal server's pid"),
        false,
      ],
    ] as const) {
      const result = await pollsPerServerCore(url, pid, h1);
      if (!result) {
        console.log('  h2load is not installed (Debian: nghttp2-client): not measured');
        return;
      }
      console.log(line(name, result));
    }
  } finally {
    await stopChild(feed);
    await stopChild(minimal);
  }
}

async function driverSide(): Promise<void> {
  const nginx = await startNginxPollTarget(cores?.server, { http2: true });
  if (!nginx) {
    console.log(
      "2. nginx is not installed (Debian: nginx-light): the driver's cost per HTTP/2 request against a target faster than Node is not measured",
    );
    return;
  }
  try {
    console.log(
      `2. driver CPU per HTTP/2 request against nginx over h2c (one worker on the server's core), ${CONNECTIONS} connections, ${SECONDS} s each:`,
    );
    console.log(
      costLine(
        'feedbench polling client',
        await feedbenchPollRun(
          Number(new URL(nginx.url).port),
          '2',
          CONNECTIONS,
          SECONDS,
          cores?.driver,
        ),
      ),
    );
    const h2load = await h2loadRun(nginx.url, CONNECTIONS, SECONDS, cores?.driver);
    console.log(
      h2load ? costLine('h2load', h2load) : '  h2load is not installed (Debian: nghttp2-client)',
    );
  } finally {
    await nginx.stop();
  }
}

await serverSide();
await driverSide();
