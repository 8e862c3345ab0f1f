import { availableParallelism } from 'node:os';
import { DriverGroup, driverProcessCount } from './driver-group.ts';
import type { ServerProcessOptions, ServerProtocol } from '../../server/server-messages.ts';
import { singleServer, type ServerSide } from '../../server/server-side.ts';
import { selfSignedCertificate, type TlsMaterial } from '../../server/tls-certificate.ts';
import { onLossyLink } from '../../netem/profiles.ts';
import type { LossyLink } from '../../netem/lossy-link.ts';
import { profileOfCell } from '../cell-network.ts';
import { LossyLinks } from './lossy-links.ts';
import { startFrontProxy } from './front-proxy.ts';
import type { BrowserNetwork } from '../../driver/browser/chromium-network.ts';
import { startChild } from '../../process/children.ts';
import {
  resolveBackplane,
  resolveBalancer,
  startServerGroup,
  type ServerGroup,
} from '../../scaleout/server-group.ts';
import { targetSide, type TargetOfRig } from './target-side.ts';
import type { Cell } from '../cells.ts';
import type { Scenario } from '../scenario.ts';
import { slowRead } from '../slow-consumers.ts';
import type { Teardown } from './teardown.ts';
import { ServerPool, type KeptServer } from './server-pool.ts';
import { serverKey, serverOptions } from './server-options.ts';
import { startNchanServer } from './nchan-server.ts';
import { startSocketIoServer } from './socketio-server.ts';
import type { ProcessPools } from './process-pools.ts';
import { settleMsOf } from './settle.ts';

const SERVER_MODULE = new URL('../../server/server-process.ts', import.meta.url);
const PROXY_MODULE = new URL('../../netem/proxy-process.ts', import.meta.url);
/** How long a child may take to say it is ready, ms. */
const READY_TIMEOUT_MS = 20_000;

/** The processes of one cell, started and ready: what the phases drive. */
export interface Rig {
  /**
   * The server side: one process, K instances behind a balancer, or a target feedbench did not
   * start.
   */
  readonly server: ServerSide;
  /** The K instances, when the cell scales out. */
  readonly group: ServerGroup | undefined;
  /**
   * A target's URL (and, for https, the CA to trust: absent, the system's) and clock against ours;
   * undefined for feedbench's own server.
   */
  readonly target: TargetOfRig | undefined;
  /** Where the clients connect (the proxy's port under a network profile) and over what. */
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMaterial | undefined;
  readonly driver: DriverGroup;
  readonly driverProcesses: number;
  /**
   * Warm-up the cell adds to the scenario's, ms: `settleMs` on a server that has not yet run this
   * transport, 0 on a kept one that has.
   */
  readonly settleMs: number;
  /** The server was kept from an earlier cell (its RSS holds what those cells used). */
  readonly serverReused: boolean;
  /**
   * The lossy link the clients and the proxy run in, set to the cell's loss; undefined when the
   * cell's network drops nothing.
   */
  readonly lossyLink: LossyLink | undefined;
  /** How browser pages reach a front proxy (caddy); undefined without one. */
  readonly browserNetwork: BrowserNetwork | undefined;
}

/** Server on the first core, driver on the others; with one core, no pinning. */
export function defaultCores(): { server: number[]; driver: number[] } | undefined {
  const n = availableParallelism();
  if (n < 2) return undefined;
  return { server: [0], driver: Array.from({ length: n - 1 }, (_, i) => i + 1) };
}

/** What makes a server warm for a cell: the code paths of its transport and HTTP version. */
const warmKey = (cell: Cell) => `${cell.params.transport} ${cell.params.http}`;

/**
 * One server process of feedbench's own for the cell: kept from an earlier cell when `servers`
 * has one started with the same options (not for slow consumers, whose counts are the server's
 * since it started), else a new one, kept afterwards when the cell finished.
 */
