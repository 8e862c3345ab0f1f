import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectRequest, FinishRequest, WindowRequest } from '../driver/driver-messages.ts';
import { DriverGroup, driverProcessCount } from './driver-group.ts';
import type { ServerProcessOptions } from '../server/server-messages.ts';
import { DEFAULT_SERVER_OPTIONS } from '../server/feed-server.ts';
import { selfSignedCertificate } from '../server/tls-certificate.ts';
import { NETWORK_PROFILES, meanRttUs } from '../netem/profiles.ts';
import { nowUs } from '../metrics/clock.ts';
import { latencyModel } from '../stats/latency-models.ts';
import { startChild, stopChild, type StartedChild } from '../process/children.ts';
import { cellMetrics } from './cell-metrics.ts';
import type { Cell, CellParams } from './cells.ts';
import type { CellResult, ScaleOutResult } from './results.ts';
import { singleServer, type ServerSide } from './server-side.ts';
import { estimateClockOffset, externalTarget, probeTarget, type ClockEstimate } from './external-target.ts';
import type { TransportName } from '../protocol/feed-protocol.ts';
import { resolveBalancer, startServerGroup, type ServerGroup } from '../scaleout/server-group.ts';
import { DEFAULT_RECONNECT } from '../transports/reconnect-policy.ts';
import { isLoopbackHost, type Scenario } from './scenario.ts';

const SERVER_MODULE = new URL('../server/server-process.ts', import.meta.url);
const PROXY_MODULE = new URL('../netem/proxy-process.ts', import.meta.url);
const IPC_TIMEOUT_MS = 10_000;

/** Phases of a cell, reported as they begin (for progress displays). */
export type CellPhase = 'starting' | 'connecting' | 'warm-up' | 'measuring' | 'draining';

/** Server on the first core, driver on the others; with one core, no pinning. */
export function defaultCores(): { server: number[]; driver: number[] } | undefined {
  const n = availableParallelism();
  if (n < 2) return undefined;
  return { server: [0], driver: Array.from({ length: n - 1 }, (_, i) => i + 1) };
}

/** Extra time after the window for late arrivals: a poll interval twice over, a few RTTs, and two seconds. */
function drainMs(cell: Cell): number {
  return 2_000 + 2 * (cell.params.poll_interval_ms ?? 0) + (4 * meanRttUs(cell.params.network)) / 1000;
}

/** The cell's expected latency (CLAIMS.md models) for its transport, network and polling. */
function modelFor(p: CellParams): Omit<NonNullable<CellResult['model']>, 'deviation'> {
  const rttUs = meanRttUs(p.network);
  const model = latencyModel({
    transport: p.transport, rttUs, pollIntervalMs: p.poll_interval_ms, pollMode: p.poll_mode, keepAlive: p.keep_alive,
    burst: p.burst ? { size: p.burst.size, gapMs: p.burst.gap_ms } : null,
  });
  return { mean_us: Math.round(model.meanUs), max_us: Math.round(model.maxUs), rtt_us: rttUs, formula: model.formula };
}

/**
 * Deliberate regressions from the environment, for checking that the gate catches them:
 * FEEDBENCH_INJECT_DELAY_MS delays every fan-out, FEEDBENCH_INJECT_HEADER_BYTES pads HTTP answers.
 */
function injectedRegressions(): { inject?: { delayMs: number; headerBytes: number } } {
  const delayMs = Number(process.env.FEEDBENCH_INJECT_DELAY_MS ?? 0);
  const headerBytes = Number(process.env.FEEDBENCH_INJECT_HEADER_BYTES ?? 0);
  return delayMs > 0 || headerBytes > 0 ? { inject: { delayMs, headerBytes } } : {};
}

/**
 * The offset applied to a target's timestamps: none for a monotonic clock on this host (PROTOCOL.md:
 * CLOCK_MONOTONIC is one clock for every process here, and an estimate would only add its error),
 * the NTP-style estimate otherwise.
 */
function appliedOffsetUs(target: URL | undefined, clock: ClockEstimate | null): number {
  if (!target || !clock) return 0;
  return clock.clock === 'monotonic' && isLoopbackHost(target.hostname) ? 0 : clock.offset_us;
}

async function sleepUntilUs(us: number): Promise<void> {
  const ms = (us - nowUs()) / 1000;
  if (ms > 0) await sleep(ms);
}

