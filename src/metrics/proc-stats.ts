import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * Established TCP connections whose local port is one of `ports`, in this network namespace (a
 * server's accepted connections, for a server feedbench did not write); 0 without /proc.
 */
export function establishedOnPorts(ports: readonly number[]): number {
  const wanted = new Set(ports.map((p) => p.toString(16).toUpperCase().padStart(4, '0')));
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // "  sl  local_address rem_address   st ...": local is ADDR:PORT in hex.
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (fields[3] === ESTABLISHED && local && wanted.has(local.slice(local.indexOf(':') + 1)))
        count++;
    }
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