async function ownServer({
  cell,
  scenario,
  options,
  teardown,
  cores,
  servers,
}: ServerSideArgs): Promise<Pick<Rig, 'server' | 'settleMs' | 'serverReused'>> {
  const start = () =>
    startChild<ServerProtocol>('server', SERVER_MODULE, [JSON.stringify(options)], {
      cores,
      readyTimeoutMs: READY_TIMEOUT_MS,
      nodeOptions: ['--expose-gc'],
    });
  if (!servers || cell.params.slow_consumers) {
    const child = teardown.child(await start());
    return { server: singleServer(child), settleMs: settleMsOf(scenario), serverReused: false };
  }
  const key = serverKey(options, cores);
  const taken = servers.take(key);
  const kept: KeptServer = taken ?? ServerPool.fresh(await start(), key);
  const warm = kept.warm.has(warmKey(cell));
  teardown.lend(kept.server, () => {
    kept.warm.add(warmKey(cell));
    return servers.giveBack(kept);
  });
  return {
    server: singleServer(kept.server),
    settleMs: warm ? 0 : settleMsOf(scenario),
    serverReused: taken !== undefined,
  };
}

/** What starting a cell's server side takes. */
interface ServerSideArgs {
  readonly cell: Cell;
  readonly scenario: Scenario;
  readonly options: ServerProcessOptions;
  readonly teardown: Teardown;
  readonly cores: number[] | undefined;
  /** Servers kept between cells, when the scenario keeps them. */
  readonly servers: ServerPool | undefined;
}

/** Starts the cell's server side, pushing what it starts on `teardown`. */
async function startServerSide(
  args: ServerSideArgs,
): Promise<Pick<Rig, 'server' | 'group' | 'target' | 'settleMs' | 'serverReused'>> {
  const { cell, scenario, options, teardown, cores } = args;
  const p = cell.params;
  // A server feedbench did not start.
  if (scenario.target) {
    // Not settled: its CPU is not read here, and it was running before the run.
    const { server, target } = await targetSide(scenario, p, teardown);
    return { server, group: undefined, target, settleMs: 0, serverReused: false };
  }
  if (p.server === 'nchan') {
    const server = await startNchanServer(p, options, cores, teardown, READY_TIMEOUT_MS);
    // Not settled: nginx is C, with nothing to warm.
    return { server, group: undefined, target: undefined, settleMs: 0, serverReused: false };
  }
  if (p.server === 'socket.io') {
    // Behind caddy (HTTP/3 included), the server speaks HTTP/1.1 to caddy.
    const http = p.http === '3' || p.front_proxy ? '1.1' : p.http;
    const server = await startSocketIoServer(options, http, cores, teardown, READY_TIMEOUT_MS);
    // Node, as feedbench's own server: settled before its first window.
    return {
      server,
      group: undefined,
      target: undefined,
      settleMs: settleMsOf(scenario),
      serverReused: false,
    };
  }
  if (p.instances > 1) {
    const group = await startServerGroup(
      {
        instances: p.instances,
        balancer: resolveBalancer(p.balancer ?? 'auto'),
        backplane: resolveBackplane(scenario.scaleOut.backplane, scenario.scaleOut.redisUrl),
        redisUrl: scenario.scaleOut.redisUrl,
        server: options,
        cores,
      },
      teardown,
    );
    teardown.cleanup(() => group.close());
    return {
      server: group,
      group,
      target: undefined,
      settleMs: settleMsOf(scenario),
      serverReused: false,
    };
  }
  const own = await ownServer(args);
  return { ...own, group: undefined, target: undefined };
}

/**
 * Starts a cell's processes: the server side, a network proxy when the profile is not loopback,
 * and the driver processes. With `pools`, drivers (never for browser pages, which own their
 * browser) and the server are taken from them where they have them, and go back to them.
 * Everything started goes on `teardown`, which the caller runs whatever happens, so a failure
 * half-way leaves nothing behind.
 */
