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
  return [...ladders.values()].map((ladder) => ladder.sort((a, b) => a.params.clients - b.params.clients));
}

/** Judges one step against the target: it passes when it ran, the driver kept up, nothing was lost and p99 stayed under. */
export function judgeStep(result: CellResult, p99TargetMs: number): CapacityStep {
  const m = result.state === 'ok' ? result.metrics : null;
  const base = { clients: result.params.clients, cell_id: result.id, p99_us: m?.latency_us?.p99 ?? null, lost: m?.delivery.lost ?? 0, saturated: m?.driver.saturated ?? false };
  let reason: string | null = null;
  if (result.state !== 'ok' || !m) reason = `${result.state}: ${result.reason}`;
  else if (m.driver.saturated) reason = `the driver saturated (${m.driver.reason})`;
  else if (m.delivery.lost > 0) reason = `${m.delivery.lost} updates lost`;
  else if (base.p99_us === null) reason = 'no update was delivered';
  else if (base.p99_us > p99TargetMs * 1000) reason = `p99 ${(base.p99_us / 1000).toFixed(1)} ms over the ${p99TargetMs} ms target`;
  return { ...base, passed: reason === null, reason };
}

/** The capacity of one ladder from the steps it ran (it stops at the first failure). */
export function capacityOf(params: CellParams, steps: readonly CapacityStep[], p99TargetMs: number, ladderTop: number): CapacityResult {
  const failed = steps.find((s) => !s.passed);
  const passing = steps.filter((s) => s.passed && (!failed || s.clients < failed.clients));
  const capacity = passing.length > 0 ? passing[passing.length - 1]!.clients : 0;
  const label = cellLabel({ ...params, clients: 0 }).replace(/ 0c\b/, '');
  const limit = failed
    ? `at ${failed.clients} clients: ${failed.reason}`
    : `every step passed: the ladder ends at ${ladderTop} clients, so capacity is at least that`;
  return { label, transport: params.transport, p99_target_ms: p99TargetMs, steps: [...steps], capacity_clients: capacity, limit, lower_bound: !failed || failed.saturated };
}
