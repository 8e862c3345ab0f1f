/**
 * Is the driver ever the bottleneck? Two figures, each measured in one run on this machine:
 *  1. the polling driver's request rate against autocannon's, on the same server process and
 *     endpoint (`/poll?since=<newest>`, empty answers), 50 connections, both pinned to the
 *     driver's core, alternating rounds;
 *  2. WebSocket messages received per second per driver core (received rate / driver CPU share).
 *
 *   npm run bench:driver
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SERVER_OPTIONS } from '../server/feed-server.ts';
import { startChild, stopChild, hasTaskset } from '../process/children.ts';
import { runCell } from '../run/run-cell.ts';
import { defaultCores } from '../run/cell-rig.ts';
import { parseScenario } from '../run/scenario.ts';
import { SINGLE_CLIENT_CELL } from '../run/alternating-rounds.ts';
import { median } from '../stats/percentile.ts';
import type { ConnectRequest, DriverProtocol } from '../driver/driver-messages.ts';
import { nowUs } from '../metrics/clock.ts';

const CONNECTIONS = 50;
const SECONDS = 5;
const ROUNDS = 3;
const cores = defaultCores();
const pinTo = (cmd: string[]) => (hasTaskset && cores ? ['taskset', '-c', cores.driver.join(','), ...cmd] : cmd);

async function autocannonRate(url: string): Promise<number> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const [command, ...args] = pinTo([process.execPath, bin, '-c', String(CONNECTIONS), '-d', String(SECONDS), '-j', url]);
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.once('exit', r));
  const result = JSON.parse(out) as { requests: { total: number }; duration: number; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`autocannon saw ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return result.requests.total / result.duration;
}

async function feedbenchRate(port: number): Promise<{ rate: number; cpu: number }> {
  const driver = await startChild<DriverProtocol>('driver', new URL('../driver/driver-process.ts', import.meta.url), [], { cores: cores?.driver, readyTimeoutMs: 20_000 });
  try {
    const request: ConnectRequest = {
      transport: 'short-poll', workload: 'feed', firstIndex: 0, clients: CONNECTIONS, connectConcurrency: CONNECTIONS,
      client: { host: '127.0.0.1', port, headerProfile: 'minimal', pollIntervalMs: 0, pollMode: 'sleep-after-response', keepAlive: true, longPollTimeoutMs: 30_000, wsCompression: false },
    };
    await driver.ipc.request('connect', request, 30_000);
    const startUs = nowUs() + 500_000;
    const endUs = startUs + SECONDS * 1e6;
    await driver.ipc.request('window', { startUs, endUs, saturation: { cpuShare: 0.9, eventLoopP99Ms: 20 } }, 10_000);
    await sleep((endUs - nowUs()) / 1000 + 50);
    const result = await driver.ipc.request('finish', { first: 1, last: 0, drainMs: 0 }, 10_000);
    return { rate: result.wire.requests / SECONDS, cpu: result.driver.cpu_share };
  } finally {
    await stopChild(driver);
  }
}

const server = await startChild('server', new URL('../server/server-process.ts', import.meta.url), [JSON.stringify({ ...DEFAULT_SERVER_OPTIONS, host: '127.0.0.1', port: 0 })], { cores: cores?.server, readyTimeoutMs: 20_000 });
const port = server.info.port as number;
const ours: number[] = [];
const theirs: number[] = [];
try {
  console.log(`polling request rate, ${CONNECTIONS} connections, ${SECONDS} s, keep-alive, empty answers; driver core(s) ${cores?.driver.join(',') ?? 'unpinned'}`);
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await autocannonRate(`http://127.0.0.1:${port}/poll?since=0`);
    theirs.push(a);
    const f = await feedbenchRate(port);
    ours.push(f.rate);
    console.log(`round ${round}: autocannon ${Math.round(a)} req/s, feedbench ${Math.round(f.rate)} req/s (driver CPU ${(f.cpu * 100).toFixed(0)}% of a core)`);
  }
} finally {
  await stopChild(server);
}
console.log(`polling driver / autocannon: ${(median(ours) / median(theirs)).toFixed(2)} (medians ${Math.round(median(ours))} vs ${Math.round(median(theirs))} req/s; target >= 1)`);

// WebSocket: many small messages to the driver; what it receives per second of its own CPU.
// Two shapes: many clients each getting one message per socket read (the costly case), and few
// clients at a high rate, where one read carries several frames.
for (const [clients, rate] of [[100, 1500], [10, 15000]] as const) {
  const scenario = parseScenario({ name: 'ws-throughput', transports: ['websocket'], clients, ratePerSec: rate, payloadBytes: 16, warmupMs: 1_000, durationMs: 3_000 }, 'ws-throughput');
  const cell = await runCell({ id: 'ws', params: { ...SINGLE_CLIENT_CELL, clients, rate_per_s: rate, payload_bytes: 16, repetition: 1 } }, scenario);
  if (cell.state !== 'ok') throw new Error(`WebSocket throughput cell failed: ${cell.reason}`);
  const m = cell.metrics;
  const perSecond = m.wire.updates_received / 3;
  console.log(`WebSocket, ${clients} clients x ${rate}/s: ${Math.round(perSecond)} msgs/s received at driver CPU ${(m.driver.cpu_share * 100).toFixed(0)}% of a core: ${Math.round(perSecond / m.driver.cpu_share)} msgs/s per driver core (target >= 200,000); server CPU ${((m.server.cpu_share ?? 0) * 100).toFixed(0)}%, lost ${m.delivery.lost}${m.driver.saturated ? `; driver SATURATED: ${m.driver.reason}` : ''}`);
}
