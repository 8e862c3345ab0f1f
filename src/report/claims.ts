
import { matchedLoad, medianOf, ofTransport, ofWorkload, usable, type MeasuredCell, type ReportCell } from './report-cells.ts';
import { median } from '../stats/percentile.ts';
import { capacityEvidence, chatEvidence, echoEvidence, payloadEvidence, pollingCrossover } from './workload-evidence.ts';
import { judgeScaleOut } from './scaleout-evidence.ts';

/** A verdict computed from the data; never written by hand. */
export type Verdict = 'supported' | 'supported-with-condition' | 'not-supported' | 'not-measured';

/** One claim of the article, judged against a run's cells. */
export interface ClaimAssessment {
  readonly id: string;
  readonly title: string;
  /** The claim in the article's words. */
  readonly articleWords: string;
  /** The experiment that tests it. */
  readonly experiment: string;
  readonly verdict: Verdict;
  /** Why, in one or two sentences with the deciding numbers. */
  readonly because: string;
  /** Key figures, label and formatted value. */
  readonly numbers: readonly (readonly [string, string])[];
  /** Conditions and caveats that the data shows or that the run did not cover. */
  readonly notes: readonly string[];
  /** Keys of ANCHORS to show beside the numbers. */
  readonly anchors: readonly string[];
  /** Ids of the charts that hold the evidence. */
  readonly charts: readonly string[];
}

type Claim = Omit<ClaimAssessment, 'verdict' | 'because' | 'numbers' | 'notes'>;
export type Judgement = Pick<ClaimAssessment, 'verdict' | 'because' | 'numbers' | 'notes'>;

