import { matchedLoad, medianOf, ofTransport, type MeasuredCell, type ReportCell } from '../report-cells.ts';
import { referenceCostCurves } from '../servers.ts';
import type { CostCurve } from '../../results/index.ts';
import { referenceCells } from '../claims/reference-cells.ts';

/**
 * What one transport cost per unit in this run, over one HTTP version: the guide's coefficients.
 */
export interface TransportCost {
  readonly transport: string;
  readonly http: '1.1' | '2';
  /** Each update's own JSON as measured, B: the guide's default update size. */
  readonly updateJsonB: number | null;
  /** Bytes a request and its answer add beyond the updates' JSON (polling), B. */
  readonly overheadPerRequestB: number | null;
  /** Bytes each delivered update adds beyond its JSON (long polling and push), B. */
  readonly overheadPerUpdateB: number | null;
  /** Server CPU per request (polling) or per delivered update (push), ms. */
  readonly cpuMsPerRequest: number | null;
  readonly cpuMsPerUpdate: number | null;
  /** Server memory each connection holds, live after GC, B. */
  readonly memoryPerConnB: number | null;
  /**
   * Delivery latency measured, p50 and p99, ms: the network and the server's own work (push, long
   * polling).
   */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** The load the figures are medians over, in words. */
  readonly load: string;
  /** The transport's cost curve over this HTTP version, when the run measured one. */
  readonly curve: CurveCost | null;
}

/** A cost curve as the guide reads it: the steps below the knee, and the knee. */
export interface CurveCost {
  readonly label: string;
  /** Steps that passed, ascending load: events/s, server CPU ms/s, latency ms, connections. */
  readonly steps: readonly {
    readonly events: number;
    readonly cpuMsPerSec: number;
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
    readonly connections: number | null;
  }[];
  /** The fitted line's intercept (ms/s) and slope (ms per event), for loads outside the steps. */
  readonly fixedMsPerSec: number | null;
  readonly marginalMsPerEvent: number | null;
  /** The most events/s one server process passed at below its knee. */
  readonly kneeEvents: number;
  /** No knee was found (every step passed, or the driver gave out first): a process holds more. */
  readonly kneeLowerBound: boolean;
}

/** The guide's inputs, editable in the page. */
export interface GuideInputs {
  readonly clients: number;
  readonly updatesPerSec: number;
  readonly payloadBytes: number;
  /** The delay a reader accepts: short polling polls that often. */
  readonly acceptedDelayMs: number;
}

/** One transport's answer for the inputs. */
export interface GuideRow {
  readonly transport: string;
  /** Typical and worst delay, ms. */
  readonly typicalMs: number | null;
  readonly worstMs: number | null;
  readonly meetsDelay: boolean | null;
  readonly requestsPerSec: number;
  readonly megabitsPerSec: number | null;
  readonly serverCores: number | null;
  /** Server processes the load needs by the cost curve's knee; null without a curve. */
  readonly serverProcesses: number | null;
  readonly serverMiB: number | null;
  readonly connections: number;
  /** Where the server's figures come from: the cost curve, or light-load cells scaled linearly. */
  readonly basis: 'curve' | 'light load';
  /** What of the row lies outside the measured curve, in words; null when nothing does. */
  readonly extrapolated: string | null;
}

const ms = (us: number | undefined) => (us === undefined ? null : us / 1000);
const nullable = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : x);

/**
 * The coefficients of one transport over one HTTP version, from its reference cells; null without
 * any.
 */
function costOf(cells: readonly MeasuredCell[], load: string, transport: string, http: '1.1' | '2', curves: readonly CostCurve[]): TransportCost | null {
  const own = ofTransport(cells, transport, (c) => c.cell.params.http === http && c.cell.params.keep_alive !== false && c.cell.params.header_profile === 'minimal');
  if (own.length === 0) return null;
  const perRequest = (m: MeasuredCell['metrics'], x: number | null | undefined) => (x === null || x === undefined || !m.wire.requests_per_update ? null : x / m.wire.requests_per_update);
  const cpuMsPerUpdate = (m: MeasuredCell['metrics']) => (m.server.cpu_ms_per_1k_updates === null ? null : m.server.cpu_ms_per_1k_updates / 1000);
  return {
    transport,
    http,
    updateJsonB: nullable(medianOf(own, (m) => m.wire.payload_bytes_per_update)),
    overheadPerRequestB: nullable(medianOf(own, (m) => perRequest(m, m.wire.overhead_bytes_per_update))),
    overheadPerUpdateB: nullable(medianOf(own, (m) => m.wire.overhead_bytes_per_update)),
    cpuMsPerRequest: nullable(medianOf(own, (m) => perRequest(m, cpuMsPerUpdate(m)))),
    cpuMsPerUpdate: nullable(medianOf(own, cpuMsPerUpdate)),
    memoryPerConnB: nullable(medianOf(own, (m) => m.server.live_bytes_per_conn)),
    p50Ms: ms(medianOf(own, (m) => m.latency_us?.p50)),
    p99Ms: ms(medianOf(own, (m) => m.latency_us?.p99)),
    load,
    curve: curveOf(curves, transport, http),
  };
}

/**
 * The guide's reading of a transport's cost curve over one HTTP version: the one with the most
 * passing steps, its passing steps with a CPU figure in ascending load; null without any.
 */
export function curveOf(curves: readonly CostCurve[], transport: string, http: '1.1' | '2'): CurveCost | null {
  const passing = (c: CostCurve) => c.steps.filter((s) => s.passed && s.server_cpu_ms_per_sec !== null);
  const best = curves
    .filter((c) => c.transport === transport && c.http === http && passing(c).length > 0)
    .sort((a, b) => passing(b).length - passing(a).length)[0];
  if (!best) return null;
  const ms = (us: number | null) => (us === null ? null : us / 1000);
  return {
    label: best.label,
    steps: passing(best)
      .map((s) => ({ events: s.events_per_sec, cpuMsPerSec: s.server_cpu_ms_per_sec ?? 0, p50Ms: ms(s.p50_us), p99Ms: ms(s.p99_us), connections: s.connections }))
      .sort((a, b) => a.events - b.events),
    fixedMsPerSec: best.fixed_cpu_ms_per_sec,
    marginalMsPerEvent: best.marginal_cpu_us_per_event === null ? null : best.marginal_cpu_us_per_event / 1000,
    kneeEvents: best.knee.at_least,
    kneeLowerBound: best.knee.lower_bound,
  };
}

/**
 * The guide's coefficients: every transport over every HTTP version, from the load the run
 * measured over the most transports (feedbench's clients, no TLS, one network), so that every
 * transport's figures come from one load; and each transport's cost curve where the run has one.
 */
export function guideCosts(all: readonly ReportCell[]): TransportCost[] {
  const curves = referenceCostCurves(all);
  const { cells: reference } = referenceCells(all.filter((c) => c.cell.params.client_kind !== 'browser'));
  return (['1.1', '2'] as const).flatMap((http) => {
    const { cells, load } = matchedLoad(reference.filter((c) => c.cell.params.http === http));
    return ['short-poll', 'long-poll', 'sse', 'websocket'].flatMap((t) => costOf(cells, load, t, http, curves) ?? []);
  });
}

