import { capacityResults, medianOf, ofTransport, ofWorkload, usable, type MeasuredCell, type ReportCell } from '../report-cells.ts';
import { TRANSPORTS } from '../../protocol/feed-protocol.ts';
import type { CostCurve } from '../../results/index.ts';
import { networksOf } from './reference-cells.ts';

/** Figures and caveats that one workload adds to a claim's card. */
export interface Evidence {
  readonly numbers: [string, string][];
  readonly notes: string[];
}

const ms = (us: number | undefined) => (us === undefined ? '-' : `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`);
const bytes = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(x < 20 ? 1 : 0)} B`);
const none: Evidence = { numbers: [], notes: [] };

/**
 * What short polling's cost curve says one server core answers: its marginal CPU per poll, its
 * knee, and Van de Vyvere et al.'s users per core (polls/s x acceptable latency) at 1 s and 10 s.
 */
function kneeRows(curve: CostCurve): [string, string][] {
  const polls = curve.knee.at_least;
  const plus = curve.knee.lower_bound ? '+' : '';
  const interval = curve.knee.interval && !curve.knee.lower_bound ? ` (knee between ${Math.round(curve.knee.interval[0]).toLocaleString('en')} and ${Math.round(curve.knee.interval[1]).toLocaleString('en')})` : '';
  return [
    ['server CPU per poll, marginal (cost curve) / polls one core answers per second (its knee)', `${curve.marginal_cpu_us_per_event?.toFixed(0) ?? '-'} µs / ${Math.round(polls).toLocaleString('en')}${plus}${interval}`],
    ["Van de Vyvere's rule (users = polls/s x acceptable latency): users one core serves at 1 s / 10 s", `${Math.floor(polls).toLocaleString('en')}${plus} / ${Math.floor(polls * 10).toLocaleString('en')}${plus}`],
  ];
}

/**
 * C1: chat, upstream over each transport: end-to-end latency and acknowledgement latency, on one
 * network (loopback when the cells have it; a claim judged under loss passes that network's cells
 * alone, and gets its chat figures).
 */
export function chatEvidence(all: readonly ReportCell[]): Evidence & { measured: boolean } {
  const plain = ofWorkload(usable(all), 'chat').filter((c) => !c.cell.params.tls);
  const network = networksOf(plain)[0];
  const chat = plain.filter((c) => c.cell.params.network === network);
  if (chat.length === 0) return { ...none, notes: ['Upstream (client to server) latency in a chat pattern: not measured in this run (scenarios/chat.json).'], measured: false };
  const on = network === 'loopback' ? '' : ` on ${network}`;
  const numbers: [string, string][] = [];
  for (const transport of TRANSPORTS) {
    const cells = chat.filter((c) => c.cell.params.transport === transport);
    if (cells.length === 0) continue;
    const ack = medianOf(cells, (m) => m.upstream?.ack_latency_us?.p50);
    const e2e = medianOf(cells, (m) => m.latency_us?.p50);
    numbers.push([`chat over ${transport}${on}: upstream ack p50 / send-to-others p50`, `${ms(ack)} / ${ms(e2e)}`]);
  }
  return {
    numbers,
    notes: ['Chat upstream: WebSocket sends a frame on its one connection; the HTTP transports send a POST on a second connection, as a browser would beside a held poll or stream.'],
    measured: true,
  };
}

/** C4: the article's echo ("How are you?"): round trip of a WebSocket frame vs an HTTP request. */
export function echoEvidence(all: readonly ReportCell[]): Evidence {
  const echo = ofWorkload(usable(all), 'echo').filter((c) => !c.cell.params.tls && c.cell.params.network === 'loopback');
  if (echo.length === 0) return none;
  const rtt = (cells: MeasuredCell[]) => `${ms(medianOf(cells, (m) => m.latency_us?.p50))} / ${ms(medianOf(cells, (m) => m.latency_us?.p99))}`;
  const http = echo.filter((c) => c.cell.params.transport !== 'websocket');
  return {
    numbers: [
      ['echo round trip p50 / p99: WebSocket frame', rtt(ofTransport(echo, 'websocket'))],
      ['echo round trip p50 / p99: HTTP POST, keep-alive', rtt(http.filter((c) => c.cell.params.keep_alive !== false))],
      ['echo round trip p50 / p99: HTTP POST, new connection', rtt(http.filter((c) => c.cell.params.keep_alive === false))],
    ],
    notes: [],
  };
}

/** C4: game-like load: each transport's capacity at its p99 target, from the capacity ladders. */
export function capacityEvidence(all: readonly ReportCell[]): Evidence {
  const ladders = capacityResults(all);
  if (ladders.length === 0) return none;
  const numbers: [string, string][] = ladders.map((c) => [
    `capacity, p99 under ${c.p99_target_ms} ms: ${c.label}`,
    `${c.lower_bound ? '>= ' : ''}${c.capacity_clients} clients`,
  ]);
  const notes = ladders.some((c) => c.lower_bound)
    ? ['A capacity marked >= stopped because the driver, not the server, hit its limit (or the ladder ended): the server may hold more.']
    : [];
  return { numbers, notes };
}

/** C3: bytes per update as the payload grows, and what permessage-deflate saves. */
export function payloadEvidence(all: readonly ReportCell[]): Evidence {
  const feed = ofWorkload(usable(all), 'feed').filter((c) => !c.cell.params.tls && c.cell.params.network === 'loopback');
  const sizes = [...new Set(feed.map((c) => c.cell.params.payload_bytes))].sort((a, b) => a - b);
  if (sizes.length < 2) return none;
  const numbers: [string, string][] = [];
  for (const size of sizes) {
    const at = feed.filter((c) => c.cell.params.payload_bytes === size);
    const overhead = (cells: MeasuredCell[]) => bytes(medianOf(cells, (m) => m.wire.overhead_bytes_per_update));
    const row = [`WebSocket ${overhead(ofTransport(at, 'websocket', (c) => !c.cell.params.ws_compression))}`, `SSE ${overhead(ofTransport(at, 'sse'))}`, `long poll ${overhead(ofTransport(at, 'long-poll'))}`, `short poll ${overhead(ofTransport(at, 'short-poll'))}`];
    numbers.push([`${size} B payload: overhead per update`, row.join(' / ')]);
    const plain = medianOf(ofTransport(at, 'websocket', (c) => !c.cell.params.ws_compression), (m) => m.wire.bytes_per_update);
    const deflated = medianOf(ofTransport(at, 'websocket', (c) => c.cell.params.ws_compression === true), (m) => m.wire.bytes_per_update);
    if (plain !== undefined && deflated !== undefined) numbers.push([`${size} B payload: WebSocket bytes per update, plain / permessage-deflate`, `${bytes(plain)} / ${bytes(deflated)}`]);
  }
  return { numbers, notes: ['Payloads are random letters and digits (compressible only to about 6 bits a character): deflate gains more on real JSON, whose keys repeat.'] };
}

/**
 * C6: where polling gets cheaper than push, and Van de Vyvere et al.'s rule (requests/s needed >=
 * users / acceptable latency). From measured costs: bytes and server CPU of one poll, bytes of
 * one pushed update. Polling every T costs P/T; push at r updates/s costs r*U; polling is
 * cheaper once the latency users accept (T) exceeds P / (r*U).
 */
export function pollingCrossover(polls: readonly MeasuredCell[], push: readonly MeasuredCell[], curve?: CostCurve): Evidence {
  const perPoll = medianOf(polls, (m) => (m.wire.requests > 0 ? (m.wire.bytes_down + m.wire.bytes_up) / m.wire.requests : null));
  const pushPerUpdate = Math.min(...push.map((c) => c.metrics.wire.bytes_per_update ?? Infinity));
  const cpuPerPollMs = medianOf(polls, (m) => (m.wire.requests > 0 && m.server.cpu_share !== null ? (m.server.cpu_share * (polls[0]?.run.scenario.durationMs ?? 0)) / m.wire.requests : null));
  if (perPoll === undefined || !Number.isFinite(pushPerUpdate)) return none;
  const numbers: [string, string][] = [['bytes per poll (request + answer) / per pushed update', `${bytes(perPoll)} / ${bytes(pushPerUpdate)}`]];
  for (const [rate, words] of [[1 / 60, 'one update a minute'], [1 / 3600, 'one update an hour']] as const) {
    const crossoverS = perPoll / (rate * pushPerUpdate);
    numbers.push([`${words}: polling costs fewer bytes than push once users accept a delay over`, crossoverS >= 120 ? `${(crossoverS / 60).toFixed(0)} min` : `${crossoverS.toFixed(0)} s`]);
  }
  const notes = ['Crossovers are computed from the measured cost of a poll and of an update (not measured at those rates); push also holds a connection open, counted as memory, not bytes.'];
  if (curve) return { numbers: [...numbers, ...kneeRows(curve)], notes: [...notes, `Polls per core and users per core come from the cost curve of short polling over ${curve.http === '2' ? 'HTTP/2' : 'HTTP/1.1'} (${curve.steps.length} steps to the knee, where p99 or the server's core gave out), not from a light-load ratio.`] };
  if (cpuPerPollMs !== undefined && cpuPerPollMs > 0) {
    notes.push('Polls per core below are a light-load ratio (one core / CPU per poll at this cell\'s load): a lightly loaded server spends more per poll than a busy one, and the knee comes first. A cost curve (scenarios/cost-curves.json) measures it.');
    const pollsPerCoreSecond = 1000 / cpuPerPollMs;
    numbers.push(['server CPU per poll / polls one core answers per second', `${(cpuPerPollMs * 1000).toFixed(0)} µs / ${pollsPerCoreSecond.toFixed(0)}`]);
    numbers.push(["Van de Vyvere's rule (users = polls/s x acceptable latency): users one core serves at 1 s / 10 s", `${Math.floor(pollsPerCoreSecond).toLocaleString('en')} / ${Math.floor(pollsPerCoreSecond * 10).toLocaleString('en')}`]);
  }
  return { numbers, notes };
}