const ms = (us: number | undefined) => (us === undefined ? '-' : `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`);
const pct = (x: number | undefined) => (x === undefined ? '-' : `${(x * 100).toFixed(0)}%`);
const bytes = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(x < 20 ? 1 : 0)} B`);
const fixed = (x: number | undefined, d = 2) => (x === undefined ? '-' : x.toFixed(d));

function notMeasured(why: string): Judgement {
  return { verdict: 'not-measured', because: `Not measured in this run: ${why}`, numbers: [], notes: [] };
}

const push = (cells: readonly ReportCell[]) => [...ofTransport(cells, 'websocket'), ...ofTransport(cells, 'sse')];

function judgeNoPolling(all: readonly ReportCell[]): Judgement {
  const { cells } = referenceCells(all);
  const pushCells = push(cells);
  const polls = ofTransport(cells, 'short-poll');
  if (pushCells.length === 0 || polls.length === 0) return notMeasured('it needs short-polling cells and SSE or WebSocket cells in one run.');
  const pushRequests = Math.max(...pushCells.map((c) => c.metrics.wire.requests_per_update ?? 0));
  const pollRequests = medianOf(polls, (m) => m.wire.requests_per_update);
  const emptyShare = medianOf(polls, (m) => m.wire.empty_poll_share);
  const chat = chatEvidence(all);
  const numbers: [string, string][] = [
    ['push (SSE, WebSocket): requests per update', fixed(pushRequests)],
    ['short polling: requests per update', fixed(pollRequests)],
    ['short polling: share of empty polls', pct(emptyShare)],
    ...chat.numbers,
  ];
  const notes = ['SSE needs no polling either: the benefit belongs to push, not to WebSocket alone.', ...chat.notes];
  if (pushRequests > 0) return { verdict: 'not-supported', because: `Push clients still made ${fixed(pushRequests)} requests per update.`, numbers, notes };
  if ((pollRequests ?? 0) >= 1 || (emptyShare ?? 0) > 0) {
    return {
      verdict: 'supported',
      because: `Push clients made no request after connecting, while short polling made ${fixed(pollRequests)} requests per update, ${pct(emptyShare)} of them answered with nothing.`,
      numbers, notes,
    };
  }
  return {
    verdict: 'supported-with-condition',
    because: `Push made no requests; short polling made ${fixed(pollRequests)} per update, but at this update rate no poll came back empty: polling batches updates and wastes no request when updates come faster than polls.`,
    numbers, notes,
  };
}

/** The network profiles in the cells, loopback first (the verdicts' reference condition). */
function networksOf(cells: readonly MeasuredCell[]): string[] {
  return [...new Set(cells.map((c) => c.cell.params.network))].sort((a, b) => (a === 'loopback' ? -1 : b === 'loopback' ? 1 : a.localeCompare(b)));
}

/**
 * The cells a claim is judged on: usable, without TLS (C7's subject), on one network, loopback
 * when present, so that like is compared with like. Other networks are listed beside.
 */
function referenceCells(all: readonly ReportCell[]): { cells: MeasuredCell[]; network: string | undefined; others: string[]; plain: MeasuredCell[] } {
  // Scale-out cells are C5's: the other claims are judged on single servers.
  const plain = ofWorkload(usable(all), 'feed').filter((c) => !c.cell.params.tls && (c.cell.params.instances ?? 1) === 1);
  const [network, ...others] = networksOf(plain);
  return { cells: plain.filter((c) => c.cell.params.network === network), network, others, plain };
}

function judgeConnectionSetup(all: readonly ReportCell[]): Judgement {
  const { cells, plain, network, others } = referenceCells(all);
  const networks = [network, ...others];
  const ws = ofTransport(cells, 'websocket');
  const http = ofTransport(cells, 'short-poll', (c) => c.cell.params.keep_alive !== false);
  if (ws.length === 0 || http.length === 0) return notMeasured('it needs WebSocket cells and short-polling cells (a plain HTTP request) in one run.');
  const wsP50 = medianOf(ws, (m) => m.connect_us?.p50)!;
  const wsP99 = medianOf(ws, (m) => m.connect_us?.p99);
  const httpP50 = medianOf(http, (m) => m.connect_us?.p50)!;
  const sseP50 = medianOf(ofTransport(cells, 'sse'), (m) => m.connect_us?.p50);
  const handshake = medianOf(ws, (m) => m.wire.handshake_bytes)!;
  const ratio = wsP50 / httpP50;
  const elsewhere: [string, string][] = networks.slice(1).map((network) => {
    const on = plain.filter((c) => c.cell.params.network === network);
    return [`on ${network}: set-up p50 WebSocket / HTTP / SSE`, `${ms(medianOf(ofTransport(on, 'websocket'), (m) => m.connect_us?.p50))} / ${ms(medianOf(ofTransport(on, 'short-poll', (c) => c.cell.params.keep_alive !== false), (m) => m.connect_us?.p50))} / ${ms(medianOf(ofTransport(on, 'sse'), (m) => m.connect_us?.p50))}`];
  });
  const numbers: [string, string][] = [
    ['network judged', networks[0]!],
    ['WebSocket set-up p50 / p99 (TCP + upgrade)', `${ms(wsP50)} / ${ms(wsP99)}`],
    ['HTTP set-up p50 (TCP + first request)', ms(httpP50)],
    ['SSE set-up p50 (TCP + response head)', ms(sseP50)],
    ['WebSocket / HTTP set-up', `${ratio.toFixed(2)}x`],
    ['WebSocket handshake bytes (request + response)', bytes(handshake)],
    ...elsewhere,
  ];
  const notes = [
    'Set-up includes queueing while the driver opens its connections, several at once (connectConcurrency).',
    ...(networks.length === 1 && networks[0] === 'loopback' ? ['Measured on loopback only: with a real RTT each set-up adds one round trip for TCP and one for the HTTP exchange or upgrade.'] : []),
    'Judged without TLS; TLS set-up is claim C7.',
  ];
  if (ratio <= 1.5 && handshake <= 1024) {
    return { verdict: 'supported', because: `Opening a WebSocket took ${ms(wsP50)} at the median, ${ratio.toFixed(2)}x a plain HTTP request, and ${bytes(handshake)} of handshake.`, numbers, notes };
  }
  if (ratio <= 3) {
    return { verdict: 'supported-with-condition', because: `Opening a WebSocket took ${ratio.toFixed(2)}x a plain HTTP request (${ms(wsP50)} vs ${ms(httpP50)}): moderate, but not free.`, numbers, notes };
  }
  return { verdict: 'not-supported', because: `Opening a WebSocket took ${ratio.toFixed(2)}x a plain HTTP request (${ms(wsP50)} vs ${ms(httpP50)}).`, numbers, notes };
}

function judgeMessageOverhead(all: readonly ReportCell[]): Judgement {
  const { cells } = referenceCells(all);
  const ws = ofTransport(cells, 'websocket', (c) => !c.cell.params.ws_compression);
  const polls = [...ofTransport(cells, 'short-poll'), ...ofTransport(cells, 'long-poll')];
  if (ws.length === 0 || polls.length === 0) return notMeasured('it needs WebSocket cells and polling cells in one run.');
  const wsOverhead = medianOf(ws, (m) => m.wire.overhead_bytes_per_update)!;
  const payload = medianOf(ws, (m) => m.wire.payload_bytes_per_update);
  const pollOverhead = Math.min(...polls.map((c) => c.metrics.wire.overhead_bytes_per_update ?? Infinity));
  const numbers: [string, string][] = [
    ['WebSocket overhead per update (framing)', bytes(wsOverhead)],
    ['SSE overhead per update (id/data lines, chunked framing)', bytes(medianOf(ofTransport(cells, 'sse'), (m) => m.wire.overhead_bytes_per_update))],
    ['long polling overhead per update', bytes(medianOf(ofTransport(cells, 'long-poll'), (m) => m.wire.overhead_bytes_per_update))],
    ['short polling overhead per update', bytes(medianOf(ofTransport(cells, 'short-poll'), (m) => m.wire.overhead_bytes_per_update))],
    ['update JSON (payload) per update', bytes(payload)],
  ];
  const sizes = payloadEvidence(all);
  numbers.push(...sizes.numbers);
  const notes = ['Overhead = bytes on the wire (both directions, TCP/IP headers not counted) minus the updates\' own JSON.', 'Short polling batches: the faster updates come relative to polls, the less overhead each update carries.', ...sizes.notes];
  if (wsOverhead <= 14 && wsOverhead * 4 < pollOverhead) {
    return { verdict: 'supported', because: `A WebSocket update cost ${bytes(wsOverhead)} beyond its JSON (RFC 6455 framing), against at least ${bytes(pollOverhead)} for polling.`, numbers, notes };
  }
  if (wsOverhead < pollOverhead) {
    return { verdict: 'supported-with-condition', because: `WebSocket overhead (${bytes(wsOverhead)} per update) was below polling's (${bytes(pollOverhead)}) but not by much at this update rate.`, numbers, notes };
  }
  return { verdict: 'not-supported', because: `WebSocket overhead (${bytes(wsOverhead)} per update) was not below polling's (${bytes(pollOverhead)}).`, numbers, notes };
}

