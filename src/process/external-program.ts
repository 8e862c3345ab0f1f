import { spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { killProgramWith, startChild, type StartedChild } from './children.ts';

const KEEPER_MODULE = new URL('./binary-keeper.ts', import.meta.url);

/** True when `command` is on the PATH. */
export function isInstalled(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * A loopback port nobody listens on now (the OS picks it; a race with other programs is possible
 * but rare).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once something accepts TCP connections on host:port (loopback unless given), or rejects
 * after `timeoutMs`.
 */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  what: string,
  host = '127.0.0.1',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(20);
  }
  throw new Error(`${what} did not listen on ${host}:${port} within ${timeoutMs} ms`);
}

/** An external program started through a keeper; `pid` is the program's own. */
export interface StartedProgram {
  readonly keeper: StartedChild;
  readonly pid: number;
}

/**
 * Starts an external program under a keeper process (so it dies with feedbench) and waits until
 * it listens on `port` (of `host`: loopback unless given).
 */
export async function startProgram(
  name: string,
  command: string,
  args: string[],
  port: number,
  host?: string,
): Promise<StartedProgram> {
  const keeper = await startChild(name, KEEPER_MODULE, [JSON.stringify({ command, args })], {
    readyTimeoutMs: 10_000,
  });
  const pid = keeper.info.pid as number;
  killProgramWith(keeper.process, pid);
  await waitForPort(port, 10_000, name, host);
  return { keeper, pid };
}
