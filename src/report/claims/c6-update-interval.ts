import { formatBytes as bytes, formatFixed as fixed, formatMs as ms } from '../../metrics/units.ts';
import { referenceCostCurves } from '../servers.ts';
import { medianOf, ofTransport, type ReportCell } from '../report-cells.ts';
import { median } from '../../stats/percentile.ts';
import { pollingCrossover } from './workload-evidence.ts';
import { notMeasured, type Claim, type Judgement } from './claim.ts';
import { referenceCells } from './reference-cells.ts';
import { bytesPerClientHour, intervalSweep } from './interval-sweep.ts';
import { required } from '../../metrics/required.ts';

const every = (rate: number) => (rate > 1 ? `${rate} updates/s` : rate === 1 ? 'one update a second' : `one update every ${+(1 / rate).toFixed(1)} s`);

function judgeUpdateInterval(all: readonly ReportCell[]): Judgement {
  const { cells } = referenceCells(all);
  const sweep = intervalSweep(cells);
  if (sweep.length < 2) {
    const keepAliveOff = ofTransport(cells, 'short-poll', (c) => c.cell.params.keep_alive === false);
    const keepAliveOn = ofTransport(cells, 'short-poll', (c) => c.cell.params.keep_alive === true);
    const judgement = notMeasured('it needs a sweep of the update interval (short polling and push at several update rates: scenarios/update-interval.json).');
    if (keepAliveOff.length === 0 || keepAliveOn.length === 0) return judgement;
    return {
      ...judgement,
      numbers: [
        ['new connection per poll: set-up p50', ms(medianOf(keepAliveOff, (m) => m.connect_us?.p50))],
        ['server CPU per 1k updates, keep-alive / new connection', `${fixed(medianOf(keepAliveOn, (m) => m.server.cpu_ms_per_1k_updates), 0)} / ${fixed(medianOf(keepAliveOff, (m) => m.server.cpu_ms_per_1k_updates), 0)} ms`],
      ],
      notes: ['Partial evidence for "establishing an HTTP connection takes a lot of time": the keep-alive comparison above; with keep-alive (RFC 6202) polling pays no connection set-up per poll.'],
    };
  }
  const numbers: [string, string][] = [];
  let pushCheaperAtOnePerSecond = true;
  // A target's server CPU is not measured (null, never zero): then the costs compared are the bytes
  // alone.
  let cpuMeasured = true;
  for (const { rate, polls, push } of sweep) {
    const pollBytes = medianOf(polls, (m) => m.wire.bytes_per_update) ?? Infinity;
    const pushBytes = Math.min(...push.map((c) => c.metrics.wire.bytes_per_update ?? Infinity));
    const pollCpu = medianOf(polls, (m) => m.server.cpu_ms_per_1k_updates);
    const pushCpus = push.flatMap((c) => c.metrics.server.cpu_ms_per_1k_updates ?? []);
    const pushCpu = pushCpus.length > 0 ? Math.min(...pushCpus) : undefined;
    const cpuKnown = pollCpu !== undefined && pushCpu !== undefined;
    if (!cpuKnown) cpuMeasured = false;
    numbers.push([`${every(rate)}: bytes per update, polling / push`, `${bytes(pollBytes)} / ${bytes(pushBytes)}`]);
    numbers.push([`${every(rate)}: server CPU per 1k updates, polling / push`, cpuKnown ? `${fixed(pollCpu, 0)} / ${fixed(pushCpu, 0)} ms` : 'not measured (a target)']);
    if (rate >= 1 && !(pushBytes < pollBytes && (!cpuKnown || pushCpu < pollCpu))) pushCheaperAtOnePerSecond = false;
  }
  const slowest = required(sweep.at(-1), 'the sweep\'s slowest rate');
  const periodS = (slowest.polls[0]?.cell.params.poll_interval_ms ?? 1000) / 1000;
  const pollHour = median(slowest.polls.map(bytesPerClientHour));
  const pushPerUpdate = Math.min(...slowest.push.map((c) => c.metrics.wire.bytes_per_update ?? Infinity));
  const heldKiB = medianOf(slowest.push, (m) => m.server.live_bytes_per_conn);
  numbers.push([`polling every ${periodS} s: bytes per client-hour (whatever the update rate)`, `${(pollHour / 1024).toFixed(0)} KiB`]);
  numbers.push(['one update an hour (extrapolated): bytes per update, polling / push', `${(pollHour / 1024).toFixed(0)} KiB / ${bytes(pushPerUpdate)}`]);
  if (heldKiB !== undefined) numbers.push(['push: server memory held per idle connection', `${(heldKiB / 1024).toFixed(1)} KiB`]);
  const http = slowest.polls[0]?.cell.params.http ?? '1.1';
  const curve = referenceCostCurves(all).find((c) => c.transport === 'short-poll' && c.http === http);
  const crossover = pollingCrossover(slowest.polls, slowest.push, curve);
  const evidence = { used: sweep.flatMap(({ polls, push }) => [...polls, ...push]), deciding: `polling every ${periodS} s: ${(pollHour / 1024).toFixed(0)} KiB per client-hour; push: ${bytes(pushPerUpdate)} per update` };
  numbers.push(...crossover.numbers);
  const notes = [
    ...(cpuMeasured ? [] : ['The server\'s CPU was not measured (a server feedbench did not start): the costs compared are the bytes alone.']),
    ...crossover.notes,
    'Rows marked extrapolated are computed from the measured cost of a poll and of an update, not measured at one update an hour.',
    'Polling cost depends on how often clients poll (the delay they accept), not on how often updates come; push cost follows the updates, plus an open connection held all the time.',
    'With keep-alive (RFC 6202) a poll pays no new connection: "establishing an HTTP connection takes a lot of time" applies only without it.',
  ];
  if (!pushCheaperAtOnePerSecond) {
    return { verdict: 'not-supported', because: 'At one update a second or more, push did not cost less per update than polling.', numbers, notes, ...evidence };
  }
  if (pollHour > pushPerUpdate) {
    return {
      verdict: 'supported-with-condition',
      because: `At one update a second or more push cost less per update than polling, ${cpuMeasured ? 'bytes and server CPU' : 'in bytes (server CPU not measured)'}. But hourly updates favour HTTP only if clients accept up to an hour of delay: polling every ${periodS} s costs ${(pollHour / 1024).toFixed(0)} KiB per client-hour whatever the update rate, against ${bytes(pushPerUpdate)} per update over push (extrapolated).`,
      numbers, notes, ...evidence,
    };
  }
  return { verdict: 'supported', because: 'Push cost less per update at one update a second or more, and polling cost less at the slowest rates.', numbers, notes, ...evidence };
}


/** C6, as docs/claims.md states it, with its experiment. */
export const c6UpdateInterval: Claim = { id: 'C6', title: 'Hourly updates: HTTP; every second: WebSocket', articleWords: 'HTTP will be preferred when a resource that changes hourly... establishing an HTTP connection takes a lot of time.', experiment: 'Sweep of the update interval; polling with keep-alive vs a new connection per poll: cost per delivered update and the crossover interval.', anchors: ['vanDeVyvere', 'rfc6202'], charts: ['interval', 'cpu'], judge: judgeUpdateInterval };