function judgeReactionTime(all: readonly ReportCell[]): Judgement {
  const reference = referenceCells(all);
  const { network, others, plain } = reference;
  // Latency depends on the load: the transports are compared on one load, not on medians over many.
  const { cells, load } = matchedLoad(reference.cells);
  const ws = ofTransport(cells, 'websocket');
  const short = ofTransport(cells, 'short-poll');
  const long = ofTransport(cells, 'long-poll');
  if (ws.length === 0 || short.length + long.length === 0) return notMeasured('it needs WebSocket cells and polling cells in one run.');
  const p50 = (cs: MeasuredCell[]) => medianOf(cs, (m) => m.latency_us?.p50);
  const p99 = (cs: MeasuredCell[]) => medianOf(cs, (m) => m.latency_us?.p99);
  const wsP50 = p50(ws)!;
  const sseP50 = p50(ofTransport(cells, 'sse'));
  const longP50 = p50(long);
  const shortP50 = p50(short);
  const numbers: [string, string][] = [
    ['network and load judged', `${network ?? '-'}; ${load}`],
    ['WebSocket p50 / p99', `${ms(wsP50)} / ${ms(p99(ws))}`],
    ['SSE p50 / p99', `${ms(sseP50)} / ${ms(p99(ofTransport(cells, 'sse')))}`],
    ['long polling p50 / p99', `${ms(longP50)} / ${ms(p99(long))}`],
    ['short polling p50 / p99', `${ms(shortP50)} / ${ms(p99(short))}`],
  ];
  for (const other of others) {
    const on = plain.filter((c) => c.cell.params.network === other);
    numbers.push([`on ${other}: p50 WebSocket / SSE / long poll / short poll`, [ofTransport(on, 'websocket'), ofTransport(on, 'sse'), ofTransport(on, 'long-poll'), ofTransport(on, 'short-poll')].map((cs) => ms(p50(cs))).join(' / ')]);
  }
  // The model rows: the judged load, and every cell measured on another network (where the models matter most).
  for (const c of [...cells, ...plain.filter((c) => c.cell.params.network !== network)]) {
    const model = c.cell.model;
    if (model && c.cell.params.transport !== 'raw-tcp') numbers.push([`${c.label}: mean measured vs model (${model.formula})`, `${ms(c.metrics.latency_us?.mean)} vs ${ms(model.mean_us)}`]);
  }
  const echo = echoEvidence(all);
  const capacity = capacityEvidence(all);
  numbers.push(...echo.numbers, ...capacity.numbers);
  const notes: string[] = [...echo.notes, ...capacity.notes];
  if (network === 'loopback' && others.length === 0) notes.push('On loopback only (RTT about 60 µs): the network transits that separate the transports cost almost nothing here; under a real RTT long polling pays up to three transits and short polling T/2 + d (models).');
  if (sseP50 !== undefined && sseP50 <= wsP50 * 1.25) notes.push(`SSE was as fast (p50 ${ms(sseP50)}): fast reaction belongs to push, not to WebSocket alone.`);
  const fastestPoll = Math.min(shortP50 ?? Infinity, longP50 ?? Infinity);
  if (wsP50 > fastestPoll) {
    return { verdict: 'not-supported', because: `A polling transport delivered faster at the median (${ms(fastestPoll)}) than WebSocket (${ms(wsP50)}).`, numbers, notes };
  }
  if (longP50 !== undefined && longP50 <= wsP50 * 1.25) {
    return {
      verdict: 'supported-with-condition',
      because: `WebSocket delivered at ${ms(wsP50)} (p50), short polling at ${ms(shortP50)}; but long polling came within ${((longP50 / wsP50 - 1) * 100).toFixed(0)}% (${ms(longP50)}) at this update rate.`,
      numbers, notes,
    };
  }
  return {
    verdict: 'supported',
    because: `WebSocket delivered at ${ms(wsP50)} (p50), against ${ms(longP50)} for long polling and ${ms(shortP50)} for short polling.`,
    numbers, notes,
  };
}

