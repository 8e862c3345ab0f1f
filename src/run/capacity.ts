import { cellLabel } from '../transports/cell-label.ts';
import type { CapacityResult, CapacityStep, CellParams, CellResult } from '../results/index.ts';
import type { Cell } from './cells.ts';

/** The cells of a scenario grouped into ladders: same parameters but clients, ascending clients. */
export function capacityLadders(cells: readonly Cell[]): Cell[][] {
  const ladders = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = JSON.stringify({ ...cell.params, clients: undefined });
    ladders.set(key, [...(ladders.get(key) ?? []), cell]);
  }
  return [...ladders.values()].map((ladder) =>
    ladder.sort((a, b) => a.params.clients - b.params.clients),
  );
}

/**
 * Judges one step against the target: it passes when it ran, the driver kept up, nothing was lost
 * and p99 stayed under.
 */
export function judgeStep(result: CellResult, p99TargetMs: number): CapacityStep {
  const m = result.state === 'ok' ? result.metrics : null;
  const base = {
    clients: result.params.clients,
    cell_id: result.id,
    p99_us: m?.latency_us?.p99 ?? null,
    lost: m?.delivery.lost ?? 0,
    saturated: m?.driver.saturated ?? false,
  };
  let reason: string | null = null;
  if (result.state !== 'ok' || !m) reason = `${result.state}: ${result.reason}`;
  else if (m.driver.saturated) reason = `the driver saturated (${m.driver.reason})`;
  else if (m.delivery.lost > 0) reason = `${m.delivery.lost} updates lost`;
  else if (base.p99_us === null) reason = 'no update was delivered';
  else if (base.p99_us > p99TargetMs * 1000)
    reason = `p99 ${(base.p99_us / 1000).toFixed(1)} ms over the ${p99TargetMs} ms target`;
  return { ...base, passed: reason === null, reason, bisection: false };
}

/**
 * Bisection stops once the failing and passing client counts are within this share of the passing
 * one.
 */
export const BISECTION_PRECISION = 0.1;

/**
 * Narrows a ladder's [passing, failing] client counts by bisection until they are within
 * BISECTION_PRECISION of each other, running one step per midpoint. A step the driver could not
 * drive (saturated) ends it: beyond that the server is not what is measured. Nothing to narrow
 * when no step passed.
 */
export async function bisectCapacity(
  passing: number,
  failing: number,
  runStep: (clients: number) => Promise<CapacityStep>,
): Promise<CapacityStep[]> {
  const steps: CapacityStep[] = [];
  while (passing > 0 && failing - passing > Math.max(1, passing * BISECTION_PRECISION)) {
    const mid = Math.round((passing + failing) / 2);
    const step = await runStep(mid);
    steps.push(step);
    if (step.passed) passing = mid;
    else if (step.saturated) break;
    else failing = mid;
  }
  return steps;
}

/**
 * The capacity of one ladder from the steps it ran, its bisection's included: the most clients that
 * passed below the fewest that failed.
 */
export function capacityOf(
  params: CellParams,
  steps: readonly CapacityStep[],
  p99TargetMs: number,
  ladderTop: number,
): CapacityResult {
  const failed = steps.filter((s) => !s.passed).sort((a, b) => a.clients - b.clients)[0];
  const passing = steps
    .filter((s) => s.passed && (!failed || s.clients < failed.clients))
    .map((s) => s.clients);
  const capacity = passing.length > 0 ? Math.max(...passing) : 0;
  const label = cellLabel({ ...params, clients: 0 }).replace(/ 0c\b/, '');
  const limit = failed
    ? `at ${failed.clients} clients: ${failed.reason}`
    : `every step passed: the ladder ends at ${ladderTop} clients, so capacity is at least that`;
  return {
    label,
    transport: params.transport,
    p99_target_ms: p99TargetMs,
    steps: [...steps],
    capacity_clients: capacity,
    interval: failed ? [capacity, failed.clients] : null,
    limit,
    lower_bound: !failed || failed.saturated,
  };
}
