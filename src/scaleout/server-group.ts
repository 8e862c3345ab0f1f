import { randomBytes } from 'node:crypto';
import type { PercentileSummary } from '../metrics/histogram.ts';
import { pin, startChild, type StartedChild } from '../process/children.ts';
import { isInstalled } from '../process/external-program.ts';
import type { ServerProcessOptions, ServerSample } from '../server/server-messages.ts';
import type { ServerSide } from '../run/server-side.ts';
import { startHaproxy } from './haproxy.ts';
import { startRedis } from './redis-server.ts';

const SERVER_MODULE = new URL('../server/server-process.ts', import.meta.url);
const PRIMARY_MODULE = new URL('./cluster-primary.ts', import.meta.url);
const PUBLISHER_MODULE = new URL('./publisher-process.ts', import.meta.url);
const IPC_TIMEOUT_MS = 10_000;

/** Which load balancer fronts the instances: HAProxy when installed, else Node's cluster module. */
export type BalancerKind = 'haproxy' | 'cluster';

/** `auto` resolves to HAProxy when Debian's package is installed, Node's cluster module otherwise. */
export function resolveBalancer(requested: 'auto' | BalancerKind): BalancerKind {
  if (requested !== 'auto') return requested;
  return isInstalled('haproxy') ? 'haproxy' : 'cluster';
}

/** K server instances behind one address, sharing one feed through Redis. */
export interface ServerGroup extends ServerSide {
  readonly balancer: BalancerKind;
  /** SIGKILLs instance `index` (the failover experiment); returns when it has gone. */
  kill(index: number): void;
  /** Redis's CPU time so far, µs. */
  redisCpuUs(): Promise<number>;
  /** Scheduled updates the publisher could not write to Redis so far. */
  publishFailures(): Promise<number>;
  /** Deletes the feed's keys from Redis, through the publisher (a Redis shared with other work keeps nothing of ours). */
  close(): Promise<void>;
}

/**
 * Starts a scale-out cell's server side: Redis (feedbench's own, or `redisUrl`), the feed's
 * publisher process, K instances and the balancer. Everything started is pushed on `children`,
 * which the caller stops (the keepers of redis-server and haproxy take their programs along).
 */
export async function startServerGroup(
  options: { instances: number; balancer: BalancerKind; redisUrl?: string; server: ServerProcessOptions; cores?: number[] },
  children: StartedChild[],
): Promise<ServerGroup> {
  const redis = await startRedis(options.redisUrl);
  if (redis.program) children.push(redis.program.keeper);
  const feedName = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const sharedFeed = { redisUrl: redis.url, feedName };
  const publisher = await startChild('publisher', PUBLISHER_MODULE, [JSON.stringify({ ...sharedFeed, historySize: options.server.historySize })], { readyTimeoutMs: 20_000 });
  children.push(publisher);
  const serverOptions: ServerProcessOptions = { ...options.server, sharedFeed };

  let port: number;
  let pids: number[];
  let ask: (index: number, kind: string, payload: unknown) => Promise<unknown>;
  if (options.balancer === 'cluster') {
    const primary = await startChild('cluster', PRIMARY_MODULE, [JSON.stringify({ instances: options.instances, server: serverOptions })], { readyTimeoutMs: 30_000 });
    children.push(primary);
    port = primary.info.port as number;
    pids = primary.info.pids as number[];
    ask = (index, kind, payload) => primary.ipc.request('instance', { index, kind, payload, timeoutMs: IPC_TIMEOUT_MS }, IPC_TIMEOUT_MS + 1_000);
  } else {
    const servers: StartedChild[] = [];
    for (let i = 0; i < options.instances; i++) {
      const server = await startChild(`instance ${i}`, SERVER_MODULE, [JSON.stringify(serverOptions)], { readyTimeoutMs: 20_000, nodeOptions: ['--expose-gc'] });
      children.push(server);
      servers.push(server);
    }
    const haproxy = await startHaproxy(servers.map((s) => s.info.port as number));
    children.push(haproxy.program.keeper);
    port = haproxy.port;
    pids = servers.map((s) => s.info.pid as number);
    ask = (index, kind, payload) => servers[index]!.ipc.request(kind, payload, IPC_TIMEOUT_MS);
  }
  const pinned = options.cores !== undefined && pids.every((pid) => pin(pid, options.cores!));

  const killed = new Set<number>();
  const lastSample = new Map<number, ServerSample>();
  const live = () => pids.map((_, i) => i).filter((i) => !killed.has(i));
  const askPublisher = <T>(kind: string) => publisher.ipc.request<T>(kind, null, IPC_TIMEOUT_MS);

  return {
    port,
    rawPort: null,
    cores: pinned ? options.cores : undefined,
    balancer: options.balancer,
    async sample(gc = false) {
      const samples = await Promise.all(pids.map(async (_, i) => {
        if (!killed.has(i)) lastSample.set(i, (await ask(i, 'sample', { gc })) as ServerSample);
        return lastSample.get(i)!;
      }));
      const liveBytes = samples.map((s) => s.liveBytes);
      return {
        cpuUs: samples.reduce((sum, s) => sum + s.cpuUs, 0),
        rssBytes: samples.reduce((sum, s) => sum + s.rssBytes, 0),
        connections: samples.reduce((sum, s, i) => sum + (killed.has(i) ? 0 : s.connections), 0),
        liveBytes: liveBytes.every((b) => b !== null) ? liveBytes.reduce((sum, b) => sum + b!, 0) : null,
      };
    },
    feed: (settings) => publisher.ipc.request('feed', settings, IPC_TIMEOUT_MS),
    publishLag: () => askPublisher<PercentileSummary | null>('publish-lag'),
    windowRange: async (fromUs, toUs) => (await ask(live()[0]!, 'window-range', { fromUs, toUs })) as { first: number; last: number } | null,
    kill(index) {
      killed.add(index);
      process.kill(pids[index]!, 'SIGKILL');
    },
    redisCpuUs: () => askPublisher<number>('redis-cpu'),
    publishFailures: () => askPublisher<number>('failures'),
    // Before the publisher is stopped: a Redis shared with other work keeps nothing of ours.
    close: () => askPublisher('delete-feed').then(() => {}),
  };
}