/** Bytes a cell's clients moved per client-hour, from its window (µ over the window, scaled to an hour). */
export function bytesPerClientHour(c: MeasuredCell): number {
  const seconds = c.run.scenario.durationMs / 1000;
  return ((c.metrics.wire.bytes_down + c.metrics.wire.bytes_up) / c.cell.params.clients / seconds) * 3600;
}

/** Short polling (keep-alive) and push cells at each update rate present in both, fastest first. */
export function intervalSweep(cells: readonly ReportCell[]): { rate: number; polls: MeasuredCell[]; push: MeasuredCell[] }[] {
  // One poll interval: the one measured at the most update rates (the sweep's), so that cells
  // polling at other intervals (another part of a suite) do not mix into its medians.
  const allPolls = ofTransport(cells, 'short-poll', (c) => c.cell.params.keep_alive !== false);
  const ratesAt = (interval: number | null) => new Set(allPolls.filter((c) => c.cell.params.poll_interval_ms === interval).map((c) => c.cell.params.rate_per_s)).size;
  const interval = [...new Set(allPolls.map((c) => c.cell.params.poll_interval_ms))].sort((a, b) => ratesAt(b) - ratesAt(a) || (b ?? 0) - (a ?? 0))[0];
  const polls = allPolls.filter((c) => c.cell.params.poll_interval_ms === interval);
  const pushCells = [...ofTransport(cells, 'websocket', (c) => !c.cell.params.ws_compression), ...ofTransport(cells, 'sse')];
  const rates = [...new Set(polls.map((c) => c.cell.params.rate_per_s))].filter((r) => pushCells.some((c) => c.cell.params.rate_per_s === r)).sort((a, b) => b - a);
  return rates.map((rate) => ({ rate, polls: polls.filter((c) => c.cell.params.rate_per_s === rate), push: pushCells.filter((c) => c.cell.params.rate_per_s === rate) }));
}

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
  for (const { rate, polls, push } of sweep) {
    const pollBytes = medianOf(polls, (m) => m.wire.bytes_per_update)!;
    const pushBytes = Math.min(...push.map((c) => c.metrics.wire.bytes_per_update ?? Infinity));
    const pollCpu = medianOf(polls, (m) => m.server.cpu_ms_per_1k_updates)!;
    const pushCpu = Math.min(...push.map((c) => c.metrics.server.cpu_ms_per_1k_updates ?? Infinity));
    numbers.push([`${every(rate)}: bytes per update, polling / push`, `${bytes(pollBytes)} / ${bytes(pushBytes)}`]);
    numbers.push([`${every(rate)}: server CPU per 1k updates, polling / push`, `${fixed(pollCpu, 0)} / ${fixed(pushCpu, 0)} ms`]);
    if (rate >= 1 && !(pushBytes < pollBytes && pushCpu < pollCpu)) pushCheaperAtOnePerSecond = false;
  }
  const slowest = sweep.at(-1)!;
  const periodS = (slowest.polls[0]!.cell.params.poll_interval_ms ?? 1000) / 1000;
  const pollHour = median(slowest.polls.map(bytesPerClientHour));
  const pushPerUpdate = Math.min(...slowest.push.map((c) => c.metrics.wire.bytes_per_update ?? Infinity));
  const heldKiB = medianOf(slowest.push, (m) => m.server.live_bytes_per_conn);
  numbers.push([`polling every ${periodS} s: bytes per client-hour (whatever the update rate)`, `${(pollHour / 1024).toFixed(0)} KiB`]);
  numbers.push(['one update an hour (extrapolated): bytes per update, polling / push', `${(pollHour / 1024).toFixed(0)} KiB / ${bytes(pushPerUpdate)}`]);
  if (heldKiB !== undefined) numbers.push(['push: server memory held per idle connection', `${(heldKiB / 1024).toFixed(1)} KiB`]);
  const crossover = pollingCrossover(slowest.polls, slowest.push);
  numbers.push(...crossover.numbers);
  const notes = [
    ...crossover.notes,
    'Rows marked extrapolated are computed from the measured cost of a poll and of an update, not measured at one update an hour.',
    'Polling cost depends on how often clients poll (the delay they accept), not on how often updates come; push cost follows the updates, plus an open connection held all the time.',
    'With keep-alive (RFC 6202) a poll pays no new connection: "establishing an HTTP connection takes a lot of time" applies only without it.',
  ];
  if (!pushCheaperAtOnePerSecond) {
    return { verdict: 'not-supported', because: 'At one update a second or more, push did not cost less per update than polling.', numbers, notes };
  }
  if (pollHour > pushPerUpdate) {
    return {
      verdict: 'supported-with-condition',
      because: `At one update a second or more push cost less per update than polling, bytes and server CPU. But hourly updates favour HTTP only if clients accept up to an hour of delay: polling every ${periodS} s costs ${(pollHour / 1024).toFixed(0)} KiB per client-hour whatever the update rate, against ${bytes(pushPerUpdate)} per update over push (extrapolated).`,
      numbers, notes,
    };
  }
  return { verdict: 'supported', because: 'Push cost less per update at one update a second or more, and polling cost less at the slowest rates.', numbers, notes };
}

