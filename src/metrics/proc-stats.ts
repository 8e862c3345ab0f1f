import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * A process's resident set size now and at its largest (the kernel's VmRSS and VmHWM), bytes; 0
 * each when it is gone.
 */
export function memoryOf(pid: number): { rssBytes: number; peakRssBytes: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssBytes: kib('VmRSS') * 1024, peakRssBytes: kib('VmHWM') * 1024 };
  } catch {
    return { rssBytes: 0, peakRssBytes: 0 };
  }
}

/** TCP state ESTABLISHED as /proc/net/tcp writes it. */
const ESTABLISHED = '01';
/** A socket's line of /proc/net/tcp(6): its local port and its state, in hex. */
const SOCKET_LINE = /^\s*\d+: [0-9A-F]+:([0-9A-F]{4}) [0-9A-F]+:[0-9A-F]{4} ([0-9A-F]{2})/gm;

/**
 * Established TCP connections whose local port is one of `ports`, in this network namespace (a
 * server's accepted connections, for a server feedbench did not write); 0 without /proc. Read off
 * the event loop: the kernel writes /proc/net/tcp socket by socket, 7-13 ms for 2,000 sockets
 * here, and the process that asks (nchan's) also publishes the feed; read at once, it delayed the
 * updates due at that moment (nchan's p99 at 25 clients and 20 updates/s went from 1-10 ms to
 * 26-38 ms beside 8,800 other sockets).
 */
export async function establishedOnPorts(ports: readonly number[]): Promise<number> {
  const wanted = new Set(ports.map((p) => p.toString(16).toUpperCase().padStart(4, '0')));
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    // "  sl  local_address rem_address   st ...": local is ADDR:PORT in hex. One regular
    // expression over the text, not a split per line: 12,000 sockets parse in about a millisecond.
    for (const [, port, state] of text.matchAll(SOCKET_LINE))
      if (state === ESTABLISHED && port !== undefined && wanted.has(port)) count++;
  }
  return count;
}

/**
 * CPU time of a process so far, µs, to the nanosecond the scheduler counts (the sum of its
 * threads' /proc schedstat), where /proc/PID/stat counts whole 10 ms ticks, too coarse for a C
 * server that spends a few ms a second; `fallback` (the tick count) where schedstat is missing.
 */
export function schedCpuUsOf(pid: number, fallback: (pid: number) => number): number {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  let ns = 0;
  for (const task of tasks) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      return fallback(pid);
    }
  }
  return ns / 1000;
}
