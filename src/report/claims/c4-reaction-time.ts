import { formatMs as ms } from '../../metrics/units.ts';
import { matchedLoad, medianOf, ofTransport, type MeasuredCell, type ReportCell } from '../report-cells.ts';
import { capacityEvidence, echoEvidence } from './workload-evidence.ts';
import { notMeasured, type Claim, type Judgement } from './claim.ts';
import { referenceCells } from './reference-cells.ts';

/**
 * The verdict reads the medians; a note says when long polling's tail is at least twice
 * WebSocket's, as on a lossy link, where a lost segment of one poll's answer also holds back the
 * next poll.
 */
function tailNote(wsP99: number | undefined, longP99: number | undefined): string | null {
  if (wsP99 === undefined || longP99 === undefined || longP99 < 2 * wsP99) return null;
  return `At the tail, long polling's p99 (${ms(longP99)}) was ${(longP99 / wsP99).toFixed(1)}x WebSocket's (${ms(wsP99)}): the medians the verdict reads do not show it.`;
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
  const wsP50 = p50(ws);
  if (wsP50 === undefined) return notMeasured('its WebSocket cells carry no latency.');
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
  // The model rows: the judged load, and every cell measured on another network (where the models
  // matter most).
  for (const c of [...cells, ...plain.filter((c) => c.cell.params.network !== network)]) {
    const model = c.cell.model;
    if (model && c.cell.params.transport !== 'raw-tcp') numbers.push([`${c.label}: mean measured vs model (${model.formula})`, `${ms(c.metrics.latency_us?.mean)} vs ${ms(model.mean_us)}`]);
  }
  const echo = echoEvidence(all);
  const capacity = capacityEvidence(all);
  numbers.push(...echo.numbers, ...capacity.numbers);
  const notes: string[] = [...echo.notes, ...capacity.notes];
  if (network === 'loopback' && others.length === 0) notes.push('On loopback only (RTT about 60 µs): the network transits that separate the transports cost almost nothing here; under a real RTT long polling pays up to three transits and short polling T/2 + d (models).');
  const tail = tailNote(p99(ws), p99(long));
  if (tail) notes.push(tail);
  if (sseP50 !== undefined && sseP50 <= wsP50 * 1.25) notes.push(`SSE was as fast (p50 ${ms(sseP50)}): fast reaction belongs to push, not to WebSocket alone.`);
  const used = [...ws, ...ofTransport(cells, 'sse'), ...long, ...short];
  // A transport whose cell was left out (flagged) is named so, not shown as a dash.
  const orNone = { missing: 'no usable cell' };
  const deciding = `p50: WebSocket ${ms(wsP50)}, SSE ${ms(sseP50, orNone)}, long polling ${ms(longP50, orNone)}, short polling ${ms(shortP50, orNone)}`;
  const fastestPoll = Math.min(shortP50 ?? Infinity, longP50 ?? Infinity);
  if (wsP50 > fastestPoll) {
    return { verdict: 'not-supported', because: `A polling transport delivered faster at the median (${ms(fastestPoll)}) than WebSocket (${ms(wsP50)}).`, numbers, notes, used, deciding };
  }
  if (longP50 !== undefined && longP50 <= wsP50 * 1.25) {
    return {
      verdict: 'supported-with-condition',
      because: `WebSocket delivered at ${ms(wsP50)} (p50), short polling at ${ms(shortP50)}; but long polling came within ${((longP50 / wsP50 - 1) * 100).toFixed(0)}% (${ms(longP50)}) at this update rate.`,
      numbers, notes, used, deciding,
    };
  }
  return {
    verdict: 'supported',
    because: `WebSocket delivered at ${ms(wsP50)} (p50), against ${ms(longP50, orNone)} for long polling and ${ms(shortP50, orNone)} for short polling.`,
    numbers, notes, used, deciding,
  };
}


/** C4, as docs/claims.md states it, with its experiment. */
export const c4ReactionTime: Claim = { id: 'C4', title: 'Fast reaction time, ongoing updates', articleWords: 'There are some scenarios where websockets are preferred over HTTP such as Fast Reaction Time, Ongoing Updates.', experiment: 'Delivery latency distribution per transport (from each update\'s scheduled publish time), against the latency models; the article\'s echo round trip; and each transport\'s capacity at a game-like 30 updates/s under a p99 target.', anchors: ['rfc6202', 'lubbers', 'hashrocket'], charts: ['latency-hdr', 'latency-bars', 'model', 'capacity', 'echo'], judge: judgeReactionTime };