function judgeSecure(everything: readonly ReportCell[]): Judgement {
  const all = ofWorkload(everything, 'feed');
  // With and without TLS on the same network (loopback first), or the comparison means nothing.
  const network = networksOf(usable(all).filter((c) => c.cell.params.tls && c.cell.params.transport === 'websocket'))
    .find((n) => usable(all).some((c) => !c.cell.params.tls && c.cell.params.transport === 'websocket' && c.cell.params.network === n));
  const cells = all.filter((c) => c.cell.params.network === network);
  const wss = ofTransport(cells, 'websocket', (c) => c.cell.params.tls);
  const ws = ofTransport(cells, 'websocket', (c) => !c.cell.params.tls);
  if (network === undefined || wss.length === 0 || ws.length === 0) return notMeasured('it needs WebSocket cells over TLS (wss) beside cells without, on the same network.');
  const erroredTls = cells.filter((c) => c.cell.params.tls && c.cell.params.transport === 'websocket' && c.cell.state === 'errored');
  const lost = wss.reduce((sum, c) => sum + c.metrics.delivery.lost, 0);
  const setup = (cs: MeasuredCell[]) => medianOf(cs, (m) => m.connect_us?.p50);
  const perUpdate = (cs: MeasuredCell[]) => medianOf(cs, (m) => m.wire.bytes_per_update);
  const numbers: [string, string][] = [
    ['network compared', network],
    ['WebSocket set-up p50, ws / wss', `${ms(setup(ws))} / ${ms(setup(wss))}`],
    ['WebSocket handshake bytes, ws / wss', `${bytes(medianOf(ws, (m) => m.wire.handshake_bytes))} / ${bytes(medianOf(wss, (m) => m.wire.handshake_bytes))}`],
    ['WebSocket bytes per update, ws / wss', `${bytes(perUpdate(ws))} / ${bytes(perUpdate(wss))}`],
  ];
  const https = [...ofTransport(cells, 'short-poll', (c) => c.cell.params.tls), ...ofTransport(cells, 'sse', (c) => c.cell.params.tls), ...ofTransport(cells, 'long-poll', (c) => c.cell.params.tls)];
  if (https.length > 0) numbers.push(['HTTP transports over TLS: set-up p50', ms(setup(https))]);
  const notes = ['What is measured is that wss works and what it costs; authentication, origin checks and the like are not part of this experiment.'];
  if (erroredTls.length > 0 || lost > 0) {
    return { verdict: 'not-supported', because: `WebSocket over TLS ${erroredTls.length > 0 ? 'failed in some cells' : `lost ${lost} updates`}.`, numbers, notes };
  }
  const because = `WebSocket ran over TLS (wss) and delivered every update; TLS made set-up ${((setup(wss)! / setup(ws)!)).toFixed(1)}x slower and each update ${bytes(perUpdate(wss)! - perUpdate(ws)!)} larger.`;
  if (https.length > 0 && https.every((c) => c.metrics.delivery.lost === 0)) {
    return { verdict: 'supported-with-condition', because: `${because} But HTTPS protected the polling and SSE transports just as well: security is TLS's, not WebSocket's.`, numbers, notes };
  }
  return { verdict: 'supported', because, numbers, notes };
}

