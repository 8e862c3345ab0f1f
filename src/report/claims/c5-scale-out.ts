import { formatMs as ms } from '../../metrics/units.ts';
import { median } from '../../stats/percentile.ts';
import { transportsUnderTest } from '../../transports/registry.ts';
import type { ReportCell } from '../report-cells.ts';
import { backplanePairs, failoverCells, instancesOf, type FailoverCell } from './scaleout-evidence.ts';
import type { Claim, Judgement } from './claim.ts';
import type { ScaleOutResult } from '../../results/index.ts';

/** The backplane the instances shared, in words. */
function backplaneWords(backplane: ScaleOutResult['backplane'] | undefined): string {
  return backplane === 'local' ? 'the local backplane (the publisher process\'s socket)' : 'a Redis backplane (Redis Streams)';
}

/**
 * C5, "stateful, so hard to scale horizontally": judged from the failover run. Supported when
 * WebSocket lost updates or clients that never came back; with a condition when it lost nothing
 * but its clients took far longer to recover than polling's; not supported when it came through
 * like the stateless transports.
 */
function judgeScaleOut(all: readonly ReportCell[]): Judgement {
  const failover = failoverCells(all);
  const pairs = backplanePairs(all);
  const firstCell = failover[0];
  if (firstCell === undefined) {
    return { verdict: 'not-measured', because: 'Not measured in this run: it needs the scale-out and failover experiment (scenarios/scale-out.json: several instances behind a load balancer, one killed).', numbers: [], notes: [] };
  }
  const numbers: [string, string][] = [];
  const first = firstCell.scaleOut;
  const backplane = backplaneWords(first.backplane);
  numbers.push(['instances, balancer, backplane', `${first.instances}, ${first.balancer}, ${backplane}`]);
  const byTransport = new Map<string, FailoverCell[]>();
  for (const c of failover) byTransport.set(c.cell.params.transport, [...(byTransport.get(c.cell.params.transport) ?? []), c]);
  const recoveryMax = (cells: FailoverCell[]) => Math.max(...cells.map((c) => c.scaleOut.failover?.recovery_ms?.max ?? 0));
  for (const { name: transport } of transportsUnderTest()) {
    const cells = byTransport.get(transport);
    if (!cells) continue;
    const lost = cells.reduce((s, c) => s + c.metrics.delivery.lost, 0);
    const dup = cells.reduce((s, c) => s + c.metrics.delivery.duplicated, 0);
    const late = cells.reduce((s, c) => s + c.metrics.delivery.late, 0);
    const f = cells.flatMap((c) => (c.scaleOut.failover ? [c.scaleOut.failover] : []));
    const affected = f.reduce((s, x) => s + x.affected_clients, 0);
    const recovered = f.reduce((s, x) => s + x.recovered_clients, 0);
    const p99 = median(f.map((x) => x.latency_after_failure_us?.p99 ?? 0));
    numbers.push([`${transport}: lost / duplicated / late; clients cut off (recovered); recovery p50 / max; p99 in the 2 s after the kill`, `${lost} / ${dup} / ${late}; ${affected} (${recovered}); ${median(f.map((x) => x.recovery_ms?.p50 ?? 0)).toFixed(0)} / ${recoveryMax(cells).toFixed(0)} ms; ${ms(p99)}`]);
  }
  for (const { single, shared } of pairs) {
    numbers.push([`backplane cost, ${single.cell.params.transport}: p50 / p99, 1 instance in memory vs ${instancesOf(shared)} through ${shared.cell.scale_out?.backplane === 'local' ? 'the local backplane' : 'Redis'}`, `${ms(single.metrics.latency_us?.p50)} / ${ms(single.metrics.latency_us?.p99)} vs ${ms(shared.metrics.latency_us?.p50)} / ${ms(shared.metrics.latency_us?.p99)}`]);
    const perInstance = shared.metrics.server.cpu_ms_per_1k_updates;
    numbers.push([`backplane cost, ${single.cell.params.transport}: server CPU per 1k updates (all instances) / Redis CPU per 1k`, `${single.metrics.server.cpu_ms_per_1k_updates?.toFixed(0) ?? '-'} vs ${perInstance?.toFixed(0) ?? '-'} ms / ${shared.cell.scale_out?.redis_cpu_ms_per_1k_updates?.toFixed(1) ?? '-'} ms`]);
  }
  const notes = [
    'On this 2-core machine K instances add no throughput: what is measured is correctness, recovery and the backplane\'s cost, not a scaling curve. The same scenario runs unchanged on a bigger machine.',
    'Clients cut off: those whose connection or request failed after the kill. A polling client whose idle keep-alive connection died simply opens a new one at its next poll, without an error, so it is not counted.',
    'SSE and WebSocket clients reconnect with exponential backoff and full jitter (first wait up to 100 ms, doubling to 5 s) and resume from their cursor (Last-Event-ID, ?since=); every instance answers any cursor from the shared history.',
  ];
  const used = [...failover, ...pairs.flatMap(({ single, shared }) => [single, shared])];
  const ws = byTransport.get('websocket');
  if (!ws) return { verdict: 'not-measured', because: 'Not measured in this run: the failover run has no WebSocket cell.', numbers, notes };
  const wsLost = ws.reduce((s, c) => s + c.metrics.delivery.lost + c.metrics.delivery.duplicated, 0);
  const wsUnrecovered = ws.some((c) => (c.scaleOut.failover?.recovered_clients ?? 0) < (c.scaleOut.failover?.affected_clients ?? 0));
  if (wsLost > 0 || wsUnrecovered) {
    return { verdict: 'supported', because: `Scaled out over ${first.instances} instances, WebSocket ${wsLost > 0 ? `lost or duplicated ${wsLost} updates` : 'left clients unrecovered'} when one instance died.`, numbers, notes, used };
  }
  const polls = [...(byTransport.get('short-poll') ?? []), ...(byTransport.get('long-poll') ?? [])];
  const wsRecovery = recoveryMax(ws);
  const pollRecovery = polls.length > 0 ? recoveryMax(polls) : undefined;
  const evidence = { used, deciding: `instance killed: WebSocket lost ${wsLost}, every client back within ${wsRecovery.toFixed(0)} ms${pollRecovery !== undefined ? ` (polling ${pollRecovery.toFixed(0)} ms)` : ''}` };
  if (pollRecovery !== undefined && wsRecovery > 3 * Math.max(pollRecovery, 100)) {
    return { verdict: 'supported-with-condition', because: `WebSocket lost nothing behind ${first.instances} instances sharing ${backplane}, but its clients needed up to ${wsRecovery.toFixed(0)} ms to come back against polling's ${pollRecovery.toFixed(0)} ms: the state is in the connections.`, numbers, notes, ...evidence };
  }
  return {
    verdict: 'not-supported',
    because: `With ${first.instances} instances behind ${first.balancer === 'haproxy' ? 'HAProxy' : "Node's cluster module"} and ${backplane}, killing one lost no WebSocket update and every cut-off client was receiving again within ${wsRecovery.toFixed(0)} ms${pollRecovery !== undefined ? ` (polling: ${pollRecovery.toFixed(0)} ms)` : ''}. It takes a backplane and clients that resume from a cursor, as it does for SSE and long polling.`,
    numbers, notes, ...evidence,
  };
}


/** C5, as docs/claims.md states it, with its experiment. */
export const c5ScaleOut: Claim = { id: 'C5', title: 'Stateful, so hard to scale horizontally', articleWords: 'Since it\'s stateful it\'s difficult to be horizontally scaled.', experiment: 'Several server instances behind one address (HAProxy or Node\'s cluster module) sharing the feed through a backplane (Redis, or on one host the local one); one instance killed (SIGKILL) mid-window: updates lost and duplicated, time until every affected client receives again, latency during recovery; and what the backplane costs against one in-memory instance.', anchors: ['centrifugo'], charts: ['failover-timeline', 'backplane'], judge: judgeScaleOut, notForBrowsers: 'the failover experiment runs feedbench\'s own clients' };
