import { setTimeout as sleep } from 'node:timers/promises';
import {
  LATE_WAIT_MS,
  type ConnectReply,
  type ConnectRequest,
  type DriverCellResult,
} from '../../driver/driver-messages.ts';
import { IPC_TIMEOUT_MS } from '../../process/ipc.ts';
import { nowUs } from '../../metrics/clock.ts';
import { meanRttUs } from '../../netem/profiles.ts';
import { profileOfCell } from '../cell-network.ts';
import { LONG_POLL_TIMEOUT_MS } from '../../protocol/feed-protocol.ts';
import type { ServerSample } from '../../server/server-messages.ts';
import { DEFAULT_RECONNECT } from '../../transports/shared/reconnect-policy.ts';
import type { ClockEstimate, PercentileSummary, ScaleOutResult } from '../../results/index.ts';
import type { Cell } from '../cells.ts';
import type { Rig } from './cell-rig.ts';
import type { Scenario } from '../scenario.ts';
import { isLoopbackHost } from '../scenario.ts';
import { drainMs } from './drain-time.ts';
import { stallRequest } from './stall-gap.ts';
import type { LinkSample } from '../../netem/lossy-link.ts';
import { byteCheck, byteSampleLeadUs, sampleAt, sleepUntilUs } from './server-samples.ts';
import { settleServer } from './settle-server.ts';

/** Phases of a cell, reported as they begin (for progress displays). */
export type CellPhase = 'starting' | 'connecting' | 'warm-up' | 'measuring' | 'draining';

/** Everything a cell's phases collected, for the pure assembly of its results. */
export interface Collected {
  readonly connect: ConnectReply;
  /** The server's samples around the window; null for a server feedbench did not start. */
  readonly server: {
    idle: ServerSample;
    connected: ServerSample;
    windowOpen: ServerSample;
    windowClose: ServerSample;
    publishLagUs: PercentileSummary | null;
    bytesOpen?: ServerSample;
    bytesClose?: ServerSample;
  } | null;
  readonly driver: DriverCellResult;
  /** The slow consumers' driver, apart; null when the cell has none. */
  readonly slowDriver: DriverCellResult | null;
  /** Redis's CPU over the window, µs; null without a scale-out. */
  readonly redisCpuUs: number | null;
  readonly killed: ScaleOutResult['killed'];
  /** Scheduled updates a scale-out publisher could not write to Redis. */
  readonly unpublished: number;
  /** The offset applied to a target's timestamps, µs. */
  readonly clockOffsetUs: number;
  /**
   * Every byte of the cell's connections as the clients and the server counted them; null for a
   * target.
   */
  readonly byteCheck: { client_bytes: number; server_bytes: number } | null;
  /** How long the server settled before the warm-up, ms. */
  readonly settledMs: number;
  /** A lossy link's counters at the window's edges, and its outages in it; null without one. */
  readonly link: { open: LinkSample; close: LinkSample; outages: number } | null;
}

/**
 * The offset applied to a target's timestamps: none for a monotonic clock on this host
 * (docs/protocol.md: CLOCK_MONOTONIC is one clock for every process here, and an estimate would
 * only add its error), the NTP-style estimate otherwise.
 */
export function appliedOffsetUs(target: { url: URL; clock: ClockEstimate } | undefined): number {
  if (!target) return 0;
  return target.clock.clock === 'monotonic' && isLoopbackHost(target.url.hostname)
    ? 0
    : target.clock.offset_us;
}

/**
 * What clients trust over TLS: the run's own certificate, an https target's CA (empty: the
 * system's), or nothing (plain).
 */
function clientTls(rig: Rig): { tlsCa?: string } {
  if (rig.tls) return { tlsCa: rig.tls.cert };
  if (rig.target?.url.protocol === 'https:') return { tlsCa: rig.target.ca ?? '' };
  return {};
}

/** What the connect phase allows per client beyond its first minute, ms. */
const CONNECT_MS_PER_CLIENT = 3;

/**
 * Connect: every client of every driver, with a time budget that grows with the clients and the
 * RTT.
 */
