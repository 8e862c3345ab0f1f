import cliProgress from 'cli-progress';
import { cellLabel } from '../transports/cell-label.ts';
import type { Cell } from './cells.ts';
import type { CellResult } from '../results/index.ts';
import type { RunObserver } from './run-scenario.ts';
import type { CellPhase } from './cell/run-cell.ts';

function outcome(result: CellResult): string {
  if (result.state === 'not-applicable') return `not applicable: ${result.reason}`;
  if (result.state === 'errored' || !result.metrics) return `ERRORED: ${result.reason}`;
  const m = result.metrics;
  const p50 = m.latency_us ? `${(m.latency_us.p50 / 1000).toFixed(2)} ms` : '-';
  const sat = m.driver.saturated ? ` SATURATED (${m.driver.reason})` : '';
  return `ok  p50 ${p50}  lost ${m.delivery.lost}${sat}  (${(result.duration_ms / 1000).toFixed(1)} s)`;
}

/** Plain lines, one per cell start and end: for logs and CI, where there is no terminal. */
export function plainProgress(write: (line: string) => void): RunObserver {
  return {
    cellStarted: (cell, index, total) =>
      write(`[${index + 1}/${total}] ${cellLabel(cell.params)} ...`),
    cellPhase: () => {},
    cellFinished: (result, index, total) =>
      write(`[${index + 1}/${total}] ${cellLabel(result.params)}: ${outcome(result)}`),
    note: write,
  };
}

/**
 * A progress bar over cells with the current cell's phase, for a terminal; finished cells print
 * above it.
 */
export function terminalProgress(): RunObserver & { stop(): void } {
  const bars = new cliProgress.MultiBar(
    {
      format: ' {bar} {value}/{total} cells | {cell} | {phase}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    cellStarted(cell: Cell, index: number, total: number) {
      bar ??= bars.create(total, 0);
      bar.update(index, { cell: cellLabel(cell.params), phase: 'starting' });
    },
    cellPhase(_cell: Cell, phase: CellPhase) {
      bar?.update({ phase });
    },
    cellFinished(result: CellResult, index: number) {
      bars.log(`  ${cellLabel(result.params)}: ${outcome(result)}\n`);
      bar?.update(index + 1, { phase: result.state });
    },
    note(line: string) {
      bars.log(`${line}\n`);
    },
    stop() {
      bars.stop();
    },
  };
}
