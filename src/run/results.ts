import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { writeFileAtomic } from './atomic-write.ts';
import type { PercentileSummary } from '../metrics/histogram.ts';
import type { CellParams } from './cells.ts';
import type { CapacityResult } from './capacity.ts';
import type { FailoverOutcome } from '../driver/driver-messages.ts';
import type { ClockEstimate } from './external-target.ts';
import type { Scenario } from './scenario.ts';

/** Version of the results format; readers refuse files of another. */
export const RESULTS_SCHEMA_VERSION = 1;

/** The metrics of one finished cell, named and defined as in DESIGN.md. */
export interface CellMetrics {
  /** Client receive time minus scheduled publish time, µs, first arrivals of window updates. */
  latency_us: PercentileSummary | null;
  delivery: { published: number; delivered: number; lost: number; duplicated: number; reordered: number };
  wire: {
    bytes_down: number;
    bytes_up: number;
    /** (down + up) / updates received while the window was open. */
    bytes_per_update: number | null;
    /** The updates' own JSON per update; the rest of bytes_per_update is transport overhead. */
    payload_bytes_per_update: number | null;
    overhead_bytes_per_update: number | null;
    /** Mean bytes to make a connection usable (upgrade, SSE response head), per connection. */
    handshake_bytes: number | null;
    requests: number;
    requests_per_update: number | null;
    empty_poll_share: number | null;
    updates_received: number;
  };
  connect_us: PercentileSummary | null;
  /**
   * Chat and echo: upstream messages scheduled in the window, how many were answered (acked,
   * echoed) or failed, and (chat) scheduled send to acknowledgement. Null for the feed workload.
   */
  upstream: { sent: number; answered: number; failed: number; ack_latency_us: PercentileSummary | null } | null;
  /**
   * What one client costs for an hour at this cell's load: the window's bytes (both ways),
   * HTTP requests and server CPU per client, scaled from the window to 3,600 s.
   */
  cost_per_client_hour: { bytes: number; requests: number; server_cpu_ms: number | null };
  server: {
    cpu_ms_per_1k_updates: number | null;
    /** Server CPU over the window as a share of one core. */
    cpu_share: number | null;
    rss_bytes: number | null;
    rss_bytes_per_conn: number | null;
    /** (V8 heap + external after a full GC, all clients connected) minus the same before any, per client: what a connection keeps alive. */
    live_bytes_per_conn: number | null;
    connections: number | null;
  };
  driver: { cpu_share: number; event_loop_p99_ms: number; saturated: boolean; reason: string | null; rss_bytes: number; rss_bytes_per_conn: number | null };
  /** Publisher lag (actual minus scheduled publish time) over the window, µs. */
  publisher: { lag_us: PercentileSummary | null };
  errors: { count: number; first: string[] };
}

/** What a scale-out cell adds to its results. */
export interface ScaleOutResult {
  instances: number;
  /** The balancer actually used (`auto` resolved). */
  balancer: 'haproxy' | 'cluster';
  backplane: 'redis';
  /** Redis's CPU over the window per 1,000 delivered updates. */
  redis_cpu_ms_per_1k_updates: number | null;
  /** The killed instance and when, ms from the window's start; null without failover. */
  killed: { instance: number; at_ms: number } | null;
  /** How the clients came through it. */
  failover: FailoverOutcome | null;
  /** Deliveries (first arrivals) per 100 ms of the window. */
  timeline_per_100ms: number[] | null;
}

/** One cell in a results file. */
export interface CellResult {
  id: string;
  params: CellParams;
  state: 'ok' | 'errored';
  /** Why an errored cell failed. */
  reason: string | null;
  started_at: string;
  duration_ms: number;
  /** Cores the server and driver were pinned to (null: not pinned). */
  cores: { server: number[] | null; driver: number[] | null };
  metrics: CellMetrics | null;
  /** Expected latency for the cell's transport, RTT and poll interval (CLAIMS.md models), and the measured mean's deviation from it. */
  model: { mean_us: number; max_us: number; rtt_us: number; formula: string; deviation: number | null } | null;
  /**
   * A server feedbench did not start (`--target URL`): where, its clock against the driver host's
   * (offset and uncertainty, NTP-style), and whether it took the feed settings (`POST /feed`).
   */
  external?: { url: string; clock: ClockEstimate; applied_offset_us: number; feed_control: boolean } | null;
  /** A cell merged from several load hosts (`feedbench merge`): each host's clients and its clock against the target. */
  hosts?: { clients: number; clock: ClockEstimate | null; applied_offset_us: number | null }[];
  /** Driver processes that ran the cell's clients (their results merged exactly). */
  driver_processes?: number;
  /** Scale-out cells (instances > 1): the balancer used, the backplane's cost, the failover's outcome and the delivery timeline. */
  scale_out?: ScaleOutResult | null;
  /** Encoded HDR histograms (µs), mergeable across runs and hosts. */
  histograms: { latency_us: string; connect_us: string; ack_us?: string | null } | null;
}

/** A whole results file: self-describing, written atomically after every cell. */
export interface ResultsFile {
  schema_version: number;
  tool: { name: 'feedbench'; version: string; commit: string | null; commit_dirty: boolean | null };
  machine: { node: string; os: string; cpu_model: string; cores: number; memory_bytes: number };
  created_at: string;
  finished_at: string | null;
  /** False while the run is going on, or when it was cut short. */
  complete: boolean;
  scenario: Scenario;
  cells: CellResult[];
  /** A part of a suite: the suite's name and when the suite run began (every part of one run has the same). */
  suite?: { name: string; started_at: string };
  /** A file made by `feedbench merge`: the files it came from and their machines. */
  merged_from?: { source: string; machine: ResultsFile['machine']; created_at: string }[];
  /** Capacity ladders, for a scenario with `capacity`: each configuration's steps and capacity. */
  capacity?: CapacityResult[];
}

function gitCommit(): { commit: string | null; dirty: boolean | null } {
  try {
    const cwd = new URL('../..', import.meta.url).pathname;
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: null };
  }
}

/** The package version from package.json. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** A new, empty results file for a scenario about to run. */
export function newResults(scenario: Scenario): ResultsFile {
  const { commit, dirty } = gitCommit();
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    tool: { name: 'feedbench', version: toolVersion(), commit, commit_dirty: dirty },
    machine: { node: process.version, os: `${osType()} ${release()}`, cpu_model: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memory_bytes: totalmem() },
    created_at: new Date().toISOString(),
    finished_at: null,
    complete: false,
    scenario,
    cells: [],
  };
}

/** Writes JSON to `path` atomically (see writeFileAtomic). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a results file, refusing one of another schema version with a clear message. */
export function readResults(path: string): ResultsFile {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ResultsFile>;
  if (parsed.schema_version !== RESULTS_SCHEMA_VERSION) {
    throw new Error(`${path}: results schema version ${String(parsed.schema_version)}, this feedbench reads version ${RESULTS_SCHEMA_VERSION}`);
  }
  // Files from before workloads existed measured the feed.
  for (const cell of parsed.cells ?? []) {
    cell.params.workload ??= 'feed';
    cell.params.instances ??= 1;
    cell.params.balancer ??= null;
    cell.params.failover_at_ms ??= null;
  }
  return parsed as ResultsFile;
}
