/**
 * The pre-flight check: before any process starts, each cell's needs (open files per process,
 * source ports per address, memory) against this machine's limits, so a cell that cannot fit is
 * refused with what to change instead of dying with EMFILE half-way through a run.
 */
import { readFileSync } from 'node:fs';
import { freemem } from 'node:os';
import { cellLabel } from '../transports/cell-label.ts';
import { transportNamed } from '../transports/registry.ts';
import { notApplicableReason, type Cell } from './cells.ts';
import { defaultCores } from './cell/cell-rig.ts';
import { driverProcessCount } from './cell/driver-group.ts';
import type { Scenario } from './scenario.ts';

/** What this machine allows one process and one source address. */
export interface MachineLimits {
  /** Open files one process may have (the soft limit children inherit), and the hard one. */
  readonly openFiles: { readonly soft: number; readonly hard: number };
  /** Local ports one source address can use to reach one server port (the ephemeral range). */
  readonly ephemeralPorts: number;
  /** Memory free for the run, bytes. */
  readonly freeMemoryBytes: number;
}

/**
 * Descriptors a process keeps besides its connections (listeners, IPC, stdio, the loader's files).
 */
export const DESCRIPTOR_SLACK = 200;
/**
 * A generous estimate of what one connection costs a Node process (both ends measured 3-10 KiB
 * idle), bytes.
 */
export const BYTES_PER_CONNECTION = 32 * 1024;
/** What one Node process costs before any connection, bytes. */
export const BYTES_PER_PROCESS = 150 * 1024 * 1024;

/** This machine's limits, read from /proc (Linux). */
export function machineLimits(): MachineLimits {
  const limits = readFileSync('/proc/self/limits', 'utf8').match(
    /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m,
  );
  const asNumber = (v: string | undefined) =>
    v === undefined || v === 'unlimited' ? Infinity : Number(v);
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number);
  return {
    openFiles: { soft: asNumber(limits?.[1]), hard: asNumber(limits?.[2]) },
    ephemeralPorts: low !== undefined && high !== undefined ? high - low + 1 : Infinity,
    freeMemoryBytes: freemem(),
  };
}

/**
 * Connections one client holds: over HTTP/1.1 two where it sends upstream as a browser's fetch()
 * would, on a connection of its own; over HTTP/2 one (its upstream is a stream of it), shared by
 * `h2_clients_per_connection` clients.
 */
export function connectionsPerClient(cell: Cell): number {
  const p = cell.params;
  if (p.http === '2') return 1 / (p.h2_clients_per_connection ?? 1);
  return p.workload !== 'feed' && transportNamed(p.transport).upstream === 'http-post' ? 2 : 1;
}

/** The problems of one cell, each a sentence that says what to change; none when it fits. */
export function cellProblems(
  cell: Cell,
  scenario: Scenario,
  limits: MachineLimits,
  driverCores: number,
): string[] {
  const p = cell.params;
  const perClient = connectionsPerClient(cell);
  // The normal clients' drivers share them out; the slow ones have a driver of their own.
  const normalConnections = Math.ceil(p.clients * perClient);
  const connections = normalConnections + Math.ceil((p.slow_consumers?.clients ?? 0) * perClient);
  const files = limits.openFiles.soft;
  const problems: string[] = [];
  if (!scenario.target) {
    const perInstance = Math.ceil(connections / p.instances) + DESCRIPTOR_SLACK;
    if (perInstance > files) {
      problems.push(
        `each server process would hold ${perInstance} open files, over its limit of ${files}: set scaleOut.instances to at least ${Math.ceil(connections / (files - DESCRIPTOR_SLACK))}${files < limits.openFiles.hard ? `, or raise the soft limit (ulimit -n, up to ${limits.openFiles.hard})` : ''}`,
      );
    }
  }
  // On agents, each agent's one driver holds its shard, from an address of its own.
  const drivers =
    scenario.agents ?? driverProcessCount(scenario.driverProcesses, p.clients, driverCores);
  const perDriver = Math.ceil(normalConnections / drivers) + DESCRIPTOR_SLACK;
  if (perDriver > files) {
    problems.push(
      `each driver process would hold ${perDriver} open files, over its limit of ${files}: set ${scenario.agents ? 'agents' : 'driverProcesses'} to at least ${Math.ceil(normalConnections / (files - DESCRIPTOR_SLACK))}${scenario.agents ? '' : ' (or "auto")'}`,
    );
  }
  // One address: every driver's connections when a network profile's proxy forwards them, else one
  // driver's.
  const perAddress =
    p.network !== 'loopback' ? connections : Math.ceil(normalConnections / drivers);
  if (perAddress > limits.ephemeralPorts) {
    problems.push(
      `${perAddress} connections from one source address to one server port, over the ${limits.ephemeralPorts} local ports it has: ${p.network !== 'loopback' ? "the network profile's proxy connects from one address: use fewer clients per cell" : 'set driverProcesses higher (each connects from its own 127.0.0.x)'}`,
    );
  }
  const processes = drivers + (scenario.target ? 0 : p.instances);
  const memory = processes * BYTES_PER_PROCESS + 2 * connections * BYTES_PER_CONNECTION;
  if (memory > limits.freeMemoryBytes) {
    problems.push(
      `needs about ${Math.round(memory / 2 ** 20)} MiB (${processes} processes, ${connections} connections at both ends) and ${Math.round(limits.freeMemoryBytes / 2 ** 20)} MiB is free: use fewer clients per cell`,
    );
  }
  return problems;
}

/**
 * Every problem of every cell, as `cells.N (label): problem`; an empty list when the run fits this
 * machine.
 */
export function preflight(
  cells: readonly Cell[],
  scenario: Scenario,
  limits: MachineLimits = machineLimits(),
): string[] {
  const driverCores = (scenario.cores ?? defaultCores())?.driver.length ?? 1;
  // A cell that will be recorded not-applicable starts nothing: it needs nothing of the machine.
  return cells.flatMap((cell, i) =>
    notApplicableReason(cell.params, scenario)
      ? []
      : cellProblems(cell, scenario, limits, driverCores).map(
          (problem) => `cells.${i} (${cellLabel(cell.params)}): ${problem}`,
        ),
  );
}
