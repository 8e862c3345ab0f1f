import type { CellResult } from '../../results/index.ts';
import { startRig } from './cell-rig.ts';
import { runPhases, type CellPhase } from './cell-phases.ts';
import { drainMs } from './drain-time.ts';
import { assembleCell, erroredCell, notApplicableCell } from './assemble-cell.ts';
import { Teardown } from './teardown.ts';
import { notApplicableReason, type Cell } from '../cells.ts';
import type { Scenario } from '../scenario.ts';
import type { ProcessPools } from './process-pools.ts';
import { settleMsOf } from './settle.ts';
import { transportNamed } from '../../transports/registry.ts';

export type { CellPhase } from './cell-phases.ts';

/** Rejects after `ms` with a sentence; the returned `cancel` stops the timer. */
function deadline(ms: number): { expired: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`cell did not finish within ${ms} ms`)), ms);
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

/**
 * Where a cell failed, in words: the phase, and in the connect phase the request every client
 * starts with.
 */
function whereItFailed(phase: CellPhase, cell: Cell): string {
  if (phase !== 'connecting') return `(in phase: ${phase})`;
  return `(in phase: connecting; each client's first request: ${transportNamed(cell.params.transport).firstRequest})`;
}

/**
 * Runs one cell: its rig (fresh server, proxy and driver processes), its phases (connect,
 * warm-up, window, drain), then the assembly of its results; every process is ended in one
 * place whatever happened. A failure or a time-out makes the cell `errored` with the reason; it
 * never throws, so the run goes on. With `pools`, the drivers and server of a cell that finished
 * go back to them for the next cell instead of being stopped.
 */
export async function runCell(
  cell: Cell,
  scenario: Scenario,
  onPhase: (phase: CellPhase) => void = () => {},
  pools?: ProcessPools,
): Promise<CellResult> {
  const started = new Date();
  const notApplicable = notApplicableReason(cell.params, scenario);
  if (notApplicable) return notApplicableCell(cell, notApplicable, started);
  const teardown = new Teardown();
  const timeoutMs =
    scenario.cellTimeoutMs ??
    settleMsOf(scenario) + scenario.warmupMs + scenario.durationMs + drainMs(cell) + 60_000;
  const limit = deadline(timeoutMs);
  // The phase a failure happened in, for its reason: a cell that hangs says where, and on what.
  let phase: CellPhase = 'starting';
  let finished = false;
  const enter = (next: CellPhase) => {
    phase = next;
    onPhase(next);
  };
  enter('starting');
  try {
    const measured = (async () => {
      const rig = await startRig(cell, scenario, teardown, pools);
      // A rig that finished starting after the cell timed out talks to nothing: stop here.
      if (teardown.ran) throw new Error('the cell ended while its rig was starting');
      const collected = await runPhases(rig, cell, scenario, enter);
      return { rig, collected };
    })();
    const { rig, collected } = await Promise.race([measured, limit.expired]);
    finished = true;
    const facts = {
      cores: { server: rig.server.cores ?? null, driver: rig.driver.cores },
      driverProcesses: rig.driverProcesses,
      warmupMs: scenario.warmupMs + collected.settledMs,
      serverReused: rig.serverReused,
      balancer: rig.group?.balancer ?? null,
      backplane: rig.group?.backplane ?? null,
      target: rig.target
        ? {
            url: rig.target.url.origin,
            clock: rig.target.clock,
            feedControl: rig.target.feedControl(),
          }
        : null,
    };
    return assembleCell(
      cell,
      collected,
      facts,
      Date.now() - started.getTime(),
      started,
      scenario.durationMs,
    );
  } catch (error) {
    return erroredCell(
      cell,
      `${(error as Error).message} ${whereItFailed(phase, cell)}`,
      Date.now() - started.getTime(),
      started,
    );
  } finally {
    limit.cancel();
    await teardown.run(finished);
  }
}
