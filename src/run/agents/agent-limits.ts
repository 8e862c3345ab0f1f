import type { AgentLimits, Registration } from '../../agents/agent-messages.ts';
import { cellLabel } from '../../transports/cell-label.ts';
import { notApplicableReason, type Cell } from '../cells.ts';
import { splitClients } from '../cell/driver-group.ts';
import { connectionsPerClient } from '../preflight.ts';
import { shardNeeds } from './agent-needs.ts';
import type { Scenario } from '../scenario.ts';

/** What one agent's shard of one cell would exceed on its host, in words; none when it fits. */
function shardProblems(connections: number, limits: AgentLimits): string[] {
  const problems: string[] = [];
  const { openFiles: files, memoryBytes: memory } = shardNeeds(connections);
  if (limits.openFiles !== null && files > limits.openFiles)
    problems.push(
      `${files} open files, over its limit of ${limits.openFiles}: raise the open-file limit where it runs (a container's is its runtime's), or add agents`,
    );
  if (limits.ephemeralPorts !== null && connections > limits.ephemeralPorts)
    problems.push(
      `${connections} connections from its one address, over the ${limits.ephemeralPorts} local ports it has: add agents`,
    );
  if (memory > limits.freeMemoryBytes)
    problems.push(
      `about ${Math.round(memory / 2 ** 20)} MiB, and ${Math.round(limits.freeMemoryBytes / 2 ** 20)} MiB is free where it runs: add agents, or give each more memory`,
    );
  return problems;
}

/**
 * Every cell's shards against the limits each agent reported when it registered, as
 * `agent i (host), cells.k (label): problem`: checked before any cell, so a pod whose open-file
 * limit is too low is refused with what to change rather than failing with EMFILE mid-run.
 */
export function agentLimitProblems(
  cells: readonly Cell[],
  scenario: Scenario,
  agents: readonly Pick<Registration, 'index' | 'hostname' | 'limits'>[],
): string[] {
  return cells.flatMap((cell, k) => {
    if (notApplicableReason(cell.params, scenario)) return [];
    const shares = splitClients(cell.params.clients, agents.length);
    return agents.flatMap((agent, i) =>
      shardProblems(Math.ceil((shares[i] ?? 0) * connectionsPerClient(cell)), agent.limits).map(
        (problem) =>
          `agent ${agent.index} (${agent.hostname}), cells.${k} (${cellLabel(cell.params)}): its shard needs ${problem}`,
      ),
    );
  });
}
