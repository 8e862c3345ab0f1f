import { randomBytes } from 'node:crypto';
import { pin, startChild, type ChildTracker, type StartedChild } from '../process/children.ts';
import { isInstalled } from '../process/external-program.ts';
import { IPC_TIMEOUT_MS } from '../process/ipc.ts';
import type {
  ServerProcessOptions,
  ServerProtocol,
  ServerSample,
} from '../server/server-messages.ts';
import type { ServerSide } from '../server/server-side.ts';
import { sumSlowConsumerCounts } from '../transports/shared/push-cursor.ts';
import type {
  ClusterProtocol,
  InstanceOptions,
  PublisherOptions,
  PublisherProtocol,
  SharedFeedOptions,
} from './scaleout-messages.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaproxy } from './haproxy.ts';
import { startRedis } from './redis-server.ts';
import { required } from '../metrics/required.ts';

const INSTANCE_MODULE = new URL('./instance-process.ts', import.meta.url);
const PRIMARY_MODULE = new URL('./cluster-primary.ts', import.meta.url);
const PUBLISHER_MODULE = new URL('./publisher-process.ts', import.meta.url);

/** Which load balancer fronts the instances: HAProxy when installed, else Node's cluster module. */
export type BalancerKind = 'haproxy' | 'cluster';

/**
 * `auto` resolves to HAProxy when Debian's package is installed, Node's cluster module otherwise.
 */
export function resolveBalancer(requested: 'auto' | BalancerKind): BalancerKind {
  if (requested !== 'auto') return requested;
  return isInstalled('haproxy') ? 'haproxy' : 'cluster';
}

/**
 * How the instances share the feed: the publisher process's local socket (one host, no external
 * service), or Redis.
 */
export type BackplaneKind = 'local' | 'redis';

/**
 * `auto` is Redis when a Redis URL is given, the local backplane otherwise: one host needs no
 * external service.
 */
export function resolveBackplane(
  requested: 'auto' | BackplaneKind,
  redisUrl: string | undefined,
): BackplaneKind {
  if (requested !== 'auto') return requested;
  return redisUrl ? 'redis' : 'local';
}

/** K server instances behind one address, sharing one feed through the local backplane or Redis. */
export interface ServerGroup extends ServerSide {
  readonly balancer: BalancerKind;
  readonly backplane: BackplaneKind;
  /** SIGKILLs instance `index` (the failover experiment); returns when it has gone. */
  kill(index: number): void;
  /** Redis's CPU time so far, µs; null with the local backplane. */
  redisCpuUs(): Promise<number | null>;
  /** Scheduled updates the publisher could not write to Redis so far. */
  publishFailures(): Promise<number>;
  /**
   * Deletes the feed's keys from Redis, through the publisher (a Redis shared with other work keeps
   * nothing of ours).
   */
  close(): Promise<void>;
}

/**
 * Where the feed is shared: a socket in a folder of its own (removed with the group), or Redis
 * (feedbench's own, or `redisUrl`).
 */
