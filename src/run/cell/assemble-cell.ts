import type {
  CellResult,
  ClockEstimate,
  ErroredCell,
  NotApplicableCell,
  OkCell,
} from '../../results/index.ts';
import { meanRttUs } from '../../netem/profiles.ts';
import { profileOfCell } from '../cell-network.ts';
import { transportNamed } from '../../transports/registry.ts';
import { cellMetrics } from './cell-metrics.ts';
import { linkMetrics } from './link-metrics.ts';
import type { Collected } from './cell-phases.ts';
import type { Cell } from '../cells.ts';

/** What the assembly needs to know of the rig a cell ran on, as plain facts. */
export interface RigFacts {
  readonly cores: { server: number[] | null; driver: number[] | null };
  readonly driverProcesses: number;
  /** The balancer used when the cell scaled out; null for one server. */
  readonly balancer: 'haproxy' | 'cluster' | null;
  /** How the instances shared the feed when the cell scaled out; null for one server. */
  readonly backplane: 'redis' | 'local' | null;
  /** A target feedbench did not start: its origin, clock, and whether it took the feed settings. */
  readonly target: { url: string; clock: ClockEstimate; feedControl: boolean } | null;
  /** The warm-up the cell had, settling included, ms. */
  readonly warmupMs: number;
  /** The server was kept from an earlier cell. */
  readonly serverReused: boolean;
}

/** The cell's expected latency (docs/claims.md latency models), from its transport's descriptor. */
export function modelFor(cell: Cell): NonNullable<CellResult['model']> {
  const rttUs = meanRttUs(profileOfCell(cell.params));
  const model = transportNamed(cell.params.transport).latencyModel(cell.params, rttUs);
  return {
    mean_us: Math.round(model.meanUs),
    max_us: Math.round(model.maxUs),
    rtt_us: rttUs,
    formula: model.formula,
    deviation: null,
  };
}

/**
 * Errors the orchestrator saw beside the drivers' own: clients that never connected, updates Redis
 * never got.
 */
function orchestratorErrors(cell: Cell, collected: Collected): string[] {
  const errors: string[] = [];
  if (collected.unpublished > 0)
    errors.push(
      `${collected.unpublished} scheduled updates could not be written to Redis (they have no seq, so no client missed them)`,
    );
  if (collected.connect.failed > 0)
    errors.push(
      `${collected.connect.failed} of ${cell.params.clients} clients failed to connect: ${collected.connect.firstError}`,
    );
  return errors;
}

/**
 * A finished cell's results, from what its phases collected and the rig's facts. Pure: the same
 * inputs give the same cell (docs/metrics.md, defines each figure).
 */
export function assembleCell(
  cell: Cell,
  collected: Collected,
  rig: RigFacts,
  durationMs: number,
  startedAt: Date,
  windowMs: number,
): OkCell {
  const { driver } = collected;
  const errors = orchestratorErrors(cell, collected);
  const driverResult =
    errors.length > 0
      ? {
          ...driver,
          errors: { count: driver.errors.count, first: [...errors, ...driver.errors.first] },
        }
      : driver;
  const metrics = cellMetrics(driverResult, collected.server, windowMs, {
    slow: collected.slowDriver,
    params: cell.params,
    byteCheck: collected.byteCheck,
  });
  // A kept server's RSS holds what earlier cells used: the growth with this cell's connections
  // says nothing. Its live heap, after a GC, still does.
  if (rig.serverReused) metrics.server.rss_bytes_per_conn = null;
  metrics.network =
    collected.link &&
    linkMetrics(
      collected.link,
      cell.params.network_profile?.loss_percent ?? null,
      driver.delivery.delivered,
    );
  const model = modelFor(cell);
  const deviation = metrics.latency_us
    ? Math.round((metrics.latency_us.mean / model.mean_us - 1) * 1000) / 1000
    : null;
  const delivered = driver.delivery.delivered;
  return {
    id: cell.id,
    params: cell.params,
    started_at: startedAt.toISOString(),
    state: 'ok',
    reason: null,
    duration_ms: durationMs,
    cores: rig.cores,
    metrics,
    model: { ...model, deviation },
    driver_processes: rig.driverProcesses,
    warmup_ms: rig.warmupMs,
    server_reused: rig.serverReused,
    scale_out: rig.balancer
      ? {
          instances: cell.params.instances,
          balancer: rig.balancer,
          backplane: rig.backplane ?? 'local',
          redis_cpu_ms_per_1k_updates:
            collected.redisCpuUs !== null && delivered > 0
              ? Math.round((collected.redisCpuUs / delivered) * 1000) / 1000
              : null,
          killed: collected.killed,
          failover: driver.failover,
          timeline_per_100ms: driver.timeline,
        }
      : null,
    external: rig.target
      ? {
          url: rig.target.url,
          clock: rig.target.clock,
          applied_offset_us: collected.clockOffsetUs,
          feed_control: rig.target.feedControl,
        }
      : null,
    histograms: driver.histograms,
  };
}

/** A cell that failed, with the reason; nothing it measured is kept (the window did not finish). */
export function erroredCell(
  cell: Cell,
  reason: string,
  durationMs: number,
  startedAt: Date,
): ErroredCell {
  return { ...unrunCell(cell, reason, durationMs, startedAt), state: 'errored' };
}

/** A cell that cannot apply (a combination the transports do not offer): why, and nothing run. */
export function notApplicableCell(cell: Cell, reason: string, startedAt: Date): NotApplicableCell {
  return { ...unrunCell(cell, reason, 0, startedAt), state: 'not-applicable' };
}

function unrunCell(
  cell: Cell,
  reason: string,
  durationMs: number,
  startedAt: Date,
): Omit<ErroredCell, 'state'> & { metrics: null; histograms: null } {
  return {
    id: cell.id,
    params: cell.params,
    started_at: startedAt.toISOString(),
    reason,
    duration_ms: durationMs,
    cores: { server: null, driver: null },
    metrics: null,
    model: modelFor(cell),
    histograms: null,
  };
}