async function measure(cell: Cell, scenario: Scenario, onPhase: (phase: CellPhase) => void, children: StartedChild[], cleanups: (() => Promise<void>)[], cores: { server: number[]; driver: number[] } | undefined) {
  const p = cell.params;
  const tls = p.tls ? selfSignedCertificate() : undefined;
  const serverOptions: ServerProcessOptions = {
    ...DEFAULT_SERVER_OPTIONS,
    host: '127.0.0.1',
    port: 0,
    wsCompression: p.ws_compression ?? false,
    sseHeartbeatMs: scenario.sse.heartbeatMs,
    rawTcpFloor: p.transport === 'raw-tcp',
    ...(tls ? { tls } : {}),
    ...injectedRegressions(),
  };
  let server: ServerSide;
  let group: ServerGroup | undefined;
  let external: ReturnType<typeof externalTarget> | undefined;
  let clock: ClockEstimate | null = null;
  const target = scenario.target ? new URL(scenario.target) : undefined;
  if (target) {
    // A server feedbench did not start: check it speaks the protocol, and learn its clock.
    await probeTarget(target, [p.transport as TransportName]);
    clock = await estimateClockOffset(target);
    server = external = externalTarget(target);
  } else if (p.instances > 1) {
    group = await startServerGroup({ instances: p.instances, balancer: resolveBalancer(p.balancer ?? 'auto'), redisUrl: scenario.scaleOut.redisUrl, server: serverOptions, cores: cores?.server }, children);
    cleanups.push(() => group!.close());
    server = group;
  } else {
    const child = await startChild('server', SERVER_MODULE, [JSON.stringify(serverOptions)], { cores: cores?.server, readyTimeoutMs: 20_000, nodeOptions: ['--expose-gc'] });
    children.push(child);
    server = singleServer(child);
  }
  let port = (p.transport === 'raw-tcp' ? server.rawPort : server.port) as number;
  if (p.network !== 'loopback') {
    // The proxy is left unpinned: on two cores, server and driver have one each.
    const proxy = await startChild('proxy', PROXY_MODULE, [JSON.stringify({ profile: NETWORK_PROFILES[p.network], target: { host: target?.hostname ?? '127.0.0.1', port } })], { readyTimeoutMs: 20_000 });
    children.push(proxy);
    port = proxy.info.port as number;
  }
  const driverCount = driverProcessCount(scenario.driverProcesses, p.clients, cores?.driver.length ?? 1);
  const driver = await DriverGroup.start(driverCount, p.clients, cores?.driver, children);
  const sample = (gc = false) => server.sample(gc);

  onPhase('connecting');
  const idle = await sample(true);
  const connectRequest: Omit<ConnectRequest, 'clients' | 'firstIndex'> = {
    transport: p.transport,
    workload: p.workload,
    connectConcurrency: scenario.connectConcurrency,
    client: {
      host: target && p.network === 'loopback' ? target.hostname : '127.0.0.1',
      port,
      headerProfile: p.header_profile,
      pollIntervalMs: p.poll_interval_ms ?? 1_000,
      pollMode: p.poll_mode ?? 'fixed-period',
      keepAlive: p.keep_alive ?? true,
      longPollTimeoutMs: p.long_poll_timeout_ms ?? 30_000,
      wsCompression: p.ws_compression ?? false,
      ...(tls ? { tlsCa: tls.cert } : {}),
      // Behind a balancer a connection can drop with its instance: push clients come back as client libraries do.
      ...(group ? { reconnect: DEFAULT_RECONNECT } : {}),
    },
  };
  const connectBudgetMs = 60_000 + Math.ceil(p.clients / scenario.connectConcurrency) * (20 + (3 * meanRttUs(p.network)) / 1000);
  const connect = await driver.connect(connectRequest, connectBudgetMs);
  if (connect.connected === 0) throw new Error(`no client could connect: ${connect.firstError}`);
  const connected = await sample(true);

  onPhase('warm-up');
  const burst = p.burst ? { size: p.burst.size, gapMs: p.burst.gap_ms } : undefined;
  const warmupStartUs = nowUs();
  const startUs = warmupStartUs + scenario.warmupMs * 1000;
  const endUs = startUs + scenario.durationMs * 1000;
  const clockOffsetUs = appliedOffsetUs(target, clock);
  const windowRequest: WindowRequest = { startUs, endUs, saturation: scenario.saturation, timeline: group !== undefined, clockOffsetUs };
  await driver.window(windowRequest);
  if (p.workload === 'feed') {
    await server.feed({ rate: p.rate_per_s, payloadBytes: p.payload_bytes, burst });
  } else {
    // Chat and echo: the server publishes nothing of its own; the clients send, up to the window's end.
    await driver.upstream({ kind: p.workload === 'chat' ? 'publish' : 'echo', ratePerSec: p.rate_per_s, payloadBytes: p.payload_bytes, startUs: warmupStartUs, endUs }, p.clients);
  }

  await sleepUntilUs(startUs);
  onPhase('measuring');
  const windowOpen = await sample();
  const redisAtOpen = group ? await group.redisCpuUs() : 0;
  await server.publishLag(); // resets it: the window's lag only
  let killed: ScaleOutResult['killed'] = null;
  if (group && p.failover_at_ms !== null) {
    // The failover experiment: one instance dies at a set moment of the window, unannounced.
    const instance = scenario.scaleOut.failover?.instance ?? 0;
    await sleepUntilUs(startUs + p.failover_at_ms * 1000);
    const atUs = nowUs();
    group.kill(instance);
    killed = { instance, at_ms: Math.round((atUs - startUs) / 1000) };
    await driver.failure({ atUs });
  }
  await sleepUntilUs(endUs);
  const windowClose = await sample();
  const redisCpuUs = group ? (await group.redisCpuUs()) - redisAtOpen : null;
  const publishLagUs = await server.publishLag();

  onPhase('draining');
  // Updates scheduled just before the window's end are published a moment later.
  await sleep(20);
  const range = await server.windowRange(startUs, endUs);
  const finishRequest: FinishRequest = range === undefined ? { first: null, last: null, drainMs: drainMs(cell) } : { first: range?.first ?? 1, last: range?.last ?? 0, drainMs: drainMs(cell) };
  const driverResult = await driver.finish(finishRequest, drainMs(cell) + IPC_TIMEOUT_MS);
  await server.feed({ rate: 0, payloadBytes: 0 });
  if (connect.failed > 0) driverResult.errors.first.unshift(`${connect.failed} of ${p.clients} clients failed to connect: ${connect.firstError}`);
  const unpublished = group ? await group.publishFailures() : 0;
  if (unpublished > 0) driverResult.errors.first.unshift(`${unpublished} scheduled updates could not be written to Redis (they have no seq, so no client missed them)`);
  const scaleOut: ScaleOutResult | null = group
    ? {
        instances: p.instances,
        balancer: group.balancer,
        backplane: 'redis',
        redis_cpu_ms_per_1k_updates: redisCpuUs !== null && driverResult.delivery.delivered > 0 ? Math.round((redisCpuUs / driverResult.delivery.delivered) * 1000) / 1000 : null,
        killed,
        failover: driverResult.failover,
        timeline_per_100ms: driverResult.timeline,
      }
    : null;
  return {
    scaleOut,
    driverResult,
    metrics: cellMetrics(driverResult, idle && connected && windowOpen && windowClose ? { idle, connected, windowOpen, windowClose, publishLagUs } : null, scenario.durationMs),
    external: target && external ? { url: target.origin, clock: clock!, applied_offset_us: clockOffsetUs, feed_control: external.feedControl() } : null,
    cores: { server: server.cores ?? null, driver: driver.cores },
    driverProcesses: driverCount,
  };
}

