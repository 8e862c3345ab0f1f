import type { AgentCoordinator } from '../../agents/coordinator.ts';
import type { AgentCellRecord, AgentsRecord, CellResult } from '../../results/index.ts';
import type { AgentDrivers } from '../cell/process-pools.ts';

/** An agent lost mid-run: the run stops after the cell it was lost in. */
export class AgentLostError extends Error {
  constructor(
    readonly agent: number,
    readonly reason: string,
  ) {
    super(`agent ${agent} was lost: ${reason}`);
  }
}

/**
 * The load agents of one run, as the orchestrator uses them: the cells' drivers, and the record
 * of them the results file keeps (members, each cell's figures per agent, a failure).
 */
export class AgentRun implements AgentDrivers {
  /** The record of the scenario running now (each part of a suite gets its own: newPart). */
  record: AgentsRecord;

  constructor(
    private readonly coordinator: AgentCoordinator,
    readonly serverHost: string | undefined,
    placement: AgentsRecord['placement'],
    coordinatorRole: AgentsRecord['coordinator'],
  ) {
    this.record = {
      count: coordinator.agents.length,
      placement,
      coordinator: coordinatorRole,
      members: coordinator.agents.map((a) => ({
        index: a.registration.index,
        hostname: a.registration.hostname,
        address: a.address,
        pid: a.registration.pid,
        clock_offset_us: a.clock.offsetUs,
        clock_rtt_us: a.clock.rttUs,
      })),
      cells: [],
      failure: null,
    };
  }

  /**
   * A fresh record for the next scenario of the run (a suite's next part): its cells only, the
   * members as they were.
   */
  newPart(): void {
    this.record = { ...this.record, cells: [], failure: null };
  }

  /** Every agent, in index order. */
  get drivers() {
    return this.coordinator.agents;
  }

  /** Records a finished cell's figures per agent, and the agent lost in it, if one was. */
  afterCell(cell: CellResult, shares: (clients: number) => number[]): void {
    const agents = this.coordinator.agents;
    if (cell.state !== 'not-applicable') {
      const late = agents.map((a) => a.lastWindowLateUs);
      const known = late.filter((v): v is number => v !== null);
      const figures: AgentCellRecord = {
        cell_id: cell.id,
        clients: shares(cell.params.clients),
        connect_ms: agents.map((a) => (a.lastConnectMs === null ? null : round1(a.lastConnectMs))),
        window_open_late_us: late,
        start_skew_us:
          known.length === agents.length ? Math.max(...known) - Math.min(...known) : null,
      };
      this.record.cells.push(figures);
    }
    for (const a of agents) {
      a.lastConnectMs = null;
      a.lastWindowLateUs = null;
    }
    const lost = this.coordinator.lost;
    if (lost?.lost && !this.record.failure)
      this.record.failure = {
        agent: lost.registration.index,
        reason: lost.lost,
        cell_id: cell.id,
        cells_not_run: 0,
      };
  }

  /** Throws AgentLostError once an agent was lost: the run goes no further. */
  stopIfLost(): void {
    const failure = this.record.failure;
    if (failure) throw new AgentLostError(failure.agent, failure.reason);
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;