export async function connectClients(
  rig: Rig,
  cell: Cell,
  scenario: Scenario,
): Promise<ConnectReply> {
  const p = cell.params;
  const request: Omit<ConnectRequest, 'clients' | 'firstIndex'> = {
    transport: p.transport,
    workload: p.workload,
    connectConcurrency: scenario.connectConcurrency,
    h2ClientsPerConnection: p.h2_clients_per_connection ?? 1,
    clientKind: p.client_kind,
    browserTabs: p.browser_tabs ?? 1,
    client: {
      host: rig.host,
      port: rig.port,
      http: p.http,
      ...(p.page_origin ? { pageOrigin: p.page_origin } : {}),
      headerProfile: p.header_profile,
      pollIntervalMs: p.poll_interval_ms ?? 1_000,
      pollMode: p.poll_mode ?? 'fixed-period',
      keepAlive: p.keep_alive ?? true,
      longPollTimeoutMs: p.long_poll_timeout_ms ?? LONG_POLL_TIMEOUT_MS.default,
      ...(p.server === 'nchan' || p.server === 'socket.io' ? { dialect: p.server } : {}),
      ...(p.ws_upgrade_from_polling ? { upgradeFromPolling: true } : {}),
      wsCompression: p.ws_compression ?? false,
      ...clientTls(rig),
      ...(rig.browserNetwork ? { browserNetwork: rig.browserNetwork } : {}),
      // Behind a balancer a connection can drop with its instance: push clients come back as client
      // libraries do.
      ...(rig.group || p.sse_drop_every_ms ? { reconnect: DEFAULT_RECONNECT } : {}),
    },
  };
  // A time-out, not a pace: 3 ms per client on top (50,000 connections took over a minute on 2
  // cores), and the RTTs of the batches; a scenario that sets cellTimeoutMs gives connecting what
  // the rest of the cell leaves.
  const formulaMs =
    60_000 +
    p.clients * CONNECT_MS_PER_CLIENT +
    Math.ceil(p.clients / scenario.connectConcurrency) * ((3 * meanRttUs(profileOfCell(p))) / 1000);
  const leftMs =
    scenario.cellTimeoutMs === undefined
      ? 0
      : scenario.cellTimeoutMs - scenario.warmupMs - scenario.durationMs - drainMs(cell) - 30_000;
  const budgetMs = Math.max(formulaMs, leftMs);
  const reply = await rig.driver.connect(request, budgetMs);
  if (reply.connected === 0) throw new Error(`no client could connect: ${reply.firstError}`);
  return reply;
}

/**
 * Warm-up: the feed starts, a server new to the transport settles (until its CPU rate is steady,
 * at most `rig.settleMs`), and the window is set in the drivers to open after the scenario's
 * warm-up. Chat and echo start the clients' upstream instead, which needs its end up front: their
 * settle is the whole `rig.settleMs`. Returns the window, µs, and the settle it took, ms.
 */
export async function startLoad(
  rig: Rig,
  cell: Cell,
  scenario: Scenario,
  clockOffsetUs: number,
  byteSpanLeadUs: number,
): Promise<{ startUs: number; endUs: number; settledMs: number }> {
  const p = cell.params;
  const warmupStartUs = nowUs();
  const openWindow = async (settledMs: number, startUs = nowUs() + scenario.warmupMs * 1000) => {
    const endUs = startUs + scenario.durationMs * 1000;
    await rig.driver.window({
      startUs,
      endUs,
      saturation: scenario.saturation,
      timeline: rig.group !== undefined,
      clockOffsetUs,
      byteSpanLeadUs,
      stalls: stallRequest(p, scenario.stallGapFactor),
    });
    return { startUs, endUs, settledMs };
  };
  if (p.workload === 'feed') {
    await rig.server.feed({
      rate: p.rate_per_s,
      payloadBytes: p.payload_bytes,
      ...(p.burst ? { burst: { size: p.burst.size, gapMs: p.burst.gap_ms } } : {}),
    });
    return openWindow(await settleServer(rig.server, rig.settleMs));
  }
  // Chat and echo: the server publishes nothing of its own; the clients send, from now up to the
  // window's end.
  const window = await openWindow(
    rig.settleMs,
    warmupStartUs + (rig.settleMs + scenario.warmupMs) * 1000,
  );
  await rig.driver.upstream(
    {
      kind: p.workload === 'chat' ? 'publish' : 'echo',
      ratePerSec: p.rate_per_s,
      payloadBytes: p.payload_bytes,
      startUs: warmupStartUs,
      endUs: window.endUs,
    },
    p.clients,
  );
  return window;
}

