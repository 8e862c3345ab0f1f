import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { IpcClient, type IpcProtocol, type ReadyMessage } from './ipc.ts';
import { childEntry } from './child-entry.ts';

/** A started child process that announced it was ready. */
export interface StartedChild<P extends IpcProtocol = IpcProtocol> {
  readonly name: string;
  readonly process: ChildProcess;
  readonly ipc: IpcClient<P>;
  /** What the child sent with its readiness (its port, say). */
  readonly info: Record<string, unknown>;
  /** CPU cores it is pinned to, or undefined when not pinned. */
  readonly cores: number[] | undefined;
}

/** Where started children are kept so that they are stopped at the end (a cell's Teardown). */
export interface ChildTracker {
  child<T extends Pick<StartedChild<never>, 'process'>>(child: T): T;
}

const live = new Set<ChildProcess>();
/** The external program each keeper child runs, by the keeper (external-program.ts). */
const programs = new Map<ChildProcess, number>();
let guardsInstalled = false;

/**
 * Has `killAllChildren` end `child`'s program (pid `programPid`) with it: a keeper killed outright
 * cannot end its program, which would outlive feedbench.
 */
export function killProgramWith(child: ChildProcess, programPid: number): void {
  programs.set(child, programPid);
  child.once('exit', () => programs.delete(child));
}

/**
 * Ends every child still running, and the programs their keepers run (SIGKILL: they hold nothing
 * worth saving). A program is ended only while its keeper lives: until then its PID is not free
 * for another process (the keeper exits as soon as its program does). Safe to call twice.
 */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const program = programs.get(child);
    if (program !== undefined) killQuietly(program);
    child.kill('SIGKILL');
  }
  live.clear();
}

/** SIGKILL to a PID that may have gone meanwhile. */
function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/**
 * Ends every child (and what `process.once('exit')` listeners clean up) on SIGINT, SIGTERM and
 * SIGHUP as on a normal exit: without it a signal ends Node without its 'exit' event. Idempotent.
 */
export function installExitGuards(): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** True when `taskset` is on the PATH (Linux util-linux). */
export const hasTaskset: boolean =
  spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/** Pins every thread of a process to the given cores; returns false if that failed. */
export function pin(pid: number, cores: number[]): boolean {
  return (
    spawnSync('taskset', ['-a', '-p', '-c', cores.join(','), String(pid)], { stdio: 'ignore' })
      .status === 0
  );
}

/** Environment variable naming a folder: each child then writes a V8 CPU profile under it. */
export const CPU_PROFILE_ENV = 'FEEDBENCH_CPU_PROF';

/**
 * `--cpu-prof` flags when FEEDBENCH_CPU_PROF names a folder: a child's profile goes to a subfolder
 * named after its role (server, driver-0), written when it exits (SIGTERM exits cleanly).
 */
function profileFlags(name: string): string[] {
  const dir = process.env[CPU_PROFILE_ENV];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${name.replace(/[^\w.-]/g, '_')}`] : [];
}

/**
 * Forks a TypeScript module (bundled, see child-entry.ts) as a child process, waits for its `ready`
 * message, and pins it to `cores` where `taskset` exists. The child is killed if the parent exits,
 * is interrupted or crashes, and (through `exitWithParent`) exits by itself if the parent dies
 * without a word.
 */
export async function startChild<P extends IpcProtocol = IpcProtocol>(
  name: string,
  moduleUrl: URL,
  args: string[],
  options: {
    cores?: number[];
    readyTimeoutMs: number;
    nodeOptions?: string[];
    /** A network namespace to run in (`ip netns exec`, which execs: the PID stays the child's). */
    namespace?: string | undefined;
  },
): Promise<StartedChild<P>> {
  installExitGuards();
  const entry = await childEntry(moduleUrl);
  const execArgv = [...entry.execArgv, ...(options.nodeOptions ?? []), ...profileFlags(name)];
  const child = fork(entry.url, args, {
    ...(options.namespace
      ? {
          execPath: 'ip',
          execArgv: ['netns', 'exec', options.namespace, process.execPath, ...execArgv],
        }
      : { execArgv }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const ipc = new IpcClient<P>(child, name);
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} was not ready within ${options.readyTimeoutMs} ms`));
    }, options.readyTimeoutMs);
    child.on('message', (message: ReadyMessage) => {
      if (message?.kind !== 'ready') return;
      clearTimeout(timer);
      resolve(message.info);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? `code ${code}`})`));
    });
  });
  const pinned =
    options.cores && hasTaskset && child.pid !== undefined && pin(child.pid, options.cores);
  return { name, process: child, ipc, info, cores: pinned ? options.cores : undefined };
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(
  child: Pick<StartedChild<never>, 'process'>,
  graceMs = 2_000,
): Promise<void> {
  const p = child.process;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
