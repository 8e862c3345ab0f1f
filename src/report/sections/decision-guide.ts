import { matchedLoad, medianOf, ofTransport, type MeasuredCell, type ReportCell } from '../report-cells.ts';
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
  readonly serverMiB: number | null;
  readonly connections: number;
}

const ms = (us: number | undefined) => (us === undefined ? null : us / 1000);
const nullable = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : x);

/**
 * The coefficients of one transport over one HTTP version, from its reference cells; null without
 * any.
 */
function costOf(cells: readonly MeasuredCell[], load: string, transport: string, http: '1.1' | '2'): TransportCost | null {
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
  };
}

/**
 * The guide's coefficients: every transport over every HTTP version, from the load the run
 * measured over the most transports (feedbench's clients, no TLS, one network), so that every
 * transport's figures come from one load.
 */
export function guideCosts(all: readonly ReportCell[]): TransportCost[] {
  const { cells: reference } = referenceCells(all.filter((c) => c.cell.params.client_kind !== 'browser'));
  return (['1.1', '2'] as const).flatMap((http) => {
    const { cells, load } = matchedLoad(reference.filter((c) => c.cell.params.http === http));
    return ['short-poll', 'long-poll', 'sse', 'websocket'].flatMap((t) => costOf(cells, load, t, http) ?? []);
  });
}

/**
 * What each transport costs and delivers for the inputs: short polling polls often enough that
 * no update waits longer than the accepted delay (its interval the delay less a poll's own time
 * d, the fastest transport's p50; typical delay half the interval plus d); long polling makes a
 * request per update (fewer when updates come faster than it answers); push sends each update on
 * a held connection. Costs scale linearly from the measured per-request and per-update figures,
 * which holds until the server saturates (capacity ladders find where). Self-contained (no
 * imports, no outer names): the report page runs this very function as its inputs change.
 */
export function guideRows(costs: readonly TransportCost[], inputs: GuideInputs): GuideRow[] {
  const { clients, updatesPerSec, payloadBytes, acceptedDelayMs } = inputs;
  // A poll's own time: the fastest transport's p50 over the same HTTP version (the server and the
  // network, no waiting).
  const floorMs = (http: string) => Math.min(...costs.filter((x) => x.http === http && x.transport !== 'short-poll' && x.p50Ms !== null).map((x) => x.p50Ms as number), Infinity);
  return costs.map((c) => {
    const polling = c.transport === 'short-poll';
    const d = polling ? (Number.isFinite(floorMs(c.http)) ? floorMs(c.http) : 0) : (c.p50Ms ?? 0);
    // Short polling polls often enough that an update waits at most the accepted delay.
    const intervalMs = Math.max(1, acceptedDelayMs - d);
    const requestsPerSec = polling ? (clients * 1000) / intervalMs : c.transport === 'long-poll' ? clients * Math.min(updatesPerSec, 1000 / Math.max(1, d)) : 0;
    const overhead = polling ? (c.overheadPerRequestB === null ? null : requestsPerSec * c.overheadPerRequestB) : c.overheadPerUpdateB === null ? null : clients * updatesPerSec * c.overheadPerUpdateB;
    const cpuMsPerSec = polling ? (c.cpuMsPerRequest === null ? null : requestsPerSec * c.cpuMsPerRequest) : c.cpuMsPerUpdate === null ? null : clients * updatesPerSec * c.cpuMsPerUpdate;
    const typicalMs = polling ? intervalMs / 2 + d : c.p50Ms;
    const worstMs = polling ? intervalMs + d : c.p99Ms;
    return {
      transport: c.transport,
      typicalMs,
      worstMs,
      meetsDelay: worstMs === null ? null : worstMs <= acceptedDelayMs,
      requestsPerSec,
      megabitsPerSec: overhead === null ? null : ((overhead + clients * updatesPerSec * payloadBytes) * 8) / 1e6,
      serverCores: cpuMsPerSec === null ? null : cpuMsPerSec / 1000,
      // Every client holds a connection: push its stream, polling its keep-alive connection between
      // polls.
      serverMiB: c.memoryPerConnB === null ? null : (clients * c.memoryPerConnB) / 2 ** 20,
      connections: clients,
    };
  });
}
