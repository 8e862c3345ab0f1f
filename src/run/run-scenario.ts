import { join } from 'node:path';
import { expandCells, type Cell } from './cells.ts';
import { capacityOf, judgeStep } from './capacity.ts';
import { costCurveOf, judgeCurveStep } from './cost-curve.ts';
import { ladderApplies, runLadders } from './ladders.ts';
import { runCell, type CellPhase } from './cell/run-cell.ts';
import { newResults, writeResults, type CellResult, type ResultsFile } from '../results/index.ts';
import type { Scenario } from './scenario.ts';
import { RunPools, type ProcessPools } from './cell/process-pools.ts';

/** What a run reports as it goes, for progress displays. */
export interface RunObserver {
  cellStarted(cell: Cell, index: number, total: number): void;
  cellPhase(cell: Cell, phase: CellPhase): void;
  cellFinished(result: CellResult, index: number, total: number): void;
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
): Promise<{ results: ResultsFile; path: string }> {
  const own = pools ? undefined : new RunPools();
  try {
    return await runCells(scenario, outDir, observer, suite, (pools ?? own)?.for(scenario) ?? {});
  } finally {
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
    writeResults(path, results);
    observer.cellFinished(result, index, total);
    return result;
  };
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
  results.finished_at = new Date().toISOString();
  results.complete = true;
  writeResults(path, results);
  return { results, path };
}
