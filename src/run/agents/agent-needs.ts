import { notApplicableReason, type Cell } from '../cells.ts';
import type { Scenario } from '../scenario.ts';
import {
  BYTES_PER_CONNECTION,
  BYTES_PER_PROCESS,
  DESCRIPTOR_SLACK,
  connectionsPerClient,
} from '../preflight.ts';

/** What one load agent needs for the largest cell of a scenario, by the pre-flight check's figures. */
export interface AgentNeeds {
  /** Connections the agent's shard holds at most. */
  readonly connections: number;
  /** Open files its driver process needs (connections and the process's own). */
  readonly openFiles: number;
  /** Memory: the agent and its driver process, and both ends' share of its connections, bytes. */
  readonly memoryBytes: number;
  /** Cores: one for its driver (one Node event loop), half for the agent process and the kernel. */
  readonly cores: number;
  /**
   * Seconds the whole run may take at most: each cell's time-out, or its warm-up, window and a
   * margin.
   */
  readonly runSeconds: number;
}

/** Open files and memory one agent needs to hold `connections`: its driver and itself. */
export function shardNeeds(connections: number): { openFiles: number; memoryBytes: number } {
  return {
    openFiles: connections + DESCRIPTOR_SLACK,
    memoryBytes: 2 * BYTES_PER_PROCESS + connections * BYTES_PER_CONNECTION,
  };
}

/** Margin per cell for connecting, settling and draining, s. */
const CELL_MARGIN_S = 60;

/** What each of `agents` agents needs to run its shard of every cell of `cells`. */
export function agentNeeds(cells: readonly Cell[], scenario: Scenario, agents: number): AgentNeeds {
  const running = cells.filter((c) => !notApplicableReason(c.params, scenario));
  const connections = Math.max(
    0,
    ...running.map((c) => Math.ceil((c.params.clients * connectionsPerClient(c)) / agents)),
  );
  // A scenario's own cell time-out is what it allows a cell (connecting 40,000 takes minutes).
  const cellSeconds =
    scenario.cellTimeoutMs !== undefined
      ? scenario.cellTimeoutMs / 1000
      : (scenario.warmupMs + scenario.durationMs) / 1000 + CELL_MARGIN_S;
  return {
    connections,
    ...shardNeeds(connections),
    cores: 1.5,
    runSeconds: Math.ceil(running.length * cellSeconds),
  };
}
