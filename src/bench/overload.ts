/**
 * Does one misbehaving client grow the server? The server (`feedbench serve`, its own process)
 * publishes 16 KiB updates at 2,000/s for 20 s while one kind of bad client is connected; the
 * figure is the server's peak RSS (the kernel's VmHWM), beside what its slow-consumer policy did.
 * Cases: no client; one WebSocket that stops reading after the upgrade; one SSE stream that stops
 * reading after its head; 200 clients that each send `GET /poll?since=0` once, spread over the run,
 * and never read the answer.
 *
 * npm run bench:overload [-- --root <feedbench checkout>] [--seconds 20] [--policy skip-to-latest]
 *
 * `--root` runs another checkout's server under the same clients (the "before" of a change).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { required } from '../metrics/required.ts';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: process.cwd() },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '2000' },
    'payload-bytes': { type: 'string', default: '16384' },
    polls: { type: 'string', default: '200' },
    policy: { type: 'string' },
    cases: { type: 'string', default: 'none,paused-websocket,paused-sse,unread-polls' },
  },
});
const SECONDS = Number(args.seconds);
const POLLS = Number(args.polls);

/** A misbehaving client, given the server's port and the run's length; it returns what to close. */
type BadClient = (port: number, runMs: number) => Promise<Socket[]>;

/**
 * Opens a connection, writes `request`, reads the first chunk of the answer and then stops reading.
 */
function pausedAfterHead(port: number, request: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.once('data', () => {
      socket.pause();
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

const CASES: Record<string, BadClient> = {
  none: () => Promise.resolve([]),
  'paused-websocket': async (port) => [
    await pausedAfterHead(
      port,
      'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    ),
  ],
  'paused-sse': async (port) => [
    await pausedAfterHead(port, 'GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
  ],
  'unread-polls': async (port, runMs) => {
    const sockets: Socket[] = [];
    // Spread over the middle of the run, so the later polls meet a full history.
    for (let i = 0; i < POLLS; i++) {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /poll?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
      );
      socket.on('error', () => {});
      socket.pause();
      sockets.push(socket);
      await sleep((runMs * 0.8) / POLLS);
    }
    return sockets;
  },
};

/** The kernel's figure for a process: `VmHWM` (peak RSS) or `VmRSS`, in MB. */
function procMemoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.match(/(\d+)/)?.[1] ?? NaN) / 1024;
}

interface CaseResult {
  name: string;
  peakRssMb: number;
  endRssMb: number;
  slowConsumers: string;
}

async function runCase(name: string, badClient: BadClient): Promise<CaseResult> {
  const serveArgs = [
    'serve',
    '--port',
    '0',
    '--rate',
    args.rate,
    '--payload-bytes',
    args['payload-bytes'],
    ...(args.policy ? ['--slow-consumer-policy', args.policy] : []),
  ];
  const server = spawn(process.execPath, [join(args.root, 'bin/feedbench.js'), ...serveArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  server.stdout.on('data', (d: Buffer) => (out += d.toString()));
  while (!/127\.0\.0\.1:(\d+)/.test(out)) await sleep(50);
  const port = Number(out.match(/127\.0\.0\.1:(\d+)/)?.[1]);
  const startedMs = Date.now();
  const sockets = await badClient(port, SECONDS * 1000);
  await sleep(Math.max(0, SECONDS * 1000 - (Date.now() - startedMs)));
  const pid = required(server.pid, "the server's pid");
  const result = {
    name,
    peakRssMb: procMemoryMb(pid, 'VmHWM'),
    endRssMb: procMemoryMb(pid, 'VmRSS'),
  };
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (server.exitCode === null) server.kill('SIGKILL');
  for (const socket of sockets) socket.destroy();
  return {
    ...result,
    slowConsumers: out.match(/slow consumers: (.*)/)?.[1] ?? '(not reported by this server)',
  };
}

console.log(
  `server: ${args.root}; ${args.rate} updates/s of ${args['payload-bytes']} bytes for ${SECONDS} s${args.policy ? `; policy ${args.policy}` : ''}`,
);
for (const name of args.cases.split(',')) {
  const badClient = CASES[name];
  if (!badClient) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(', ')}`);
  const r = await runCase(name, badClient);
  console.log(
    `${r.name.padEnd(18)} peak RSS ${r.peakRssMb.toFixed(0).padStart(6)} MB   at end ${r.endRssMb.toFixed(0).padStart(6)} MB   ${r.slowConsumers}`,
  );
}
