import {
  freePort,
  isInstalled,
  startProgram,
  type StartedProgram,
} from '../process/external-program.ts';

/** A Redis for one run: feedbench's own `redis-server`, or the user's (`--redis URL`). */
export interface RedisTarget {
  readonly url: string;
  /** Present when feedbench started it (and must stop it). */
  readonly program?: StartedProgram;
}

/** Why there is no Redis to use, said so that the user knows what to do. */
export class RedisUnavailableError extends Error {}

/**
 * Starts Debian's `redis-server` on a free loopback port with persistence off (no RDB snapshots,
 * no AOF: a benchmark's feed is not worth a disk write), or uses `url` when given.
 */
export async function startRedis(url?: string): Promise<RedisTarget> {
  if (url) return { url };
  if (!isInstalled('redis-server')) {
    throw new RedisUnavailableError(
      'several instances need a Redis backplane, and redis-server is not installed: install it (apt-get install redis-server) or pass --redis URL',
    );
  }
  const port = await freePort();
  const program = await startProgram(
    'redis-server',
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
      '--loglevel',
      'warning',
    ],
    port,
  );
  return { url: `redis://127.0.0.1:${port}`, program };
}
