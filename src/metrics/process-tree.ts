import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The child PIDs of a process, from every thread's `children` list; empty where /proc has none. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** User + system CPU of one process so far, µs, from the kernel's accounting; 0 when it is gone. */
export function cpuUsOf(pid: number): number {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
  } catch {
    return 0;
  }
}

/** Every live descendant of a process (its children, theirs, ...). */
function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const pending = childrenOf(pid);
  for (let child = pending.pop(); child !== undefined; child = pending.pop()) {
    found.push(child);
    pending.push(...childrenOf(child));
  }
  return found;
}

/**
 * A process's proportional set size (its private memory plus its share of what it shares), bytes; 0
 * when unknown.
 */
function pssBytesOf(pid: number): number {
  try {
    const kib = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Memory of every live descendant of a process, bytes: proportional set sizes, so the pages a
 * browser's processes share are counted once among them, not once each. 0 without /proc.
 */
export function descendantsPssBytes(pid: number = process.pid): number {
  return descendantsOf(pid).reduce((sum, child) => sum + pssBytesOf(child), 0);
}

/**
 * CPU used so far by every live descendant of a process (its children, theirs, ...), µs, from
 * the kernel's accounting in /proc; 0 where there is no /proc. A browser the driver started is
 * such a tree: its CPU is the driver's cost too.
 */
export function descendantsCpuUs(pid: number = process.pid): number {
  return descendantsOf(pid).reduce((sum, child) => sum + cpuUsOf(child), 0);
}
