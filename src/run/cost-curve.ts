import { cellLabel } from '../transports/cell-label.ts';
import { linearFit } from '../stats/linear-fit.ts';
import { median } from '../stats/percentile.ts';
import { roundTo } from '../metrics/units.ts';
import type {
  CapacityStep,
  CellParams,
  CellResult,
  CostCurve,
  CostCurveStep,
} from '../results/index.ts';
import { judgeStep } from './capacity.ts';

/** What a scenario's `costCurve` block asks of each step. */
export interface CurveTarget {
  readonly p99TargetMs: number;
  /** A server busier than this share of its core is past the knee. */
  readonly busyShare: number;
}

/** Short polling waits its interval by design: its p99 target counts beyond that. */
const designDelayMs = (p: CellParams) =>
  p.transport === 'short-poll' ? (p.poll_interval_ms ?? 0) : 0;

/**
 * Judges one step of a cost curve: the capacity rules (it ran, the driver kept up, nothing lost,
 * p99 under the target; short polling's beyond its poll interval), and the server's core under
 * `busyShare`.
 */
export function judgeCurveStep(result: CellResult, target: CurveTarget): CapacityStep {
  const step = judgeStep(result, target.p99TargetMs + designDelayMs(result.params));
  const cpu = result.state === 'ok' ? result.metrics.server.cpu_share : null;
  if (!step.passed || cpu === null || cpu <= target.busyShare) return step;
  return {
    ...step,
    passed: false,
    reason: `the server's core was ${(cpu * 100).toFixed(0)}% busy (over ${(target.busyShare * 100).toFixed(0)}%)`,
  };
}

/** What one step measured, from its cell. */
function stepOf(step: CapacityStep, cell: CellResult | undefined, windowS: number): CostCurveStep {
  const m = cell?.state === 'ok' ? cell.metrics : null;
  const polling = cell?.params.transport === 'short-poll';
  const requestsPerSec = m ? m.wire.requests / windowS : 0;
  const round = (x: number | null | undefined, digits = 1) =>
    x === null || x === undefined ? null : roundTo(x, digits);
  return {
    clients: step.clients,
    cell_id: step.cell_id,
    bisection: step.bisection,
    events_per_sec: roundTo(polling ? requestsPerSec : m ? m.delivery.delivered / windowS : 0, 1),
    requests_per_sec: roundTo(requestsPerSec, 1),
    server_cpu_ms_per_sec: round(
      m?.server.cpu_share === null ? null : (m?.server.cpu_share ?? 0) * 1000,
    ),
    connections: m?.server.connections ?? null,
    p50_us: m?.latency_us?.p50 ?? null,
    p99_us: m?.latency_us?.p99 ?? null,
    max_us: m?.latency_us?.max ?? null,
    rss_bytes: m?.server.rss_bytes ?? null,
    live_bytes: m?.server.live_bytes ?? null,
    lost: step.lost,
    saturated: step.saturated,
    passed: step.passed,
    reason: step.reason,
  };
}

/** The knee: between the most events/s that passed below the first step that failed. */
function kneeOf(steps: readonly CostCurveStep[]): CostCurve['knee'] {
  const byLoad = [...steps].sort((a, b) => a.clients - b.clients);
  const failed = byLoad.find((s) => !s.passed);
  const passing = byLoad.filter((s) => s.passed && (!failed || s.clients < failed.clients));
  const atLeast = Math.max(0, ...passing.map((s) => s.events_per_sec));
  return {
    interval: failed ? [atLeast, failed.events_per_sec] : null,
    at_least: atLeast,
    unit: 'events/s per server core',
    reason: failed
      ? `at ${failed.clients} clients (${failed.events_per_sec} events/s): ${failed.reason ?? ''}`
      : 'every step passed: the knee is beyond the last step',
    lower_bound: !failed || failed.saturated,
  };
}

/**
 * One transport's cost curve from its ladder's steps (bisection included) and their cells: each
 * step's load and cost, the line CPU = fixed + marginal x events fitted to the steps below the
 * knee, memory per connection, and the knee in events/s per server core (one server process on
 * one core). Pure.
 */
export function costCurveOf(
  params: CellParams,
  judged: readonly CapacityStep[],
  cells: ReadonlyMap<string, CellResult>,
  target: CurveTarget,
  windowMs: number,
): CostCurve {
  const steps = judged.map((s) => stepOf(s, cells.get(s.cell_id), windowMs / 1000));
  const knee = kneeOf(steps);
  const below = steps.filter(
    (s) => s.passed && (knee.interval === null || s.events_per_sec <= knee.at_least),
  );
  const points = below.flatMap((s) =>
    s.server_cpu_ms_per_sec === null ? [] : [[s.events_per_sec, s.server_cpu_ms_per_sec] as const],
  );
  const fit = linearFit(points);
  const perConn = below.flatMap((s) => {
    const m = cells.get(s.cell_id);
    const bytes = m?.state === 'ok' ? m.metrics.server.live_bytes_per_conn : null;
    return bytes === null || bytes === undefined ? [] : [bytes];
  });
  // Cost curves are measured with feedbench's own clients, which have no HTTP/3 (no QUIC in Node).
  if (params.http === '3') throw new Error(`${params.transport}: no cost curve over HTTP/3`);
  return {
    label: cellLabel({ ...params, clients: 0 }).replace(/ 0c\b/, ''),
    transport: params.transport,
    http: params.http,
    server: params.server,
    event: params.transport === 'short-poll' ? 'request' : 'update',
    p99_target_ms: target.p99TargetMs,
    busy_share: target.busyShare,
    steps,
    fixed_cpu_ms_per_sec: fit ? roundTo(fit.intercept, 2) : null,
    marginal_cpu_us_per_event: fit ? roundTo(fit.slope * 1000, 2) : null,
    memory_per_conn_bytes: perConn.length > 0 ? Math.round(median(perConn)) : null,
    fit: fit
      ? {
          r2: roundTo(fit.r2, 4),
          worst_error: roundTo(fit.worstRelativeError, 4),
          steps: points.length,
        }
      : null,
    knee,
  };
}
