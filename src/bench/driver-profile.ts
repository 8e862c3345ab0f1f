/**
 * Where the driver's (and the server's) CPU goes: one cell with every child under `--cpu-prof`,
 * then each profile's self time by area (ws, node http2, GC, feedbench...) and by function.
 *
 *   npm run bench:profile -- websocket --clients 100 --rate 1500
 *   npm run bench:profile -- long-poll --http 2 --clients 100 --rate 100
 *   npm run bench:profile -- short-poll --http 2     (closed-loop polls; against nginx if installed)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CPU_PROFILE_ENV, startChild, stopChild } from '../process/children.ts';
import { DEFAULT_SERVER_OPTIONS } from '../server/feed-server.ts';
import { defaultCores } from '../run/cell/cell-rig.ts';
import { summarizeProfile, type CpuProfile, type TimeShare } from './cpu-profile.ts';
import { feedbenchPollRun } from './feedbench-poll-run.ts';
import { runPushCell } from './push-cell.ts';
import { startNginxPollTarget } from './nginx-poll-target.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    http: { type: 'string', default: '1.1' },
    clients: { type: 'string', default: '100' },
    rate: { type: 'string', default: '1500' },
    payload: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
  },
});
const TRANSPORTS = ['short-poll', 'long-poll', 'sse', 'websocket', 'raw-tcp'];
const transport = positionals[0] ?? 'websocket';
if (!TRANSPORTS.includes(transport)) {
  console.error(`transport: "${transport}" is not one of ${TRANSPORTS.join(', ')}`);
  process.exit(2);
}
const http = values.http === '2' ? '2' : '1.1';
const clients = Number(values.clients);
const ratePerSec = Number(values.rate);
const seconds = Number(values.seconds);
const cores = defaultCores();
const dir = mkdtempSync(join(tmpdir(), 'feedbench-prof-'));
process.env[CPU_PROFILE_ENV] = dir;

/** Closed-loop polls (as bench:driver's), against nginx when installed, else feedbench's server. */
async function profilePolls(): Promise<string> {
  const nginx = await startNginxPollTarget(cores?.server, { http2: http === '2' });
  const server = nginx
    ? null
    : await startChild(
        'server',
        new URL('../server/server-process.ts', import.meta.url),
        [JSON.stringify({ ...DEFAULT_SERVER_OPTIONS, host: '127.0.0.1', port: 0 })],
        { cores: cores?.server, readyTimeoutMs: 20_000 },
      );
  try {
    const port = nginx ? Number(new URL(nginx.url).port) : (server?.info.port as number);
    const run = await feedbenchPollRun(port, http, clients, seconds, cores?.driver);
    return `${Math.round(run.requests / seconds)} req/s at driver CPU ${((100 * run.cpuSeconds) / seconds).toFixed(0)}% of a core (${nginx ? 'nginx' : "feedbench's server"})`;
  } finally {
    await nginx?.stop();
    if (server) await stopChild(server);
  }
}

/** One push (or long-poll) cell at `clients` x `ratePerSec` updates of `payload` bytes. */
async function profileCell(): Promise<string> {
  const payloadBytes = Number(values.payload);
  const cell = await runPushCell({
    name: 'profile',
    transport,
    http,
    clients,
    ratePerSec,
    payloadBytes,
    durationMs: seconds * 1000,
    reuseServers: false,
  });
  if (cell.state !== 'ok') return `cell ${cell.state}: ${cell.reason}`;
  const m = cell.metrics;
  const perSecond = m.wire.updates_received / seconds;
  return `${Math.round(perSecond)} msgs/s at driver CPU ${(m.driver.cpu_share * 100).toFixed(0)}% (${Math.round(perSecond / m.driver.cpu_share)} per driver core-second), server CPU ${((m.server.cpu_share ?? 0) * 100).toFixed(0)}%, p99 ${((m.latency_us?.p99 ?? 0) / 1000).toFixed(1)} ms${m.driver.saturated ? `, driver saturated: ${m.driver.reason}` : ''}`;
}

const rows = (shares: readonly TimeShare[]) =>
  shares.map(
    (s) =>
      `    ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.ms.toFixed(0).padStart(6)} ms  ${s.name}`,
  );

try {
  const outcome = transport === 'short-poll' ? await profilePolls() : await profileCell();
  console.log(`${transport} over HTTP/${http}, ${clients} clients: ${outcome}`);
  for (const role of readdirSync(dir).sort()) {
    for (const file of readdirSync(join(dir, role))) {
      const profile = JSON.parse(readFileSync(join(dir, role, file), 'utf8')) as CpuProfile;
      const summary = summarizeProfile(profile);
      console.log(
        `\n${role}: ${summary.busyMs.toFixed(0)} ms busy in ${summary.wallMs.toFixed(0)} ms profiled (whole process life); by area:`,
      );
      console.log(rows(summary.areas.slice(0, 12)).join('\n'));
      console.log('  by function (self time):');
      console.log(rows(summary.functions).join('\n'));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