async function sharedFeedFor(
  backplane: BackplaneKind,
  redisUrl: string | undefined,
  tracker: ChildTracker,
): Promise<{ feed: SharedFeedOptions; remove: () => void }> {
  if (backplane === 'local') {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-feed-'));
    return {
      feed: { kind: 'local', socketPath: join(dir, 'feed.sock') },
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const redis = await startRedis(redisUrl);
  if (redis.program) tracker.child(redis.program.keeper);
  return {
    feed: {
      kind: 'redis',
      redisUrl: redis.url,
      feedName: `${process.pid}-${randomBytes(4).toString('hex')}`,
    },
    remove: () => {},
  };
}

/**
 * Starts a scale-out cell's server side: the feed's publisher process (the local backplane's hub,
 * or a writer into Redis, which is started here unless `redisUrl` names one), K instances and the
 * balancer. Everything started goes on `tracker`, which the caller stops (the keepers of
 * redis-server and haproxy take their programs along).
 */
export async function startServerGroup(
  options: {
    instances: number;
    balancer: BalancerKind;
    backplane: BackplaneKind;
    redisUrl?: string;
    server: ServerProcessOptions;
    cores?: number[];
  },
  tracker: ChildTracker,
): Promise<ServerGroup> {
  const { feed: sharedFeed, remove: removeFeed } = await sharedFeedFor(
    options.backplane,
    options.redisUrl,
    tracker,
  );
  const publisherOptions: PublisherOptions = {
    sharedFeed,
    historySize: options.server.historySize,
    historyBytes: options.server.historyBytes,
  };
  const publisher = await startChild<PublisherProtocol>(
    'publisher',
    PUBLISHER_MODULE,
    [JSON.stringify(publisherOptions)],
    { readyTimeoutMs: 20_000 },
  );
  tracker.child(publisher);
  const serverOptions: InstanceOptions = { ...options.server, sharedFeed };

  const { port, pids, ask } = await startInstances(options, serverOptions, tracker);
  const cores = options.cores;
  const pinned = cores !== undefined && pids.every((pid) => pin(pid, cores));

  const killed = new Set<number>();
  const lastSample = new Map<number, ServerSample>();
  const live = () => pids.map((_, i) => i).filter((i) => !killed.has(i));

  return {
    port,
    ownPorts: {},
    cores: pinned ? options.cores : undefined,
    balancer: options.balancer,
    backplane: options.backplane,
    async sample(gc = false) {
      const samples = await Promise.all(
        pids.map(async (_, i) => {
          if (!killed.has(i)) lastSample.set(i, await ask(i, 'sample', { gc }));
          // A killed instance was sampled before it died (the window opens before the kill).
          return required(lastSample.get(i), `a sample of instance ${i}`);
        }),
      );
      return sumSamples(samples, killed);
    },
    feed: (settings) => publisher.ipc.request('feed', settings),
    publishLag: () => publisher.ipc.request('publish-lag', null),
    windowRange: (fromUs, toUs) =>
      ask(required(live()[0], 'a live instance'), 'window-range', { fromUs, toUs }),
    kill(index) {
      killed.add(index);
      process.kill(required(pids[index], `instance ${index}'s pid`), 'SIGKILL');
    },
    redisCpuUs: () => publisher.ipc.request('redis-cpu', null),
    publishFailures: () => publisher.ipc.request('failures', null),
    // Before the publisher is stopped: a Redis shared with other work keeps nothing of ours; the
    // local socket's folder goes.
    close: () => publisher.ipc.request('delete-feed', null).then(removeFeed, removeFeed),
  };
}

/** Asks instance `index` of the group over IPC. */
type AskInstance = <K extends keyof ServerProtocol>(
  index: number,
  kind: K,
  payload: ServerProtocol[K]['request'],
) => Promise<ServerProtocol[K]['reply']>;

/**
 * K instances behind the balancer the options name: Node's cluster primary (which starts them as
 * its workers) or HAProxy in front of K server processes.
 */
async function startInstances(
  options: { instances: number; balancer: BalancerKind },
  serverOptions: InstanceOptions,
  tracker: ChildTracker,
): Promise<{ port: number; pids: number[]; ask: AskInstance }> {
  if (options.balancer === 'cluster') {
    const primary = await startChild<ClusterProtocol>(
      'cluster',
      PRIMARY_MODULE,
      [JSON.stringify({ instances: options.instances, server: serverOptions })],
      { readyTimeoutMs: 30_000 },
    );
    tracker.child(primary);
    const ask: AskInstance = async (index, kind, payload) =>
      await primary.ipc.request(
        'instance',
        { index, kind, payload, timeoutMs: IPC_TIMEOUT_MS },
        IPC_TIMEOUT_MS + 1_000,
      );
    return { port: primary.info.port as number, pids: primary.info.pids as number[], ask };
  }
  const servers: StartedChild<ServerProtocol>[] = [];
  for (let i = 0; i < options.instances; i++) {
    const server = await startChild<ServerProtocol>(
      `instance ${i}`,
      INSTANCE_MODULE,
      [JSON.stringify(serverOptions)],
      { readyTimeoutMs: 20_000, nodeOptions: ['--expose-gc'] },
    );
    tracker.child(server);
    servers.push(server);
  }
  const haproxy = await startHaproxy(servers.map((s) => s.info.port as number));
  tracker.child(haproxy.program.keeper);
  const ask: AskInstance = (index, kind, payload) =>
    required(servers[index], `instance ${index}`).ipc.request(kind, payload, IPC_TIMEOUT_MS);
  return { port: haproxy.port, pids: servers.map((s) => s.info.pid as number), ask };
}

/** The group's sample: the instances' figures summed (a killed one's connections are gone). */
function sumSamples(samples: ServerSample[], killed: ReadonlySet<number>): ServerSample {
  const liveBytes = samples.map((s) => s.liveBytes);
  return {
    cpuUs: samples.reduce((sum, s) => sum + s.cpuUs, 0),
    rssBytes: samples.reduce((sum, s) => sum + s.rssBytes, 0),
    connections: samples.reduce((sum, s, i) => sum + (killed.has(i) ? 0 : s.connections), 0),
    wireBytes: {
      // The instances are feedbench's own servers, each of which counts its bytes.
      read: samples.reduce((sum, s) => sum + (s.wireBytes?.read ?? 0), 0),
      written: samples.reduce((sum, s) => sum + (s.wireBytes?.written ?? 0), 0),
    },
    liveBytes: liveBytes.some((b) => b === null)
      ? null
      : liveBytes.reduce<number>((sum, b) => sum + (b ?? 0), 0),
    peakRssBytes: samples.reduce((sum, s) => sum + s.peakRssBytes, 0),
    slowConsumers: sumSlowConsumerCounts(samples.map((s) => s.slowConsumers)),
    // The instances publish nothing of their own (the publisher process does): no spin to take
    // out.
    spinUs: samples.reduce((sum, s) => sum + s.spinUs, 0),
  };
}