const CLAIMS: readonly (Claim & { judge: (cells: readonly ReportCell[]) => Judgement })[] = [
  { id: 'C1', title: 'Full duplex: no polling required', articleWords: 'Full duplex. No polling required and we don\'t have to ask for a response repeatedly.', experiment: 'The same feed to N clients over all four transports: requests per delivered update and share of empty polls; and a chat where the clients send: upstream acknowledgement and send-to-others latency, a WebSocket frame against an HTTP POST.', anchors: ['rfc6202'], charts: ['requests', 'chat'], judge: judgeNoPolling },
  { id: 'C2', title: 'Moderate overhead in establishing the connection', articleWords: 'Moderate overhead in establishing connection.', experiment: 'Connection set-up time (connect start to first usable byte) and handshake bytes per transport.', anchors: ['devMachine'], charts: ['connect'], judge: judgeConnectionSetup },
  { id: 'C3', title: 'Minimal overhead in sending and receiving messages', articleWords: '...and minimal overhead in sending/receiving messages.', experiment: 'Wire bytes per delivered update, split into the update\'s JSON and transport overhead.', anchors: ['rfc6455', 'lubbers'], charts: ['bytes'], judge: judgeMessageOverhead },
  { id: 'C4', title: 'Fast reaction time, ongoing updates', articleWords: 'There are some scenarios where websockets are preferred over HTTP such as Fast Reaction Time, Ongoing Updates.', experiment: 'Delivery latency distribution per transport (from each update\'s scheduled publish time), against the latency models; the article\'s echo round trip; and each transport\'s capacity at a game-like 30 updates/s under a p99 target.', anchors: ['rfc6202', 'lubbers', 'hashrocket'], charts: ['latency-cdf', 'latency-bars', 'model', 'capacity', 'echo'], judge: judgeReactionTime },
  { id: 'C5', title: 'Stateful, so hard to scale horizontally', articleWords: 'Since it\'s stateful it\'s difficult to be horizontally scaled.', experiment: 'Several server instances behind one address (HAProxy or Node\'s cluster module) sharing the feed through Redis; one instance killed (SIGKILL) mid-window: updates lost and duplicated, time until every affected client receives again, latency during recovery; and what the backplane costs against one in-memory instance.', anchors: ['centrifugo'], charts: ['failover-timeline', 'backplane'], judge: judgeScaleOut },
  { id: 'C6', title: 'Hourly updates: HTTP; every second: WebSocket', articleWords: 'HTTP will be preferred when a resource that changes hourly... establishing an HTTP connection takes a lot of time.', experiment: 'Sweep of the update interval; polling with keep-alive vs a new connection per poll: cost per delivered update and the crossover interval.', anchors: ['vanDeVyvere', 'rfc6202'], charts: ['interval', 'cpu'], judge: judgeUpdateInterval },
  { id: 'C7', title: 'Secure', articleWords: 'Secure.', experiment: 'The same runs over TLS (https, wss): set-up time and bytes with and without.', anchors: [], charts: ['connect', 'bytes'], judge: judgeSecure },
];

/** Judges every claim of CLAIMS.md against the cells of one report. */
export function assessClaims(cells: readonly ReportCell[]): ClaimAssessment[] {
  return CLAIMS.map(({ judge, ...claim }) => ({ ...claim, ...judge(cells) }));
}