export async function startRig(
  cell: Cell,
  scenario: Scenario,
  teardown: Teardown,
  pools: ProcessPools = {},
): Promise<Rig> {
  const p = cell.params;
  const profile = profileOfCell(p);
  const lossyLink = onLossyLink(profile) ? lossyLinkFor(pools, teardown) : undefined;
  lossyLink?.setLoss(profile?.lossPercent ?? 0);
  const cores = scenario.cores ?? defaultCores();
  // feedbench's own certificate for its own server; an https target brings its own.
  // Behind caddy, TLS ends at caddy, with a certificate of its own.
  const tls = p.tls && !scenario.target && !p.front_proxy ? selfSignedCertificate() : undefined;
  // The drivers need nothing from the server to start: both start at once (each process takes
  // most of a second to load), and a failure of either still leaves everything to the teardown.
  const { agents } = pools;
  const driverProcesses = agents
    ? agents.drivers.length
    : driverProcessCount(scenario.driverProcesses, p.clients, cores?.driver.length ?? 1);
  const read = slowRead(p);
  const drivers = agents
    ? Promise.resolve(DriverGroup.onAgentsOf(agents.drivers, p.clients, teardown))
    : DriverGroup.start(
        driverProcesses,
        p.clients,
        cores?.driver,
        teardown,
        read && p.slow_consumers ? { clients: p.slow_consumers.clients, read } : undefined,
        p.client_kind === 'browser' || lossyLink ? undefined : pools.drivers,
        lossyLink?.clients.namespace,
      );
  drivers.catch(() => {}); // awaited below; a rejection before then is not unhandled
  // Agents, and a lossy link's hop, reach the run's own server on the host's end of their links.
  const listenHost = agents?.serverHost ?? lossyLink?.hostAddress ?? '127.0.0.1';
  const side = await startServerSide({
    cell,
    scenario,
    options: { ...serverOptions(cell, scenario, tls), host: listenHost },
    teardown,
    cores: cores?.server,
    servers: pools.servers,
  });
  let port = side.server.ownPorts[p.transport] ?? side.server.port;
  const targetHost = side.target?.url.hostname ?? listenHost;
  if (p.front_proxy) {
    const front = await startFrontProxy(p, { host: targetHost, port }, lossyLink, teardown);
    return { ...side, ...front, driver: await drivers, driverProcesses, lossyLink };
  }
  // On a lossy link, the proxy listens in the hop's namespace, where the clients' packets come.
  const proxyHost = lossyLink?.hop.address ?? listenHost;
  if (profile)
    port = await startNetworkProxy(
      profile,
      { host: targetHost, port },
      listenHost,
      lossyLink,
      teardown,
    );
  const driver = await drivers;
  return {
    ...side,
    host: profile ? proxyHost : targetHost,
    port,
    tls,
    driver,
    driverProcesses,
    lossyLink,
    browserNetwork: undefined,
  };
}

/**
 * Starts the profile's delay proxy in front of the server, and returns its port. On a lossy link
 * it runs in the hop's namespace, listening on every address there.
 */
async function startNetworkProxy(
  profile: NonNullable<ReturnType<typeof profileOfCell>>,
  target: { host: string; port: number },
  listenHost: string,
  lossyLink: LossyLink | undefined,
  teardown: Teardown,
): Promise<number> {
  // The proxy is left unpinned: on two cores, server and driver have one each.
  const proxy = teardown.child(
    await startChild(
      'proxy',
      PROXY_MODULE,
      [JSON.stringify({ profile, target, listenHost: lossyLink ? '0.0.0.0' : listenHost })],
      { readyTimeoutMs: READY_TIMEOUT_MS, namespace: lossyLink?.hop.namespace },
    ),
  );
  return proxy.info.port as number;
}

/** The run's lossy link, or one of the cell's own (removed with it) when the run keeps none. */
function lossyLinkFor(pools: ProcessPools, teardown: Teardown): LossyLink {
  if (pools.lossyLinks) return pools.lossyLinks.get();
  const own = new LossyLinks();
  teardown.cleanup(() => Promise.resolve(own.close()));
  return own.get();
}
