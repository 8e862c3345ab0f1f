import { join } from 'node:path';
import { expandCells, type Cell } from './cells.ts';
import { capacityOf, judgeStep } from './capacity.ts';
import { costCurveOf, judgeCurveStep } from './cost-curve.ts';
import { ladderApplies, runLadders } from './ladders.ts';
import { runCell, type CellPhase } from './cell/run-cell.ts';
import { newResults, writeResults, type CellResult, type ResultsFile } from '../results/index.ts';
import { ScenarioError, type Scenario } from './scenario.ts';
import { RunPools, type ProcessPools } from './cell/process-pools.ts';
import { splitClients } from './cell/driver-group.ts';
import { AgentLostError, AgentRun } from './agents/agent-run.ts';
import { startAgentFleet } from './agents/agent-fleet.ts';
import { defaultCores } from './cell/cell-rig.ts';
import { agentLimitProblems } from './agents/agent-limits.ts';

/** What a run reports as it goes, for progress displays. */
export interface RunObserver {
  cellStarted(cell: Cell, index: number, total: number): void;
  cellPhase(cell: Cell, phase: CellPhase): void;
  cellFinished(result: CellResult, index: number, total: number): void;
  /** A line about the run as a whole (where its agents run, say). */
  note?(line: string): void;
}

/** The file name of a run's results: scenario name and start time, sortable. */
export function resultsFileName(scenario: Scenario, startedAt: Date): string {
  return `${scenario.name}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
}

/**
 * Runs every cell of a scenario in turn and writes the results file after each one (atomically),
 * so a run cut short leaves a valid file of the cells it finished. Returns the file and its path.
 * Drivers and servers are kept between cells (scenario.reuseDrivers, reuseServers) in `pools`,
 * the caller's when it runs several scenarios, else this run's own, stopped at its end.
 */
export async function runScenario(
  scenario: Scenario,
  outDir: string,
  observer: RunObserver,
  suite?: ResultsFile['suite'],
  pools?: RunPools,
  agents?: AgentRun,
): Promise<{ results: ResultsFile; path: string }> {
  const own = pools ? undefined : new RunPools();
  // A scenario with agents of its own gets a fleet on this host for its run.
  const fleet =
    !agents && scenario.agents
      ? await startAgentFleet(scenario.agents, (scenario.cores ?? defaultCores())?.driver)
      : undefined;
  if (fleet) observer.note?.(fleet.placement);
  try {
    const processPools = (pools ?? own)?.for(scenario) ?? {};
    const run = agents ?? fleet?.run;
    if (run) {
      const registrations = run.drivers.map((agent) => agent.registration);
      const problems = agentLimitProblems(expandCells(scenario), scenario, registrations);
      if (problems.length > 0) throw new ScenarioError(`${scenario.name} on its agents`, problems);
    }
    return await runCells(scenario, outDir, observer, suite, { ...processPools, agents: run });
  } finally {
    await fleet?.close();
    await own?.close();
  }
}

async function runCells(
  scenario: Scenario,
  outDir: string,
  observer: RunObserver,
  suite: ResultsFile['suite'] | undefined,
  pools: ProcessPools,
): Promise<{ results: ResultsFile; path: string }> {
  const cells = expandCells(scenario);
  const results = newResults(scenario);
  if (suite) results.suite = suite;
  const path = join(outDir, resultsFileName(scenario, new Date(results.created_at)));
  writeResults(path, results);
  const run = async (cell: Cell, index: number, total = cells.length) => {
    observer.cellStarted(cell, index, total);
    const result = await runCell(cell, scenario, (phase) => observer.cellPhase(cell, phase), pools);
    results.cells.push(result);
    if (agents) {
      agents.afterCell(result, (clients) => splitClients(clients, agents.drivers.length));
      results.agents = agents.record;
    }
    writeResults(path, results);
    observer.cellFinished(result, index, total);
    agents?.stopIfLost();
    return result;
  };
  const agents = pools.agents instanceof AgentRun ? pools.agents : undefined;
  agents?.newPart();
  try {
    await runAll(cells, scenario, results, path, run);
  } catch (error) {
    if (!(error instanceof AgentLostError) || !results.agents?.failure) throw error;
    // The run stops where the agent was lost: a partial file that says which agent, and where.
    results.agents.failure.cells_not_run = Math.max(0, cells.length - results.cells.length);
    results.finished_at = new Date().toISOString();
    writeResults(path, results);
    return { results, path };
  }
  results.finished_at = new Date().toISOString();
  results.complete = true;
  writeResults(path, results);
  return { results, path };
}

/** Every cell of the scenario in turn, or its ladders step by step. */
async function runAll(
  cells: Cell[],
  scenario: Scenario,
  results: ResultsFile,
  path: string,
  run: (cell: Cell, index: number, total?: number) => Promise<CellResult>,
): Promise<void> {
  const ladder = scenario.capacity ?? scenario.costCurve;
  if (ladder) {
    const { costCurve, capacity } = scenario;
    if (capacity) results.capacity = [];
    if (costCurve) results.cost_curves = [];
    const judge = (r: CellResult) =>
      costCurve ? judgeCurveStep(r, costCurve) : judgeStep(r, ladder.p99TargetMs);
    await runLadders(
      cells,
      judge,
      run,
      (done) => {
        if (!ladderApplies(done)) return;
        const { rung, steps, cells: stepCells, top } = done;
        if (capacity)
          results.capacity?.push(capacityOf(rung.params, steps, capacity.p99TargetMs, top));
        if (costCurve)
          results.cost_curves?.push(
            costCurveOf(rung.params, steps, stepCells, costCurve, scenario.durationMs),
          );
        writeResults(path, results);
      },
      costCurve?.bisect ?? true,
    );
  } else {
    for (const [index, cell] of cells.entries()) await run(cell, index);
  }
}
