import { bisectCapacity, capacityLadders } from './capacity.ts';
import type { CapacityStep, CellResult } from '../results/index.ts';
import type { Cell } from './cells.ts';
import { required } from '../metrics/required.ts';

/** One ladder run to its end: its first cell (the rung the others vary), steps and cells. */
export interface RunLadder {
  readonly rung: Cell;
  readonly steps: CapacityStep[];
  readonly cells: Map<string, CellResult>;
  /** The ladder's last client count as written. */
  readonly top: number;
}

/**
 * Runs a scenario's cells as ladders (capacity or cost curve): each ladder in ascending clients
 * up to its first failing step (the steps above are not run), then the gap between its last
 * passing and first failing step bisected (unless `bisect` is false). `run` runs one cell (its index and the total so far,
 * which bisection steps grow); `done` gets each ladder as it ends.
 */
export async function runLadders(
  cells: readonly Cell[],
  judge: (result: CellResult) => CapacityStep,
  run: (cell: Cell, index: number, total: number) => Promise<CellResult>,
  done: (ladder: RunLadder) => void,
  bisect = true,
): Promise<void> {
  let index = 0;
  let total = cells.length;
  for (const ladder of capacityLadders(cells)) {
    const results = new Map<string, CellResult>();
    const runStep = async (cell: Cell) => {
      const result = await run(cell, index++, total);
      results.set(cell.id, result);
      return judge(result);
    };
    const steps: CapacityStep[] = [];
    for (const cell of ladder) {
      const step = await runStep(cell);
      steps.push(step);
      if (!step.passed) break;
    }
    // A saturated failing step still leaves the gap below it to narrow (the result stays a lower
    // bound). A ladder has a step at least: the loop above ran its first.
    const failed = required(steps.at(-1), "the ladder's last step");
    const rung = required(ladder[0], "the ladder's first cell");
    if (!failed.passed && bisect) {
      const passing = steps.at(-2)?.clients ?? 0;
      steps.push(
        ...(await bisectCapacity(passing, failed.clients, async (clients) => {
          total++;
          const cell = { id: `${rung.id}.b${clients}`, params: { ...rung.params, clients } };
          return { ...(await runStep(cell)), bisection: true };
        })),
      );
    }
    done({
      rung,
      steps,
      cells: results,
      top: ladder.at(-1)?.params.clients ?? rung.params.clients,
    });
  }
}

/**
 * Whether a ladder measured anything: one whose every step was not applicable (short polling on
 * Socket.IO, say) has no curve or capacity to report.
 */
export function ladderApplies(ladder: Pick<RunLadder, 'cells'>): boolean {
  return [...ladder.cells.values()].some((c) => c.state !== 'not-applicable');
}