/** The failover experiment: one instance dies at a set moment of the window, unannounced. */
async function killInstance(
  rig: Rig,
  cell: Cell,
  scenario: Scenario,
  startUs: number,
): Promise<ScaleOutResult['killed']> {
  if (!rig.group || cell.params.failover_at_ms === null) return null;
  const instance = scenario.scaleOut.failover?.instance ?? 0;
  await sleepUntilUs(startUs + cell.params.failover_at_ms * 1000);
  const atUs = nowUs();
  rig.group.kill(instance);
  await rig.driver.failure({ atUs });
  return { instance, at_ms: Math.round((atUs - startUs) / 1000) };
}

/** Drain: stragglers are waited for, the drivers report, the feed stops. */
async function drain(
  rig: Rig,
  cell: Cell,
  window: { startUs: number; endUs: number },
): Promise<{ normal: DriverCellResult; slow: DriverCellResult | null }> {
  // Updates scheduled just before the window's end are published a moment later.
  await sleep(20);
  const range = await rig.server.windowRange(window.startUs, window.endUs);
  const wait = drainMs(cell);
  const request =
    range === undefined
      ? { first: null, last: null, drainMs: wait }
      : { first: range?.first ?? 1, last: range?.last ?? 0, drainMs: wait };
  const result = await rig.driver.finish(request, wait + LATE_WAIT_MS + IPC_TIMEOUT_MS);
  await rig.server.feed({ rate: 0, payloadBytes: 0 });
  return result;
}

/**
 * Runs a cell's phases on a started rig (connect, warm-up, window, drain) and returns what was
 * collected; the rig's processes are the caller's to end.
 */
export async function runPhases(
  rig: Rig,
  cell: Cell,
  scenario: Scenario,
  onPhase: (phase: CellPhase) => void,
): Promise<Collected> {
  onPhase('connecting');
  const idle = await rig.server.sample(true);
  const connect = await connectClients(rig, cell, scenario);
  const connected = await rig.server.sample(true);

  onPhase('warm-up');
  const clockOffsetUs = appliedOffsetUs(rig.target);
  const lead = byteSampleLeadUs(cell);
  const window = await startLoad(rig, cell, scenario, clockOffsetUs, lead);
  const bytesOpen = lead > 0 ? await sampleAt(rig, window.startUs - lead) : null;
  await sleepUntilUs(window.startUs);

  onPhase('measuring');
  const linkOpen = rig.lossyLink?.sample();
  const outage = profileOfCell(cell.params)?.outage;
  // The first outage falls half a period into the window, so every window sees whole ones.
  const stopOutages = outage && rig.lossyLink?.startOutages(outage, outage.everyMs / 2);
  const windowOpen = await rig.server.sample();
  const redisAtOpen = rig.group ? await rig.group.redisCpuUs() : null;
  await rig.server.publishLag(); // resets it: the window's lag only
  const killed = await killInstance(rig, cell, scenario, window.startUs);
  const bytesClose = lead > 0 ? await sampleAt(rig, window.endUs - lead) : null;
  await sleepUntilUs(window.endUs);
  const outages = stopOutages ? stopOutages() : 0;
  const linkClose = rig.lossyLink?.sample();
  const windowClose = await rig.server.sample();
  const redisAtClose = rig.group ? await rig.group.redisCpuUs() : null;
  // Null without Redis: a single server, or the local backplane.
  const redisCpuUs =
    redisAtOpen !== null && redisAtClose !== null ? redisAtClose - redisAtOpen : null;
  const publishLagUs = await rig.server.publishLag();

  onPhase('draining');
  const { normal: driver, slow: slowDriver } = await drain(rig, cell, window);
  const bytes = await byteCheck(rig, idle);
  const unpublished = rig.group ? await rig.group.publishFailures() : 0;
  const byteSamples = bytesOpen && bytesClose ? { bytesOpen, bytesClose } : {};
  const server =
    idle && connected && windowOpen && windowClose
      ? { idle, connected, windowOpen, windowClose, publishLagUs, ...byteSamples }
      : null;
  return {
    connect,
    server,
    driver,
    slowDriver,
    redisCpuUs,
    killed,
    unpublished,
    clockOffsetUs,
    byteCheck: bytes,
    settledMs: window.settledMs,
    link: linkOpen && linkClose ? { open: linkOpen, close: linkClose, outages } : null,
  };
}