/**
 * Runs one cell: fresh server processes (one server, K instances with their balancer and Redis, or
 * none for a target), a proxy process when the network is not loopback, fresh driver processes;
 * connect, warm-up, window, drain, then all are stopped. A failure or a
 * time-out makes the cell `errored` with the reason; it never throws, so the run goes on.
 */
export async function runCell(cell: Cell, scenario: Scenario, onPhase: (phase: CellPhase) => void = () => {}): Promise<CellResult> {
  const started = Date.now();
  const children: StartedChild[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const timeoutMs = scenario.cellTimeoutMs ?? scenario.warmupMs + scenario.durationMs + drainMs(cell) + 60_000;
  const cores = scenario.cores ?? defaultCores();
  const model = modelFor(cell.params);
  const base = { id: cell.id, params: cell.params, started_at: new Date(started).toISOString() };
  onPhase('starting');
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cell did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    const { driverResult, metrics, cores: pinned, scaleOut, driverProcesses, external } = await Promise.race([measure(cell, scenario, onPhase, children, cleanups, cores), timedOut]);
    const deviation = metrics.latency_us ? Math.round((metrics.latency_us.mean / model.mean_us - 1) * 1000) / 1000 : null;
    return { ...base, state: 'ok', reason: null, duration_ms: Date.now() - started, cores: pinned, metrics, model: { ...model, deviation }, driver_processes: driverProcesses, scale_out: scaleOut, external, histograms: driverResult.histograms };
  } catch (error) {
    return { ...base, state: 'errored', reason: (error as Error).message, duration_ms: Date.now() - started, cores: { server: null, driver: null }, metrics: null, model: { ...model, deviation: null }, histograms: null };
  } finally {
    clearTimeout(timer);
    await Promise.all(cleanups.map((cleanup) => cleanup().catch(() => {})));
    await Promise.all(children.map((child) => stopChild(child)));
  }
}
