/**
 * Is the driver ever the bottleneck, and what does it cost per request? Measured in one run on
 * this machine:
 *  1. the polling driver's request rate against autocannon's, on the same feedbench server
 *     process and endpoint (`/poll?since=<newest>`, empty answers), 50 connections, both pinned
 *     to the driver's core, alternating rounds;
 *  2. against a target faster than one Node process (nginx answering every poll with a fixed
 *     empty answer, when Debian's nginx-light is installed), the CPU each client spends per
 *     1,000 requests: feedbench's polling client, autocannon and wrk (Debian's `wrk`);
 *  3. WebSocket and SSE messages received per second per driver core (received rate / driver
 *     CPU share).
 *
 *   npm run bench:driver
 */
import { DEFAULT_SERVER_OPTIONS } from '../server/feed-server.ts';
import { startChild, stopChild } from '../process/children.ts';
import { defaultCores } from '../run/cell/cell-rig.ts';
import { median } from '../stats/percentile.ts';
import { autocannonRun, wrkRun, type ToolRun } from './load-tools.ts';
import { startNginxPollTarget } from './nginx-poll-target.ts';
import { feedbenchPollRun } from './feedbench-poll-run.ts';
import { runPushCell } from './push-cell.ts';

const CONNECTIONS = 50;
const SECONDS = 5;
const ROUNDS = 3;
const cores = defaultCores();

/** feedbench's polling driver, closed loop (polls back to back), against `port`'s `/poll`. */
const feedbenchRun = (port: number): Promise<ToolRun> =>
  feedbenchPollRun(port, '1.1', CONNECTIONS, SECONDS, cores?.driver);

const rate = (run: ToolRun) => run.requests / run.seconds;

/** Runs one part of the benchmark; a failure is a line, and the next part still runs. */
async function part(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    console.log(`${name}: not measured: ${(error as Error).message}`);
  }
}
const costLine = (name: string, run: ToolRun | null) =>
  run === null
    ? `  ${name.padEnd(10)} not installed (Debian: wrk)`
    : `  ${name.padEnd(10)} ${String(Math.round(rate(run))).padStart(7)} req/s at ${((100 * run.cpuSeconds) / run.seconds).toFixed(0).padStart(3)}% of a core: ${(((1000 * run.cpuSeconds) / run.requests) * 1000).toFixed(1)} ms CPU per 1,000 requests`;

const server = await startChild(
  'server',
  new URL('../server/server-process.ts', import.meta.url),
  [JSON.stringify({ ...DEFAULT_SERVER_OPTIONS, host: '127.0.0.1', port: 0 })],
  { cores: cores?.server, readyTimeoutMs: 20_000 },
);
const port = server.info.port as number;
const ours: number[] = [];
const theirs: number[] = [];
try {
  console.log(
    `polling request rate against feedbench's server, ${CONNECTIONS} connections, ${SECONDS} s, keep-alive, empty answers; driver core(s) ${cores?.driver.join(',') ?? 'unpinned'}`,
  );
  for (let round = 1; round <= ROUNDS; round++) {
    await part(`round ${round}`, async () => {
      const a = rate(
        await autocannonRun(
          `http://127.0.0.1:${port}/poll?since=0`,
          CONNECTIONS,
          SECONDS,
          cores?.driver,
        ),
      );
      theirs.push(a);
      const f = await feedbenchRun(port);
      ours.push(rate(f));
      console.log(
        `round ${round}: autocannon ${Math.round(a)} req/s, feedbench ${Math.round(rate(f))} req/s (driver CPU ${((100 * f.cpuSeconds) / f.seconds).toFixed(0)}% of a core)`,
      );
    });
  }
} finally {
  await stopChild(server);
}
if (ours.length > 0 && theirs.length > 0)
  console.log(
    `polling driver / autocannon: ${(median(ours) / median(theirs)).toFixed(2)} (medians ${Math.round(median(ours))} vs ${Math.round(median(theirs))} req/s; target >= 1)`,
  );

// Per-request cost where the target is not the limit: nginx on the server's core.
const nginx = await startNginxPollTarget(cores?.server);
if (!nginx) {
  console.log(
    'nginx is not installed (Debian: nginx-light): the per-request cost against a target faster than Node is not measured',
  );
} else {
  try {
    console.log(
      `CPU per request against nginx (one worker on the server's core), ${CONNECTIONS} connections, ${SECONDS} s each:`,
    );
    const port = Number(new URL(nginx.url).port);
    await part('feedbench against nginx', async () =>
      console.log(costLine('feedbench', await feedbenchRun(port))),
    );
    await part('autocannon against nginx', async () =>
      console.log(
        costLine('autocannon', await autocannonRun(nginx.url, CONNECTIONS, SECONDS, cores?.driver)),
      ),
    );
    await part('wrk against nginx', async () =>
      console.log(costLine('wrk', await wrkRun(nginx.url, CONNECTIONS, SECONDS, cores?.driver))),
    );
  } finally {
    await nginx.stop();
  }
}

// WebSocket and SSE: many small messages to the driver; what it receives per second of its own CPU.
// Two shapes: many clients each getting one message per socket read (the costly case), and few
// clients at a high rate, where one read carries several messages. Rates the server sustains on its
// one core (100 x 1,500/s left it too busy to answer its IPC): the figure is per driver core-second,
// so it needs no more. The raw TCP floor (a bare socket, a line per update, the same recorder) is
// what the kernel and Node's socket reads cost without any protocol: no client can go below it.
for (const transport of ['websocket', 'sse', 'raw-tcp'] as const) {
  for (const [clients, ratePerSec] of [
    [100, 500],
    [10, 5000],
  ] as const) {
    const cell = await runPushCell({
      name: 'push-throughput',
      transport,
      http: '1.1',
      clients,
      ratePerSec,
      payloadBytes: 16,
      durationMs: 3_000,
    });
    // A server too busy to answer (an IPC time-out, say) ends its cell, not the benchmark: the line
    // says so, and the other figures are still printed.
    if (cell.state !== 'ok') {
      console.log(
        `${transport}, ${clients} clients x ${ratePerSec}/s: not measured: ${cell.reason}`,
      );
      continue;
    }
    const m = cell.metrics;
    const perSecond = m.wire.updates_received / 3;
    console.log(
      `${transport}, ${clients} clients x ${ratePerSec}/s: ${Math.round(perSecond)} msgs/s received at driver CPU ${(m.driver.cpu_share * 100).toFixed(0)}% of a core: ${Math.round(perSecond / m.driver.cpu_share)} msgs/s per driver core (target >= 300,000); server CPU ${((m.server.cpu_share ?? 0) * 100).toFixed(0)}%, lost ${m.delivery.lost}${m.driver.saturated ? `; driver SATURATED: ${m.driver.reason}` : ''}`,
    );
  }
}
