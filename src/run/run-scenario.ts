import { join } from 'node:path';
import { expandCells, type Cell } from './cells.ts';
import { bisectCapacity, capacityLadders, capacityOf, judgeStep } from './capacity.ts';
import type { CapacityStep } from '../results/index.ts';
import { runCell, type CellPhase } from './cell/run-cell.ts';
import { newResults, writeResults, type CellResult, type ResultsFile } from '../results/index.ts';
import type { Scenario } from './scenario.ts';
import { DriverPool } from './cell/driver-pool.ts';
import { required } from '../metrics/required.ts';

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
 * Drivers are kept between cells (scenario.reuseDrivers) in `pool`, the caller's when it runs
 * several scenarios, else one of this run's own, stopped at its end.
 */
export async function runScenario(
  scenario: Scenario,
  outDir: string,
  observer: RunObserver,
  suite?: ResultsFile['suite'],
  pool?: DriverPool,
): Promise<{ results: ResultsFile; path: string }> {
  const own = pool ? undefined : new DriverPool();
  try {
    return await runCells(
      scenario,
      outDir,
      observer,
      suite,
      scenario.reuseDrivers ? (pool ?? own) : undefined,
    );
  } finally {
    await own?.close();
  }
}

async function runCells(
  scenario: Scenario,
  outDir: string,
  observer: RunObserver,
  suite: ResultsFile['suite'] | undefined,
  pool: DriverPool | undefined,
): Promise<{ results: ResultsFile; path: string }> {
  const cells = expandCells(scenario);
  const results = newResults(scenario);
  if (suite) results.suite = suite;
  const path = join(outDir, resultsFileName(scenario, new Date(results.created_at)));
  writeResults(path, results);
  const run = async (cell: Cell, index: number, total = cells.length) => {
    observer.cellStarted(cell, index, total);
    const result = await runCell(cell, scenario, (phase) => observer.cellPhase(cell, phase), pool);
    results.cells.push(result);
    writeResults(path, results);
    observer.cellFinished(result, index, total);
    return result;
  };
  if (scenario.capacity) {
    // A ladder stops at its first failing step: the steps above it are not run; then the gap
    // between its last passing and first failing step is bisected.
    const target = scenario.capacity.p99TargetMs;
    results.capacity = [];
    let index = 0;
    let total = cells.length;
    const runStep = async (cell: Cell) => judgeStep(await run(cell, index++, total), target);
    for (const ladder of capacityLadders(cells)) {
      const steps: CapacityStep[] = [];
      for (const cell of ladder) {
        const step = await runStep(cell);
        steps.push(step);
        if (!step.passed) break;
      }
      // A saturated failing step still leaves the gap below it to narrow (the capacity stays a
      // lower bound). A ladder has a step at least: the loop above ran its first.
      const failed = required(steps.at(-1), "the ladder's last step");
      const rung = required(ladder[0], "the ladder's first cell");
      if (!failed.passed) {
        const passing = steps.at(-2)?.clients ?? 0;
        steps.push(
          ...(await bisectCapacity(passing, failed.clients, async (clients) => {
            total++;
            const cell = { id: `${rung.id}.b${clients}`, params: { ...rung.params, clients } };
            return { ...(await runStep(cell)), bisection: true };
          })),
        );
      }
      results.capacity.push(
        capacityOf(
          rung.params,
          steps,
          target,
          ladder.at(-1)?.params.clients ?? rung.params.clients,
        ),
      );
      writeResults(path, results);
    }
  } else {
    for (const [index, cell] of cells.entries()) await run(cell, index);
  }
  results.finished_at = new Date().toISOString();
  results.complete = true;
  writeResults(path, results);
  return { results, path };
}
