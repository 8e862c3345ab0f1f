import { ofWorkload, usable, type MeasuredCell, type ReportCell } from './report-cells.ts';
import type { Judgement } from './claims.ts';
import { TRANSPORTS } from '../protocol/feed-protocol.ts';
import { median } from '../stats/percentile.ts';

const ms = (us: number | undefined) => (us === undefined ? '-' : `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`);
const instancesOf = (c: ReportCell) => c.cell.params.instances ?? 1;

/** Scale-out cells whose run killed an instance, that finished (saturated ones included: failover is about correctness). */
export function failoverCells(all: readonly ReportCell[]): MeasuredCell[] {
  return all.flatMap((c) => (c.cell.state === 'ok' && c.cell.metrics && c.cell.scale_out?.killed ? [{ ...c, metrics: c.cell.metrics }] : []));
}

/** Pairs of cells alike but for one in-memory instance vs K instances through Redis, no instance killed. */
export function backplanePairs(all: readonly ReportCell[]): { single: MeasuredCell; shared: MeasuredCell }[] {
  const cells = ofWorkload(usable(all), 'feed').filter((c) => c.cell.params.failover_at_ms === null || c.cell.params.failover_at_ms === undefined);
  const key = (c: MeasuredCell) => JSON.stringify({ ...c.cell.params, instances: undefined, balancer: undefined, repetition: undefined, run: c.run.scenario.name });
  return cells
    .filter((c) => instancesOf(c) > 1)
    .flatMap((shared) => {
      const single = cells.find((c) => instancesOf(c) === 1 && key(c) === key(shared));
      return single ? [{ single, shared }] : [];
    });
}

/**
 * C5, "stateful, so hard to scale horizontally": judged from the failover run. Supported when
 * WebSocket lost updates or clients that never came back; with a condition when it lost nothing
 * but its clients took far longer to recover than polling's; not supported when it came through
 * like the stateless transports.
 */
export function judgeScaleOut(all: readonly ReportCell[]): Judgement {
  const failover = failoverCells(all);
  const pairs = backplanePairs(all);
  if (failover.length === 0) {
    return { verdict: 'not-measured', because: 'Not measured in this run: it needs the scale-out and failover experiment (scenarios/scale-out.json: several instances behind a load balancer, one killed).', numbers: [], notes: [] };
  }
  const numbers: [string, string][] = [];
  const first = failover[0]!.cell.scale_out!;
  numbers.push(['instances, balancer, backplane', `${first.instances}, ${first.balancer}, Redis Streams`]);
  const byTransport = new Map<string, MeasuredCell[]>();
  for (const c of failover) byTransport.set(c.cell.params.transport, [...(byTransport.get(c.cell.params.transport) ?? []), c]);
  const recoveryMax = (cells: MeasuredCell[]) => Math.max(...cells.map((c) => c.cell.scale_out!.failover?.recovery_ms?.max ?? 0));
  for (const transport of TRANSPORTS) {
    const cells = byTransport.get(transport);
    if (!cells) continue;
    const lost = cells.reduce((s, c) => s + c.metrics.delivery.lost, 0);
    const dup = cells.reduce((s, c) => s + c.metrics.delivery.duplicated, 0);
    const f = cells.map((c) => c.cell.scale_out!.failover!).filter(Boolean);
    const affected = f.reduce((s, x) => s + x.affected_clients, 0);
    const recovered = f.reduce((s, x) => s + x.recovered_clients, 0);
    const p99 = median(f.map((x) => x.latency_after_failure_us?.p99 ?? 0));
    numbers.push([`${transport}: lost / duplicated; clients cut off (recovered); recovery p50 / max; p99 in the 2 s after the kill`, `${lost} / ${dup}; ${affected} (${recovered}); ${median(f.map((x) => x.recovery_ms?.p50 ?? 0)).toFixed(0)} / ${recoveryMax(cells).toFixed(0)} ms; ${ms(p99)}`]);
  }
  for (const { single, shared } of pairs) {
    numbers.push([`backplane cost, ${single.cell.params.transport}: p50 / p99, 1 instance in memory vs ${instancesOf(shared)} through Redis`, `${ms(single.metrics.latency_us?.p50)} / ${ms(single.metrics.latency_us?.p99)} vs ${ms(shared.metrics.latency_us?.p50)} / ${ms(shared.metrics.latency_us?.p99)}`]);
    const perInstance = shared.metrics.server.cpu_ms_per_1k_updates;
    numbers.push([`backplane cost, ${single.cell.params.transport}: server CPU per 1k updates (all instances) / Redis CPU per 1k`, `${single.metrics.server.cpu_ms_per_1k_updates?.toFixed(0) ?? '-'} vs ${perInstance?.toFixed(0) ?? '-'} ms / ${shared.cell.scale_out?.redis_cpu_ms_per_1k_updates?.toFixed(1) ?? '-'} ms`]);
  }
  const notes = [
    'On this 2-core machine K instances add no throughput: what is measured is correctness, recovery and the backplane\'s cost, not a scaling curve. The same scenario runs unchanged on a bigger machine.',
    'Clients cut off: those whose connection or request failed after the kill. A polling client whose idle keep-alive connection died simply opens a new one at its next poll, without an error, so it is not counted.',
    'SSE and WebSocket clients reconnect with exponential backoff and full jitter (first wait up to 100 ms, doubling to 5 s) and resume from their cursor (Last-Event-ID, ?since=); every instance answers any cursor from the shared history.',
  ];
  const ws = byTransport.get('websocket');
  if (!ws) return { verdict: 'not-measured', because: 'Not measured in this run: the failover run has no WebSocket cell.', numbers, notes };
  const wsLost = ws.reduce((s, c) => s + c.metrics.delivery.lost + c.metrics.delivery.duplicated, 0);
  const wsUnrecovered = ws.some((c) => (c.cell.scale_out!.failover?.recovered_clients ?? 0) < (c.cell.scale_out!.failover?.affected_clients ?? 0));
  if (wsLost > 0 || wsUnrecovered) {
    return { verdict: 'supported', because: `Scaled out over ${first.instances} instances, WebSocket ${wsLost > 0 ? `lost or duplicated ${wsLost} updates` : 'left clients unrecovered'} when one instance died.`, numbers, notes };
  }
  const polls = [...(byTransport.get('short-poll') ?? []), ...(byTransport.get('long-poll') ?? [])];
  const wsRecovery = recoveryMax(ws);
  const pollRecovery = polls.length > 0 ? recoveryMax(polls) : undefined;
  if (pollRecovery !== undefined && wsRecovery > 3 * Math.max(pollRecovery, 100)) {
    return { verdict: 'supported-with-condition', because: `WebSocket lost nothing behind ${first.instances} instances sharing a Redis backplane, but its clients needed up to ${wsRecovery.toFixed(0)} ms to come back against polling's ${pollRecovery.toFixed(0)} ms: the state is in the connections.`, numbers, notes };
  }
  return {
    verdict: 'not-supported',
    because: `With ${first.instances} instances behind ${first.balancer === 'haproxy' ? 'HAProxy' : "Node's cluster module"} and a Redis backplane, killing one lost no WebSocket update and every cut-off client was receiving again within ${wsRecovery.toFixed(0)} ms${pollRecovery !== undefined ? ` (polling: ${pollRecovery.toFixed(0)} ms)` : ''}. It takes a backplane and clients that resume from a cursor, as it does for SSE and long polling.`,
    numbers, notes,
  };
}

